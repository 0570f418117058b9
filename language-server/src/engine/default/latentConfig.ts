/**
 * Multi-head latent attention fields of a DeepSeek-V2/V3 config (DeepSeek-V2 report, §2.1):
 * queries through an optional low-rank bottleneck (`q_lora_rank`), keys and values compressed
 * into one latent of `kv_lora_rank` per token plus a shared RoPE key of `qk_rope_head_dim`.
 */
import type { HfConfig } from '../types';
import { optionalWholeNumber, requiredPositive, type FieldPath } from './configFields';

export interface LatentAttentionShape {
  /** Rank of the query bottleneck; absent when queries are projected directly (DeepSeek-V2-Lite). */
  queryLoraRank?: number;
  kvLoraRank: number;
  /** Per-head query/key width without position encoding. */
  qkNopeHeadDim: number;
  /** Width of the decoupled RoPE part of queries and of the one shared RoPE key. */
  qkRopeHeadDim: number;
  vHeadDim: number;
}

export function readLatentAttention(config: HfConfig, at: FieldPath): LatentAttentionShape | undefined {
  const kvLoraRank = optionalWholeNumber(config, ['kv_lora_rank'], at, 1);
  if (kvLoraRank === undefined) return undefined;
  const why = 'multi-head latent attention (kv_lora_rank) needs the head sizes';
  const queryLoraRank = optionalWholeNumber(config, ['q_lora_rank'], at, 1);
  return {
    ...(queryLoraRank !== undefined ? { queryLoraRank } : {}),
    kvLoraRank,
    qkNopeHeadDim: requiredPositive(config, ['qk_nope_head_dim'], at, why),
    qkRopeHeadDim: requiredPositive(config, ['qk_rope_head_dim'], at, why),
    vHeadDim: requiredPositive(config, ['v_head_dim'], at, why),
  };
}
