/**
 * The colours charts are drawn with. A canvas cannot read CSS variables, so the DOM side
 * (theme.ts) resolves VS Code's `--vscode-*` variables into this plain object and every chart
 * config is built from it.
 */
import type { Bound } from '../../../language-server/src/engine/types';

export interface ChartPalette {
  foreground: string;
  /** Secondary text: axis titles, ticks. */
  mutedForeground: string;
  background: string;
  grid: string;
  fontFamily: string;
  fontSizePixels: number;
  memoryBound: string;
  computeBound: string;
  /** Communication entries (tensor-parallel all-reduce) limited by the interconnect. */
  networkBound: string;
  weights: string;
  activations: string;
  kvCache: string;
  computeTime: string;
  /** Roof lines (bandwidth slope and compute ceilings). */
  roof: string;
  /** Lines of ceilings after the first (achievable rates). */
  secondaryRoof: string;
  ridge: string;
  /** The current configuration in sweeps. */
  current: string;
  /** "Does not fit", missed targets. */
  danger: string;
  /** High-contrast themes: thicker lines, no translucent fills. */
  highContrast: boolean;
}

export function boundColor(palette: ChartPalette, bound: Bound): string {
  switch (bound) {
    case 'memory':
      return palette.memoryBound;
    case 'compute':
      return palette.computeBound;
    case 'network':
      return palette.networkBound;
  }
}

/** Line widths grow in high-contrast themes so the roofline stays visible on black and white. */
export function lineWidth(palette: ChartPalette, base: number): number {
  return palette.highContrast ? base + 1 : base;
}

/** VS Code's dark-theme defaults, used where a variable is missing (and in unit tests). */
export const DEFAULT_DARK_PALETTE: ChartPalette = {
  foreground: '#cccccc',
  mutedForeground: '#9d9d9d',
  background: '#1e1e1e',
  grid: 'rgba(204, 204, 204, 0.15)',
  fontFamily: 'system-ui, sans-serif',
  fontSizePixels: 12,
  memoryBound: '#3794ff',
  computeBound: '#f14c4c',
  networkBound: '#d18616',
  weights: '#3794ff',
  activations: '#89d185',
  kvCache: '#b180d7',
  computeTime: '#f14c4c',
  roof: '#cccccc',
  secondaryRoof: '#cca700',
  ridge: '#cca700',
  current: '#cca700',
  danger: '#f14c4c',
  highContrast: false,
};

/** VS Code's light-theme defaults. */
export const DEFAULT_LIGHT_PALETTE: ChartPalette = {
  foreground: '#3b3b3b',
  mutedForeground: '#717171',
  background: '#ffffff',
  grid: 'rgba(59, 59, 59, 0.15)',
  fontFamily: 'system-ui, sans-serif',
  fontSizePixels: 12,
  memoryBound: '#1a85ff',
  computeBound: '#e51400',
  networkBound: '#d18616',
  weights: '#1a85ff',
  activations: '#388a34',
  kvCache: '#652d90',
  computeTime: '#e51400',
  roof: '#3b3b3b',
  secondaryRoof: '#bf8803',
  ridge: '#bf8803',
  current: '#bf8803',
  danger: '#e51400',
  highContrast: false,
};
