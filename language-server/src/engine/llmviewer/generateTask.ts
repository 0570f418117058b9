import { affineThrough, sumOfMaxAffine } from '../affineSeries';
import type { OpCost } from './opCosts';
import type { EvaluatedLayer } from './roofline';
import { attentionCosts, concatLayers, elementwiseLayers, linearLayers, lmHeadLayer, type StagePlan } from './stage';

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
  const contextFree = decode?.contextFreeLayers ?? concatLayers(linearLayers(plan, 'decode', promptTokens), elementwiseLayers(plan, 'decode', promptTokens));
  let fixedStepSeconds = 0;
  for (let index = 0; index < contextFree.length; index++) fixedStepSeconds += contextFree[index]!.seconds * numLayers;
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
  const atFirst = attentionCosts(plan, 'decode', first);
  const atMiddle = attentionCosts(plan, 'decode', middle);
  const atLast = attentionCosts(plan, 'decode', last);
  let seconds = 0;
  for (let layer = 0; layer < atFirst.length; layer++) {
    const a = atFirst[layer]!;
    const b = atMiddle[layer]!;
    const c = atLast[layer]!;
    const compute = affineThrough(first, a.ops / maxOpsPerSecond, middle, b.ops / maxOpsPerSecond, last, c.ops / maxOpsPerSecond);
    const memory = affineThrough(
      first,
      costBytes(a) / bandwidthBytesPerSecond,
      middle,
      costBytes(b) / bandwidthBytesPerSecond,
      last,
      costBytes(c) / bandwidthBytesPerSecond,
    );
    if (compute === undefined || memory === undefined) {
      throw new Error('internal error: a decode attention cost is not affine in the context length');
    }
    seconds += sumOfMaxAffine([compute, memory], first, last) * plan.model.numLayers;
  }
  return seconds;
}

/** LLM-Viewer's memory access: the five byte kinds added in its order (§6). */
function costBytes(cost: OpCost): number {
  const bytes = cost.bytes;
  return bytes.weights + bytes.activations_in + bytes.activations_out + bytes.kv_read + bytes.kv_write;
}
