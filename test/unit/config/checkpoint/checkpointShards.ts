/**
 * Tensor lists of real checkpoints' layouts (names, dtypes and shapes as their safetensors headers
 * give them), for synthetic shards written by writeSafetensors.ts against the real config.json files
 * in test/fixtures/hf/.
 */
import type { TensorSpec } from './writeSafetensors';

/**
 * Qwen/Qwen3-8B-FP8: fp8 e4m3 linear weights with one fp32 scale per 128 × 128 block
 * (`weight_scale_inv`), bf16 embedding, lm_head and norms, q_norm/k_norm per head.
 */
export function qwen3Fp8Tensors(layers = 36): TensorSpec[] {
  const hidden = 4096;
  const intermediate = 12288;
  const blocks = (rows: number, columns: number): number[] => [Math.ceil(rows / 128), Math.ceil(columns / 128)];
  const linear = (name: string, rows: number, columns: number): TensorSpec[] => [
    { name: `${name}.weight`, dtype: 'F8_E4M3', shape: [rows, columns] },
    { name: `${name}.weight_scale_inv`, dtype: 'F32', shape: blocks(rows, columns) },
  ];
  const tensors: TensorSpec[] = [{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [151936, hidden] }];
  for (let layer = 0; layer < layers; layer++) {
    const at = `model.layers.${layer}`;
    tensors.push(
      ...linear(`${at}.self_attn.q_proj`, 4096, hidden),
      ...linear(`${at}.self_attn.k_proj`, 1024, hidden),
      ...linear(`${at}.self_attn.v_proj`, 1024, hidden),
      ...linear(`${at}.self_attn.o_proj`, hidden, 4096),
      { name: `${at}.self_attn.q_norm.weight`, dtype: 'BF16', shape: [128] },
      { name: `${at}.self_attn.k_norm.weight`, dtype: 'BF16', shape: [128] },
      ...linear(`${at}.mlp.gate_proj`, intermediate, hidden),
      ...linear(`${at}.mlp.up_proj`, intermediate, hidden),
      ...linear(`${at}.mlp.down_proj`, hidden, intermediate),
      { name: `${at}.input_layernorm.weight`, dtype: 'BF16', shape: [hidden] },
      { name: `${at}.post_attention_layernorm.weight`, dtype: 'BF16', shape: [hidden] },
    );
  }
  tensors.push({ name: 'model.norm.weight', dtype: 'BF16', shape: [hidden] }, { name: 'lm_head.weight', dtype: 'BF16', shape: [151936, hidden] });
  return tensors;
}

/**
 * openai/gpt-oss-20b: MXFP4 routed experts as `_blocks` (two e2m1 values per byte, 32-element
 * blocks) and `_scales` (one e8m0 byte per block), bf16 attention with biases and sinks, a bf16
 * router with bias, bf16 embedding and lm_head.
 */
export function gptOss20bTensors(): TensorSpec[] {
  const hidden = 2880;
  const experts = 32;
  const tensors: TensorSpec[] = [{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [201088, hidden] }];
  for (let layer = 0; layer < 24; layer++) {
    const at = `model.layers.${layer}`;
    for (const [name, rows] of [['q_proj', 4096], ['k_proj', 512], ['v_proj', 512]] as const) {
      tensors.push({ name: `${at}.self_attn.${name}.weight`, dtype: 'BF16', shape: [rows, hidden] }, { name: `${at}.self_attn.${name}.bias`, dtype: 'BF16', shape: [rows] });
    }
    tensors.push(
      { name: `${at}.self_attn.o_proj.weight`, dtype: 'BF16', shape: [hidden, 4096] },
      { name: `${at}.self_attn.o_proj.bias`, dtype: 'BF16', shape: [hidden] },
      { name: `${at}.self_attn.sinks`, dtype: 'BF16', shape: [64] },
      { name: `${at}.mlp.router.weight`, dtype: 'BF16', shape: [experts, hidden] },
      { name: `${at}.mlp.router.bias`, dtype: 'BF16', shape: [experts] },
      { name: `${at}.mlp.experts.gate_up_proj_blocks`, dtype: 'U8', shape: [experts, 5760, 90, 16] },
      { name: `${at}.mlp.experts.gate_up_proj_scales`, dtype: 'U8', shape: [experts, 5760, 90] },
      { name: `${at}.mlp.experts.gate_up_proj_bias`, dtype: 'BF16', shape: [experts, 5760] },
      { name: `${at}.mlp.experts.down_proj_blocks`, dtype: 'U8', shape: [experts, hidden, 90, 16] },
      { name: `${at}.mlp.experts.down_proj_scales`, dtype: 'U8', shape: [experts, hidden, 90] },
      { name: `${at}.mlp.experts.down_proj_bias`, dtype: 'BF16', shape: [experts, hidden] },
      { name: `${at}.input_layernorm.weight`, dtype: 'BF16', shape: [hidden] },
      { name: `${at}.post_attention_layernorm.weight`, dtype: 'BF16', shape: [hidden] },
    );
  }
  tensors.push({ name: 'model.norm.weight', dtype: 'BF16', shape: [hidden] }, { name: 'lm_head.weight', dtype: 'BF16', shape: [201088, hidden] });
  return tensors;
}
