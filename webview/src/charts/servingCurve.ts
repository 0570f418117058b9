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
import type { MeasuredComparison, MeasuredMetric, MetricComparison, PointComparison } from '../../../language-server/src/measured/types';
import { formatLoad, formatMetricValue, formatSignedPercent, METRIC_LABELS } from '../../../language-server/src/format/measured';
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

/** Legend entries of the measured points, one per figure. */
export const MEASURED_SERIES: Readonly<Record<MeasuredMetric, string>> = {
  output_tokens_per_second: 'Measured tokens/s',
  tpot_ms: 'Measured TPOT',
  ttft_ms: 'Measured TTFT',
};

/** A measured figure on the chart: where it sits, and what it is beside its prediction. */
export interface MeasuredDatum {
  x: number;
  y: number;
  measured: { point: PointComparison; metric: MetricComparison };
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

function isMeasuredDatum(raw: unknown): raw is MeasuredDatum {
  return typeof raw === 'object' && raw !== null && 'measured' in raw;
}

/** "Measured TPOT 24.9 ms, predicted 25.3 ms (+1.37%)". */
export function measuredTooltipLines(datum: MeasuredDatum): string[] {
  const { point, metric } = datum.measured;
  return [
    `Measured ${METRIC_LABELS[metric.metric]} ${formatMetricValue(metric.metric, metric.measured)}, predicted ${formatMetricValue(metric.metric, metric.predicted)} (${formatSignedPercent(metric.error)})`,
    `${formatLoad(point)}, ${point.promptTokens} → ${point.outputTokens} tokens`,
  ];
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

/** The measured figures of one metric that can be drawn: a point with its requests in flight. */
export function measuredData(measured: MeasuredComparison | undefined, metric: MeasuredMetric): MeasuredDatum[] {
  if (!measured) return [];
  const scale = metric === 'output_tokens_per_second' ? 1 : 1e-3;
  return measured.points.flatMap((point) =>
    point.inFlight === undefined
      ? []
      : point.metrics.filter((comparison) => comparison.metric === metric && Number.isFinite(comparison.measured)).map((comparison) => ({ x: point.inFlight!, y: comparison.measured * scale, measured: { point, metric: comparison } })),
  );
}

export function buildServingChart(curve: ServingCurve, options: ServingChartOptions): ChartConfiguration<'scatter', (ServingDatum | MeasuredDatum)[]> | undefined {
  const { palette, hiddenSeries } = options;
  const points = drawablePoints(curve);
  if (points.length === 0) return undefined;
  const measuredSets = (['output_tokens_per_second', 'tpot_ms', 'ttft_ms'] as const).map((metric) => ({ metric, data: measuredData(options.measured, metric) }));
  const measuredXs = measuredSets.flatMap((set) => set.data.map((datum) => datum.x));
  const xs = points.map((p) => p.concurrency);
  const measuredColor: Record<MeasuredMetric, string> = { output_tokens_per_second: palette.activations, tpot_ms: palette.memoryBound, ttft_ms: palette.kvCache };
  // Hollow triangles and crosses: told apart from the curve's filled squares and circles without colour.
  const measuredDatasets = measuredSets
    .filter((set) => set.data.length > 0)
    .map(({ metric, data }) => ({
      label: MEASURED_SERIES[metric],
      yAxisID: metric === 'output_tokens_per_second' ? 'yRate' : 'yTime',
      data,
      showLine: false,
      borderColor: measuredColor[metric],
      backgroundColor: palette.background,
      borderWidth: lineWidth(palette, 2),
      pointStyle: metric === 'output_tokens_per_second' ? ('triangle' as const) : metric === 'tpot_ms' ? ('crossRot' as const) : ('rectRot' as const),
      pointRadius: 7,
      pointHoverRadius: 9,
      pointBorderWidth: 2,
      hidden: isHidden(hiddenSeries, MEASURED_SERIES[metric]),
    }));
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
  const measuredTimes = measuredSets.filter((set) => set.metric !== 'output_tokens_per_second').flatMap((set) => set.data.map((datum) => ({ ttft_seconds: datum.y, tpot_seconds: datum.y })));
  const timeRange = latencyAxisRange([...points, ...measuredTimes], options.targets);

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
