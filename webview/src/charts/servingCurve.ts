/**
 * The serving view: output tokens/s and latency (TTFT, TPOT) against requests in flight, for a
 * deployment with `serving:`. The saturation point (as many requests as the KV pool holds; past
 * it throughput is flat and requests queue) and the document's own concurrency are vertical
 * lines; latency targets are horizontal lines on the time axis.
 */
import type { ChartConfiguration, Scale, TooltipItem } from 'chart.js';
import { formatAxisNumber, formatSeconds, formatTokenCount, formatTokensPerSecond } from '../../../language-server/src/format/units';
import type { ServingCurve, ServingCurvePoint } from '../../../language-server/src/protocol/lsp';
import { axisStyle, decadeAxis, fontOf, isHidden, legendStyle, PANEL_CHART_OPTIONS, tooltipStyle, type ReferenceLine } from './common';
import { latencyAxisRange, latencyTargetLines, type LatencyTargets } from './latencyTargets';
import type { MeasuredComparison } from '../../../language-server/src/measured/types';
import { isMeasuredDatum, measuredFigureDatasets, measuredTimes, measuredTooltipLines, type MeasuredDatum } from './measuredMarkers';
import { lineWidth, type ChartPalette } from './palette';
import type { DataTable } from './table';

export interface ServingChartOptions {
  palette: ChartPalette;
  hiddenSeries: readonly string[];
  /** The deployment's latency targets, drawn as horizontal lines on the time axis. */
  targets?: LatencyTargets;
  /** Measured points (`measured:`), drawn at their requests in flight beside the curve. */
  measured?: MeasuredComparison;
}

export const SERVING_SERIES = {
  throughput: 'Output tokens/s',
  ttft: 'TTFT',
  tpot: 'TPOT',
} as const;

export interface ServingDatum {
  x: number;
  y: number;
  point: ServingCurvePoint;
}

function isFinitePoint(point: ServingCurvePoint): boolean {
  return [point.concurrency, point.output_tokens_per_second, point.ttft_seconds, point.tpot_seconds].every((value) => typeof value === 'number' && Number.isFinite(value)) && point.concurrency > 0;
}

/** The curve's points that can be drawn, by concurrency. */
export function drawablePoints(curve: ServingCurve): ServingCurvePoint[] {
  return curve.points.filter(isFinitePoint).sort((a, b) => a.concurrency - b.concurrency);
}

function tooltipLabel(item: TooltipItem<'scatter'>): string[] {
  if (isMeasuredDatum(item.raw)) return measuredTooltipLines(item.raw);
  const { point } = item.raw as ServingDatum;
  const lines = [
    `${SERVING_SERIES.throughput}: ${formatTokensPerSecond(point.output_tokens_per_second)} (${formatTokensPerSecond(point.output_tokens_per_second_per_user)} per user)`,
    `TTFT ${formatSeconds(point.ttft_seconds)}, TPOT ${formatSeconds(point.tpot_seconds)}`,
  ];
  if (point.queue_seconds > 0) lines.push(`Queued ${formatSeconds(point.queue_seconds)} before admission`);
  return lines;
}

function tooltipTitle(items: TooltipItem<'scatter'>[]): string {
  const raw = items[0]?.raw;
  if (isMeasuredDatum(raw)) return raw.measured.point.label;
  const datum = raw as ServingDatum | undefined;
  return datum ? `${formatTokenCount(datum.x)} requests in flight` : '';
}

export function buildServingChart(curve: ServingCurve, options: ServingChartOptions): ChartConfiguration<'scatter', (ServingDatum | MeasuredDatum)[]> | undefined {
  const { palette, hiddenSeries } = options;
  const points = drawablePoints(curve);
  if (points.length === 0) return undefined;
  const measuredDatasets = measuredFigureDatasets(options.measured, palette, hiddenSeries);
  const measuredXs = measuredDatasets.flatMap((set) => set.data.map((datum) => datum.x));
  const xs = points.map((p) => p.concurrency);
  const currentIndex = points.findIndex((p) => p.concurrency === Math.floor(curve.current));

  const line = (label: string, color: string, yAxisID: 'yRate' | 'yTime', pick: (p: ServingCurvePoint) => number, dash: number[]) => ({
    label,
    yAxisID,
    data: points.map((point) => ({ x: point.concurrency, y: pick(point), point })),
    showLine: true,
    borderColor: color,
    backgroundColor: color,
    borderWidth: lineWidth(palette, 2),
    borderDash: dash,
    pointStyle: yAxisID === 'yRate' ? ('rect' as const) : ('circle' as const),
    pointRadius: points.map((_, index) => (index === currentIndex ? 7 : 3)),
    pointBorderColor: points.map((_, index) => (index === currentIndex ? palette.current : color)),
    pointBorderWidth: points.map((_, index) => (index === currentIndex ? 3 : 1.5)),
    hidden: isHidden(hiddenSeries, label),
  });

  const saturation = `Saturation: ${formatTokenCount(curve.max_concurrency)} in flight (KV pool full)`;
  const current = `Current: ${formatTokenCount(curve.current)}`;
  // Lines a few pixels apart would print their labels over each other: one line says both.
  const together = Math.abs(Math.log2(curve.current / curve.max_concurrency)) < 0.25;
  const referenceLines: ReferenceLine[] = together
    ? [{ axis: 'x', value: curve.current, label: `${current} · ${saturation}`, color: palette.current, dashed: false }]
    : [
        { axis: 'x', value: curve.max_concurrency, label: saturation, color: palette.danger, dashed: true },
        { axis: 'x', value: curve.current, label: current, color: palette.current, dashed: false },
      ];
  referenceLines.push(...latencyTargetLines(options.targets, palette));
  // The measured times are on the same axis: its decades reach them too.
  const timeRange = latencyAxisRange([...points, ...measuredTimes(measuredDatasets)], options.targets);

  return {
    type: 'scatter',
    data: {
      datasets: [
        line(SERVING_SERIES.throughput, palette.activations, 'yRate', (p) => p.output_tokens_per_second, []),
        line(SERVING_SERIES.tpot, palette.memoryBound, 'yTime', (p) => p.tpot_seconds, []),
        line(SERVING_SERIES.ttft, palette.kvCache, 'yTime', (p) => p.ttft_seconds, [2, 3]),
        ...measuredDatasets,
      ],
    },
    options: {
      ...PANEL_CHART_OPTIONS,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: {
          type: 'logarithmic',
          min: Math.min(...xs, ...measuredXs) / 1.25,
          max: Math.max(...xs, ...measuredXs) * 1.25,
          ...axisStyle(palette, 'Requests in flight'),
          afterBuildTicks: (scale: Scale) => {
            scale.ticks = xs.filter((value) => Number.isInteger(Math.log2(value))).map((value) => ({ value }));
          },
          ticks: { color: palette.mutedForeground, font: fontOf(palette), autoSkip: true, maxRotation: 0, callback: (value: number | string) => formatTokenCount(Number(value)) },
        },
        yRate: {
          type: 'linear',
          position: 'left',
          beginAtZero: true,
          ...axisStyle(palette, 'Output tokens/s'),
          ticks: { color: palette.mutedForeground, font: fontOf(palette), callback: (value: number | string) => formatAxisNumber(Number(value)) },
        },
        yTime: { ...decadeAxis(palette, 'Latency (TTFT, TPOT)', timeRange, formatSeconds), position: 'right' as const, grid: { drawOnChartArea: false, color: palette.grid } },
      },
      plugins: {
        legend: legendStyle(palette),
        tooltip: { ...tooltipStyle(palette), callbacks: { title: tooltipTitle, label: tooltipLabel } },
        referenceLines,
        panelBackground: { color: palette.background },
      },
    },
  };
}

export function servingTable(curve: ServingCurve): DataTable | undefined {
  const points = drawablePoints(curve);
  if (points.length === 0) return undefined;
  return {
    caption: `Serving under load on ${curve.gpus} GPU${curve.gpus === 1 ? '' : 's'}: saturation at ${formatTokenCount(curve.max_concurrency)} requests in flight (the KV pool holds no more); current ${formatTokenCount(curve.current)}.`,
    columns: ['In flight', 'Output tokens/s', 'Per user', 'TTFT', 'TPOT', 'Queued'],
    rows: points.map((p) => [
      `${formatTokenCount(p.concurrency)}${p.concurrency === Math.floor(curve.current) ? ' (current)' : ''}${p.concurrency === Math.floor(curve.max_concurrency) ? ' (saturation)' : ''}`,
      formatTokensPerSecond(p.output_tokens_per_second),
      formatTokensPerSecond(p.output_tokens_per_second_per_user),
      formatSeconds(p.ttft_seconds),
      formatSeconds(p.tpot_seconds),
      formatSeconds(p.queue_seconds),
    ]),
  };
}
