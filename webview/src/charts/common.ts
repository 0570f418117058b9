/**
 * Shared pieces of every chart config: fonts and colours from the palette, log-axis helpers, and
 * the options of the panel's own chart.js plugins (reference lines, opaque background).
 */
import type { ChartType } from 'chart.js';
import { isDecade } from '../../../language-server/src/format/units';
import { LINE_LABEL_ROW_GAP_PX } from './lineLabels';
import type { ChartPalette } from './palette';

/** A vertical or horizontal line across the chart area, e.g. memory capacity or the current batch. */
export interface ReferenceLine {
  axis: 'x' | 'y';
  /** The scale the value is on, when it is not the one named by `axis` (the sweep's `yTime`). */
  scaleId?: string;
  /** Position in data units of the axis. */
  value: number;
  label: string;
  color: string;
  dashed: boolean;
}

export interface PointLabelOptions {
  datasets: string[];
  color: string;
  /** Drawn around the text so it reads over grid lines and roofs. */
  haloColor: string;
  font: { family: string; size: number };
  /** Points closer than this many pixels share one label. */
  clusterRadius: number;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Drawn by the panel's referenceLines plugin (chartPlugins.ts). */
    referenceLines?: ReferenceLine[];
    /** Labels of vertical reference lines in a band above the plot (room made by the title's bottom padding, `labelBandHeight`). */
    referenceLineLabels?: { band: 'above' };
    /** Fills the canvas so exported PNGs are readable outside the editor. */
    panelBackground?: { color: string };
    /** Names beside the points of these datasets (data with `name` and `weight`), drawn by pointLabels. */
    pointLabels?: PointLabelOptions;
    /** Widens the axes so every point of these datasets is drawn whole inside the plot (markerRoom.ts). */
    markerRoom?: { datasets: readonly string[] };
  }
}

/** The height of a band above the plot holding `rows` labels of vertical reference lines, one per row. */
export function labelBandHeight(rows: number, palette: ChartPalette): number {
  return rows * (palette.fontSizePixels + LINE_LABEL_ROW_GAP_PX);
}

/**
 * What every panel chart starts from: no animation, since a chart is rebuilt on each edit and would
 * replay it every time; sized by its card (which sets the height), not by an aspect ratio.
 */
export const PANEL_CHART_OPTIONS = { animation: false, responsive: true, maintainAspectRatio: false } as const;

/** Horizontal bars: names down the side stay readable in a narrow panel. */
export const HORIZONTAL_BAR_OPTIONS = { ...PANEL_CHART_OPTIONS, indexAxis: 'y' } as const;

/** The names axis of horizontal bars: no grid across the bars, and every name shown. */
export function barNamesAxis(palette: ChartPalette) {
  return { type: 'category' as const, grid: { display: false }, ticks: { color: palette.foreground, font: fontOf(palette), autoSkip: false } };
}

/**
 * Ticks of a linear axis whose ends are not ticks (`bounds: 'data'`, widened for markers) at
 * multiples of the step chart.js chose, not at the axis' odd end plus steps (chart.js counts
 * from the end), and none beyond the ends. Use as the axis' `afterBuildTicks`.
 */
export function ticksAtMultiples(axis: { min: number; max: number; ticks: { value: number }[] }): void {
  const values = axis.ticks.map((tick) => tick.value);
  const step = values.length > 1 ? values[1]! - values[0]! : 0;
  if (!(step > 0) || !Number.isFinite(axis.min) || !Number.isFinite(axis.max)) return;
  const ticks: { value: number }[] = [];
  // Rounded to the step's decimals, so 0.1 + 0.2 does not print as 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let index = Math.ceil(axis.min / step); index * step <= axis.max + step * 1e-9; index += 1) ticks.push({ value: Number((index * step).toFixed(decimals)) });
  axis.ticks = ticks;
}

/** Ticks of a linear value axis: at most six, level, printed by the quantity's formatter. */
export function valueTicks(palette: ChartPalette, format: (value: number) => string) {
  return { color: palette.mutedForeground, font: fontOf(palette), maxRotation: 0, maxTicksLimit: 6, callback: (value: number | string) => format(Number(value)) };
}

export function fontOf(palette: ChartPalette, weight: 'normal' | 'bold' = 'normal') {
  return { family: palette.fontFamily, size: palette.fontSizePixels, weight };
}

/** Axis styling common to all charts. */
export function axisStyle(palette: ChartPalette, title: string) {
  return {
    grid: { color: palette.grid },
    border: { color: palette.grid },
    ticks: { color: palette.mutedForeground, font: fontOf(palette) },
    title: { display: true, text: title, color: palette.foreground, font: fontOf(palette) },
  };
}

export function legendStyle(palette: ChartPalette) {
  return {
    display: true,
    position: 'bottom' as const,
    labels: { color: palette.foreground, font: fontOf(palette), usePointStyle: true, boxWidth: 10, boxHeight: 10 },
  };
}

export function tooltipStyle(palette: ChartPalette) {
  return {
    backgroundColor: palette.background,
    titleColor: palette.foreground,
    bodyColor: palette.foreground,
    borderColor: palette.grid,
    borderWidth: 1,
    titleFont: fontOf(palette, 'bold'),
    bodyFont: fontOf(palette),
  };
}

/** Log axes get grid lines at decades only; the minor ticks in between would crowd the chart. */
export function logAxisStyle(palette: ChartPalette, title: string) {
  const base = axisStyle(palette, title);
  return {
    ...base,
    grid: { color: (context: { tick?: { value: number } }) => (context.tick && isDecade(context.tick.value) ? palette.grid : 'transparent') },
  };
}

/**
 * A log range that frames positive values: widened by `padFactor` on both sides, and to at least
 * `minDecades` (around the data's middle) so a decade tick always falls inside. Unlike
 * `decadeRange` it does not round out to powers of ten, which can leave most of a chart empty.
 */
export function framingLogRange(values: readonly number[], padFactor = 2, minDecades = 2): { min: number; max: number } {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return { min: 1, max: 10 ** minDecades };
  let low = Math.log10(Math.min(...positive) / padFactor);
  let high = Math.log10(Math.max(...positive) * padFactor);
  if (high - low < minDecades) {
    const middle = (low + high) / 2;
    low = middle - minDecades / 2;
    high = middle + minDecades / 2;
  }
  return { min: 10 ** low, max: 10 ** high };
}

/** The enclosing powers of ten of positive values, widened by `padFactor` on both sides. */
export function decadeRange(values: readonly number[], padFactor = 1): { min: number; max: number } {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return { min: 1, max: 10 };
  const low = Math.min(...positive) / padFactor;
  const high = Math.max(...positive) * padFactor;
  const min = 10 ** Math.floor(Math.log10(low));
  let max = 10 ** Math.ceil(Math.log10(high));
  if (max <= min) max = min * 10;
  return { min, max };
}

/** Tick labels of log axes: decades only, so labels never collide at narrow widths. */
export function decadeTick(format: (value: number) => string): (value: number | string) => string {
  return (value) => {
    const numeric = typeof value === 'number' ? value : Number(value);
    return isDecade(numeric) ? format(numeric) : '';
  };
}

/**
 * A log axis over `range` with grid lines and labels at decades only; `levelLabels` keeps the labels
 * from tilting (an x axis in a narrow card).
 */
export function decadeAxis(palette: ChartPalette, title: string, range: { min: number; max: number }, format: (value: number) => string, { levelLabels = false } = {}) {
  return {
    type: 'logarithmic' as const,
    min: range.min,
    max: range.max,
    ...logAxisStyle(palette, title),
    ticks: { color: palette.mutedForeground, font: fontOf(palette), autoSkip: false, ...(levelLabels ? { maxRotation: 0 } : {}), callback: decadeTick(format) },
  };
}

/** Translucent fill for a colour in `#rrggbb` form; other forms (and high contrast) stay opaque. */
export function withAlpha(color: string, alpha: number, palette: ChartPalette): string {
  if (palette.highContrast) return color;
  const match = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (!match) return color;
  const value = parseInt(match[1], 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

export function isHidden(hiddenSeries: readonly string[], label: string): boolean {
  return hiddenSeries.includes(label);
}
