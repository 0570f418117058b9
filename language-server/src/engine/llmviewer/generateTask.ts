import { layerSeconds, type EvaluatedLayer } from './roofline';
import { attentionCosts, elementwiseLayers, linearLayers, lmHeadLayer, type StagePlan } from './stage';

export interface GenerateTaskSeconds {
  prefillSeconds: number;
  totalSeconds: number;
}

/**
 * Latest upstream's `analyze_generate_task` (§9): the prefill time at the prompt length, plus, for
 * every context length i = p … p+g−1, the decode stage's total time at i, added one step at a
 * time. Upstream runs a whole analysis per token; only the attention layers depend on i, so the
 * rest is evaluated once. Each step still adds the layer times in LLM-Viewer's order (linear
 * layers, attention, elementwise layers, each × blocks, then lm_head), so every per-step total
 * and the running sum are the same floats the per-token analysis gives.
 */
export function generateTaskSeconds(plan: StagePlan, promptTokens: number, outputTokens: number, prefillSeconds: number): GenerateTaskSeconds {
  const numLayers = plan.model.numLayers;
  // Linear layers come first in the insertion order, so their running sum is the same every step.
  let linearSeconds = 0;
  for (const layer of linearLayers(plan, 'decode', promptTokens)) linearSeconds += layer.seconds * numLayers;
  const elementwise: readonly EvaluatedLayer[] = elementwiseLayers(plan, 'decode', promptTokens);
  const lmHeadSeconds = lmHeadLayer(plan).seconds;

  let totalSeconds = prefillSeconds;
  for (let contextTokens = promptTokens; contextTokens < promptTokens + outputTokens; contextTokens++) {
    let stepSeconds = linearSeconds;
    for (const [, cost] of attentionCosts(plan, 'decode', contextTokens)) {
      stepSeconds += layerSeconds(cost, plan.ceilings) * numLayers;
    }
    for (const layer of elementwise) stepSeconds += layer.seconds * numLayers;
    stepSeconds += lmHeadSeconds;
    totalSeconds += stepSeconds;
  }
  return { prefillSeconds, totalSeconds };
}
