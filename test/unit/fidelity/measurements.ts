/**
 * The public validation set (test/fixtures/measurements/published.json): published measurements
 * of real serving runs, each with the deployment that reproduces it. This module loads and checks
 * the set and compares it with the engine, for the tests beside it and for
 * `npm run generate:fidelity`, which writes the table of docs/fidelity.md.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../language-server/src/api';
import type { AnalysisResult } from '../../../language-server/src/engine/types';

const ROOT = join(__dirname, '..', '..', '..');
export const PUBLISHED_PATH = join(ROOT, 'test', 'fixtures', 'measurements', 'published.json');
const DEPLOYMENT_SCHEMA_PATH = join(ROOT, 'schemas', 'deployment.schema.json');

/** The figures a source can give; each is compared with the engine's figure of the same name. */
export const METRICS = ['ttft_ms', 'tpot_ms', 'e2e_ms', 'output_tokens_per_second', 'weights_gib'] as const;
export type Metric = (typeof METRICS)[number];

export interface PublishedMeasurement {
  id: string;
  source: { title: string; url: string; quote: string };
  /** Serving engine and version as the source names them. */
  engine: string;
  /** A deployment as the public API `analyze()` takes it (preset ids for model and hardware). */
  deployment: Record<string, unknown> & { workload: { batch_size: number; prompt_tokens: number; output_tokens: number } };
  measured: Partial<Record<Metric, number>>;
  /** How the figures were read: which column, what they include, every assumption made. */
  metric_notes?: string;
  split: 'tune' | 'holdout';
}

/** Speed metrics: what a prediction must bound. weights_gib is memory, compared but not bounded. */
export const SPEED_METRICS: readonly Metric[] = ['ttft_ms', 'tpot_ms', 'e2e_ms', 'output_tokens_per_second'];

/**
 * The split is decided by the id alone, before any error is seen: a point is held out when the
 * first 32 bits of the SHA-256 of its id are divisible by 3 (about one point in three). Adding
 * points never moves an existing one.
 */
export function splitOf(id: string): 'tune' | 'holdout' {
  const first32Bits = Number.parseInt(createHash('sha256').update(id).digest('hex').slice(0, 8), 16);
  return first32Bits % 3 === 0 ? 'holdout' : 'tune';
}

/** Accelerators the deployment runs on: tensor × pipeline (data-parallel replicas are not counted). */
export function devicesOf(point: PublishedMeasurement): number {
  const parallelism = (point.deployment.parallelism ?? {}) as { tensor?: number; pipeline?: number };
  return (parallelism.tensor ?? 1) * (parallelism.pipeline ?? 1);
}

export function kindOf(point: PublishedMeasurement): 'one GPU' | 'several GPUs' {
  return devicesOf(point) > 1 ? 'several GPUs' : 'one GPU';
}

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

/** Every structural problem of one point, as messages naming the field (empty when valid). */
export function problemsOf(point: unknown): string[] {
  const problems: string[] = [];
  if (point === null || typeof point !== 'object') return ['point: expected an object'];
  const value = point as Record<string, unknown>;
  if (!isNonEmptyString(value.id) || !/^[a-z0-9][a-z0-9.-]*$/.test(value.id)) problems.push('id: lower-case letters, digits, dots and dashes');
  const source = value.source as Record<string, unknown> | undefined;
  if (!source || !isNonEmptyString(source.title)) problems.push('source.title: required');
  if (!source || !isNonEmptyString(source.url) || !/^https:\/\//.test(source.url)) problems.push('source.url: an https address');
  if (!source || !isNonEmptyString(source.quote)) problems.push('source.quote: the verbatim text the figures come from');
  if (!isNonEmptyString(value.engine)) problems.push('engine: the serving engine as the source names it');
  const deployment = value.deployment as Record<string, unknown> | undefined;
  if (!deployment || !isNonEmptyString(deployment.model) || !isNonEmptyString(deployment.hardware)) problems.push('deployment: model and hardware as preset ids');
  const workload = deployment?.workload as Record<string, unknown> | undefined;
  for (const key of ['batch_size', 'prompt_tokens', 'output_tokens']) {
    if (!workload || !Number.isInteger(workload[key]) || (workload[key] as number) < 1) problems.push(`deployment.workload.${key}: a whole number stated by the source`);
  }
  if (!deployment?.quantization || typeof deployment.quantization !== 'object') problems.push('deployment.quantization: weights, activations and kv_cache as the source ran them');
  if ('efficiency' in (deployment ?? {})) problems.push('deployment.efficiency: set by the comparison, not by the point');
  const measured = value.measured as Record<string, unknown> | undefined;
  const figures = Object.entries(measured ?? {});
  if (figures.length === 0) problems.push('measured: at least one figure');
  for (const [key, figure] of figures) {
    if (!(METRICS as readonly string[]).includes(key)) problems.push(`measured.${key}: not one of ${METRICS.join(', ')}`);
    if (typeof figure !== 'number' || !Number.isFinite(figure) || figure <= 0) problems.push(`measured.${key}: a positive number`);
  }
  if (value.split !== 'tune' && value.split !== 'holdout') problems.push('split: tune or holdout');
  else if (isNonEmptyString(value.id) && value.split !== splitOf(value.id)) problems.push(`split: the rule gives ${splitOf(value.id)} for this id`);
  return problems;
}

export function loadPublishedMeasurements(path = PUBLISHED_PATH): PublishedMeasurement[] {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${path}: expected an array of measurements`);
  return parsed as PublishedMeasurement[];
}

/**
 * The efficiency modes the engine offers, read from the deployment schema so that a mode added
 * there (e.g. `expected`) is compared and tabulated without touching this file.
 */
export function efficiencyModes(): string[] {
  const schema = JSON.parse(readFileSync(DEPLOYMENT_SCHEMA_PATH, 'utf8')) as {
    properties: { efficiency: { anyOf?: { enum?: unknown[] }[]; enum?: unknown[] } };
  };
  const efficiency = schema.properties.efficiency;
  const names = [...(efficiency.enum ?? []), ...(efficiency.anyOf ?? []).flatMap((branch) => branch.enum ?? [])];
  return names.filter((name): name is string => typeof name === 'string');
}

/**
 * The engine's figure for one measured metric, in the measurement's unit. A point whose deployment
 * has `serving:` is a run at a fixed concurrency with continuous batching: its speed figures are
 * the steady state's (the `serving` result), not one static batch's.
 */
export function predictedFigure(result: AnalysisResult, metric: Metric): number {
  const speed = result.serving ?? result.metrics;
  switch (metric) {
    case 'ttft_ms':
      return speed.ttft_seconds * 1e3;
    case 'tpot_ms':
      return speed.tpot_seconds * 1e3;
    case 'e2e_ms':
      return speed.e2e_seconds * 1e3;
    case 'output_tokens_per_second':
      return speed.output_tokens_per_second;
    case 'weights_gib':
      return result.memory.weights_bytes / 2 ** 30;
  }
}

/** True when a larger figure means a faster run (tokens/s); false for times. */
export const higherIsFaster = (metric: Metric): boolean => metric === 'output_tokens_per_second';

export interface Comparison {
  metric: Metric;
  measured: number;
  predicted: number;
  /** (predicted − measured) / measured. */
  error: number;
}

export function analyzePoint(point: PublishedMeasurement, mode: string): AnalysisResult {
  return analyze({ ...point.deployment, efficiency: mode });
}

export function compare(point: PublishedMeasurement, result: AnalysisResult): Comparison[] {
  return (Object.entries(point.measured) as [Metric, number][]).map(([metric, measured]) => {
    const predicted = predictedFigure(result, metric);
    return { metric, measured, predicted, error: (predicted - measured) / measured };
  });
}

/** A prediction is no slower than the measurement: times not longer, tokens/s not lower. */
export function isNoSlower(comparison: Comparison): boolean {
  return higherIsFaster(comparison.metric) ? comparison.predicted >= comparison.measured : comparison.predicted <= comparison.measured;
}

/**
 * Geometric mean of the error factor, minus one: exp(mean |ln(predicted / measured)|) − 1. A
 * prediction twice too fast and one twice too slow count the same (100%), unlike |relative error|
 * which caps optimism at 100%.
 */
export function geometricMeanAbsoluteError(comparisons: readonly Comparison[]): number {
  if (comparisons.length === 0) return Number.NaN;
  const meanLog = comparisons.reduce((sum, { predicted, measured }) => sum + Math.abs(Math.log(predicted / measured)), 0) / comparisons.length;
  return Math.expm1(meanLog);
}
