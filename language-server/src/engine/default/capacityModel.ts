/**
 * The memory of a prepared deployment as functions of the workload, for the capacity answers:
 * stored weights, KV cache per cached token, and the activation peak of a step. With a draft
 * model (speculative decoding) both models' weights and caches are held.
 */
import type { MemoryModel } from '../capacity';
import { BoundedMemo } from '../boundedMemo';
import { cacheBytes } from './memory';
import type { ModelPlan, StepShape } from './plan';
import type { PreparedDefault } from './prepare';
import type { CountedLayer } from './stage';

/**
 * The activation peak of one step: the largest layer's inputs plus outputs, plus the residual
 * stream (the same rule as `evaluateStage`, without timing the layers).
 */
export function activationPeakBytes(layers: readonly CountedLayer[], plan: ModelPlan, step: StepShape, activationBytesPerElement: number): number {
  let largest = 0;
  for (let index = 0; index < layers.length; index++) {
    const { template } = layers[index]!;
    const bytes = template.cost(step).bytes;
    largest = Math.max(largest, bytes.activations_in + bytes.activations_out);
  }
  return largest + step.batchSize * step.queryTokens * plan.residualElementsPerToken * activationBytesPerElement;
}

/** The larger activation peak of a prefill of `promptTokens` and a decode step after it. */
export function stepActivationBytes(prepared: PreparedDefault, batchSize: number, promptTokens: number): number {
  const { prefillLayers, prefillPlan, layers, decodePlan, sizes } = prepared;
  const prefill = activationPeakBytes(
    prefillLayers,
    prefillPlan,
    { batchSize, queryTokens: promptTokens, cachedTokens: 0, logitTokensPerSequence: 1 },
    sizes.activation,
  );
  const decode = activationPeakBytes(layers, decodePlan, { batchSize, queryTokens: 1, cachedTokens: promptTokens, logitTokensPerSequence: 1 }, sizes.activation);
  return Math.max(prefill, decode);
}

/**
 * One sequence's activation peak at each prompt length, per activation scope (prepare.ts: the
 * preparations of the same plans, on any hardware): the largest batch is solved from it, and it
 * does not change while the batch size is edited.
 */
const perSequenceActivations = new WeakMap<object, BoundedMemo<number, number>>();
const PROMPT_LENGTHS_KEPT = 64;

function activationBytesOf(prepared: PreparedDefault, batchSize: number, promptTokens: number): number {
  if (batchSize !== 1) return stepActivationBytes(prepared, batchSize, promptTokens);
  let memo = perSequenceActivations.get(prepared.activationScope);
  if (!memo) perSequenceActivations.set(prepared.activationScope, (memo = new BoundedMemo(PROMPT_LENGTHS_KEPT)));
  return memo.get(promptTokens, () => stepActivationBytes(prepared, 1, promptTokens));
}

export function memoryModelOf(models: readonly PreparedDefault[]): MemoryModel {
  if (models.length === 1) {
    const model = models[0]!;
    return {
      fixedBytes: model.weightsBytes,
      kvBytesPerSequence: (tokens) => cacheBytes(model.memoryLayers, 1, tokens, model.sizes),
      activationBytes: (batchSize, promptTokens) => activationBytesOf(model, batchSize, promptTokens),
    };
  }
  return {
    fixedBytes: models.reduce((sum, model) => sum + model.weightsBytes, 0),
    kvBytesPerSequence: (tokens) => models.reduce((sum, model) => sum + cacheBytes(model.memoryLayers, 1, tokens, model.sizes), 0),
    activationBytes: (batchSize, promptTokens) => Math.max(...models.map((model) => activationBytesOf(model, batchSize, promptTokens))),
  };
}
