/**
 * A deployment's plan with its files read through a `ConfigHost`: the library reads them from
 * disk, the language server from the files its check already read. The search space comes from
 * `plan:`, its defaults from the deployment itself.
 */
import { analyzeDocument } from '../config/analyze';
import { plainDocument } from '../config/plainDocument';
import type { ConfigHost } from '../config/types';
import type { ResolutionCache } from '../config/resolutionCache';
import { servingLoadsOf } from '../engine/default/servingLoads';
import { assertAllFinite } from '../engine/finite';
import { resolveDeploymentDetailed } from '../config/resolveDeployment';
import type { AnalysisResult, EngineInput } from '../engine/types';
import { findHardwarePreset } from '../presets/index';
import { DEFAULT_CONCURRENCY_LEVELS, runToEnd, searchPlanSteps, type PlanCell, type PlanEvaluator, type PlanResult, type PlanSpace } from './planner';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The search space of a deployment's `plan:`, its defaults taken from the deployment itself. */
export function planSpaceOf(deployment: Record<string, unknown>): PlanSpace {
  const section = isPlainObject(deployment.plan) ? deployment.plan : {};
  const quantization = isPlainObject(deployment.quantization) ? deployment.quantization : {};
  const listOr = <T>(value: unknown, fallback: T[]): T[] => (Array.isArray(value) && value.length > 0 ? (value as T[]) : fallback);
  const hardware = listOr<string>(section.hardware, typeof deployment.hardware === 'string' ? [deployment.hardware] : []);
  if (hardware.length === 0) throw new Error('plan.hardware: list the hardware preset ids to try (the deployment\'s own hardware is not a preset id)');
  hardware.forEach((id, index) => {
    if (!findHardwarePreset(id)) throw new Error(`plan.hardware[${index}]: unknown hardware preset "${id}"`);
  });
  const prices: Record<string, number> = isPlainObject(section.gpu_hour_usd) ? { ...(section.gpu_hour_usd as Record<string, number>) } : {};
  const ownPrice = isPlainObject(deployment.cost) ? deployment.cost.gpu_hour_usd : undefined;
  if (typeof deployment.hardware === 'string' && typeof ownPrice === 'number' && prices[deployment.hardware] === undefined) prices[deployment.hardware] = ownPrice;
  return {
    hardware,
    gpuHourUsd: prices,
    maxGpus: typeof section.max_gpus === 'number' ? section.max_gpus : 8,
    weights: listOr<string | number>(section.weights, [(quantization.weights as string | number | undefined) ?? 'fp16']),
    kvCache: listOr<string | number>(section.kv_cache, [(quantization.kv_cache as string | number | undefined) ?? 'fp16']),
    concurrency: [...DEFAULT_CONCURRENCY_LEVELS],
    disaggregated: section.disaggregated !== false,
  };
}

/** The analysis of a valid deployment, or undefined when it has errors. */
export function analyzeValue(deployment: object, uri: string, host: ConfigHost, resolutions?: ResolutionCache): { input: EngineInput; result: AnalysisResult } | undefined {
  const analysis = analyzeDocument(plainDocument(uri, deployment, 'deployment'), host);
  if (analysis.result && analysis.resolved.input && !analysis.problems.some((problem) => problem.severity === 'error')) {
    if (resolutions) {
      // Engine arguments and measured results read more than the resolution holds (see ResolutionCache).
      const record = deployment as Record<string, unknown>;
      const readsMore = ['vllm', 'sglang', 'trtllm', 'measured'].some((key) => record[key] !== undefined);
      resolutions.remember(record, uri, host, analysis.resolved, readsMore || analysis.problems.length > 0);
    }
    return { input: analysis.resolved.input, result: analysis.result };
  }
  return undefined;
}

/**
 * Keys whose analysis adds problems of its own (engine arguments, measured results) or analyses
 * more deployments (variants): a plan of a deployment with one of them analyses each deployment of
 * its space in full.
 */
const ANALYSED_IN_FULL = ['vllm', 'sglang', 'trtllm', 'measured', 'variants'];

/** A deployment of the plan's space analysed in full, as `analyze()` analyses it: the planner's reference. */
export function analysedCell(deployment: Record<string, unknown>, uri: string, host: ConfigHost): PlanCell {
  const analysed = analyzeValue(deployment, uri, host);
  if (!analysed?.result.serving) throw new Error('not a valid deployment');
  const loads = servingLoadsOf(analysed.input);
  return { input: analysed.input, atMax: analysed.result.serving, servingAt: (concurrency, split) => loads.at(concurrency, split) };
}

/**
 * A deployment of the plan's space as the planner ranks it: resolved and checked as `analyze()`
 * resolves and checks it, and its serving figures (as given, and at other loads), the same as `analysedCell` gives. The rest of
 * an analysis (each layer at the fixed batch, the capacity answers, the notes) is not worked out:
 * the planner shows none of it, and none of it can refuse a deployment whose serving figures exist
 * (what an analysis checks beyond servingLoadsOf's checks is only that its numbers are finite, a
 * last line of defence the input's bounds keep unreachable). The serving figures at the KV pool's
 * limit are checked for finiteness as the analysis checks them. A test holds whole plans through
 * both to the same bytes.
 */
export function servingCell(deployment: Record<string, unknown>, uri: string, host: ConfigHost): PlanCell {
  const { input, problems } = resolveDeploymentDetailed(plainDocument(uri, deployment, 'deployment'), host).resolved;
  if (!input || problems.some((problem) => problem.severity === 'error')) throw new Error('not a valid deployment');
  const loads = servingLoadsOf(input);
  const atMax = loads.asGiven();
  assertAllFinite(atMax);
  return { input, atMax, servingAt: (concurrency, split) => loads.at(concurrency, split) };
}

/**
 * The model of a deployment as resolved (the planner reads its experts), whether or not the
 * deployment serves: a model too large for one GPU of the first hardware tried is still a mixture
 * of experts. Undefined when it does not resolve.
 */
function resolvedModel(deployment: Record<string, unknown>, uri: string, host: ConfigHost): unknown {
  try {
    return resolveDeploymentDetailed(plainDocument(uri, deployment, 'deployment'), host).resolved.input?.model;
  } catch {
    return undefined;
  }
}

/**
 * The cheapest deployments that meet `deployment`'s targets over its plan space. `uri` is where
 * relative `model:` and `hardware:` paths resolve from. Throws an `Error` naming the field when
 * the space cannot be searched.
 */
export function planDeployment(deployment: Record<string, unknown>, uri: string, host: ConfigHost): PlanResult {
  return runToEnd(planDeploymentSteps(deployment, uri, host));
}

/** `planDeployment` in steps, one per deployment analysed (see `searchPlanSteps`). */
export function* planDeploymentSteps(deployment: Record<string, unknown>, uri: string, host: ConfigHost): Generator<void, PlanResult, void> {
  const { plan: _plan, ...base } = deployment;
  const space = planSpaceOf(deployment);
  const modelConfig = resolvedModel({ ...base, hardware: space.hardware[0] }, uri, host);
  const inFull = ANALYSED_IN_FULL.some((key) => base[key] !== undefined);
  const evaluator: PlanEvaluator = { cell: (candidate) => (inFull ? analysedCell : servingCell)(candidate, uri, host) };
  return yield* searchPlanSteps(base, space, evaluator, modelConfig);
}
