/**
 * TPOT, TTFT and tokens/s across batch sizes or prompt lengths. The current value of the document
 * is marked (larger point and a line), the memory limit is drawn as a line, and points that do not
 * fit are hollow with dashed segments.
 */
import type { ChartConfiguration, Scale, ScriptableLineSegmentContext, TooltipItem } from 'chart.js';
import { formatAxisNumber, formatBytes, formatSeconds, formatTokenCount, formatTokensPerSecond } from '../../../language-server/src/format/units';
import { chooseSweepAxis, sweepAxisLabel, type SweepAxis, type SweepData, type SweepPoint } from '../sweepData';
import { axisStyle, decadeAxis, fontOf, isHidden, legendStyle, PANEL_CHART_OPTIONS, tooltipStyle, type ReferenceLine } from './common';
import { latencyAxisRange, latencyTargetLines, type LatencyTargets } from './latencyTargets';
import { lineWidth, type ChartPalette } from './palette';
import type { DataTable } from './table';
import { MEASURED_METRICS, type MeasuredComparison } from '../../../language-server/src/measured/types';
import { isMeasuredDatum, measuredData, measuredFigureDatasets, measuredTimes, measuredTooltipLines, type MeasuredDatum } from './measuredMarkers';

export interface SweepOptions {
  palette: ChartPalette;
  axis: SweepAxis;
  hiddenSeries: readonly string[];
  /** The deployment's latency targets, drawn as horizontal lines on the time axis. */
  targets?: LatencyTargets;
  /** Measured points (`measured:`), drawn at their requests in flight on the batch-size axis. */
  measured?: MeasuredComparison;
}

/** Said in a measured point's tooltip: its prediction is the serving steady state's, not the curve's. */
export const SWEEP_MEASURED_NOTE = 'Predicted under load (serving); the curve is this batch alone, no prompt beside it';

export const SWEEP_SERIES = {
  tpot: 'TPOT',
  ttft: 'TTFT',
  tokensPerSecond: 'Tokens/s',
} as const;

export interface SweepDatum {
  x: number;
  y: number;
  point: SweepPoint;
}

function tooltipLabel(item: TooltipItem<'scatter'>): string[] {
  if (isMeasuredDatum(item.raw)) return [...measuredTooltipLines(item.raw), SWEEP_MEASURED_NOTE];
  const { point } = item.raw as SweepDatum;
  const value = item.dataset.label === SWEEP_SERIES.tokensPerSecond ? formatTokensPerSecond(point.output_tokens_per_second) : formatSeconds(Number((item.raw as SweepDatum).y));
  return [`${item.dataset.label ?? ''}: ${value}`, `Memory: ${formatBytes(point.total_memory_bytes)}${point.fits ? '' : ' (does not fit)'}`];
}

/** Dashed segments where the next point no longer fits in memory. */
function dashWhereNotFitting(context: ScriptableLineSegmentContext): number[] | undefined {
  const next = (context.p1 as unknown as { raw?: SweepDatum }).raw;
  return next && !next.point.fits ? [5, 4] : undefined;
}

/** Measured points sit on the batch-size sweep only: on the prompt-length sweep their batch is not the curve's. */
export function sweepShowsMeasured(axis: SweepAxis | undefined): boolean {
  return axis === 'batch_size';
}

export function buildSweepChart(sweep: SweepData, options: SweepOptions): ChartConfiguration<'scatter', (SweepDatum | MeasuredDatum)[]> | undefined {
  const { palette, hiddenSeries } = options;
  const axis = chooseSweepAxis(sweep, options.axis);
  if (axis === undefined) return undefined;
  const series = sweep[axis];
  if (!series || series.points.length === 0) return undefined;
  const points = [...series.points].sort((a, b) => a.x - b.x);
  const xs = points.map((p) => p.x);
  const currentIndex = points.findIndex((p) => p.x === series.current);
  const measuredDatasets = sweepShowsMeasured(axis) ? measuredFigureDatasets(options.measured, palette, hiddenSeries) : [];
  const measuredXs = measuredDatasets.flatMap((set) => set.data.map((datum) => datum.x));

  const line = (label: string, color: string, yAxisID: 'yTime' | 'yRate', pick: (p: SweepPoint) => number, dashed: boolean) => ({
    label,
    yAxisID,
    data: points.map((point) => ({ x: point.x, y: pick(point), point })),
    showLine: true,
    borderColor: color,
    backgroundColor: color,
    borderWidth: lineWidth(palette, 2),
    borderDash: dashed ? [2, 3] : [],
    pointStyle: yAxisID === 'yRate' ? ('rect' as const) : ('circle' as const),
    pointRadius: points.map((_, index) => (index === currentIndex ? 7 : 3)),
    pointBackgroundColor: points.map((point) => (point.fits ? color : palette.background)),
    pointBorderColor: points.map((_, index) => (index === currentIndex ? palette.current : color)),
    pointBorderWidth: points.map((_, index) => (index === currentIndex ? 3 : 1.5)),
    segment: { borderDash: dashWhereNotFitting },
    hidden: isHidden(hiddenSeries, label),
  });

  const referenceLines: ReferenceLine[] = [
    { axis: 'x', value: series.current, label: `Current: ${formatTokenCount(series.current)}`, color: palette.current, dashed: false },
  ];
  if (series.memory_limit !== undefined) {
    referenceLines.push({ axis: 'x', value: series.memory_limit, label: `Memory limit: ${formatTokenCount(series.memory_limit)}`, color: palette.danger, dashed: true });
  }
  referenceLines.push(...latencyTargetLines(options.targets, palette));
  const xRange = { min: Math.min(...xs, ...measuredXs) / 1.25, max: Math.max(...xs, ...measuredXs) * 1.25 };
  const timeRange = latencyAxisRange([...points, ...measuredTimes(measuredDatasets)], options.targets);

  return {
    type: 'scatter',
    data: {
      datasets: [
        line(SWEEP_SERIES.tpot, palette.memoryBound, 'yTime', (p) => p.tpot_seconds, false),
        line(SWEEP_SERIES.ttft, palette.kvCache, 'yTime', (p) => p.ttft_seconds, true),
        line(SWEEP_SERIES.tokensPerSecond, palette.activations, 'yRate', (p) => p.output_tokens_per_second, false),
        ...measuredDatasets,
      ],
    },
    options: {
      ...PANEL_CHART_OPTIONS,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: {
          type: 'logarithmic',
          min: xRange.min,
          max: xRange.max,
          ...axisStyle(palette, sweepAxisLabel(axis)),
          // Ticks at the swept values themselves (powers of two read better than decades here).
          afterBuildTicks: (scale: Scale) => {
            scale.ticks = xs.map((value) => ({ value }));
          },
          ticks: { color: palette.mutedForeground, font: fontOf(palette), autoSkip: true, maxRotation: 0, callback: (value: number | string) => formatTokenCount(Number(value)) },
        },
        yTime: { ...decadeAxis(palette, 'Time (TPOT, TTFT)', timeRange, formatSeconds), position: 'left' as const },
        yRate: {
          type: 'linear',
          position: 'right',
          beginAtZero: true,
          ...axisStyle(palette, 'Output tokens/s'),
          grid: { drawOnChartArea: false, color: palette.grid },
          ticks: { color: palette.mutedForeground, font: fontOf(palette), callback: (value: number | string) => formatAxisNumber(Number(value)) },
        },
      },
      plugins: {
        legend: legendStyle(palette),
        tooltip: { ...tooltipStyle(palette), callbacks: { label: tooltipLabel } },
        referenceLines,
        panelBackground: { color: palette.background },
      },
    },
  };
}

/** What the sweep says of the measured points: where they are drawn, or why not on this axis. */
export function sweepMeasuredSentence(measured: MeasuredComparison | undefined, axis: SweepAxis | undefined): string | undefined {
  const drawn = MEASURED_METRICS.reduce((count, metric) => count + measuredData(measured, metric).length, 0);
  if (drawn === 0) return undefined;
  return sweepShowsMeasured(axis)
    ? `${drawn} measured figure${drawn === 1 ? ' is' : 's are'} drawn as hollow markers at their requests in flight; each is predicted under load (the serving steady state), so it can sit off this curve of one batch alone; the card Measured against predicted lists them with their errors.`
    : 'Measured points are drawn on the batch-size sweep: on this one their batch is not the curve\'s.';
}

export function sweepTable(sweep: SweepData, requestedAxis: SweepAxis, measured?: MeasuredComparison): DataTable | undefined {
  const axis = chooseSweepAxis(sweep, requestedAxis);
  const series = axis === undefined ? undefined : sweep[axis];
  if (axis === undefined || !series) return undefined;
  const measuredSentence = sweepMeasuredSentence(measured, axis);
  return {
    caption: `Sweep over ${sweepAxisLabel(axis).toLowerCase()}; current ${series.current}` +
      (series.memory_limit === undefined ? '; no swept value fits in memory or capacity is unknown.' : `; fits in memory up to ${series.memory_limit}.`) +
      (measuredSentence ? ` ${measuredSentence}` : ''),
    columns: [sweepAxisLabel(axis), 'TPOT', 'TTFT', 'Tokens/s', 'Memory', 'Fits'],
    rows: [...series.points]
      .sort((a, b) => a.x - b.x)
      .map((p) => [
        `${p.x}${p.x === series.current ? ' (current)' : ''}`,
        formatSeconds(p.tpot_seconds),
        formatSeconds(p.ttft_seconds),
        formatTokensPerSecond(p.output_tokens_per_second),
        formatBytes(p.total_memory_bytes),
        p.fits ? 'yes' : 'no',
      ]),
  };
}
