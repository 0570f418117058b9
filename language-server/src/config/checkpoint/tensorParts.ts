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

/** Modules outside the language model's layers (a vision tower, a projector, DeepSeek's `mtp`). */
const OTHER_MODULES = new Set(['vision', 'visual', 'vision_tower', 'vision_model', 'vision_backbone', 'vision_encoder', 'image_newline', 'audio_tower', 'audio', 'multi_modal_projector', 'mm_projector', 'vpm', 'resampler', 'mtp']);
const LAYER_INDEX = /(?:^|\.)(?:layers|h|blocks|layer|block)\.(\d+)\./;
/** Per-channel tensors of state-space mixers, stored like norm weights. */
const STATE_VECTORS = new Set(['a_log', 'd', 'dt_bias', 'sinks']);
const EMBEDDING_MODULES = new Set(['embed_tokens', 'wte', 'wpe', 'word_embeddings', 'tok_embeddings', 'embeddings', 'embedding']);
const LM_HEAD_MODULES = new Set(['lm_head', 'embed_out', 'output']);
const ROUTER_PARENTS = new Set(['mlp', 'moe', 'block_sparse_moe', 'feed_forward']);
const ROUTER_MODULES = new Set(['gate', 'router', 'gating']);
const ATTENTION_MODULES = new Set(['self_attn', 'attention', 'attn', 'mixer', 'linear_attn', 'mamba', 'time_mix', 'att_proj', 'attn_out', 'self_attention']);
const MLP_MODULES = new Set(['mlp', 'feed_forward', 'ffn', 'ff_proj', 'ff_out', 'dense_h_to_4h', 'dense_4h_to_h', 'fc1', 'fc2', 'c_fc', 'channel_mix']);

/** Norm weights and biases: the last segment, or the module holding a `weight`/`bias`, says so. */
function isVector(segments: readonly string[]): boolean {
  const leaf = segments[segments.length - 1]!;
  const module = segments[segments.length - 2] ?? '';
  if (leaf === 'bias' || leaf.endsWith('_bias')) return true;
  if (STATE_VECTORS.has(leaf) || module === 'conv1d') return true;
  return leaf === 'weight' && (module.includes('norm') || module.startsWith('ln_'));
}

function hasAny(segments: readonly string[], names: ReadonlySet<string>): boolean {
  return segments.some((segment) => names.has(segment));
}

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
  const segments = lower.split('.');
  if (hasAny(segments, OTHER_MODULES)) return 'other';
  const layer = layerIndexOf(lower);
  // Layers past num_hidden_layers: DeepSeek-V3's multi-token-prediction layer (layer 61 of 61).
  if (layer !== undefined && numLayers !== undefined && layer >= numLayers) return 'other';
  if (isVector(segments)) return 'vectors';
  if (layer === undefined) {
    if (hasAny(segments, LM_HEAD_MODULES)) return 'lm_head';
    if (hasAny(segments, EMBEDDING_MODULES)) return 'embedding';
    return 'other';
  }
  if (lower.includes('shared_expert')) return 'mlp';
  // `experts.17.up_proj.qweight`, or gpt-oss's fused `experts.gate_up_proj_blocks`.
  if (segments.includes('experts')) return 'experts';
  const router = segments.findIndex((segment) => ROUTER_MODULES.has(segment));
  if (router > 0 && ROUTER_PARENTS.has(segments[router - 1]!)) return 'router';
  if (hasAny(segments, ATTENTION_MODULES)) return 'attention';
  if (hasAny(segments, MLP_MODULES)) return 'mlp';
  return 'other';
}
