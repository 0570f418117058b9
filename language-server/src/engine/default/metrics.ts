/**
 * Latency of a whole request. Prefill yields the first output token (its logits come from the last
 * prompt token), so TTFT is the prefill time and the other output_tokens − 1 tokens each take one
 * decode step, step j running with prompt_tokens + j − 1 tokens cached. Only the layers whose cost
 * depends on the context are re-evaluated per step; the rest cost the same every step.
 */
import { affineThrough, sumAffine, sumOfMaxAffine } from '../affineSeries';
import type { WorkloadSpec } from '../types';
import { layerClockSeconds, partsSeconds, type LayerClock, type TimeParts } from './clock';
import type { LayerTemplate, StepShape } from './plan';
import { layerProgramOf, type CountedLayer } from './stage';

/** Seconds of the context-independent layers of one decode step (taken from an evaluated step). */
export function fixedStepSeconds(layers: readonly CountedLayer[], stepLayers: readonly { seconds: number }[]): number {
  const program = layerProgramOf(layers);
  let seconds = 0;
  for (let index = 0; index < layers.length; index++) {
    if (program) {
      if (!program.contextDependent[index]) seconds += program.counts[index]! * stepLayers[index]!.seconds;
    } else {
      const { template, count } = layers[index]!;
      if (!template.contextDependent) seconds += count * stepLayers[index]!.seconds;
    }
  }
  return seconds;
}

/**
 * Σ over decode steps j = 1 … output_tokens − 1 of the step time at prompt_tokens + j − 1 cached
 * tokens: (steps × (fixed part + the clock's host time per step)) plus, for each context-dependent layer, its time at each step
 * until its context limit (a sliding window), and from there on one constant time per step.
 */
export function decodeStepsSeconds(
  layers: readonly CountedLayer[],
  clock: LayerClock,
  workload: WorkloadSpec,
  fixedSecondsPerStep: number,
): number {
  const steps = workload.outputTokens - 1;
  if (steps <= 0) return 0;
  const step: StepShape = { batchSize: workload.batchSize, queryTokens: 1, cachedTokens: 0, logitTokensPerSequence: 1 };
  const program = layerProgramOf(layers);
  let contextualSeconds = 0;
  for (let index = 0; index < layers.length; index++) {
    if (program && !program.contextDependent[index]) continue;
    const { template, count } = layers[index]!;
    if (!template.contextDependent) continue;
    const limit = template.contextLimitTokens;
    // Steps run with prompt_tokens + index cached; from index limit − prompt_tokens on, the cost is constant.
    const growingSteps = limit === undefined ? steps : Math.min(steps, Math.max(0, limit - workload.promptTokens));
    let secondsOfLayer = growingStepsSeconds(template, clock, step, workload.promptTokens, growingSteps);
    if (growingSteps < steps) {
      step.cachedTokens = workload.promptTokens + growingSteps;
      secondsOfLayer += (steps - growingSteps) * layerClockSeconds(clock, template, template.cost(step));
    }
    contextualSeconds += count * secondsOfLayer;
  }
  return steps * (fixedSecondsPerStep + clock.stepSeconds) + contextualSeconds;
}

/** Below this many steps the loop is as cheap as the closed form, and exact to the last bit. */
const LOOP_STEPS = 64;

/**
 * Σ of one layer's time over `steps` decode steps with firstCached, firstCached + 1, … tokens
 * cached. Its FLOPs, bytes, link time and fixed cost are affine in the cached tokens (checked on
 * three points), so the sum has a closed form; a layer that is not affine is summed step by step.
 */
function growingStepsSeconds(
  template: LayerTemplate,
  clock: LayerClock,
  step: StepShape,
  firstCached: number,
  steps: number,
): number {
  let loopSeconds = 0;
  if (steps <= LOOP_STEPS) {
    for (let index = 0; index < steps; index++) loopSeconds += partsSeconds(partsAt(template, clock, step, firstCached + index));
    return loopSeconds;
  }
  const last = firstCached + steps - 1;
  const middle = firstCached + Math.floor(steps / 2);
  const atFirst = partsAt(template, clock, step, firstCached);
  const atMiddle = partsAt(template, clock, step, middle);
  const atLast = partsAt(template, clock, step, last);
  const compute = affineThrough(firstCached, atFirst.compute, middle, atMiddle.compute, last, atLast.compute);
  const memory = affineThrough(firstCached, atFirst.memory, middle, atMiddle.memory, last, atLast.memory);
  const other = affineThrough(firstCached, atFirst.other, middle, atMiddle.other, last, atLast.other);
  const fixed = affineThrough(firstCached, atFirst.fixed, middle, atMiddle.fixed, last, atLast.fixed);
  if (fixed && compute && memory && other) {
    return sumOfMaxAffine([compute, memory, other], firstCached, last) + sumAffine(fixed, firstCached, last);
  }
  for (let index = 0; index < steps; index++) loopSeconds += partsSeconds(partsAt(template, clock, step, firstCached + index));
  return loopSeconds;
}

/** The layer's time parts at one context length (`step` is the caller's scratch shape). */
function partsAt(template: LayerTemplate, clock: LayerClock, step: StepShape, cached: number): TimeParts {
  step.cachedTokens = cached;
  return clock.parts(template, template.cost(step));
}
