/**
 * Measured points beside their predictions, in words: one definition of each cell, shared by the
 * CLI's table and the panel's (measured/types.ts has the numbers). Imports nothing that a browser
 * cannot bundle.
 */
import type { MeasuredComparison, MeasuredMetric, PointComparison } from '../measured/types';
import { formatInteger, formatMilliseconds, formatNumber, formatPercent, formatTokensPerSecond } from './units';

export const METRIC_LABELS: Readonly<Record<MeasuredMetric, string>> = {
  ttft_ms: 'TTFT',
  tpot_ms: 'TPOT',
  output_tokens_per_second: 'throughput',
};

export function formatMetricValue(metric: MeasuredMetric, value: number): string {
  return metric === 'output_tokens_per_second' ? formatTokensPerSecond(value) : formatMilliseconds(value);
}

/** A signed error as a percentage: +12.3%, −4.5% (a minus sign, not a hyphen). */
export function formatSignedPercent(error: number): string {
  const text = formatPercent(Math.abs(error));
  if (text === '0%' || !Number.isFinite(error)) return text;
  return `${error > 0 ? '+' : '−'}${text}`;
}

/** The load a point was measured and predicted at: "concurrency 225" or "2.5 req/s". */
export function formatLoad(point: Pick<PointComparison, 'concurrency' | 'requestRatePerSecond'>): string {
  if (point.concurrency !== undefined) return `concurrency ${formatInteger(point.concurrency)}`;
  if (point.requestRatePerSecond !== undefined) return `${formatNumber(point.requestRatePerSecond)} req/s`;
  return 'the deployment\'s load';
}

export function formatLengths(point: Pick<PointComparison, 'promptTokens' | 'outputTokens'>): string {
  return `${formatInteger(point.promptTokens)} → ${formatInteger(point.outputTokens)} tokens`;
}

/** "45.9% over 16 figures (TTFT 110%, TPOT 36.4%, throughput 22.5%)". */
export function formatGeoMeanSummary(comparison: MeasuredComparison): string {
  if (comparison.geoMeanAbsError === undefined) return 'no figure to compare';
  const figures = comparison.points.reduce((count, point) => count + point.metrics.length, 0);
  const byMetric = (Object.entries(comparison.geoMeanAbsErrorByMetric) as [MeasuredMetric, number][]).map(([metric, error]) => `${METRIC_LABELS[metric]} ${formatPercent(error)}`);
  return `${formatPercent(comparison.geoMeanAbsError)} over ${figures} figure${figures === 1 ? '' : 's'} (${byMetric.join(', ')})`;
}

/** One row per figure: point, load, lengths, figure, measured, predicted, error. */
export function measuredTableRows(comparison: MeasuredComparison): string[][] {
  return comparison.points.flatMap((point) =>
    point.problem
      ? [[point.label, formatLoad(point), formatLengths(point), '—', '—', '—', point.problem]]
      : point.metrics.map((metric) => [
          point.label,
          formatLoad(point),
          formatLengths(point),
          METRIC_LABELS[metric.metric],
          formatMetricValue(metric.metric, metric.measured),
          formatMetricValue(metric.metric, metric.predicted),
          formatSignedPercent(metric.error),
        ]),
  );
}

export const MEASURED_TABLE_HEADER = ['point', 'load', 'lengths', 'figure', 'measured', 'predicted', 'error'] as const;
