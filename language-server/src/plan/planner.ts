/**
 * The planner (`plan:`): every deployment in the search space (hardware × tensor, pipeline and
 * expert parallelism × weight and KV formats × co-located or disaggregated prefill and decode pools
 * × concurrency) analysed as `analyze()` analyses a deployment, with `serving:` under load; those
 * meeting every target, ranked by cost per million output tokens (or output tokens/s per GPU where
 * no price is known). Each candidate carries the deployment that was analysed, so analysing it on
 * its own gives the same figures.
 */
import { missedTargets, servingTargetFigures, targetsOf } from '../engine/targets';
import type { EngineInput, ServingResult } from '../engine/types';
import { balancedPrefillInstances, poolInstanceTotals, type DisaggregatedSplit } from './disaggregatedPools';

/** One deployment of the space (hardware, parallelism and formats), analysed once for every load and pool layout. */
export interface PlanCell {
  /** The engine input `analyze()` resolves the deployment to. */
  input: EngineInput;
  /** Its serving figures at `concurrency: max`, co-located: the deployment as analysed. */
  atMax: ServingResult;
  /** Its serving figures at another load or pool layout (throws where `analyze()` would not accept that deployment). */
  servingAt(concurrency: number | 'max', split: DisaggregatedSplit | undefined): ServingResult;
}

/**
 * What the planner analyses with (injected, so this module stays free of files): a deployment of
 * the space as `analyze()` takes it, at `concurrency: max`; it throws where `analyze()` would.
 */
export interface PlanEvaluator {
  cell(deployment: Record<string, unknown>): PlanCell;
}

export interface PlanSpace {
  hardware: string[];
  gpuHourUsd: Record<string, number>;
  maxGpus: number;
  weights: (string | number)[];
  kvCache: (string | number)[];
  concurrency: (number | 'max')[];
  /** Also try separate prefill and decode pools of the co-located instances (see disaggregatedPools). */
  disaggregated: boolean;
}

export interface PlanCandidate {
  /** A deployment `analyze()` accepts, which meets the targets when analysed on its own. */
  deployment: Record<string, unknown>;
  gpus: number;
  metrics: {
    ttft_ms: number;
    tpot_ms: number;
    output_tokens_per_second: number;
    output_tokens_per_second_per_gpu: number;
    output_tokens_per_second_per_user: number;
    concurrency: number;
    max_concurrency: number;
  };
  cost_per_million_output_tokens_usd?: number;
}

export interface PlanResult {
  candidates: PlanCandidate[];
  /** Deployments analysed (including those that do not fit or miss a target). */
  evaluated: number;
  /** Of them, those that meet every target. */
  meeting: number;
}

/** Requests in flight tried per deployment: powers of two, and as many as the KV cache holds. */
export const DEFAULT_CONCURRENCY_LEVELS: readonly (number | 'max')[] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 'max'];

/** Formats whose matmuls run in the weights' own format (fp8 and fp4 serving); others are weight-only. */
const LOW_PRECISION_ACTIVATIONS = new Set(['fp8', 'fp4', 'nvfp4', 'mxfp4', 'mxfp8', 'int8', 'fp8-block128']);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function powersOfTwoUpTo(limit: number): number[] {
  const values: number[] = [];
  for (let value = 1; value <= limit; value *= 2) values.push(value);
  return values;
}

/** The model's routed experts, when it is a mixture of experts (the usual config field names). */
function routedExperts(model: unknown): number | undefined {
  if (!isObject(model)) return undefined;
  for (const key of ['num_local_experts', 'n_routed_experts', 'num_experts']) {
    if (typeof model[key] === 'number' && (model[key] as number) > 1) return model[key] as number;
  }
  return undefined;
}

function sortCandidates(candidates: PlanCandidate[]): void {
  candidates.sort((a, b) => {
    const costA = a.cost_per_million_output_tokens_usd;
    const costB = b.cost_per_million_output_tokens_usd;
    if (costA !== undefined && costB !== undefined && costA !== costB) return costA - costB;
    if (costA !== undefined && costB === undefined) return -1;
    if (costA === undefined && costB !== undefined) return 1;
    return b.metrics.output_tokens_per_second_per_gpu - a.metrics.output_tokens_per_second_per_gpu;
  });
}

/**
 * Every deployment of the space built from `base` (the user's deployment without `plan:`), analysed
 * with `analyze`. `modelConfig` is the resolved model (for its expert count).
 */
export function searchPlan(base: Record<string, unknown>, space: PlanSpace, evaluator: PlanEvaluator, modelConfig: unknown): PlanResult {
  return runToEnd(searchPlanSteps(base, space, evaluator, modelConfig));
}

/** Drives a stepped search to its result without pausing (the library and the CLI). */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `searchPlan` in steps: it yields after each deployment it analyses, so a caller that must stay
 * responsive (the language server) can give its event loop back between them, and stop early.
 */
export function* searchPlanSteps(base: Record<string, unknown>, space: PlanSpace, evaluator: PlanEvaluator, modelConfig: unknown): Generator<void, PlanResult, void> {
  const targets = targetsOf(base);
  const experts = routedExperts(modelConfig);
  const baseQuantization = isObject(base.quantization) ? base.quantization : {};
  // Concurrency is what the search varies (an arrival rate would fix it), and so is the pool layout.
  const { concurrency: _concurrency, request_rate: _rate, disaggregated: _split, ...baseServing } = isObject(base.serving) ? base.serving : {};
  const { serving: _serving, cost: _cost, ...rest } = base;
  const candidates: PlanCandidate[] = [];
  let evaluated = 0;
  for (const hardware of space.hardware) {
    const price = space.gpuHourUsd[hardware];
    for (const tensor of powersOfTwoUpTo(space.maxGpus)) {
      for (const pipeline of powersOfTwoUpTo(space.maxGpus / tensor)) {
        const expertChoices = experts !== undefined && tensor > 1 && experts % tensor === 0 ? [1, tensor] : [1];
        // Pools of pipelined instances are left out: it keeps the search bounded, and a prefill-only
        // or decode-only pool gains little from pipeline stages over more instances.
        const poolTotals = space.disaggregated && pipeline === 1 ? poolInstanceTotals(tensor, space.maxGpus) : [];
        for (const expert of expertChoices) {
          for (const weights of space.weights) {
            const activations = typeof weights === 'string' && LOW_PRECISION_ACTIVATIONS.has(weights) ? weights : (baseQuantization.activations ?? 'bf16');
            for (const kvCache of space.kvCache) {
              // The deployment's fields but serving, set once in the order spreads would give (the
              // base's keys, then hardware, parallelism, quantization, serving, cost); each
              // candidate is then one copy of it with its own serving and nested objects. Adding
              // keys to a fresh copy per candidate went through V8's slow property stores.
              const parallelismOf: Record<string, number> = { tensor };
              if (pipeline > 1) parallelismOf.pipeline = pipeline;
              if (expert > 1) parallelismOf.expert = expert;
              const quantizationOf: Record<string, unknown> = { ...baseQuantization };
              quantizationOf.weights = weights;
              quantizationOf.activations = activations;
              quantizationOf.kv_cache = kvCache;
              const shared: Record<string, unknown> = { ...rest };
              shared.hardware = hardware;
              shared.parallelism = undefined;
              shared.quantization = undefined;
              shared.serving = undefined;
              if (price !== undefined) shared.cost = undefined;
              const deploymentAt = (concurrency: number | 'max', split?: DisaggregatedSplit): Record<string, unknown> => {
                const deployment: Record<string, unknown> = { ...shared };
                // Each candidate owns its nested objects: a caller may change one without the others.
                deployment.parallelism = { ...parallelismOf };
                deployment.quantization = { ...quantizationOf };
                const serving: Record<string, unknown> = { ...baseServing };
                serving.concurrency = concurrency;
                if (split) serving.disaggregated = { prefill_gpus: split.prefillGpus, decode_gpus: split.decodeGpus };
                deployment.serving = serving;
                if (price !== undefined) deployment.cost = { gpu_hour_usd: price };
                return deployment;
              };
              // One analysis per deployment (co-located, at the KV pool's limit); the other loads
              // and pool layouts reuse its checked, prepared input.
              evaluated++;
              let cell: PlanCell;
              try {
                cell = evaluator.cell(deploymentAt('max'));
              } catch {
                // Does not fit, or the parallelism does not divide the model: not a candidate.
                yield;
                continue;
              }
              const record = (serving: ServingResult, concurrency: number | 'max', split: DisaggregatedSplit | undefined): boolean => {
                const figures = servingTargetFigures(serving);
                if (missedTargets(targets, figures).length > 0) return false;
                const candidate: PlanCandidate = {
                  deployment: deploymentAt(concurrency, split),
                  gpus: serving.gpus,
                  metrics: {
                    ttft_ms: figures.ttftMs,
                    tpot_ms: figures.tpotMs,
                    output_tokens_per_second: serving.output_tokens_per_second,
                    output_tokens_per_second_per_gpu: serving.output_tokens_per_second_per_gpu,
                    output_tokens_per_second_per_user: serving.output_tokens_per_second_per_user,
                    concurrency: serving.concurrency,
                    max_concurrency: serving.max_concurrency,
                  },
                };
                if (serving.cost_per_million_output_tokens_usd !== undefined) candidate.cost_per_million_output_tokens_usd = serving.cost_per_million_output_tokens_usd;
                candidates.push(candidate);
                return true;
              };
              /** The serving figures of the cell at another load and pool layout (the same computation analyze() does). */
              const servingOf = (concurrency: number | 'max', split: DisaggregatedSplit | undefined): ServingResult | undefined => {
                evaluated++;
                try {
                  return cell.servingAt(concurrency, split);
                } catch {
                  return undefined;
                }
              };
              const atMax = cell.atMax;
              for (const concurrency of space.concurrency) {
                // Past the KV pool more requests only wait: nothing new to rank.
                if (typeof concurrency === 'number' && concurrency > atMax.max_concurrency) continue;
                const serving = concurrency === 'max' ? atMax : servingOf(concurrency, undefined);
                if (serving) record(serving, concurrency, undefined);
              }
              yield;
              if (poolTotals.length > 0 && cell.input.workload.outputTokens > 1) {
                // Loads are per decode instance here. One prefill and one decode instance give both
                // pools' rates per instance at each load; the larger totals take the splits at balance.
                const pair: DisaggregatedSplit = { prefillGpus: tensor, decodeGpus: tensor };
                const pairAtMax = servingOf('max', pair);
                const perDecodeInstance = pairAtMax?.max_concurrency ?? 0;
                for (const load of space.concurrency) {
                  if (!pairAtMax || (typeof load === 'number' && load > perDecodeInstance)) continue;
                  const probe = load === 'max' ? pairAtMax : servingOf(load, pair);
                  if (!probe?.disaggregated) continue;
                  // Every split at this load has the probe's TPOT: a missed TPOT target rules them all out.
                  if (!record(probe, load, pair) && missedTargets(targets, servingTargetFigures(probe)).includes('tpot_ms')) continue;
                  for (const instances of poolTotals.slice(1)) {
                    for (const prefill of balancedPrefillInstances(instances, probe.disaggregated.prefill_requests_per_second, probe.disaggregated.decode_requests_per_second)) {
                      const split: DisaggregatedSplit = { prefillGpus: prefill * tensor, decodeGpus: (instances - prefill) * tensor };
                      const concurrency = load === 'max' ? 'max' : load * (instances - prefill);
                      const serving = servingOf(concurrency, split);
                      if (serving) record(serving, concurrency, split);
                    }
                  }
                  yield;
                }
              }
            }
          }
        }
      }
    }
  }
  sortCandidates(candidates);
  return { candidates, evaluated, meeting: candidates.length };
}
