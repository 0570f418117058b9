/**
 * The attention kernels of the default conventions (the part of a block that reads the KV cache),
 * for every attention kind the plans use: grouped-query attention over full K/V, sliding-window
 * attention, and multi-head latent attention in its absorbed (latent space) and decompressed forms.
 * One geometry describes them all. Notation as in layers.ts; w is the sliding window.
 */
import { layerCost, type LayerCost } from '../roofline';
import { NO_STORED_WEIGHTS, type ElementBytes, type LayerTemplate, type StepShape } from './plan';
import { layerBytes } from './layers';

/** What one attention layer computes and reads, on one device. */
export interface AttentionGeometry {
  /** Prefixed to the layer names: '' for full attention, 'sliding_' or 'latent_' otherwise. */
  namePrefix: string;
  queryHeads: number;
  /** Elements of one query·key dot product per head (d; absorbed MLA: kv_lora_rank + qk_rope_head_dim). */
  queryKeyDim: number;
  /** Elements of one value, and of one head's output (d; absorbed MLA: kv_lora_rank). */
  valueDim: number;
  /** K elements per key token of one sequence, all KV heads of this device together (nkv · d). */
  keyElementsPerToken: number;
  /** V elements per key token of one sequence (nkv · d; absorbed MLA: kv_lora_rank). */
  valueElementsPerToken: number;
  /**
   * True when the values are a slice of the keys (absorbed MLA: a value is the first kv_lora_rank
   * elements of the cached latent), so a fused kernel reads each cached token once.
   */
  valuesInsideKeys: boolean;
  /** K/V come from the KV cache, or from activations just computed (MLA prefill decompresses the latent). */
  keyValueSource: 'kv_cache' | 'activations';
  /** KV cache elements the layer keeps per token of one sequence (2 · nkv · d; MLA: kv_lora_rank + rope). */
  cacheElementsPerToken: number;
  /** Each query sees at most this many keys, itself included; absent for full attention. */
  windowTokens?: number;
  /**
   * Chunked attention (Llama 4): each query sees the keys of its own chunk of `windowTokens` up to
   * itself, instead of the last `windowTokens`.
   */
  chunked?: boolean;
  /**
   * gpt-oss's attention sinks: one learned logit per head that joins every softmax. Stored and read
   * as parameters; the one extra score per head and query is not counted.
   */
  sinkLogits: boolean;
}

/**
 * Softmax per score: scale, max, subtract-and-exp, sum, divide, counted as 5 (as LLM-Viewer does);
 * FlashAttention's online rescaling costs about the same.
 */
const SOFTMAX_OPS_PER_SCORE = 5;

/**
 * (query, key) pairs that causal attention needs for T new tokens after s cached ones: token j
 * (1-based) sees the s cached tokens and itself and the j − 1 before it. Decode (T = 1): s + 1,
 * the new token attends to its own K/V too.
 */
export function causalPairs(queryTokens: number, cachedTokens: number): number {
  return queryTokens * cachedTokens + (queryTokens * (queryTokens + 1)) / 2;
}

/**
 * The same with a sliding window: token j sees min(s + j, w) keys (HF's and vLLM's window counts
 * the query itself). Σ_j min(s + j, w) = the causal pairs of the tokens still inside the window
 * plus w for each of the others.
 */
export function attendedPairs(queryTokens: number, cachedTokens: number, windowTokens?: number): number {
  if (windowTokens === undefined || cachedTokens + queryTokens <= windowTokens) return causalPairs(queryTokens, cachedTokens);
  const growing = Math.max(0, windowTokens - cachedTokens);
  return growing * cachedTokens + (growing * (growing + 1)) / 2 + (queryTokens - growing) * windowTokens;
}

/**
 * Chunked attention (Llama 4's `attention_chunk_size` c): the token at position p (0-based) sees
 * the p mod c + 1 keys of its chunk up to itself, so a prefill of T tokens after s cached ones
 * attends Σ_{p=s}^{s+T−1} (p mod c + 1) pairs. A decode step is counted as seeing min(s + 1, c)
 * keys: exact within the first chunk, an upper bound after it (the step's real count rises from 1
 * to c and falls back with every chunk; on average about half a chunk), which keeps decode costs
 * monotone in the context so their sums have a closed form.
 */
export function chunkedPairs(queryTokens: number, cachedTokens: number, chunkTokens: number): number {
  if (queryTokens === 1) return Math.min(cachedTokens + 1, chunkTokens);
  const prefix = (positions: number): number => {
    // Σ_{p=0}^{positions−1} (p mod c + 1): whole chunks, then the partial one.
    const whole = Math.floor(positions / chunkTokens);
    const rest = positions - whole * chunkTokens;
    return (whole * chunkTokens * (chunkTokens + 1)) / 2 + (rest * (rest + 1)) / 2;
  };
  return prefix(cachedTokens + queryTokens) - prefix(cachedTokens);
}

/** Pairs attended by a geometry's kernel: causal, sliding-window or chunked. */
function pairsOf(geometry: AttentionGeometry, step: StepShape): number {
  if (geometry.chunked && geometry.windowTokens !== undefined) return chunkedPairs(step.queryTokens, step.cachedTokens, geometry.windowTokens);
  return attendedPairs(step.queryTokens, step.cachedTokens, geometry.windowTokens);
}

/**
 * Distinct key tokens one sequence's step reads: all s + T without a window; with one, only the
 * last w − 1 cached tokens are still visible to the first new token, so min(s + T, T + w − 1)
 * (decode: min(s + 1, w)).
 */
export function keysRead(queryTokens: number, cachedTokens: number, windowTokens?: number): number {
  const all = cachedTokens + queryTokens;
  return windowTokens === undefined ? all : Math.min(all, queryTokens + windowTokens - 1);
}

/** The template fields every attention layer of one geometry shares. */
function attentionBase(geometry: AttentionGeometry): Pick<LayerTemplate, 'contextDependent' | 'stored' | 'kvCacheElementsPerToken'> & {
  contextLimitTokens?: number;
} {
  return {
    contextDependent: true,
    stored: NO_STORED_WEIGHTS,
    kvCacheElementsPerToken: 0,
    ...(geometry.windowTokens !== undefined ? { contextLimitTokens: geometry.windowTokens - 1 } : {}),
  };
}

/** The cache this geometry keeps, owned by the one layer of a kernel that reads the keys. */
function cacheOwnership(geometry: AttentionGeometry): Pick<LayerTemplate, 'kvCacheElementsPerToken' | 'kvCacheTokenLimit'> {
  return {
    kvCacheElementsPerToken: geometry.cacheElementsPerToken,
    ...(geometry.windowTokens !== undefined ? { kvCacheTokenLimit: geometry.windowTokens } : {}),
  };
}

/** The sink logits, owned by the layer that runs the softmax. */
function sinkStorage(geometry: AttentionGeometry): Pick<LayerTemplate, 'stored'> {
  return { stored: geometry.sinkLogits ? { matrixElements: 0, vectorElements: geometry.queryHeads } : NO_STORED_WEIGHTS };
}

function sinkBytes(geometry: AttentionGeometry, sizes: ElementBytes): number {
  return geometry.sinkLogits ? geometry.queryHeads * sizes.vectorParameter : 0;
}

/** Bytes per element of K/V as the kernel reads them. */
function keyValueBytesPerElement(geometry: AttentionGeometry, sizes: ElementBytes): number {
  return geometry.keyValueSource === 'kv_cache' ? sizes.kvCache : sizes.activation;
}


/**
 * Fused attention (FlashAttention, FlashDecoding, FlashMLA): scores never leave the chip, and
 * tiles past the causal diagonal or outside the window are skipped, so FLOPs count only the pairs
 * attended. Q is read and O written once. K and V are read from DRAM once per KV head: in decode
 * there is a single query block (GQA packing shares a KV head's tiles among its query heads; MLA
 * shares one latent among all heads); in prefill FlashAttention-2 re-reads K/V for every 128-row
 * query block, but it launches the blocks of one head together and one head's K/V (2·s·d·Bkv,
 * 2 MB at s = 4096, d = 128) sits in L2, so the re-reads rarely reach DRAM.
 */
export function fusedAttentionLayer(geometry: AttentionGeometry, sizes: ElementBytes): LayerTemplate {
  const { queryHeads, queryKeyDim, valueDim, windowTokens } = geometry;
  const keyValueElementsPerToken =
    geometry.keyElementsPerToken + (geometry.valuesInsideKeys ? 0 : geometry.valueElementsPerToken);
  const flopsPerPairPerHead = 2 * queryKeyDim + 2 * valueDim + SOFTMAX_OPS_PER_SCORE;
  const keyValueBytes = keyValueBytesPerElement(geometry, sizes);
  const fromCache = geometry.keyValueSource === 'kv_cache';
  // Fields written out rather than spread from attentionBase, cacheOwnership and sinkStorage (the
  // same values): a plan prepares this for every parallelism and format it tries.
  const template: LayerTemplate = {
    name: `${geometry.namePrefix}fused_attention`,
    unit: 'attention',
    contextDependent: true,
    stored: sinkStorage(geometry).stored,
    kvCacheElementsPerToken: geometry.cacheElementsPerToken,
    cost(step) {
      const b = step.batchSize;
      const queryRows = b * step.queryTokens * queryHeads;
      const pairs = pairsOf(geometry, step);
      const keys = keysRead(step.queryTokens, step.cachedTokens, windowTokens);
      const keyValueTraffic = b * keys * keyValueElementsPerToken * keyValueBytes;
      return layerCost(
        b * queryHeads * pairs * flopsPerPairPerHead,
        layerBytes({
          weights: sinkBytes(geometry, sizes),
          activations_in: queryRows * queryKeyDim * sizes.activation + (fromCache ? 0 : keyValueTraffic),
          activations_out: queryRows * valueDim * sizes.activation,
          kv_read: fromCache ? keyValueTraffic : 0,
        }),
      );
    },
  };
  if (windowTokens !== undefined) {
    template.contextLimitTokens = windowTokens - 1;
    template.kvCacheTokenLimit = windowTokens;
  }
  return template;
}

/**
 * Unfused attention materialises the T × keys score matrix per head. A batched GEMM cannot skip
 * masked entries, so prefill computes and stores the whole square and the causal (and window)
 * mask is applied after; in decode the cache holds only the keys in the window. K and V are each
 * read once per KV head (absorbed MLA: the latent once for the scores, its first kv_lora_rank
 * elements once for the values).
 */
export function unfusedAttentionLayers(geometry: AttentionGeometry, sizes: ElementBytes): LayerTemplate[] {
  const { queryHeads, queryKeyDim, valueDim, windowTokens, namePrefix } = geometry;
  const base = attentionBase(geometry);
  const keyValueBytes = keyValueBytesPerElement(geometry, sizes);
  const fromCache = geometry.keyValueSource === 'kv_cache';
  const keys = (step: StepShape): number => keysRead(step.queryTokens, step.cachedTokens, windowTokens);
  const scores = (step: StepShape): number => step.batchSize * queryHeads * step.queryTokens * keys(step);
  const queryRows = (step: StepShape): number => step.batchSize * step.queryTokens * queryHeads;
  return [
    {
      ...base,
      ...cacheOwnership(geometry),
      name: `${namePrefix}qk_matmul`,
      unit: 'attention',
      cost: (step): LayerCost => {
        const keyTraffic = step.batchSize * keys(step) * geometry.keyElementsPerToken * keyValueBytes;
        return layerCost(
          2 * scores(step) * queryKeyDim,
          layerBytes({
            activations_in: queryRows(step) * queryKeyDim * sizes.activation + (fromCache ? 0 : keyTraffic),
            kv_read: fromCache ? keyTraffic : 0,
            activations_out: scores(step) * sizes.activation,
          }),
        );
      },
    },
    {
      ...base,
      ...sinkStorage(geometry),
      name: `${namePrefix}softmax`,
      unit: 'vector',
      cost: (step): LayerCost => layerCost(
        SOFTMAX_OPS_PER_SCORE * scores(step),
        layerBytes({ weights: sinkBytes(geometry, sizes), activations_in: scores(step) * sizes.activation, activations_out: scores(step) * sizes.activation }),
      ),
    },
    {
      ...base,
      name: `${namePrefix}sv_matmul`,
      unit: 'attention',
      cost: (step): LayerCost => {
        const valueTraffic = step.batchSize * keys(step) * geometry.valueElementsPerToken * keyValueBytes;
        return layerCost(
          2 * scores(step) * valueDim,
          layerBytes({
            activations_in: scores(step) * sizes.activation + (fromCache ? 0 : valueTraffic),
            kv_read: fromCache ? valueTraffic : 0,
            activations_out: queryRows(step) * valueDim * sizes.activation,
          }),
        );
      },
    },
  ];
}

export function attentionLayers(geometry: AttentionGeometry, flashAttention: boolean, sizes: ElementBytes): LayerTemplate[] {
  return flashAttention ? [fusedAttentionLayer(geometry, sizes)] : unfusedAttentionLayers(geometry, sizes);
}
