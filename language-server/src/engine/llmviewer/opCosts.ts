import type { LayerBytes } from '../types';
import { integerProduct } from './exactInteger';

/**
 * The raw cost of one op in LLM-Viewer (latest upstream `op_handlers.py`, spec §4): operations and
 * the five byte kinds. Factors are multiplied in the order the spec writes them, integers first,
 * then the byte factor, as Python evaluates them (§13).
 */
export interface OpCost {
  ops: number;
  /**
   * LLM-Viewer's load_weight, load_act, store_act, load_kv_cache and store_kv_cache, under our
   * result's names, so the layer's result row keeps this object (roofline.ts).
   */
  bytes: LayerBytes;
}

/** What every op of one analysis shares (batch, byte widths, model dimensions). */
export interface OpContext {
  batchSize: number;
  weightBytesPerElement: number;
  activationBytesPerElement: number;
  kvBytesPerElement: number;
  hiddenSize: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  headSize: number;
  vocabSize: number;
  /** Undefined: block_r = head size, which every real on-chip size gives anyway (§4.3). */
  onChipBufferBytes: number | undefined;
}

/**
 * Every cost is built here, with all six fields in one order: objects of one shape keep the code
 * that sums them monomorphic (V8 optimizes it once instead of recompiling it for a second shape).
 */
function cost(
  ops: number,
  loadWeightBytes: number,
  loadActBytes: number,
  storeActBytes: number,
  loadKvCacheBytes: number,
  storeKvCacheBytes: number,
): OpCost {
  return {
    ops,
    bytes: { weights: loadWeightBytes, activations_in: loadActBytes, activations_out: storeActBytes, kv_read: loadKvCacheBytes, kv_write: storeKvCacheBytes },
  };
}

/** §4.1: a weight matrix [inChannels, outChannels] applied to `queryTokens` tokens per sequence. */
export function linearCost(
  ctx: OpContext,
  queryTokens: number,
  inChannels: number,
  outChannels: number,
  writesKvCache: boolean,
): OpCost {
  const b = ctx.batchSize;
  const outputElements = integerProduct(outChannels, b, queryTokens);
  return cost(
    integerProduct(inChannels, outChannels, b, queryTokens, 2),
    integerProduct(inChannels, outChannels) * ctx.weightBytesPerElement,
    integerProduct(inChannels, b, queryTokens) * ctx.activationBytesPerElement,
    writesKvCache ? 0 : outputElements * ctx.activationBytesPerElement,
    0, // loadKvCacheBytes
    writesKvCache ? outputElements * ctx.kvBytesPerElement : 0,
  );
}

/**
 * §4.2 Q·Kᵀ. `queryLoadHeads` sizes the Q read: LLM-Viewer uses the query heads in decode but the
 * KV heads in prefill (§14 quirk 2, kept on purpose upstream for bit-compatibility).
 */
export function qkMatmulCost(ctx: OpContext, queryTokens: number, contextTokens: number, queryLoadHeads: number): OpCost {
  const { batchSize: b, headSize: d, numAttentionHeads: nh, numKeyValueHeads: nkv } = ctx;
  return cost(
    integerProduct(queryTokens, contextTokens, d, nh, b, 2),
    0, // loadWeightBytes
    integerProduct(queryTokens, d, b, queryLoadHeads) * ctx.activationBytesPerElement,
    integerProduct(queryTokens, contextTokens, b, nh) * ctx.activationBytesPerElement,
    integerProduct(contextTokens, d, b, nkv) * ctx.kvBytesPerElement,
    0, // storeKvCacheBytes
  );
}

/** §4.2 probabilities · V. */
export function svMatmulCost(ctx: OpContext, queryTokens: number, contextTokens: number): OpCost {
  const { batchSize: b, headSize: d, numAttentionHeads: nh, numKeyValueHeads: nkv } = ctx;
  return cost(
    integerProduct(queryTokens, d, contextTokens, nh, b, 2),
    0, // loadWeightBytes
    integerProduct(queryTokens, contextTokens, b, nh) * ctx.activationBytesPerElement,
    integerProduct(queryTokens, d, b, nh) * ctx.activationBytesPerElement,
    integerProduct(contextTokens, d, b, nkv) * ctx.kvBytesPerElement,
    0, // storeKvCacheBytes
  );
}

/** §4.2 softmax: 5 ops per score (max, subtract, exp, sum, divide). */
export function softmaxCost(ctx: OpContext, queryTokens: number, contextTokens: number): OpCost {
  const scores = integerProduct(ctx.batchSize, ctx.numAttentionHeads, contextTokens, queryTokens);
  return cost(
    integerProduct(scores, 5),
    0, // loadWeightBytes
    scores * ctx.activationBytesPerElement,
    scores * ctx.activationBytesPerElement,
    0, // loadKvCacheBytes
    0, // storeKvCacheBytes
  );
}

/** Rows of Q per FlashAttention-2 block: min(ceil(buffer / (Bkv·d)), d) (§4.3). */
export function flashBlockRows(ctx: OpContext): number {
  if (ctx.onChipBufferBytes === undefined) return ctx.headSize;
  return Math.min(Math.ceil(ctx.onChipBufferBytes / (ctx.kvBytesPerElement * ctx.headSize)), ctx.headSize);
}

/** §4.3 fused attention, latest upstream: O sized T×d, K/V read with the KV heads. */
export function fusedAttentionCost(ctx: OpContext, queryTokens: number, contextTokens: number): OpCost {
  const { batchSize: b, headSize: d, numAttentionHeads: nh, numKeyValueHeads: nkv } = ctx;
  const queryBlocks = Math.ceil(queryTokens / flashBlockRows(ctx));
  const qkOps = integerProduct(queryTokens, contextTokens, d, nh, b, 2);
  const svOps = integerProduct(queryTokens, d, contextTokens, nh, b, 2);
  const softmaxOps = integerProduct(b, nh, contextTokens, queryTokens, 5);
  const queryBytes = integerProduct(queryTokens, d, b, nh) * ctx.activationBytesPerElement;
  const outputBytes = integerProduct(queryTokens, d, b, nh) * ctx.activationBytesPerElement;
  return cost(
    qkOps + svOps + softmaxOps,
    0, // loadWeightBytes
    queryBytes,
    // O is written twice: initialised, then saved.
    outputBytes * 2,
    // K and V, re-read once per block of query rows.
    integerProduct(queryBlocks, contextTokens, d, b, nkv) * ctx.kvBytesPerElement * 2,
    0, // storeKvCacheBytes
  );
}

/** §4.4 a norm: 7 ops per element (sum, sub, pow, sum, div, mul, add); gamma is never loaded. */
export function normCost(ctx: OpContext, queryTokens: number): OpCost {
  const elements = integerProduct(ctx.batchSize, ctx.hiddenSize, queryTokens);
  return cost(
    integerProduct(elements, 7),
    0, // loadWeightBytes
    elements * ctx.activationBytesPerElement,
    elements * ctx.activationBytesPerElement,
    0, // loadKvCacheBytes
    0, // storeKvCacheBytes
  );
}

/** §4.4 residual add: one operand loaded (§14 quirk 9). */
export function residualAddCost(ctx: OpContext, queryTokens: number): OpCost {
  const elements = integerProduct(ctx.batchSize, ctx.hiddenSize, queryTokens);
  return cost(
    elements,
    0, // loadWeightBytes
    elements * ctx.activationBytesPerElement,
    elements * ctx.activationBytesPerElement,
    0, // loadKvCacheBytes
    0, // storeKvCacheBytes
  );
}

/** §4.4 mlp_act: sized with the hidden size, not the intermediate size (§14 quirk 1). */
export function mlpActivationCost(ctx: OpContext, queryTokens: number): OpCost {
  const elements = integerProduct(ctx.batchSize, ctx.hiddenSize, queryTokens);
  return cost(
    integerProduct(elements, 2),
    0, // loadWeightBytes
    elements * ctx.activationBytesPerElement * 2,
    elements * ctx.activationBytesPerElement,
    0, // loadKvCacheBytes
    0, // storeKvCacheBytes
  );
}

/**
 * §4.5 lm_head: MACs counted once, logits for one token, no batch factor on its I/O. The logits are
 * stored at `a_bit` (§5: every activation read and write, lm_head I/O included), so they stay at the
 * activation size here, matched exactly; the default conventions count them at the head's own
 * precision (default/weightFormats.ts, logitsFormat).
 */
export function lmHeadCost(ctx: OpContext): OpCost {
  return cost(
    integerProduct(ctx.batchSize, ctx.hiddenSize, ctx.vocabSize),
    integerProduct(ctx.hiddenSize, ctx.vocabSize) * ctx.weightBytesPerElement,
    ctx.hiddenSize * ctx.activationBytesPerElement,
    ctx.vocabSize * ctx.activationBytesPerElement,
    0, // loadKvCacheBytes
    0, // storeKvCacheBytes
  );
}
