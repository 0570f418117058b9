/**
 * The planner (`plan:`): every deployment in the search space (hardware × tensor, pipeline and
 * expert parallelism × weight and KV formats × concurrency) analysed as `analyze()` analyses a
 * deployment, with `serving:` under load; those meeting every target, ranked by cost per million
 * output tokens (or output tokens/s per GPU where no price is known). Each candidate carries the
 * deployment that was analysed, so analysing it on its own gives the same figures.
 */
import { missedTargets, targetFigures, targetsOf } from '../engine/targets';
import type { AnalysisResult, EngineInput, ServingResult } from '../engine/types';

/**
 * What the planner analyses with (injected, so this module stays free of files): the library's
 * `analyze()` with the engine input it resolved, and the serving figures of that input at another
 * concurrency (the same computation, without the rest of the analysis).
 */
export interface PlanEvaluator {
  analyze(deployment: Record<string, unknown>): { input: EngineInput; result: AnalysisResult };
  servingAt(input: EngineInput, concurrency: number | 'max'): ServingResult;
}

export interface PlanSpace {
  hardware: string[];
  gpuHourUsd: Record<string, number>;
  maxGpus: number;
  weights: (string | number)[];
  kvCache: (string | number)[];
  concurrency: (number | 'max')[];
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
  // Concurrency is what the search varies; an arrival rate would fix it.
  const { concurrency: _concurrency, request_rate: _rate, ...baseServing } = isObject(base.serving) ? base.serving : {};
  const candidates: PlanCandidate[] = [];
  let evaluated = 0;
  for (const hardware of space.hardware) {
    const price = space.gpuHourUsd[hardware];
    for (const tensor of powersOfTwoUpTo(space.maxGpus)) {
      for (const pipeline of powersOfTwoUpTo(space.maxGpus / tensor)) {
        const expertChoices = experts !== undefined && tensor > 1 && experts % tensor === 0 ? [1, tensor] : [1];
        for (const expert of expertChoices) {
          for (const weights of space.weights) {
            const activations = typeof weights === 'string' && LOW_PRECISION_ACTIVATIONS.has(weights) ? weights : (baseQuantization.activations ?? 'bf16');
            for (const kvCache of space.kvCache) {
              const { serving: _serving, cost: _cost, ...rest } = base;
              const deploymentAt = (concurrency: number | 'max'): Record<string, unknown> => ({
                ...rest,
                hardware,
                parallelism: { tensor, ...(pipeline > 1 ? { pipeline } : {}), ...(expert > 1 ? { expert } : {}) },
                quantization: { ...baseQuantization, weights, activations, kv_cache: kvCache },
                serving: { ...baseServing, concurrency },
                ...(price !== undefined ? { cost: { gpu_hour_usd: price } } : {}),
              });
              // One full analysis per deployment (at the KV pool's limit); the other loads reuse its input.
              evaluated++;
              let analysed: { input: EngineInput; result: AnalysisResult };
              try {
                analysed = evaluator.analyze(deploymentAt('max'));
              } catch {
                // Does not fit, or the parallelism does not divide the model: not a candidate.
                yield;
                continue;
              }
              const maxConcurrency = analysed.result.serving?.max_concurrency ?? 0;
              for (const concurrency of space.concurrency) {
                // Past the KV pool more requests only wait: nothing new to rank.
                if (typeof concurrency === 'number' && concurrency > maxConcurrency) continue;
                let serving: ServingResult;
                if (concurrency === 'max') {
                  serving = analysed.result.serving!;
                } else {
                  evaluated++;
                  try {
                    serving = evaluator.servingAt({ ...analysed.input, serving: { ...analysed.input.serving!, concurrency } }, concurrency);
                  } catch {
                    continue;
                  }
                }
                const figures = targetFigures({ ...analysed.result, serving });
                if (missedTargets(targets, figures).length > 0) continue;
                candidates.push({
                  deployment: deploymentAt(concurrency),
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
                  ...(serving.cost_per_million_output_tokens_usd !== undefined ? { cost_per_million_output_tokens_usd: serving.cost_per_million_output_tokens_usd } : {}),
                });
              }
              yield;
            }
          }
        }
      }
    }
  }
  sortCandidates(candidates);
  return { candidates, evaluated, meeting: candidates.length };
}
