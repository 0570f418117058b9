/**
 * Per-layer formulas of the default conventions. Notation in comments: b batch, T query tokens per
 * sequence, s tokens already cached, H hidden size, d head size, nh/nkv query/KV heads on this
 * device, I MLP columns on this device, Ba/Bw/Bkv bytes per activation/weight/KV element.
 * A multiply-accumulate is 2 FLOPs everywhere. Why each formula differs from LLM-Viewer is in
 * docs/conventions.md. Attention kernels are in attention.ts, experts in experts.ts, latent
 * attention's projections in latentAttention.ts.
 */
import type { NormKind } from '../architectureDefaults';
import type { InterconnectSpec, LayerBytes } from '../types';
import { ringAllGatherSeconds, ringAllReduceSeconds } from './parallel';
import { NO_STORED_WEIGHTS, type ElementBytes, type LayerTemplate, type SixteenBitActivations, type StepShape, type WeightKind } from './plan';
import { layerCost } from '../roofline';

export function layerBytes(parts: Partial<LayerBytes>): LayerBytes {
  return {
    weights: parts.weights ?? 0,
    activations_in: parts.activations_in ?? 0,
    activations_out: parts.activations_out ?? 0,
    kv_read: parts.kv_read ?? 0,
    kv_write: parts.kv_write ?? 0,
  };
}

export function tokens(step: StepShape): number {
  return step.batchSize * step.queryTokens;
}

/**
 * Token lookup (a gather: only the b·T rows used are read, not the table) plus, for models with
 * learned absolute positions (OPT, GPT-2), the position rows and their addition. `vocabRows` are
 * this device's rows: under tensor parallelism the table is split by vocabulary, as vLLM's
 * VocabParallelEmbedding and Megatron split it (each device looks up the tokens in its range and
 * an all-reduce sums the rows); position tables are replicated.
 */
export function embeddingLayer(hidden: number, vocabRows: number, positionRows: number, sizes: ElementBytes): LayerTemplate {
  const tables = positionRows > 0 ? 2 : 1;
  return {
    name: 'embedding',
    unit: 'vector',
    contextDependent: false,
    weightKind: 'embedding',
    // The rows looked up start the residual stream, which stays 16-bit.
    sixteenBitActivations: 'out',
    stored: { matrixElements: (vocabRows + positionRows) * hidden, vectorElements: 0 },
    kvCacheElementsPerToken: 0,
    cost(step) {
      const elements = tokens(step) * hidden;
      return layerCost(
        (tables - 1) * elements,
        layerBytes({ weights: tables * elements * sizes.weight.embedding, activations_out: elements * sizes.activation }),
      );
    },
  };
}

/** Weight vectors a norm of each kind stores, and operations per element. */
const NORM_VECTORS: Readonly<Record<NormKind, number>> = { rms: 1, layer: 2, 'layer-no-bias': 1, 'layer-no-parameters': 0 };
const NORM_OPS: Readonly<Record<NormKind, number>> = { rms: 4, layer: 7, 'layer-no-bias': 6, 'layer-no-parameters': 5 };

/**
 * RMSNorm: square, sum, scale by 1/rms, multiply by the weight (4 ops per element, one weight
 * vector). LayerNorm: sum, subtract mean, square, sum, scale, multiply, add (7 ops, weight and
 * bias; one op and one vector fewer without a bias, two fewer without parameters).
 *
 * `output`: what the norm feeds. Before a matmul (the default) it reads the 16-bit residual
 * stream and, with quantised activations, writes the matmul's quantised input, the quantisation
 * fused into the norm (vLLM's rms_norm_static_fp8_quant and fused_add_rms_norm_static_fp8_quant,
 * csrc/torch_bindings.cpp; an engine that quantises in a kernel of its own moves more). A norm on a
 * branch's output, or before the 16-bit lm_head, writes 16-bit values.
 */
export function normLayer(name: string, hidden: number, kind: NormKind, sizes: ElementBytes, output: 'matmul-input' | 'sixteen-bit' = 'matmul-input'): LayerTemplate {
  const template = headNormLayer(name, 1, hidden, NORM_VECTORS[kind] * hidden, kind, sizes);
  template.sixteenBitActivations = output === 'matmul-input' ? 'in' : 'in-out';
  return template;
}

/**
 * A norm over `heads` vectors of `headDim` each token (q_norm / k_norm of Qwen3, Gemma 3, OLMo-2,
 * Cohere), storing `vectorElements` parameters: head_dim when the heads share one weight, heads ×
 * head_dim when each head (or the whole width) has its own, 0 for Llama 4's L2 norm.
 */
export function headNormLayer(name: string, heads: number, headDim: number, vectorElements: number, kind: NormKind, sizes: ElementBytes): LayerTemplate {
  return {
    name,
    unit: 'vector',
    contextDependent: false,
    stored: { matrixElements: 0, vectorElements },
    kvCacheElementsPerToken: 0,
    cost(step) {
      const elements = tokens(step) * heads * headDim;
      return layerCost(
        NORM_OPS[kind] * elements,
        layerBytes({
          weights: vectorElements * sizes.vectorParameter,
          activations_in: elements * sizes.activation,
          activations_out: elements * sizes.activation,
        }),
      );
    },
  };
}

/**
 * A projection [in → out]: 2·b·T·in·out FLOPs (+ one add per output for the bias), the weight
 * matrix read once per step whatever the batch. k_proj and v_proj store their output in the KV
 * cache (in the KV format) instead of writing an activation; the attention layer that reads the
 * cache accounts for its size.
 */
export function linearLayer(
  name: string,
  inFeatures: number,
  outFeatures: number,
  bias: boolean,
  output: 'activations' | 'kv_cache',
  sizes: ElementBytes,
  kind: WeightKind,
): LayerTemplate {
  const biasElements = bias ? outFeatures : 0;
  // The same every step: worked out once, not per step (reading sizes.weight by a kind that varies
  // between templates is a hash lookup). `sizes` does not change once a plan is built.
  const weightBytes = inFeatures * outFeatures * sizes.weight[kind] + biasElements * sizes.vectorParameter;
  return {
    name,
    unit: 'matmul',
    contextDependent: false,
    weightKind: kind,
    stored: { matrixElements: inFeatures * outFeatures, vectorElements: biasElements },
    kvCacheElementsPerToken: 0,
    // A quantised matmul writes 16-bit outputs (its epilogue scales the accumulators back); the KV cache keeps its own format.
    ...(output === 'activations' ? { sixteenBitActivations: 'out' as const } : {}),
    cost(step) {
      const rows = tokens(step);
      const outputElements = rows * outFeatures;
      return layerCost(
        2 * rows * inFeatures * outFeatures + (bias ? outputElements : 0),
        layerBytes({
          weights: weightBytes,
          activations_in: rows * inFeatures * sizes.activation,
          activations_out: output === 'activations' ? outputElements * sizes.activation : 0,
          kv_write: output === 'kv_cache' ? outputElements * sizes.kvCache : 0,
        }),
        undefined,
        { rows, columns: outFeatures, depth: inFeatures, groups: 1 },
      );
    },
  };
}

/**
 * Work that touches each element once on the vector units: `inputs` tensors of `columns` elements
 * per token are read, one is written, `ops` operations per written element.
 */
function elementwiseLayer(name: string, columns: number, inputs: number, ops: number, sizes: ElementBytes, sixteenBit: SixteenBitActivations): LayerTemplate {
  return {
    name,
    unit: 'vector',
    contextDependent: false,
    stored: NO_STORED_WEIGHTS,
    kvCacheElementsPerToken: 0,
    sixteenBitActivations: sixteenBit,
    cost(step) {
      const elements = tokens(step) * columns;
      return layerCost(
        ops * elements,
        layerBytes({ activations_in: inputs * elements * sizes.activation, activations_out: elements * sizes.activation }),
      );
    },
  };
}

/** Residual add: both operands are read (the branch output and the residual stream), all 16-bit. */
export function residualAddLayer(name: string, hidden: number, sizes: ElementBytes): LayerTemplate {
  return elementwiseLayer(name, hidden, 2, 1, sizes, 'in-out');
}

/**
 * The MLP activation over the intermediate columns of each token (`columnsPerToken`: I, or k · I
 * for the k experts a token is routed to). Gated (SwiGLU/GeGLU): reads gate and up, applies the
 * activation to gate and multiplies by up, writes I. Plain (OPT's ReLU): reads and writes I.
 * It reads matmul outputs (16-bit) and writes the next matmul's input, quantised in the same
 * kernel (vLLM's silu_and_mul_quant).
 */
export function mlpActivationLayer(
  name: string,
  columnsPerToken: number,
  gated: boolean,
  opsPerElement: number,
  sizes: ElementBytes,
): LayerTemplate {
  return elementwiseLayer(name, columnsPerToken, gated ? 2 : 1, opsPerElement + (gated ? 1 : 0), sizes, 'in');
}

/**
 * All-reduce of the partial sums of a row-parallel projection (`attn_all_reduce` after o_proj,
 * `mlp_all_reduce` after down_proj, so every layer of a block keeps a distinct name). Each device
 * holds b·T·H partial values; the ring adds (p − 1)/p of them locally and moves 2(p − 1)/p of them
 * over the link.
 */
export function allReduceLayer(name: string, hidden: number, devices: number, link: InterconnectSpec, sizes: ElementBytes): LayerTemplate {
  return {
    name,
    unit: 'network',
    contextDependent: false,
    stored: NO_STORED_WEIGHTS,
    kvCacheElementsPerToken: 0,
    cost(step) {
      const elements = tokens(step) * hidden;
      const messageBytes = elements * sizes.activation;
      return layerCost(
        ((devices - 1) / devices) * elements,
        layerBytes({ activations_in: messageBytes, activations_out: messageBytes }),
        ringAllReduceSeconds(messageBytes, devices, link),
        undefined,
        { kind: 'all-reduce', bytes: messageBytes, devices },
      );
    },
  };
}

/**
 * lm_head over this device's vocabulary rows, for the tokens whose logits are needed only: one per
 * sequence (the last prompt token in prefill, the new token in decode). Tied to the embedding, it
 * stores nothing of its own but its bias (Phi-2, GPT-J and CodeGen have one). The logits are
 * written at the head's precision (`sizes.logits`), not the activations'.
 */
export function lmHeadLayer(hidden: number, vocabRows: number, tied: boolean, bias: boolean, sizes: ElementBytes): LayerTemplate {
  const biasElements = bias ? vocabRows : 0;
  return {
    name: 'lm_head',
    unit: 'matmul',
    contextDependent: false,
    weightKind: 'lm_head',
    stored: { matrixElements: tied ? 0 : hidden * vocabRows, vectorElements: biasElements },
    kvCacheElementsPerToken: 0,
    cost(step) {
      const rows = step.batchSize * step.logitTokensPerSequence;
      return layerCost(
        2 * rows * hidden * vocabRows + rows * biasElements,
        layerBytes({
          weights: hidden * vocabRows * sizes.weight.lm_head + biasElements * sizes.vectorParameter,
          activations_in: rows * hidden * sizes.activation,
          activations_out: rows * vocabRows * sizes.logits,
        }),
        undefined,
        { rows, columns: vocabRows, depth: hidden, groups: 1 },
      );
    },
  };
}

/** Gathers every device's slice of the logits so each can sample (vocabulary-parallel lm_head), at the logits' precision. */
export function logitsAllGatherLayer(vocabRows: number, devices: number, link: InterconnectSpec, sizes: ElementBytes): LayerTemplate {
  return {
    name: 'lm_head_all_gather',
    unit: 'network',
    contextDependent: false,
    stored: NO_STORED_WEIGHTS,
    kvCacheElementsPerToken: 0,
    cost(step) {
      const sliceBytes = step.batchSize * step.logitTokensPerSequence * vocabRows * sizes.logits;
      return layerCost(
        0,
        layerBytes({ activations_in: sliceBytes, activations_out: devices * sliceBytes }),
        ringAllGatherSeconds(sliceBytes, devices, link),
        undefined,
        { kind: 'all-gather', bytes: sliceBytes, devices },
      );
    },
  };
}
