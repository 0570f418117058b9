/**
 * Chart colours from the VS Code theme. VS Code puts `--vscode-*` variables on the page and a
 * `vscode-light` / `vscode-dark` / `vscode-high-contrast` class on the body; a canvas cannot use
 * CSS variables, so they are resolved here and resolved again whenever either changes.
 */
import { DEFAULT_DARK_PALETTE, DEFAULT_LIGHT_PALETTE, type ChartPalette } from './charts/palette';

function themeKind(): 'light' | 'dark' | 'highContrast' | 'highContrastLight' {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'highContrastLight';
  if (classes.contains('vscode-high-contrast')) return 'highContrast';
  if (classes.contains('vscode-light')) return 'light';
  return 'dark';
}

export function resolvePalette(): ChartPalette {
  const style = getComputedStyle(document.body);
  const kind = themeKind();
  const base = kind === 'light' || kind === 'highContrastLight' ? DEFAULT_LIGHT_PALETTE : DEFAULT_DARK_PALETTE;
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const foreground = read('--vscode-editor-foreground', read('--vscode-foreground', base.foreground));
  const highContrast = kind === 'highContrast' || kind === 'highContrastLight';
  const fontSize = Number.parseFloat(read('--vscode-font-size', String(base.fontSizePixels)));
  return {
    foreground,
    mutedForeground: read('--vscode-descriptionForeground', base.mutedForeground),
    background: read('--vscode-editor-background', base.background),
    // High contrast themes draw borders instead of subtle greys.
    grid: highContrast ? read('--vscode-contrastBorder', foreground) : read('--vscode-charts-lines', base.grid),
    fontFamily: read('--vscode-font-family', base.fontFamily),
    fontSizePixels: Number.isFinite(fontSize) && fontSize > 0 ? fontSize : base.fontSizePixels,
    memoryBound: read('--vscode-charts-blue', base.memoryBound),
    computeBound: read('--vscode-charts-red', base.computeBound),
    networkBound: read('--vscode-charts-orange', base.networkBound),
    weights: read('--vscode-charts-blue', base.weights),
    activations: read('--vscode-charts-green', base.activations),
    kvCache: read('--vscode-charts-purple', base.kvCache),
    computeTime: read('--vscode-charts-red', base.computeTime),
    roof: foreground,
    secondaryRoof: read('--vscode-charts-yellow', base.secondaryRoof),
    ridge: read('--vscode-charts-yellow', base.ridge),
    current: read('--vscode-charts-yellow', base.current),
    danger: read('--vscode-errorForeground', base.danger),
    highContrast,
  };
}

/** Calls `onChange` when the theme class or the theme variables change. */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
  return () => observer.disconnect();
}

export function samePalette(a: ChartPalette, b: ChartPalette): boolean {
  return (Object.keys(a) as (keyof ChartPalette)[]).every((key) => a[key] === b[key]);
}
