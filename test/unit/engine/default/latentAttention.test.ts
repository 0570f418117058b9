import * as assert from 'node:assert/strict';
import { RooflineInputError } from '../../../../language-server/src/engine/errors';
import { H100, analyze, hfConfig, sixteenBitCheckpoint, layer, layerNames } from './helpers';

/**
 * DeepSeek-V3: H 7168, 128 heads, q_lora_rank 1536, kv_lora_rank 512, qk_nope_head_dim 128,
 * qk_rope_head_dim 64, v_head_dim 128, 61 blocks.
 */
describe('default conventions: multi-head latent attention (DeepSeek-V3)', () => {
  const result = analyze({ model: sixteenBitCheckpoint(hfConfig('deepseek-v3')), hardware: H100, batchSize: 1, promptTokens: 1024, outputTokens: 16 });

  it('has the MLA projections with their shapes', () => {
    const weights = (name: string): number => layer(result, 'decode', name).bytes.weights;
    assert.equal(weights('q_a_proj'), 7168 * 1536 * 2);
    assert.equal(weights('q_a_norm'), 1536 * 2);
    assert.equal(weights('q_b_proj'), 1536 * (128 * (128 + 64)) * 2);
    assert.equal(weights('kv_a_proj'), 7168 * (512 + 64) * 2);
    assert.equal(weights('kv_a_norm'), 512 * 2);
    assert.equal(weights('o_proj'), 128 * 128 * 7168 * 2);
    // Decode splits kv_b_proj [512 → 128 · (128 + 128)] into its key half (absorbed into the
    // query) and its value half (absorbed into the output).
    assert.equal(weights('q_absorb'), 128 * 128 * 512 * 2);
    assert.equal(weights('v_absorb'), 128 * 512 * 128 * 2);
    assert.equal(layer(result, 'prefill', 'kv_b_proj').bytes.weights, 512 * 128 * 256 * 2);
    // Per block: 11,010,048 + 1,536 + 37,748,736 + 4,128,768 + 512 + 16,777,216 + 117,440,512
    // = 187,107,328 parameters (the MoE test adds them up to 671.0 B).
    assert.ok(!layerNames(result, 'decode').includes('k_proj'));
  });

  it('caches the latent: 61 · (512 + 64) · 2 B = 70,272 B per token', () => {
    assert.equal(result.stages.prefill.memory.kv_cache_bytes, 1024 * 70_272);
    assert.equal(result.memory.kv_cache_bytes, (1024 + 16) * 70_272);
    // kv_a_norm writes each new token's 576-element entry.
    assert.equal(layer(result, 'decode', 'kv_a_norm').bytes.kv_write, 576 * 2);
  });

  it('decodes in the latent space: every head reads the one cached latent', () => {
    const attention = layer(result, 'decode', 'latent_fused_attention');
    // 1025 keys; per head and key 2 · (512 + 64) for the scores, 2 · 512 for the values, 5 softmax.
    assert.equal(attention.flops, 128 * 1025 * (2 * 576 + 2 * 512 + 5));
    // The latent is read once for all 128 heads: 1025 · 576 · 2 B.
    assert.equal(attention.bytes.kv_read, 1025 * 576 * 2);
    assert.equal(attention.bytes.activations_in, 128 * 576 * 2); // absorbed queries
    assert.equal(attention.bytes.activations_out, 128 * 512 * 2); // latent outputs
    assert.equal(layer(result, 'decode', 'q_absorb').flops, 2 * 128 * 128 * 512);
    assert.ok(!layerNames(result, 'decode').includes('kv_b_proj'));
  });

  it('prefills with decompressed keys and values (ordinary attention over 192/128-wide heads)', () => {
    const decompress = layer(result, 'prefill', 'kv_b_proj');
    assert.equal(decompress.flops, 2 * 1024 * 512 * 32768);
    assert.equal(decompress.bytes.kv_read, 1024 * 512 * 2); // the latents, from the cache
    const attention = layer(result, 'prefill', 'fused_attention');
    // causal pairs 1024 · 1025 / 2 = 524,800; per head and pair 2 · 192 + 2 · 128 + 5
    assert.equal(attention.flops, 128 * 524_800 * (2 * 192 + 2 * 128 + 5));
    assert.equal(attention.bytes.kv_read, 0);
    // Q (1024 · 128 · 192) plus the decompressed K (1024 · 128 · 192) and V (1024 · 128 · 128)
    assert.equal(attention.bytes.activations_in, (1024 * 128 * 192 + 1024 * 128 * 192 + 1024 * 128 * 128) * 2);
    assert.ok(!layerNames(result, 'prefill').includes('q_absorb'));
    assert.ok(result.notes.some((note) => note.includes('latent')));
  });

  it('without FlashAttention the latent is read once for the scores and its value part once more', () => {
    const unfused = analyze({ model: sixteenBitCheckpoint(hfConfig('deepseek-v3')), hardware: H100, promptTokens: 1024, outputTokens: 4, flashAttention: false });
    assert.equal(layer(unfused, 'decode', 'latent_qk_matmul').bytes.kv_read, 1025 * 576 * 2);
    assert.equal(layer(unfused, 'decode', 'latent_sv_matmul').bytes.kv_read, 1025 * 512 * 2);
    assert.equal(layer(unfused, 'decode', 'latent_qk_matmul').flops, 2 * 128 * 1025 * 576);
    assert.equal(unfused.stages.prefill.memory.kv_cache_bytes, 1024 * 70_272);
  });

  it('under tensor parallelism splits the heads and replicates the latent cache', () => {
    const tp8 = analyze({ model: sixteenBitCheckpoint(hfConfig('deepseek-v3')), hardware: H100, tensor: 8, promptTokens: 1024, outputTokens: 16 });
    assert.equal(layer(tp8, 'decode', 'q_b_proj').bytes.weights, 1536 * (16 * 192) * 2);
    assert.equal(layer(tp8, 'decode', 'kv_a_proj').bytes.weights, 7168 * 576 * 2);
    assert.equal(layer(tp8, 'decode', 'latent_fused_attention').bytes.kv_read, 1025 * 576 * 2);
    assert.equal(tp8.memory.kv_cache_bytes, (1024 + 16) * 70_272);
    assert.equal(layer(tp8, 'decode', 'experts_gate_proj').bytes.weights, 8 * 7168 * 256 * 2); // 2048 / 8 columns
    assert.equal(tp8.model.parameters, 671_026_419_200);
  });

  it('needs the head sizes when kv_lora_rank is set', () => {
    assert.throws(
      () => analyze({ model: { ...sixteenBitCheckpoint(hfConfig('deepseek-v3')), qk_rope_head_dim: undefined } }),
      (error: unknown) => error instanceof RooflineInputError && error.code === 'missing-field' && error.message.includes('qk_rope_head_dim'),
    );
  });
});
