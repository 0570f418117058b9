/**
 * Parallel decoding with extra heads (Medusa, Cai et al., ICML 2024, arXiv 2401.10774): K heads on
 * the last hidden state each propose a later token; the candidates form a tree of `tree_tokens`
 * tokens that the base model verifies in one forward pass with tree attention, computing logits
 * for every tree token. A step yields `mean_accepted` tokens on average (the paper's acceleration
 * rate, the base model's own token included), so TPOT = step time / mean_accepted.
 *
 * Each Medusa head (§2.1.1) is one residual block (a linear H → H with bias and SiLU, added to
 * the input) and its own vocabulary projection H → V: K × (H² + H + H·V) more weights, and their
 * matmuls on one row per sequence each step (and once after prefill). The step runs at the mean
 * context of the generation, as speculative decoding's verification does here.
 */
import { layerBytes } from '../default/layers';
import type { ElementBytes, LayerTemplate, StepShape } from '../default/plan';
import type { PointEvaluation } from '../default/point';
import { memoryBreakdown } from '../default/point';
import type { PreparedDefault } from '../default/prepare';
import { meanCachedTokens } from '../default/speculativeDecoding';
import { evaluateStage } from '../default/stage';
import type { WorkloadSpec } from '../types';
import type { ParallelDecodingSpec } from './spec';
import { addDecodeLayer, whole, type TechniqueState } from './state';
import { layerCost } from '../roofline';

function headResBlock(hidden: number, sizes: ElementBytes): LayerTemplate {
  return {
    name: 'medusa_resblock',
    unit: 'matmul',
    contextDependent: false,
    weightKind: 'lm_head',
    stored: { matrixElements: hidden * hidden, vectorElements: hidden },
    kvCacheElementsPerToken: 0,
    cost(step) {
      const rows = step.batchSize;
      return layerCost(
        // matmul + bias + SiLU (4 ops, as the engine counts it) + residual add, per output element
        2 * rows * hidden * hidden + rows * hidden * 6,
        layerBytes({
          weights: hidden * hidden * sizes.weight.lm_head + hidden * sizes.vectorParameter,
          activations_in: rows * hidden * sizes.activation,
          activations_out: rows * hidden * sizes.activation,
        }),
        undefined,
        { rows, columns: hidden, depth: hidden, groups: 1 },
      );
    },
  };
}

function headVocabulary(hidden: number, vocabRows: number, sizes: ElementBytes): LayerTemplate {
  return {
    name: 'medusa_lm_head',
    unit: 'matmul',
    contextDependent: false,
    weightKind: 'lm_head',
    stored: { matrixElements: hidden * vocabRows, vectorElements: 0 },
    kvCacheElementsPerToken: 0,
    cost(step) {
      const rows = step.batchSize;
      return layerCost(
        2 * rows * hidden * vocabRows,
        layerBytes({
          weights: hidden * vocabRows * sizes.weight.lm_head,
          activations_in: rows * hidden * sizes.activation,
          activations_out: rows * vocabRows * sizes.logits,
        }),
        undefined,
        { rows, columns: vocabRows, depth: hidden, groups: 1 },
      );
    },
  };
}

/** Adds the K heads to prefill (they propose after the last prompt token), decode and memory. */
export function addMedusaHeads(state: TechniqueState, spec: ParallelDecodingSpec): void {
  const { shape, device, sizes } = state.base;
  const heads = [headResBlock(shape.hiddenSize, sizes), headVocabulary(shape.hiddenSize, device.vocabRows, sizes)];
  for (const template of heads) {
    addDecodeLayer(state, { template, count: spec.heads }, 'head');
    state.prefill = [...state.prefill, { template, count: spec.heads }];
    state.memory = [...state.memory, { template, count: spec.heads }];
  }
  state.summaries.push({
    key: 'parallel_decoding',
    label: `Medusa, ${whole(spec.heads)} heads`,
    effect: `${whole(spec.heads)} extra heads propose a ${whole(spec.treeTokens)}-token tree that one step verifies; ${spec.meanAccepted} tokens per step on average, so TPOT is the step's time / ${spec.meanAccepted}.`,
    source: 'Medusa, Cai et al. 2024, arXiv 2401.10774',
  });
}

/** The tree step of one decode: the base model over tree_tokens tokens plus the heads; TPOT = step / mean_accepted. */
export function parallelDecodingPoint(prepared: PreparedDefault, workload: WorkloadSpec, spec: ParallelDecodingSpec, plain: PointEvaluation): PointEvaluation {
  const step: StepShape = {
    batchSize: workload.batchSize,
    queryTokens: spec.treeTokens,
    cachedTokens: meanCachedTokens(workload),
    logitTokensPerSequence: spec.treeTokens,
  };
  const decode = evaluateStage(prepared.layers, prepared.decodePlan, step, prepared.clock, prepared.sizes.activation);
  const tpotSeconds = (decode.totals.seconds + prepared.clock.stepSeconds) / spec.meanAccepted;
  const decodeSeconds = Math.max(0, workload.outputTokens - 1) * tpotSeconds;
  const e2eSeconds = plain.ttftSeconds + decodeSeconds;
  const decodeMemory = memoryBreakdown(plain.decodeMemory.weights_bytes, plain.decodeMemory.kv_cache_bytes, decode.activationPeakBytes);
  return {
    ...plain,
    decode,
    decodeMemory,
    peakMemory: memoryBreakdown(plain.peakMemory.weights_bytes, plain.peakMemory.kv_cache_bytes, Math.max(plain.prefill.activationPeakBytes, decode.activationPeakBytes)),
    decodeSeconds,
    tpotSeconds,
    e2eSeconds,
    outputTokensPerSecond: (workload.batchSize * workload.outputTokens) / e2eSeconds,
  };
}
