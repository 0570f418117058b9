/**
 * Each measured point against the engine: the deployment is analysed at the point's own load
 * (concurrency or request rate, under the serving model) and request lengths, with the
 * deployment's efficiency, and each measured figure is set beside the steady-state figure of the
 * same name. The error of the whole set is the geometric mean of |error| (a prediction twice too
 * fast and one twice too slow count the same), as docs/fidelity.md reports it.
 */
import { DEFAULT_KV_BLOCK_TOKENS, DEFAULT_MAX_BATCHED_TOKENS } from '../engine/default/serving';
import { analyzeResolved } from '../engine/index';
import type { AnalysisResult, EngineInput, ServingSpec } from '../engine/types';
import { placeOnRoofline } from './rooflinePlacement';
import { MEASURED_METRICS, type MeasuredComparison, type MeasuredFormat, type MeasuredMetric, type MeasuredPoint, type MetricComparison, type PointComparison } from './types';

/** A point with where it came from. */
export interface SourcedPoint {
  point: MeasuredPoint;
  file: string;
  format: MeasuredFormat;
}

/** The deployment as the benchmark ran it at this point: its load and its request lengths. */
export function inputForPoint(input: EngineInput, point: MeasuredPoint): EngineInput {
  const { variants: _variants, ...rest } = input;
  const base: ServingSpec = input.serving ?? { maxBatchedTokens: DEFAULT_MAX_BATCHED_TOKENS, kvBlockTokens: DEFAULT_KV_BLOCK_TOKENS, concurrency: 'max' };
  const { concurrency: _concurrency, requestRatePerSecond: _rate, ...limits } = base;
  const load: Pick<ServingSpec, 'concurrency' | 'requestRatePerSecond'> =
    point.concurrency !== undefined
      ? { concurrency: point.concurrency }
      : point.requestRatePerSecond !== undefined
        ? { requestRatePerSecond: point.requestRatePerSecond }
        : { ...(base.concurrency !== undefined ? { concurrency: base.concurrency } : {}), ...(base.requestRatePerSecond !== undefined ? { requestRatePerSecond: base.requestRatePerSecond } : {}) };
  return {
    ...rest,
    workload: {
      batchSize: Math.max(1, Math.round(point.concurrency ?? input.workload.batchSize)),
      promptTokens: point.promptTokens ?? input.workload.promptTokens,
      outputTokens: point.outputTokens ?? input.workload.outputTokens,
    },
    serving: { ...limits, ...load },
  };
}

/** The engine's figure for a measured metric: the serving steady state's, in the metric's unit. */
export function predictedFigure(result: AnalysisResult, metric: MeasuredMetric): number {
  const speed = result.serving ?? result.metrics;
  switch (metric) {
    case 'ttft_ms':
      return speed.ttft_seconds * 1e3;
    case 'tpot_ms':
      return speed.tpot_seconds * 1e3;
    case 'output_tokens_per_second':
      return speed.output_tokens_per_second;
  }
}

export function comparePoint(input: EngineInput, sourced: SourcedPoint): PointComparison {
  return comparePointWithAnalysis(input, sourced).comparison;
}

/** The comparison, with the settings and the analysis it was predicted from (absent when the engine refused them). */
function comparePointWithAnalysis(input: EngineInput, sourced: SourcedPoint): { comparison: PointComparison; pointInput: EngineInput; result?: AnalysisResult } {
  const { point, file, format } = sourced;
  const pointInput = inputForPoint(input, point);
  const settings = {
    label: point.label,
    file,
    format,
    ...(point.concurrency !== undefined ? { concurrency: point.concurrency } : {}),
    ...(point.requestRatePerSecond !== undefined ? { requestRatePerSecond: point.requestRatePerSecond } : {}),
    ...(point.burst ? { burst: true as const } : {}),
    promptTokens: pointInput.workload.promptTokens,
    outputTokens: pointInput.workload.outputTokens,
  };
  let result: AnalysisResult;
  try {
    result = analyzeResolved(pointInput);
  } catch (error) {
    return { comparison: { ...settings, metrics: [], problem: error instanceof Error ? error.message : String(error) }, pointInput };
  }
  const metrics: MetricComparison[] = [];
  for (const metric of MEASURED_METRICS) {
    const measured = point.measured[metric];
    if (measured === undefined) continue;
    const predicted = predictedFigure(result, metric);
    if (!Number.isFinite(predicted) || predicted <= 0) continue;
    metrics.push({ metric, measured, predicted, error: (predicted - measured) / measured });
  }
  const figure = (metric: MeasuredMetric): number => point.measured[metric] ?? predictedFigure(result, metric);
  const requestSeconds = (figure('ttft_ms') + Math.max(0, settings.outputTokens - 1) * figure('tpot_ms')) / 1e3;
  const inFlight = point.concurrency ?? (point.requestRatePerSecond !== undefined ? point.requestRatePerSecond * requestSeconds : undefined);
  return { comparison: { ...settings, ...(inFlight !== undefined && Number.isFinite(inFlight) && inFlight > 0 ? { inFlight } : {}), metrics }, pointInput, result };
}

/** exp(mean |ln(predicted / measured)|) − 1; undefined for no figures. */
export function geoMeanAbsError(metrics: readonly Pick<MetricComparison, 'measured' | 'predicted'>[]): number | undefined {
  if (metrics.length === 0) return undefined;
  const meanLog = metrics.reduce((sum, { measured, predicted }) => sum + Math.abs(Math.log(predicted / measured)), 0) / metrics.length;
  return Math.expm1(meanLog);
}

export function efficiencyModeOf(input: EngineInput): MeasuredComparison['efficiency'] {
  const choice = input.efficiency;
  return choice === undefined ? 'ideal' : typeof choice === 'string' ? choice : 'custom';
}

export function summarizeComparison(efficiency: MeasuredComparison['efficiency'], points: PointComparison[]): MeasuredComparison {
  const all = points.flatMap((point) => point.metrics);
  const byMetric: Partial<Record<MeasuredMetric, number>> = {};
  for (const metric of MEASURED_METRICS) {
    const value = geoMeanAbsError(all.filter((comparison) => comparison.metric === metric));
    if (value !== undefined) byMetric[metric] = value;
  }
  const overall = geoMeanAbsError(all);
  return { efficiency, points, ...(overall !== undefined ? { geoMeanAbsError: overall } : {}), geoMeanAbsErrorByMetric: byMetric };
}

/** Every point against the analysis, each placed on the roofline where one of its figures is the time of one step (the fit compares without placing). */
export function compareMeasured(input: EngineInput, points: readonly SourcedPoint[]): MeasuredComparison {
  return summarizeComparison(
    efficiencyModeOf(input),
    points.map((point) => {
      const { comparison, pointInput, result } = comparePointWithAnalysis(input, point);
      return result ? { ...comparison, roofline: placeOnRoofline(comparison, pointInput, result) } : comparison;
    }),
  );
}
