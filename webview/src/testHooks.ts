/**
 * A read-only window into the panel for browser tests and end-to-end tests (which cannot reach
 * chart.js inside the bundle): chart data as drawn, and how many renders have finished.
 */
import type { PlacedLineLabel } from './charts/lineLabels';
import type { PlacedLabel } from './charts/pointLabels';
import type { ChartPalette } from './charts/palette';
import type { ReferenceLine } from './charts/common';
import type { ChartId, PanelState } from './panelState';

export interface DatasetSnapshot {
  label: string;
  data: unknown[];
  visible: boolean;
  backgroundColor: unknown;
  borderColor: unknown;
  pointBackgroundColor: unknown;
  pointBorderColor: unknown;
  pointStyle: unknown;
  pointRadius: unknown;
  stack: unknown;
  yAxisID: unknown;
  /** Each point as chart.js placed it (its dataset meta's elements): centre in CSS pixels of the canvas, and marker size. */
  elements: { x: number; y: number; radius: number; hoverRadius: number; borderWidth: number }[];
}

/** A chart as chart.js holds it after the last update. */
export interface ChartSnapshot {
  type: string;
  labels: unknown[];
  datasets: DatasetSnapshot[];
  /** Each scale's range, title and tick labels as drawn ('' for unlabelled ticks). */
  scales: Record<string, { type: string; min: number; max: number; title: string; ticks: string[] }>;
  referenceLines: ReferenceLine[];
  title: string;
  titleColor: unknown;
  updates: number;
  canvasWidth: number;
  canvasHeight: number;
  /** The chart area, and the point labels drawn at the last draw (CSS pixels of the canvas). */
  chartArea: { left: number; top: number; right: number; bottom: number };
  pointLabels: PlacedLabel[];
  /** The reference lines' labels as drawn, with their lines' positions. */
  lineLabels: PlacedLineLabel[];
}

export interface PanelInspector {
  snapshot(chart: ChartId): ChartSnapshot | undefined;
  /** Pixel position of a point (CSS pixels from the canvas' top left), to hover it. */
  pointPosition(chart: ChartId, datasetLabel: string, index: number): { x: number; y: number } | undefined;
  tooltipLines(chart: ChartId): string[];
  /** The before/after view's charts (techniques), when shown. */
  beforeAfterSnapshot(chart: 'time' | 'memory'): ChartSnapshot | undefined;
  /** The variants chart, when the result has variants. */
  variantsSnapshot(): ChartSnapshot | undefined;
  /** Renders completed (charts drawn and a frame painted). */
  renderCount(): number;
  /** Version of the analysis last drawn. */
  renderedVersion(): number | undefined;
  palette(): ChartPalette;
  state(): PanelState;
}

export const INSPECTOR_GLOBAL = 'llmRooflinePanel';
/** Fired on window after each render has been painted; `detail` is the analysis version. */
export const RENDERED_EVENT = 'llm-roofline-rendered';
