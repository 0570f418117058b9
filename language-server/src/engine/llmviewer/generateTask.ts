import { affineThrough, sumOfMaxAffine, type Affine } from '../affineSeries';
import type { EvaluatedLayer } from './roofline';
import { attentionCosts, elementwiseLayers, linearLayers, lmHeadLayer, type StagePlan } from './stage';

export interface GenerateTaskSeconds {
  prefillSeconds: number;
  totalSeconds: number;
}

/**
 * Latest upstream's `analyze_generate_task` (§9): the prefill time at the prompt length, plus, for
 * every context length i = p … p+g−1, the decode stage's total time at i. Upstream runs a whole
 * analysis per token; here only the attention layers depend on i, and each of their times is the
 * larger of two affine functions of i, so the sum has a closed form: the cost is the same for 1
 * or 1,000,000 output tokens, and equal to upstream's loop within rounding (about 1e-15
 * relative; the tests hold it to 1e-9 against one analysis per token and upstream's outputs).
 */
export function generateTaskSeconds(
  plan: StagePlan,
  promptTokens: number,
  outputTokens: number,
  prefillSeconds: number,
  decode?: { contextFreeLayers: readonly EvaluatedLayer[]; lmHead: EvaluatedLayer },
): GenerateTaskSeconds {
  const numLayers = plan.model.numLayers;
  // The decode stage's linear and elementwise layers at the prompt length, in insertion order:
  // from the analysis at hand when given (the same layers), else evaluated here.
  const contextFree = decode?.contextFreeLayers ?? [...linearLayers(plan, 'decode', promptTokens), ...elementwiseLayers(plan, 'decode', promptTokens)];
  let fixedStepSeconds = 0;
  for (const layer of contextFree) fixedStepSeconds += layer.seconds * numLayers;
  fixedStepSeconds += (decode?.lmHead ?? lmHeadLayer(plan)).seconds;
  return { prefillSeconds, totalSeconds: prefillSeconds + outputTokens * fixedStepSeconds + attentionSeriesSeconds(plan, promptTokens, outputTokens) };
}

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
