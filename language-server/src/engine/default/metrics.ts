/**
 * Latency of a whole request. Prefill yields the first output token (its logits come from the last
 * prompt token), so TTFT is the prefill time and the other output_tokens − 1 tokens each take one
 * decode step, step j running with prompt_tokens + j − 1 tokens cached. Only the layers whose cost
 * depends on the context are re-evaluated per step; the rest cost the same every step.
 */
import { affineThrough, sumOfMaxAffine, type Affine } from '../affineSeries';
import { layerSeconds, sumLayerBytes, type RooflineRates } from '../roofline';
import type { WorkloadSpec } from '../types';
import type { LayerTemplate, StepShape } from './plan';
import type { CountedLayer, RatesByUnit } from './stage';

/** Seconds of the context-independent layers of one decode step (taken from an evaluated step). */
export function fixedStepSeconds(layers: readonly CountedLayer[], stepSecondsPerLayer: readonly number[]): number {
  let seconds = 0;
  layers.forEach(({ template, count }, index) => {
    if (!template.contextDependent) seconds += count * stepSecondsPerLayer[index]!;
  });
  return seconds;
}

/**
 * Σ over decode steps j = 1 … output_tokens − 1 of the step time at prompt_tokens + j − 1 cached
 * tokens: (steps × fixed part) plus, for each context-dependent layer, its time at each step
 * until its context limit (a sliding window), and from there on one constant time per step.
 */
export function decodeStepsSeconds(
  layers: readonly CountedLayer[],
  rates: RatesByUnit,
  workload: WorkloadSpec,
  fixedSecondsPerStep: number,
): number {
  const steps = workload.outputTokens - 1;
  if (steps <= 0) return 0;
  const step: StepShape = { batchSize: workload.batchSize, queryTokens: 1, cachedTokens: 0, logitTokensPerSequence: 1 };
  let contextualSeconds = 0;
  for (const { template, count } of layers) {
    if (!template.contextDependent) continue;
    const layerRates = rates[template.unit];
    const limit = template.contextLimitTokens;
    // Steps run with prompt_tokens + index cached; from index limit − prompt_tokens on, the cost is constant.
    const growingSteps = limit === undefined ? steps : Math.min(steps, Math.max(0, limit - workload.promptTokens));
    let secondsOfLayer = growingStepsSeconds(template, layerRates, step, workload.promptTokens, growingSteps);
    if (growingSteps < steps) {
      step.cachedTokens = workload.promptTokens + growingSteps;
      secondsOfLayer += (steps - growingSteps) * layerSeconds(template.cost(step), layerRates);
    }
    contextualSeconds += count * secondsOfLayer;
  }
  return steps * fixedSecondsPerStep + contextualSeconds;
}

/** Below this many steps the loop is as cheap as the closed form, and exact to the last bit. */
const LOOP_STEPS = 64;

/**
 * Σ of one layer's time over `steps` decode steps with firstCached, firstCached + 1, … tokens
 * cached. Its FLOPs, bytes and link time are affine in the cached tokens (checked on three
 * points), so the sum has a closed form; a layer that is not affine is summed step by step.
 */
function growingStepsSeconds(
  template: LayerTemplate,
  rates: RooflineRates,
  step: StepShape,
  firstCached: number,
  steps: number,
): number {
  const timeAt = (cached: number): number => {
    step.cachedTokens = cached;
    return layerSeconds(template.cost(step), rates);
  };
  let loopSeconds = 0;
  if (steps <= LOOP_STEPS) {
    for (let index = 0; index < steps; index++) loopSeconds += timeAt(firstCached + index);
    return loopSeconds;
  }
  const last = firstCached + steps - 1;
  const middle = firstCached + Math.floor(steps / 2);
  const samples = [firstCached, middle, last].map((cached) => {
    step.cachedTokens = cached;
    const cost = template.cost(step);
    return {
      compute: cost.flops / rates.peakOpsPerSecond,
      memory: sumLayerBytes(cost.bytes) / rates.memoryBandwidthBytesPerSecond,
      other: cost.otherSeconds ?? 0,
    };
  });
  const fits: (Affine | undefined)[] = (['compute', 'memory', 'other'] as const).map((part) =>
    affineThrough(firstCached, samples[0]![part], middle, samples[1]![part], last, samples[2]![part]),
  );
  if (fits.every((fit): fit is Affine => fit !== undefined)) return sumOfMaxAffine(fits, firstCached, last);
  for (let index = 0; index < steps; index++) loopSeconds += timeAt(firstCached + index);
  return loopSeconds;
}
