/**
 * Measured points (`measured:`) on the charts, one definition for all of them: the serving and
 * sweep charts draw each measured figure at its requests in flight as a hollow marker; the
 * roofline draws the steps those figures time (language-server/src/measured/rooflinePlacement.ts)
 * at their intensity and the FLOP/s the measured time implies, beside the predicted step.
 */
import type { TooltipItem } from 'chart.js';
import { formatLoad, formatMetricValue, formatSignedPercent, METRIC_LABELS } from '../../../language-server/src/format/measured';
import { formatBytes, formatFlops, formatFlopsPerSecond, formatIntensity, formatNumber, formatTokenCount } from '../../../language-server/src/format/units';
import type { MeasuredComparison, MeasuredMetric, MetricComparison, PointComparison, StepPlacement } from '../../../language-server/src/measured/types';
import { isHidden, withAlpha } from './common';
import { lineWidth, type ChartPalette } from './palette';

/** Legend entries of the measured figures, one per figure. */
export const MEASURED_SERIES: Readonly<Record<MeasuredMetric, string>> = {
  output_tokens_per_second: 'Measured tokens/s',
  tpot_ms: 'Measured TPOT',
  ttft_ms: 'Measured TTFT',
};

/** A measured figure on a chart: where it sits, and what it is beside its prediction. */
export interface MeasuredDatum {
  x: number;
  y: number;
  measured: { point: PointComparison; metric: MetricComparison };
}

export function isMeasuredDatum(raw: unknown): raw is MeasuredDatum {
  return typeof raw === 'object' && raw !== null && 'measured' in raw;
}

/** "Measured TPOT 24.9 ms, predicted 25.3 ms (+1.37%)", then the point's load and lengths. */
export function measuredTooltipLines(datum: MeasuredDatum): string[] {
  const { point, metric } = datum.measured;
  return [
    `Measured ${METRIC_LABELS[metric.metric]} ${formatMetricValue(metric.metric, metric.measured)}, predicted ${formatMetricValue(metric.metric, metric.predicted)} (${formatSignedPercent(metric.error)})`,
    `${formatLoad(point)}, ${point.promptTokens} → ${point.outputTokens} tokens`,
  ];
}

/** The measured figures of one metric that can be drawn: each at its point's requests in flight, times in seconds. */
export function measuredData(measured: MeasuredComparison | undefined, metric: MeasuredMetric): MeasuredDatum[] {
  if (!measured) return [];
  const scale = metric === 'output_tokens_per_second' ? 1 : 1e-3;
  return measured.points.flatMap((point) =>
    point.inFlight === undefined
      ? []
      : point.metrics.filter((comparison) => comparison.metric === metric && Number.isFinite(comparison.measured)).map((comparison) => ({ x: point.inFlight!, y: comparison.measured * scale, measured: { point, metric: comparison } })),
  );
}

/** Each measured figure in the colour of the predicted series it is set against, wherever both are drawn. */
export function measuredColor(palette: ChartPalette, metric: MeasuredMetric): string {
  switch (metric) {
    case 'output_tokens_per_second':
      return palette.activations;
    case 'tpot_ms':
      return palette.memoryBound;
    case 'ttft_ms':
      return palette.kvCache;
  }
}

/**
 * Datasets of the measured figures against requests in flight (serving and sweep charts): hollow
 * triangles for tokens/s, crosses for TPOT, diamonds for TTFT, told apart from the curves' filled
 * squares and circles without colour. Throughput on `yRate`, times on `yTime`.
 */
export function measuredFigureDatasets(measured: MeasuredComparison | undefined, palette: ChartPalette, hiddenSeries: readonly string[]) {
  return (['output_tokens_per_second', 'tpot_ms', 'ttft_ms'] as const)
    .map((metric) => ({ metric, data: measuredData(measured, metric) }))
    .filter((set) => set.data.length > 0)
    .map(({ metric, data }) => ({
      label: MEASURED_SERIES[metric],
      yAxisID: metric === 'output_tokens_per_second' ? 'yRate' : 'yTime',
      data,
      showLine: false,
      borderColor: measuredColor(palette, metric),
      backgroundColor: palette.background,
      borderWidth: lineWidth(palette, 2),
      pointStyle: metric === 'output_tokens_per_second' ? ('triangle' as const) : metric === 'tpot_ms' ? ('crossRot' as const) : ('rectRot' as const),
      pointRadius: 7,
      pointHoverRadius: 9,
      pointBorderWidth: 2,
      /** The legend draws its swatch as an outline too (ui/chartCard.ts). */
      markerHollow: true,
      hidden: isHidden(hiddenSeries, MEASURED_SERIES[metric]),
    }));
}

/** The measured times as the latency axis' range needs them (seconds). */
export function measuredTimes(datasets: ReturnType<typeof measuredFigureDatasets>): { ttft_seconds: number; tpot_seconds: number }[] {
  return datasets.filter((set) => set.yAxisID === 'yTime').flatMap((set) => set.data.map((datum) => ({ ttft_seconds: datum.y, tpot_seconds: datum.y })));
}

/** Legend entries of the steps on the roofline. */
export const MEASURED_STEP_SERIES = {
  decodeMeasured: 'Measured decode steps (TPOT)',
  decodePredicted: 'Predicted decode steps',
  prefillMeasured: 'Measured prefill (TTFT)',
  prefillPredicted: 'Predicted prefill',
} as const;

/** A step on the roofline: measured or predicted, with the point and the placement it comes from. */
export interface StepDatum {
  x: number;
  y: number;
  step: { point: PointComparison; placement: StepPlacement; role: 'measured' | 'predicted' };
}

export function isStepDatum(raw: unknown): raw is StepDatum {
  return typeof raw === 'object' && raw !== null && 'step' in raw;
}

/** The steps placed on the roofline, in point order. */
export function placedSteps(measured: MeasuredComparison | undefined): { point: PointComparison; placement: StepPlacement }[] {
  if (!measured) return [];
  return measured.points.flatMap((point) => (point.roofline?.steps ?? []).map((placement) => ({ point, placement })));
}

/** Why figures are not on the roofline, one sentence each. */
export function unplacedFigures(measured: MeasuredComparison | undefined): string[] {
  if (!measured) return [];
  return measured.points.flatMap((point) => point.roofline?.unplaced ?? []);
}

/** "9 requests decoding at 1,134 cached tokens, with 33.4 prompt tokens" or "one 1,000-token prompt". */
export function stepDescription(placement: StepPlacement): string {
  if (placement.step === 'prefill') return `Prefill of one ${formatTokenCount(placement.contextTokens)}-token prompt`;
  const decoding = `${formatNumber(placement.sequences)} request${placement.sequences === 1 ? '' : 's'} decoding at ${formatTokenCount(placement.contextTokens)} cached tokens`;
  return placement.promptTokensPerStep > 0 ? `Decode step: ${decoding}, with ${formatNumber(placement.promptTokensPerStep)} prompt tokens` : `Decode step: ${decoding}`;
}

/** Tooltip of a step: the point, the step, measured and predicted time with the rate each implies, the error, the step's work. */
export function stepTooltipLines(datum: StepDatum): string[] {
  const { point, placement } = datum.step;
  const metric = placement.metric;
  const name = METRIC_LABELS[metric];
  return [
    point.label,
    stepDescription(placement),
    `Measured ${name} ${formatMetricValue(metric, placement.measuredSeconds * 1e3)} → ${formatFlopsPerSecond(placement.measuredFlopsPerSecond)}`,
    `Predicted ${name} ${formatMetricValue(metric, placement.predictedSeconds * 1e3)} → ${formatFlopsPerSecond(placement.predictedFlopsPerSecond)} (${formatSignedPercent(placement.error)})`,
    `Intensity ${formatIntensity(placement.intensity)}: ${formatFlops(placement.flops)}, ${formatBytes(placement.bytes)} per step`,
  ];
}

/** Hollow markers for the measured steps, filled ones for the predicted, in the decode and prefill layers' shapes. */
export function measuredStepDatasets(measured: MeasuredComparison | undefined, palette: ChartPalette, hiddenSeries: readonly string[]) {
  const steps = placedSteps(measured);
  const color = palette.activations;
  const series = (label: string, kind: StepPlacement['step'], role: 'measured' | 'predicted') => {
    const data: StepDatum[] = steps
      .filter(({ placement }) => placement.step === kind)
      .map(({ point, placement }) => ({
        x: placement.intensity,
        y: role === 'measured' ? placement.measuredFlopsPerSecond : placement.predictedFlopsPerSecond,
        step: { point, placement, role },
      }));
    return {
      label,
      data,
      showLine: false,
      pointStyle: kind === 'decode' ? ('triangle' as const) : ('circle' as const),
      pointRadius: role === 'measured' ? 8 : 5,
      pointHoverRadius: role === 'measured' ? 10 : 7,
      pointBorderWidth: lineWidth(palette, role === 'measured' ? 2.5 : 1),
      borderColor: color,
      backgroundColor: role === 'measured' ? palette.background : color,
      pointBorderColor: color,
      pointBackgroundColor: role === 'measured' ? palette.background : withAlpha(color, 0.75, palette),
      markerHollow: role === 'measured',
      hidden: isHidden(hiddenSeries, label),
      // Above the layers: a measured step can sit on a layer's point.
      order: -1,
    };
  };
  return [
    series(MEASURED_STEP_SERIES.decodeMeasured, 'decode', 'measured'),
    series(MEASURED_STEP_SERIES.decodePredicted, 'decode', 'predicted'),
    series(MEASURED_STEP_SERIES.prefillMeasured, 'prefill', 'measured'),
    series(MEASURED_STEP_SERIES.prefillPredicted, 'prefill', 'predicted'),
  ].filter((dataset) => dataset.data.length > 0);
}

/** Rows of the roofline's table for the steps: what, which point, intensity, measured rate, predicted rate with the error. */
export function measuredStepRows(measured: MeasuredComparison | undefined): string[][] {
  return placedSteps(measured).map(({ point, placement }) => [
    placement.step === 'decode' ? 'Measured decode step (TPOT)' : 'Measured prefill (TTFT)',
    `${point.label}: ${stepDescription(placement)}`,
    formatIntensity(placement.intensity),
    formatFlopsPerSecond(placement.measuredFlopsPerSecond),
    `predicted ${formatFlopsPerSecond(placement.predictedFlopsPerSecond)} (${formatSignedPercent(placement.error)})`,
  ]);
}

/** A tooltip's lines for a measured item, or undefined for the chart's own items. */
export function measuredItemTooltip(item: TooltipItem<'scatter'>): string[] | undefined {
  if (isStepDatum(item.raw)) return stepTooltipLines(item.raw);
  if (isMeasuredDatum(item.raw)) return measuredTooltipLines(item.raw);
  return undefined;
}
