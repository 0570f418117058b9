import { integerProduct } from './exactInteger';

/**
 * The raw cost of one op in LLM-Viewer (latest upstream `op_handlers.py`, spec §4): operations and
 * the five byte kinds. Factors are multiplied in the order the spec writes them, integers first,
 * then the byte factor, as Python evaluates them (§13).
 */
export interface OpCost {
  ops: number;
  loadWeightBytes: number;
  loadActBytes: number;
  storeActBytes: number;
  loadKvCacheBytes: number;
  storeKvCacheBytes: number;
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
  /** Absent: block_r = head size, which every real on-chip size gives anyway (§4.3). */
  onChipBufferBytes?: number;
}

function cost(parts: Partial<OpCost> & { ops: number }): OpCost {
  return {
    ops: parts.ops,
    loadWeightBytes: parts.loadWeightBytes ?? 0,
    loadActBytes: parts.loadActBytes ?? 0,
    storeActBytes: parts.storeActBytes ?? 0,
    loadKvCacheBytes: parts.loadKvCacheBytes ?? 0,
    storeKvCacheBytes: parts.storeKvCacheBytes ?? 0,
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
  return cost({
    ops: integerProduct(inChannels, outChannels, b, queryTokens, 2),
    loadWeightBytes: integerProduct(inChannels, outChannels) * ctx.weightBytesPerElement,
    loadActBytes: integerProduct(inChannels, b, queryTokens) * ctx.activationBytesPerElement,
    storeActBytes: writesKvCache ? 0 : outputElements * ctx.activationBytesPerElement,
    storeKvCacheBytes: writesKvCache ? outputElements * ctx.kvBytesPerElement : 0,
  });
}

/**
 * §4.2 Q·Kᵀ. `queryLoadHeads` sizes the Q read: LLM-Viewer uses the query heads in decode but the
 * KV heads in prefill (§14 quirk 2, kept on purpose upstream for bit-compatibility).
 */
export function qkMatmulCost(ctx: OpContext, queryTokens: number, contextTokens: number, queryLoadHeads: number): OpCost {
  const { batchSize: b, headSize: d, numAttentionHeads: nh, numKeyValueHeads: nkv } = ctx;
  return cost({
    ops: integerProduct(queryTokens, contextTokens, d, nh, b, 2),
    loadActBytes: integerProduct(queryTokens, d, b, queryLoadHeads) * ctx.activationBytesPerElement,
    storeActBytes: integerProduct(queryTokens, contextTokens, b, nh) * ctx.activationBytesPerElement,
    loadKvCacheBytes: integerProduct(contextTokens, d, b, nkv) * ctx.kvBytesPerElement,
  });
}

/** §4.2 probabilities · V. */
export function svMatmulCost(ctx: OpContext, queryTokens: number, contextTokens: number): OpCost {
  const { batchSize: b, headSize: d, numAttentionHeads: nh, numKeyValueHeads: nkv } = ctx;
  return cost({
    ops: integerProduct(queryTokens, d, contextTokens, nh, b, 2),
    loadActBytes: integerProduct(queryTokens, contextTokens, b, nh) * ctx.activationBytesPerElement,
    storeActBytes: integerProduct(queryTokens, d, b, nh) * ctx.activationBytesPerElement,
    loadKvCacheBytes: integerProduct(contextTokens, d, b, nkv) * ctx.kvBytesPerElement,
  });
}

/** §4.2 softmax: 5 ops per score (max, subtract, exp, sum, divide). */
export function softmaxCost(ctx: OpContext, queryTokens: number, contextTokens: number): OpCost {
  const scores = integerProduct(ctx.batchSize, ctx.numAttentionHeads, contextTokens, queryTokens);
  return cost({
    ops: integerProduct(scores, 5),
    loadActBytes: scores * ctx.activationBytesPerElement,
    storeActBytes: scores * ctx.activationBytesPerElement,
  });
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
  return cost({
    ops: qkOps + svOps + softmaxOps,
    loadActBytes: queryBytes,
    // O is written twice: initialised, then saved.
    storeActBytes: outputBytes * 2,
    // K and V, re-read once per block of query rows.
    loadKvCacheBytes: integerProduct(queryBlocks, contextTokens, d, b, nkv) * ctx.kvBytesPerElement * 2,
  });
}

/** §4.4 a norm: 7 ops per element (sum, sub, pow, sum, div, mul, add); gamma is never loaded. */
export function normCost(ctx: OpContext, queryTokens: number): OpCost {
  const elements = integerProduct(ctx.batchSize, ctx.hiddenSize, queryTokens);
  return cost({
    ops: integerProduct(elements, 7),
    loadActBytes: elements * ctx.activationBytesPerElement,
    storeActBytes: elements * ctx.activationBytesPerElement,
  });
}

/** §4.4 residual add: one operand loaded (§14 quirk 9). */
export function residualAddCost(ctx: OpContext, queryTokens: number): OpCost {
  const elements = integerProduct(ctx.batchSize, ctx.hiddenSize, queryTokens);
  return cost({
    ops: elements,
    loadActBytes: elements * ctx.activationBytesPerElement,
    storeActBytes: elements * ctx.activationBytesPerElement,
  });
}

/** §4.4 mlp_act: sized with the hidden size, not the intermediate size (§14 quirk 1). */
export function mlpActivationCost(ctx: OpContext, queryTokens: number): OpCost {
  const elements = integerProduct(ctx.batchSize, ctx.hiddenSize, queryTokens);
  return cost({
    ops: integerProduct(elements, 2),
    loadActBytes: elements * ctx.activationBytesPerElement * 2,
    storeActBytes: elements * ctx.activationBytesPerElement,
  });
}

/** §4.5 lm_head: MACs counted once, logits for one token, no batch factor on its I/O. */
export function lmHeadCost(ctx: OpContext): OpCost {
  return cost({
    ops: integerProduct(ctx.batchSize, ctx.hiddenSize, ctx.vocabSize),
    loadWeightBytes: integerProduct(ctx.hiddenSize, ctx.vocabSize) * ctx.weightBytesPerElement,
    loadActBytes: ctx.hiddenSize * ctx.activationBytesPerElement,
    storeActBytes: ctx.vocabSize * ctx.activationBytesPerElement,
  });
}
