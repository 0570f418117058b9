/**
 * Sweeps: one deployment evaluated across values of one workload field (batch size, prompt or
 * output length) in one call. With the default conventions the workload-independent part (plans,
 * rates, weights) is prepared once and only the stages are evaluated per point, so a 256-point
 * sweep costs about as much as a few analyses; LLM-Viewer's conventions run one full analysis per
 * point, exactly as `analyzeResolved` would.
 */
import { fitsInMemory, requireMemoryUtilization } from './capacity';
import { RooflineInputError } from './errors';
import { assertAllFinite } from './finite';
import { evaluatePoint, summarizePoint } from './default/point';
import { prepareDefault } from './default/prepare';
import { draftAtWorkload, speculativeDecoding } from './default/speculativeDecoding';
import { analyzeResolved } from './index';
import { hasTechniques } from './techniques/spec';
import type { EngineInput, WorkloadSpec } from './types';
import { validateEngineInput } from './validate';

/** The fields a sweep can vary, as dotted deployment paths. */
export const SWEEPABLE_PATHS = ['workload.batch_size', 'workload.prompt_tokens', 'workload.output_tokens'] as const;
export type SweepPath = (typeof SWEEPABLE_PATHS)[number];

/** More points than anyone can read; a bound keeps a typo (1..1e12:1) from hanging the caller. */
export const MAX_SWEEP_POINTS = 10_000;

export interface SweepRequest {
  path: SweepPath;
  values: readonly number[];
}

export interface SweepResultPoint {
  value: number;
  ttft_seconds: number;
  tpot_seconds: number;
  e2e_seconds: number;
  output_tokens_per_second: number;
  total_memory_bytes: number;
  /** total_memory_bytes within the usable share of the device capacity (capacity.ts `fitsInMemory`). */
  fits: boolean;
}

export interface SweepResult {
  path: SweepPath;
  points: SweepResultPoint[];
  capacity_bytes?: number;
  /** The share of capacity_bytes a point may use to fit (memory.utilization), with capacity_bytes. */
  memory_utilization?: number;
}

const WORKLOAD_KEY: Readonly<Record<SweepPath, keyof WorkloadSpec>> = {
  'workload.batch_size': 'batchSize',
  'workload.prompt_tokens': 'promptTokens',
  'workload.output_tokens': 'outputTokens',
};

function pathParts(path: string): string[] {
  return path.split('.');
}

export function isSweepPath(path: string): path is SweepPath {
  return (SWEEPABLE_PATHS as readonly string[]).includes(path);
}

function requireValues(request: SweepRequest): void {
  const at = pathParts(request.path);
  if (!isSweepPath(request.path)) {
    throw new RooflineInputError([], `cannot sweep ${JSON.stringify(request.path)}; sweep one of ${SWEEPABLE_PATHS.join(', ')}`, 'invalid-sweep');
  }
  if (request.values.length === 0) throw new RooflineInputError(at, 'a sweep needs at least one value', 'invalid-sweep');
  if (request.values.length > MAX_SWEEP_POINTS) {
    throw new RooflineInputError(at, `a sweep takes at most ${MAX_SWEEP_POINTS} values, got ${request.values.length}`, 'invalid-sweep');
  }
  for (const value of request.values) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RooflineInputError(at, `sweep values must be positive whole numbers, got ${value}`, 'invalid-sweep');
    }
  }
}

function withValue(input: EngineInput, path: SweepPath, value: number): EngineInput {
  return { ...input, workload: { ...input.workload, [WORKLOAD_KEY[path]]: value } };
}

function defaultPoints(input: EngineInput, request: SweepRequest): SweepResultPoint[] {
  const prepared = prepareDefault(input);
  const capacity = input.hardware.memoryCapacityBytes;
  const utilization = requireMemoryUtilization(input.memoryUtilization);
  return request.values.map((value): SweepResultPoint => {
    const workload: WorkloadSpec = { ...input.workload, [WORKLOAD_KEY[request.path]]: value };
    if (input.speculative) {
      const { draft } = draftAtWorkload(prepared, input, input.speculative, workload);
      const outcome = speculativeDecoding(prepared, draft, input.speculative, workload, evaluatePoint(prepared, workload));
      const total = outcome.memory.total_bytes;
      return {
        value,
        ttft_seconds: outcome.metrics.ttft_seconds,
        tpot_seconds: outcome.metrics.tpot_seconds,
        e2e_seconds: outcome.metrics.e2e_seconds,
        output_tokens_per_second: outcome.metrics.output_tokens_per_second,
        total_memory_bytes: total,
        fits: fitsInMemory(total, capacity, utilization),
      };
    }
    const summary = summarizePoint(prepared, workload);
    return {
      value,
      ttft_seconds: summary.ttftSeconds,
      tpot_seconds: summary.tpotSeconds,
      e2e_seconds: summary.e2eSeconds,
      output_tokens_per_second: summary.outputTokensPerSecond,
      total_memory_bytes: summary.totalMemoryBytes,
      fits: fitsInMemory(summary.totalMemoryBytes, capacity, utilization),
    };
  });
}

function fullAnalysisPoints(input: EngineInput, request: SweepRequest): SweepResultPoint[] {
  return request.values.map((value) => {
    const result = analyzeResolved(withValue(input, request.path, value));
    return {
      value,
      ttft_seconds: result.metrics.ttft_seconds,
      tpot_seconds: result.metrics.tpot_seconds,
      e2e_seconds: result.metrics.e2e_seconds,
      output_tokens_per_second: result.metrics.output_tokens_per_second,
      total_memory_bytes: result.memory.total_bytes,
      fits: result.memory.fits,
    };
  });
}

/**
 * The deployment at every value of `request.path`. Bad values are errors on that path; an input
 * that fails analysis fails the sweep with the same error `analyzeResolved` would give.
 */
export function sweepResolved(input: EngineInput, request: SweepRequest): SweepResult {
  requireValues(request);
  validateEngineInput(withValue(input, request.path, request.values[0]!));
  // Techniques change the plan per workload (prompt compression, eviction budgets): each point is a full analysis.
  const points = input.conventions === 'default' && !hasTechniques(input.techniques) ? defaultPoints(input, request) : fullAnalysisPoints(input, request);
  const result: SweepResult = {
    path: request.path,
    points,
    ...(input.hardware.memoryCapacityBytes !== undefined
      ? { capacity_bytes: input.hardware.memoryCapacityBytes, memory_utilization: requireMemoryUtilization(input.memoryUtilization) }
      : {}),
  };
  assertAllFinite(result);
  return result;
}

/**
 * Sweep values as the command line writes them:
 * - `1,2,8,32`: those values;
 * - `a..b`: a, 2a, 4a, … up to b (powers of two from 1..256);
 * - `a..b:s`: a, a + s, a + 2s, … up to b.
 * `at` names the option for errors.
 */
export function parseSweepValues(text: string, at: readonly (string | number)[] = []): number[] {
  const trimmed = text.trim();
  const range = /^(\d+)\s*\.\.\s*(\d+)(?:\s*:\s*(\d+))?$/.exec(trimmed);
  const fail = (message: string): never => {
    throw new RooflineInputError(at, message, 'invalid-sweep');
  };
  if (range) {
    const first = Number(range[1]);
    const last = Number(range[2]);
    const step = range[3] === undefined ? undefined : Number(range[3]);
    if (first < 1) fail(`a range starts at 1 or more, got ${first}`);
    if (last < first) fail(`a range ends at or after its start, got ${first}..${last}`);
    if (step !== undefined && step < 1) fail(`a range step is 1 or more, got ${step}`);
    const count = step === undefined ? Math.floor(Math.log2(last / first)) + 1 : Math.floor((last - first) / step) + 1;
    if (count > MAX_SWEEP_POINTS) fail(`${trimmed} has ${count} values; a sweep takes at most ${MAX_SWEEP_POINTS}`);
    const values: number[] = [];
    for (let value = first; value <= last; value = step === undefined ? value * 2 : value + step) values.push(value);
    return values;
  }
  const parts = trimmed.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.some((part) => !/^\d+$/.test(part))) {
    fail(`expected a list of whole numbers (1,2,8), a range a..b (powers of two from a) or a..b:step, got ${JSON.stringify(text)}`);
  }
  const values = parts.map(Number);
  if (values.some((value) => value < 1)) fail(`sweep values must be positive whole numbers, got ${JSON.stringify(text)}`);
  if (values.length > MAX_SWEEP_POINTS) fail(`a sweep takes at most ${MAX_SWEEP_POINTS} values, got ${values.length}`);
  return values;
}
