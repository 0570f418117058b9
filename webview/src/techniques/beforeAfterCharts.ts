/**
 * The deployment with and without its `techniques:`, as chart configs (pure functions, no DOM):
 * the baseline's layers as ghost points on the roofline, time per layer side by side, memory side
 * by side, and the speed-up of each stage. The baseline is the analysis the server sends beside the
 * result (DocumentAnalysis.baseline).
 */
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { AnalysisResult, StageName } from '../../../language-server/src/engine/types';
import { formatBytes, formatRatio, formatSeconds } from '../../../language-server/src/format/units';
import { axisStyle, barNamesAxis, fontOf, HORIZONTAL_BAR_OPTIONS, isHidden, legendStyle, tooltipStyle, valueTicks, withAlpha } from '../charts/common';
import { lineWidth, type ChartPalette } from '../charts/palette';
import { layerPoints, layerTooltipLines, stageLabel, type RooflineDatum } from '../charts/roofline';
import type { DataTable } from '../charts/table';

export const BEFORE_AFTER_SERIES = {
  without: 'Without techniques',
  with: 'With techniques',
  ghostPrefill: 'Prefill without techniques',
  ghostDecode: 'Decode without techniques',
} as const;

/** One stage's figure before and after: TTFT for prefill, TPOT for decode, and memory. */
export interface StageSpeedup {
  id: 'ttft' | 'tpot' | 'memory';
  label: string;
  before: number;
  after: number;
  /** before / after: above 1 is faster (or smaller, for memory). */
  ratio: number;
  text: string;
}

function ratioText(before: number, after: number, what: 'time' | 'memory'): string {
  if (!(before > 0) || !(after > 0)) return '—';
  const ratio = before / after;
  if (Math.abs(ratio - 1) < 0.005) return 'unchanged';
  if (what === 'memory') return `${formatRatio(after / before)} as much`;
  return ratio > 1 ? `${formatRatio(ratio)} faster` : `${formatRatio(1 / ratio)} slower`;
}

export function stageSpeedups(baseline: AnalysisResult, result: AnalysisResult): StageSpeedup[] {
  const entry = (id: StageSpeedup['id'], label: string, before: number, after: number, what: 'time' | 'memory'): StageSpeedup => ({
    id,
    label,
    before,
    after,
    ratio: after > 0 ? before / after : 0,
    text: ratioText(before, after, what),
  });
  return [
    entry('ttft', 'Prefill (TTFT)', baseline.metrics.ttft_seconds, result.metrics.ttft_seconds, 'time'),
    entry('tpot', 'Decode (TPOT)', baseline.metrics.tpot_seconds, result.metrics.tpot_seconds, 'time'),
    entry('memory', 'Memory', baseline.memory.total_bytes, result.memory.total_bytes, 'memory'),
  ];
}

/**
 * The roofline config with the baseline's layers added as ghosts: hollow, faint markers of the same
 * shapes, under the new points, with both sets inside the axes.
 */
export function withBaselineGhosts(
  config: ChartConfiguration<'scatter', RooflineDatum[]>,
  baseline: AnalysisResult,
  palette: ChartPalette,
  hiddenSeries: readonly string[],
): ChartConfiguration<'scatter', RooflineDatum[]> {
  const ghost = (stage: StageName) => {
    const label = stage === 'prefill' ? BEFORE_AFTER_SERIES.ghostPrefill : BEFORE_AFTER_SERIES.ghostDecode;
    const points = layerPoints(baseline, stage).plotted;
    return {
      label,
      data: points.map((p) => ({ x: p.intensity, y: p.performance, layer: p, caption: 'without techniques' })),
      pointStyle: stage === 'prefill' ? ('circle' as const) : ('triangle' as const),
      pointRadius: stage === 'prefill' ? 5 : 6,
      pointHoverRadius: 7,
      pointBorderWidth: lineWidth(palette, 1),
      pointBackgroundColor: 'transparent',
      pointBorderColor: withAlpha(palette.mutedForeground, 0.55, palette),
      backgroundColor: 'transparent',
      borderColor: withAlpha(palette.mutedForeground, 0.55, palette),
      borderDash: [3, 3],
      hidden: isHidden(hiddenSeries, label),
      order: 5,
    };
  };
  const ghosts = [ghost('prefill'), ghost('decode')];
  const scales = config.options?.scales as Record<string, { min?: number; max?: number }> | undefined;
  const widened = { ...scales };
  // The chart already frames its own points; it widens only to a decade that holds a ghost outside.
  const widen = (axis: 'x' | 'y', values: number[]): void => {
    const scale = scales?.[axis];
    if (!scale || values.length === 0 || scale.min === undefined || scale.max === undefined) return;
    const low = Math.min(...values);
    const high = Math.max(...values);
    if (low >= scale.min && high <= scale.max) return;
    widened[axis] = { ...scale, min: low < scale.min ? 10 ** Math.floor(Math.log10(low)) : scale.min, max: high > scale.max ? 10 ** Math.ceil(Math.log10(high)) : scale.max };
  };
  widen('x', ghosts.flatMap((dataset) => dataset.data.map((d) => d.x)));
  widen('y', ghosts.flatMap((dataset) => dataset.data.map((d) => d.y)));
  const tooltip = config.options?.plugins?.tooltip;
  return {
    ...config,
    data: { ...config.data, datasets: [...config.data.datasets, ...ghosts] },
    options: {
      ...config.options,
      scales: widened as NonNullable<typeof config.options>['scales'],
      plugins: {
        ...config.options?.plugins,
        tooltip: {
          ...tooltip,
          callbacks: {
            ...tooltip?.callbacks,
            label: (item: TooltipItem<'scatter'>) => {
              const datum = item.raw as RooflineDatum;
              if (datum.layer && datum.caption === 'without techniques') return [...layerTooltipLines(datum.layer), 'Without techniques'];
              const original = tooltip?.callbacks?.label;
              return original ? (original as (this: unknown, item: TooltipItem<'scatter'>) => string | string[]).call(undefined, item) : '';
            },
          },
        },
      },
    },
  };
}

/** count × seconds of each layer of a stage, by name. */
function stageTimes(result: AnalysisResult, stage: StageName): Map<string, number> {
  return new Map(result.stages[stage].layers.map((layer) => [layer.name, layer.count * layer.seconds]));
}

/** Layer names of both analyses, slowest (before or after) first. */
function comparedLayers(baseline: AnalysisResult, result: AnalysisResult, stage: StageName): { name: string; before: number; after: number }[] {
  const before = stageTimes(baseline, stage);
  const after = stageTimes(result, stage);
  const names = [...new Set([...before.keys(), ...after.keys()])];
  return names
    .map((name) => ({ name, before: before.get(name) ?? 0, after: after.get(name) ?? 0 }))
    .sort((a, b) => Math.max(b.before, b.after) - Math.max(a.before, a.after));
}

export interface BeforeAfterOptions {
  palette: ChartPalette;
  hiddenSeries: readonly string[];
}

function barTooltip(item: TooltipItem<'bar'>): string {
  return `${item.dataset.label ?? ''}: ${formatSeconds(Number(item.raw))}`;
}

/** Time per layer of one stage, without and with techniques, side by side (Σ count × seconds). */
export function buildTimeComparisonChart(baseline: AnalysisResult, result: AnalysisResult, stage: StageName, options: BeforeAfterOptions): ChartConfiguration<'bar', number[], string> {
  const { palette, hiddenSeries } = options;
  const rows = comparedLayers(baseline, result, stage);
  const dataset = (label: string, values: number[], color: string, faint: boolean) => ({
    label,
    data: values,
    backgroundColor: faint ? withAlpha(color, 0.25, palette) : withAlpha(color, 0.8, palette),
    borderColor: color,
    borderWidth: lineWidth(palette, 1),
    borderDash: faint ? [3, 3] : [],
    hidden: isHidden(hiddenSeries, label),
  });
  const speedup = stage === 'prefill' ? ratioText(baseline.stages.prefill.totals.seconds, result.stages.prefill.totals.seconds, 'time') : ratioText(baseline.stages.decode.totals.seconds, result.stages.decode.totals.seconds, 'time');
  return {
    type: 'bar',
    data: {
      labels: rows.map((row) => row.name),
      datasets: [
        dataset(BEFORE_AFTER_SERIES.without, rows.map((row) => row.before), palette.mutedForeground, true),
        dataset(BEFORE_AFTER_SERIES.with, rows.map((row) => row.after), palette.current, false),
      ],
    },
    options: {
      ...HORIZONTAL_BAR_OPTIONS,
      scales: {
        x: {
          type: 'linear',
          beginAtZero: true,
          ...axisStyle(palette, `${stageLabel(stage)} time per step (count × seconds)`),
          ticks: valueTicks(palette, formatSeconds),
        },
        y: barNamesAxis(palette),
      },
      plugins: {
        title: { display: true, text: `${stageLabel(stage)} step: ${formatSeconds(baseline.stages[stage].totals.seconds)} → ${formatSeconds(result.stages[stage].totals.seconds)} (${speedup})`, color: palette.foreground, font: fontOf(palette, 'bold') },
        legend: legendStyle(palette),
        tooltip: { ...tooltipStyle(palette), callbacks: { label: barTooltip } },
        panelBackground: { color: palette.background },
      },
    },
  };
}

export function timeComparisonTable(baseline: AnalysisResult, result: AnalysisResult, stage: StageName): DataTable {
  return {
    caption: `${stageLabel(stage)} time per layer, without and with techniques`,
    columns: ['Layer', 'Without', 'With', 'Change'],
    rows: comparedLayers(baseline, result, stage).map((row) => [row.name, formatSeconds(row.before), formatSeconds(row.after), row.before > 0 && row.after > 0 ? ratioText(row.before, row.after, 'time') : row.before > 0 ? 'removed' : 'added']),
  };
}

const MEMORY_PARTS = [
  ['Weights', 'weights_bytes', 'weights'],
  ['KV cache', 'kv_cache_bytes', 'kvCache'],
  ['Activations', 'activations_bytes', 'activations'],
] as const;

/** Memory without and with techniques: two stacked bars of weights, KV cache and activations. */
export function buildMemoryComparisonChart(baseline: AnalysisResult, result: AnalysisResult, options: BeforeAfterOptions): ChartConfiguration<'bar', number[], string> {
  const { palette, hiddenSeries } = options;
  const datasets = MEMORY_PARTS.map(([label, key, color]) => ({
    label,
    data: [baseline.memory[key], result.memory[key]],
    stack: 'memory',
    backgroundColor: [withAlpha(palette[color], 0.3, palette), withAlpha(palette[color], 0.8, palette)],
    borderColor: palette[color],
    borderWidth: lineWidth(palette, 1),
    hidden: isHidden(hiddenSeries, label),
  }));
  return {
    type: 'bar',
    data: { labels: [BEFORE_AFTER_SERIES.without, BEFORE_AFTER_SERIES.with], datasets },
    options: {
      ...HORIZONTAL_BAR_OPTIONS,
      scales: {
        x: {
          type: 'linear',
          stacked: true,
          beginAtZero: true,
          ...axisStyle(palette, 'Bytes'),
          ticks: valueTicks(palette, formatBytes),
        },
        y: { type: 'category', stacked: true, grid: { display: false }, ticks: { color: palette.foreground, font: fontOf(palette) } },
      },
      plugins: {
        title: {
          display: true,
          text: `Memory: ${formatBytes(baseline.memory.total_bytes)} → ${formatBytes(result.memory.total_bytes)}`,
          color: result.memory.fits ? palette.foreground : palette.danger,
          font: fontOf(palette, 'bold'),
        },
        legend: legendStyle(palette),
        tooltip: { ...tooltipStyle(palette), callbacks: { label: (item: TooltipItem<'bar'>) => `${item.dataset.label ?? ''}: ${formatBytes(Number(item.raw))}` } },
        panelBackground: { color: palette.background },
      },
    },
  };
}

export function memoryComparisonTable(baseline: AnalysisResult, result: AnalysisResult): DataTable {
  return {
    caption: 'Memory without and with techniques',
    columns: ['Part', 'Without', 'With'],
    rows: [
      ...MEMORY_PARTS.map(([label, key]) => [label, formatBytes(baseline.memory[key]), formatBytes(result.memory[key])]),
      ['Total', formatBytes(baseline.memory.total_bytes), formatBytes(result.memory.total_bytes)],
    ],
  };
}
