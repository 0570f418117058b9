import { affineThrough, sumOfMaxAffine, type Affine } from '../affineSeries';
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
export function generateTaskSeconds(
  plan: StagePlan,
  promptTokens: number,
  outputTokens: number,
  prefillSeconds: number,
  exactLoopSteps = EXACT_LOOP_STEPS,
): GenerateTaskSeconds {
  const numLayers = plan.model.numLayers;
  // Linear layers come first in the insertion order, so their running sum is the same every step.
  let linearSeconds = 0;
  for (const layer of linearLayers(plan, 'decode', promptTokens)) linearSeconds += layer.seconds * numLayers;
  const elementwise: readonly EvaluatedLayer[] = elementwiseLayers(plan, 'decode', promptTokens);
  const lmHeadSeconds = lmHeadLayer(plan).seconds;

  if (outputTokens > exactLoopSteps) {
    const fixedStepSeconds = linearSeconds + elementwise.reduce((sum, layer) => sum + layer.seconds * numLayers, 0) + lmHeadSeconds;
    return { prefillSeconds, totalSeconds: prefillSeconds + outputTokens * fixedStepSeconds + attentionSeriesSeconds(plan, promptTokens, outputTokens) };
  }
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

/**
 * Up to this many output tokens the loop above reproduces upstream's floats exactly (a few ms at
 * most); beyond it, the attention layers are summed in closed form, equal to within rounding.
 */
const EXACT_LOOP_STEPS = 65_536;

/**
 * Σ over contexts p … p+g−1 of the decode attention layers' times × blocks. LLM-Viewer's time is
 * OPs / performance, which is max(OPs / max_OPS, bytes / bandwidth) (§6); both are affine in the
 * context, so each layer's sum is a few arithmetic series.
 */
function attentionSeriesSeconds(plan: StagePlan, promptTokens: number, outputTokens: number): number {
  const first = promptTokens;
  const last = promptTokens + outputTokens - 1;
  const middle = promptTokens + Math.floor(outputTokens / 2);
  const { maxOpsPerSecond, bandwidthBytesPerSecond } = plan.ceilings;
  const parts = (context: number) =>
    attentionCosts(plan, 'decode', context).map(([, cost]) => ({
      compute: cost.ops / maxOpsPerSecond,
      memory:
        (cost.loadWeightBytes + cost.loadActBytes + cost.storeActBytes + cost.loadKvCacheBytes + cost.storeKvCacheBytes) /
        bandwidthBytesPerSecond,
    }));
  const [atFirst, atMiddle, atLast] = [parts(first), parts(middle), parts(last)];
  let seconds = 0;
  atFirst.forEach((_, layer) => {
    const fits = (['compute', 'memory'] as const).map((part) =>
      affineThrough(first, atFirst[layer]![part], middle, atMiddle![layer]![part], last, atLast![layer]![part]),
    );
    if (!fits.every((fit): fit is Affine => fit !== undefined)) {
      throw new Error('internal error: a decode attention cost is not affine in the context length');
    }
    seconds += sumOfMaxAffine(fits, first, last) * plan.model.numLayers;
  });
  return seconds;
}
