/**
 * Which part of the model a checkpoint tensor belongs to, from its name alone: the kinds the
 * engine counts weights by (embedding, attention, dense MLP and shared experts, routed experts,
 * router, lm_head), `vectors` for norm weights and biases (and the small per-channel tensors of
 * state-space mixers), and `other` for what the language model's layers do not hold (a vision
 * tower, multi-token-prediction layers past num_hidden_layers). Quantization's companion tensors
 * (`qweight`/`scales`/`qzeros`, `weight_scale`, `_blocks`/`_scales`, bitsandbytes' `absmax`) go with
 * their matrix, so a part's bytes include its scales.
 */
import type { CheckpointPart } from '../../engine/types';

const OTHER_MODULES = /(^|\.)(vision|visual|vision_tower|vision_model|vision_backbone|vision_encoder|image_newline|audio_tower|audio|multi_modal_projector|mm_projector|vpm|resampler|mtp)(\.|_|$)/;
const LAYER_INDEX = /(?:^|\.)(?:layers|h|blocks|layer|block)\.(\d+)\./;
const VECTOR_TENSORS = /(?:(?:^|\.)(?:[a-z0-9_]*norm[a-z0-9_]*|ln_[a-z0-9]+|ln_f)\.(?:weight|bias)$)|(?:[._]bias$)|(?:\.(?:a_log|d|dt_bias|sinks|conv1d\.weight)$)/;
const EMBEDDING = /(?:^|\.)(?:embed_tokens|wte|wpe|word_embeddings|tok_embeddings|embeddings|embedding|wte\.weight)(?:\.|$)/;
const LM_HEAD = /(?:^|\.)(?:lm_head|embed_out|output)(?:\.|$)/;
const SHARED_EXPERTS = /shared_expert/;
const ROUTED_EXPERTS = /(?:^|\.)experts(?:\.|_)/;
const ROUTER = /(?:^|\.)(?:mlp|moe|block_sparse_moe|feed_forward)\.(?:gate|router|gating)(?:\.|$)/;
const ATTENTION = /(?:^|\.)(?:self_attn|attention|attn|mixer|linear_attn|mamba|time_mix|att_proj|attn_out|self_attention)(?:\.|$)/;
const MLP = /(?:^|\.)(?:mlp|feed_forward|ffn|ff_proj|ff_out|dense_h_to_4h|dense_4h_to_h|fc1|fc2|c_fc|channel_mix)(?:\.|$)/;

/** The block a tensor sits in (`model.layers.12.…` → 12), if any. */
export function layerIndexOf(name: string): number | undefined {
  const match = LAYER_INDEX.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** The routed expert a tensor belongs to (`…experts.17.up_proj…` → 17), if it names one. */
export function expertIndexOf(name: string): number | undefined {
  const match = /(?:^|\.)experts\.(\d+)\./.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** The part of the model the tensor `name` belongs to, for a model of `numLayers` blocks. */
export function partOfTensor(name: string, numLayers: number | undefined): CheckpointPart {
  const lower = name.toLowerCase();
  if (OTHER_MODULES.test(lower)) return 'other';
  const layer = layerIndexOf(lower);
  // Layers past num_hidden_layers: DeepSeek-V3's multi-token-prediction layer (layer 61 of 61).
  if (layer !== undefined && numLayers !== undefined && layer >= numLayers) return 'other';
  if (VECTOR_TENSORS.test(lower)) return 'vectors';
  if (layer === undefined) {
    if (LM_HEAD.test(lower)) return 'lm_head';
    if (EMBEDDING.test(lower)) return 'embedding';
    return 'other';
  }
  if (SHARED_EXPERTS.test(lower)) return 'mlp';
  if (ROUTED_EXPERTS.test(lower)) return 'experts';
  if (ROUTER.test(lower)) return 'router';
  if (ATTENTION.test(lower)) return 'attention';
  if (MLP.test(lower)) return 'mlp';
  return 'other';
}
