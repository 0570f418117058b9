/**
 * Evaluates a plan for one step: every layer on the clock in use (clock.ts), the stage totals,
 * and the activation memory the step needs at its peak.
 */
import { sumLayerBytes } from '../roofline';
import type { LayerResult } from '../types';
import { layerResultOf, type LayerClock } from './clock';
import type { LayerTemplate, ModelPlan, StepShape } from './plan';

/** One template with how many times it occurs in the model. */
export interface CountedLayer {
  template: LayerTemplate;
  count: number;
}

export function flattenPlan(plan: ModelPlan): CountedLayer[] {
  const counted: CountedLayer[] = [];
  for (const group of plan.groups) {
    for (const template of group.layers) counted.push({ template, count: group.count });
  }
  return counted;
}

export interface EvaluatedStage {
  layers: LayerResult[];
  totals: { flops: number; bytes: number; seconds: number };
  /**
   * Peak of live activations: the largest single layer's inputs plus outputs, plus the residual
   * stream that stays live across the block. Layers run one after another, so their buffers are
   * not all live at once (LLM-Viewer sums them, spec §14.10).
   */
  activationPeakBytes: number;
}

export function evaluateStage(
  layers: readonly CountedLayer[],
  plan: ModelPlan,
  step: StepShape,
  clock: LayerClock,
  activationBytesPerElement: number,
): EvaluatedStage {
  const results: LayerResult[] = [];
  let flops = 0;
  let bytes = 0;
  let seconds = 0;
  let largestLayerActivations = 0;
  for (let index = 0; index < layers.length; index++) {
    const { template, count } = layers[index]!;
    const cost = template.cost(step);
    const result = clock.result ? clock.result(template, count, cost) : layerResultOf(template, count, cost, clock.parts(template, cost));
    results.push(result);
    flops += count * result.flops;
    bytes += count * sumLayerBytes(result.bytes);
    seconds += count * result.seconds;
    largestLayerActivations = Math.max(largestLayerActivations, result.bytes.activations_in + result.bytes.activations_out);
  }
  const residualBytes = step.batchSize * step.queryTokens * plan.residualElementsPerToken * activationBytesPerElement;
  return {
    layers: results,
    totals: { flops, bytes, seconds },
    activationPeakBytes: largestLayerActivations + residualBytes,
  };
}
