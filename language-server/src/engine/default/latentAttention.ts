/**
 * Multi-head latent attention (DeepSeek-V2 report §2.1; DeepSeek-V3). Notation: r_q q_lora_rank,
 * r_kv kv_lora_rank, dn qk_nope_head_dim, dr qk_rope_head_dim, dv v_head_dim, nh heads on this
 * device. The cache keeps, per token and layer, the normalised latent c_kv (r_kv) and the one
 * shared RoPE key (dr): 512 + 64 = 576 elements for DeepSeek-V3.
 *
 * Two formulations, as vLLM, SGLang and DeepSeek's own inference code run them:
 * - decode, weight absorption: kv_b_proj's key half is applied to the query (`q_absorb`,
 *   q_nope · W_UK per head: dn → r_kv) and its value half to the output (`v_absorb`: r_kv → dv),
 *   so attention runs in the latent space: every head reads the same cached latent, scores cost
 *   2·(r_kv + dr) and values 2·r_kv FLOPs per head and key, and the cache is read once per sequence.
 * - prefill, decompressed: kv_b_proj expands every token's latent into per-head keys and values
 *   (nh · (dn + dv)), then ordinary multi-head attention with query/key width dn + dr and value
 *   width dv runs over them; per key this is ~3.4× fewer FLOPs than the latent form, which is why
 *   engines prefill this way.
 */
import { attentionLayers, type AttentionGeometry } from './attention';
import { layerBytes, linearLayer, normLayer } from './layers';
import type { DeviceShape } from './parallel';
import type { ElementBytes, LayerTemplate } from './plan';
import type { ArchitectureShape } from './shape';
import type { LatentAttentionShape } from './latentConfig';
import { layerCost } from '../roofline';

/** Which formulation a plan uses: decompressed for prefill, absorbed for decode. */
export type LatentForm = 'decompressed' | 'absorbed';

/** Elements the latent cache keeps per token and layer: r_kv + dr. */
export function latentCacheElementsPerToken(latent: LatentAttentionShape): number {
  return latent.kvLoraRank + latent.qkRopeHeadDim;
}

/**
 * kv_a_norm normalises the latent and writes the cache entry (latent and RoPE key, 576 elements)
 * in the KV format, as vLLM's concat_and_cache_mla does.
 */
function latentNormLayer(latent: LatentAttentionShape, sizes: ElementBytes): LayerTemplate {
  const norm = normLayer('kv_a_norm', latent.kvLoraRank, 'rms', sizes);
  const entry = latentCacheElementsPerToken(latent);
  return {
    ...norm,
    cost(step) {
      const rows = step.batchSize * step.queryTokens;
      return layerCost(
        4 * rows * latent.kvLoraRank,
        layerBytes({
          weights: latent.kvLoraRank * sizes.vectorParameter,
          activations_in: rows * entry * sizes.activation,
          kv_write: rows * entry * sizes.kvCache,
        }),
      );
    },
  };
}

/**
 * Prefill's kv_b_proj [r_kv → nh·(dn + dv)] over every key token of the step (the s cached ones
 * and the T new ones), reading their latents from the cache.
 */
function decompressLayer(latent: LatentAttentionShape, heads: number, sizes: ElementBytes): LayerTemplate {
  const outFeatures = heads * (latent.qkNopeHeadDim + latent.vHeadDim);
  const inFeatures = latent.kvLoraRank;
  return {
    name: 'kv_b_proj',
    unit: 'matmul',
    contextDependent: true,
    weightKind: 'attention',
    stored: { matrixElements: inFeatures * outFeatures, vectorElements: 0 },
    kvCacheElementsPerToken: 0,
    cost(step) {
      const rows = step.batchSize * (step.cachedTokens + step.queryTokens);
      return layerCost(
        2 * rows * inFeatures * outFeatures,
        layerBytes({
          weights: inFeatures * outFeatures * sizes.weight.attention,
          kv_read: rows * inFeatures * sizes.kvCache,
          activations_out: rows * outFeatures * sizes.activation,
        }),
      );
    },
  };
}

/** Per-head [inFeatures → outFeatures] products of the absorbed form (q_absorb, v_absorb). */
function perHeadProjection(name: string, heads: number, inFeatures: number, outFeatures: number, sizes: ElementBytes): LayerTemplate {
  const weightElements = heads * inFeatures * outFeatures;
  return {
    name,
    unit: 'matmul',
    contextDependent: false,
    weightKind: 'attention',
    stored: { matrixElements: weightElements, vectorElements: 0 },
    kvCacheElementsPerToken: 0,
    cost(step) {
      const rows = step.batchSize * step.queryTokens;
      return layerCost(
        2 * rows * weightElements,
        layerBytes({
          weights: weightElements * sizes.weight.attention,
          activations_in: rows * heads * inFeatures * sizes.activation,
          activations_out: rows * heads * outFeatures * sizes.activation,
        }),
      );
    },
  };
}

function latentGeometry(latent: LatentAttentionShape, heads: number, form: LatentForm, windowTokens: number | undefined, namePrefix: string): AttentionGeometry {
  const cacheElementsPerToken = latentCacheElementsPerToken(latent);
  const window = windowTokens !== undefined ? { windowTokens } : {};
  if (form === 'absorbed') {
    return {
      namePrefix: `${namePrefix}latent_`,
      queryHeads: heads,
      queryKeyDim: cacheElementsPerToken,
      valueDim: latent.kvLoraRank,
      keyElementsPerToken: cacheElementsPerToken,
      valueElementsPerToken: latent.kvLoraRank,
      valuesInsideKeys: true,
      keyValueSource: 'kv_cache',
      cacheElementsPerToken,
      sinkLogits: false,
      ...window,
    };
  }
  const queryKeyDim = latent.qkNopeHeadDim + latent.qkRopeHeadDim;
  return {
    namePrefix,
    queryHeads: heads,
    queryKeyDim,
    valueDim: latent.vHeadDim,
    // The shared RoPE key is broadcast to every head before the kernel runs.
    keyElementsPerToken: heads * queryKeyDim,
    valueElementsPerToken: heads * latent.vHeadDim,
    valuesInsideKeys: false,
    keyValueSource: 'activations',
    cacheElementsPerToken,
    sinkLogits: false,
    ...window,
  };
}

/** attn_norm, q_a_proj, q_a_norm, q_b_proj (or q_proj), kv_a_proj, kv_a_norm, and in prefill kv_b_proj, in decode q_absorb. */
export function latentAttentionFront(shape: ArchitectureShape, latent: LatentAttentionShape, device: DeviceShape, sizes: ElementBytes, form: LatentForm): LayerTemplate[] {
  const H = shape.hiddenSize;
  const heads = device.queryHeads;
  const queryWidth = heads * (latent.qkNopeHeadDim + latent.qkRopeHeadDim);
  const queryLayers =
    latent.queryLoraRank !== undefined
      ? [
          linearLayer('q_a_proj', H, latent.queryLoraRank, false, 'activations', sizes, 'attention'),
          normLayer('q_a_norm', latent.queryLoraRank, 'rms', sizes),
          linearLayer('q_b_proj', latent.queryLoraRank, queryWidth, false, 'activations', sizes, 'attention'),
        ]
      : [linearLayer('q_proj', H, queryWidth, false, 'activations', sizes, 'attention')];
  return [
    normLayer('attn_norm', H, shape.norm, sizes),
    ...queryLayers,
    linearLayer('kv_a_proj', H, latentCacheElementsPerToken(latent), false, 'activations', sizes, 'attention'),
    latentNormLayer(latent, sizes),
    form === 'decompressed'
      ? decompressLayer(latent, heads, sizes)
      : perHeadProjection('q_absorb', heads, latent.qkNopeHeadDim, latent.kvLoraRank, sizes),
  ];
}

/** The attention kernel over the latent cache (absorbed) or the decompressed keys and values. */
export function latentAttentionCore(
  latent: LatentAttentionShape,
  device: DeviceShape,
  sizes: ElementBytes,
  form: LatentForm,
  flashAttention: boolean,
  windowTokens: number | undefined,
  namePrefix: string,
): LayerTemplate[] {
  return attentionLayers(latentGeometry(latent, device.queryHeads, form, windowTokens, namePrefix), flashAttention, sizes);
}

/** In decode, v_absorb turns each head's latent output into its value width before o_proj. */
export function latentAttentionBack(latent: LatentAttentionShape, device: DeviceShape, sizes: ElementBytes, form: LatentForm): LayerTemplate[] {
  return form === 'absorbed' ? [perHeadProjection('v_absorb', device.queryHeads, latent.kvLoraRank, latent.vHeadDim, sizes)] : [];
}
