/**
 * The shape of an analysis plan: a model is a list of layer groups (embedding, N identical blocks,
 * the head), each a list of layer templates. A template knows what its layer stores and how much
 * one occurrence costs for a given step, so the same plan gives prefill, a decode step at any
 * context length, and memory. Models whose blocks differ split the block into consecutive groups:
 * the parts every block shares have count num_hidden_layers, and each variant of a part (a dense
 * or a mixture-of-experts MLP, full or sliding-window attention) is a group counting the blocks
 * that use it. Every layer name occurs once in a plan, so a result row is one kind of layer.
 */
import type { LayerCost } from '../roofline';
import type { WeightKind } from '../types';

export type { WeightKind } from '../types';

/** One forward pass: `queryTokens` new tokens per sequence after `cachedTokens` already cached. */
export interface StepShape {
  batchSize: number;
  queryTokens: number;
  cachedTokens: number;
  /** Tokens per sequence whose logits are computed (1: only the last one, to sample from). */
  logitTokensPerSequence: number;
}

/**
 * Which ceiling a layer's arithmetic meets: tensor-core matmuls with weights, attention matmuls
 * against the KV cache, elementwise work on vector units, or a collective over the interconnect.
 */
export type ComputeUnit = 'matmul' | 'attention' | 'vector' | 'network';

/** Parameters one occurrence keeps in memory on one device. */
export interface StoredWeights {
  /** Matrix elements, stored in the weight format. */
  matrixElements: number;
  /** Norm scales/shifts and biases, kept in 16-bit or wider by every quantisation scheme. */
  vectorElements: number;
}

/** The activation tensors of a layer that stay 16-bit around quantised matmuls: its inputs, its output, or both. */
export type SixteenBitActivations = 'in' | 'out' | 'in-out';

export interface LayerTemplate {
  name: string;
  unit: ComputeUnit;
  /** True when the cost depends on `cachedTokens`: only these are re-evaluated per decode step. */
  contextDependent: boolean;
  /**
   * Cached tokens from which the cost stops changing (a sliding window of w tokens: w − 1, since a
   * decode step then attends to exactly w keys). Absent: the cost keeps growing with the context.
   */
  contextLimitTokens?: number;
  stored: StoredWeights;
  /** The kind of its weight matrix, whose format sets `stored.matrixElements`' bytes; absent without one. */
  weightKind?: WeightKind;
  /**
   * The share of the stored parameters one token uses: k / E for routed experts (k of E experts
   * per token), 1 when absent. Only the active parameter count uses it.
   */
  activeShare?: number;
  /**
   * KV cache elements this occurrence keeps per cached token of one sequence, on one device. The
   * attention layer owns the cache it reads (k/v projections only write into it).
   */
  kvCacheElementsPerToken: number;
  /** At most this many tokens per sequence stay cached (a sliding window); absent: all of them. */
  kvCacheTokenLimit?: number;
  /**
   * Elements of constant state this occurrence keeps per sequence, on one device, whatever the
   * sequence's length (a linear-attention or state-space layer's recurrent state and convolution
   * window). Stored in the KV cache format.
   */
  stateElementsPerSequence?: number;
  /**
   * True when serving engines run this layer in the same kernel as the one before it (q/k/v as
   * one QKV projection, gate and up as one, a residual add with the norm after it), so it costs
   * no launch of its own.
   */
  fusedWithPrevious?: boolean;
  /**
   * Which of its activation tensors stay 16-bit when the deployment quantises activations (fp8,
   * int8, fp4): only a matmul's input is quantised, so the residual stream, a norm's input, a
   * matmul's output and the MLP activation's inputs stay 16-bit. The counted bytes keep the
   * activation format (the ideal bound); `efficiency: expected` times these at 16 bits
   * (expected/clock.ts). Absent: the layer's activations are in the activation format.
   */
  sixteenBitActivations?: SixteenBitActivations;
  /** What one occurrence costs at `step`: new objects on every call, which a layer result then keeps (clock.ts). */
  cost(step: StepShape): LayerCost;
}

/** The template, marked as running inside the kernel of the layer before it. */
export function fusedWithPrevious(template: LayerTemplate): LayerTemplate {
  return { ...template, fusedWithPrevious: true };
}

/** An up projection: one kernel with the gate projection before it in a gated MLP, its own in a plain one. */
export function upProjection(gated: boolean, up: LayerTemplate): LayerTemplate {
  return gated ? fusedWithPrevious(up) : up;
}

/**
 * Which part of the model a group is, so a pipeline stage can take its own share of each: the
 * embedding, the parts of attention blocks, the attention kernels, the constant-state mixers, the
 * parts of blocks with an MLP, the two MLP kinds, the head, and the transfers between pipeline
 * stages.
 */
export type PlanPart =
  | 'embedding'
  | 'attention-block'
  | 'lightning-block'
  | 'deltanet-block'
  | 'mamba-block'
  | 'mamba2-block'
  | 'mlp-block'
  | 'full-attention'
  | 'sliding-attention'
  | 'chunked-attention'
  | 'dense-mlp'
  | 'moe-mlp'
  | 'head'
  | 'pipeline-transfer';

export interface LayerGroup {
  count: number;
  layers: LayerTemplate[];
  part: PlanPart;
}

export interface ModelPlan {
  groups: LayerGroup[];
  /** Elements of the residual stream per token (hidden size), live across every block. */
  residualElementsPerToken: number;
}

/** Bytes per element of each kind of tensor. */
export interface ElementBytes {
  /** Bytes per weight matrix element, by the kind of matrix (group scales included). */
  weight: Readonly<Record<WeightKind, number>>;
  /**
   * Multiples the routed experts' hidden and intermediate dimensions are padded to in storage:
   * vLLM's MXFP4 MoE kernels (Marlin, the Hopper and Ampere path) need n % 256 == 0 and
   * k % 128 == 0 for each expert matrix, so vllm/model_executor/layers/quantization/mxfp4.py
   * rounds hidden_size up to 256 and the intermediate size up to 128 (gpt-oss: 2880 → 3072 and
   * 2944). Absent: no padding.
   */
  expertAlignment?: { hidden: number; columns: number };
  vectorParameter: number;
  activation: number;
  /**
   * Bytes per logit lm_head writes (and its tensor-parallel all-gather moves): the head's own
   * precision, 16 bits even when the activations are fp8 (weightFormats.ts, logitsFormat).
   */
  logits: number;
  kvCache: number;
}

export const NO_STORED_WEIGHTS: StoredWeights = { matrixElements: 0, vectorElements: 0 };
