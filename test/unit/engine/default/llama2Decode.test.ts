/**
 * Llama-2-7b (H 4096, 32 heads of 128, I 11008, V 32000, 32 layers), one decode step with 1024
 * tokens cached, batch 1, fp16 everywhere, on an A6000-like part: 768e9 B/s, fp16 154.8e12.
 * Ridge point 154.8e12 / 768e9 = 201.5625 FLOP/B, so every decode layer is memory-bound and its
 * time is bytes / 768e9.
 */
import * as assert from 'node:assert/strict';
import { analyze, assertClose, layer, layerNames, totalBytes } from './helpers';

describe('default conventions: Llama-2-7b decode, layer by layer', () => {
  const result = analyze({ promptTokens: 1024, outputTokens: 256, batchSize: 1 });

  it('lists the layers of a dense block with readable names', () => {
    assert.deepEqual(layerNames(result, 'decode'), [
      'embedding',
      'attn_norm',
      'q_proj',
      'k_proj',
      'v_proj',
      'fused_attention',
      'o_proj',
      'attn_add',
      'mlp_norm',
      'gate_proj',
      'up_proj',
      'mlp_act',
      'down_proj',
      'mlp_add',
      'final_norm',
      'lm_head',
    ]);
    assert.equal(layer(result, 'decode', 'q_proj').count, 32);
    assert.equal(layer(result, 'decode', 'lm_head').count, 1);
  });

  it('q_proj: 2·4096·4096 FLOPs, the 4096×4096 fp16 matrix, one token in and out', () => {
    const q = layer(result, 'decode', 'q_proj');
    assert.equal(q.flops, 33_554_432); // 2 · 4096 · 4096
    assert.equal(q.bytes.weights, 33_554_432); // 4096 · 4096 · 2 B
    assert.equal(q.bytes.activations_in, 8_192); // 4096 · 2 B
    assert.equal(q.bytes.activations_out, 8_192); // 32 heads · 128 · 2 B
    assert.equal(q.bound, 'memory');
    assertClose(q.seconds, 33_570_816 / 768e9); // 4.37120e-5 s
    assertClose(q.arithmetic_intensity, 33_554_432 / 33_570_816);
  });

  it('k_proj: writes the new token into the KV cache instead of an activation', () => {
    const k = layer(result, 'decode', 'k_proj');
    assert.equal(k.flops, 33_554_432); // 2 · 4096 · (32 · 128)
    assert.equal(k.bytes.weights, 33_554_432);
    assert.equal(k.bytes.activations_out, 0);
    assert.equal(k.bytes.kv_write, 8_192); // 32 KV heads · 128 · 2 B
    assertClose(k.seconds, 33_570_816 / 768e9);
  });

  it('fused attention: attends to the 1024 cached tokens plus its own (1025), K/V read once', () => {
    const attention = layer(result, 'decode', 'fused_attention');
    // FLOPs: 32 heads · 1025 keys · (2·128 for QK + 2·128 for SV + 5 softmax) = 32 · 1025 · 517
    assert.equal(attention.flops, 16_957_600);
    assert.equal(attention.bytes.activations_in, 8_192); // Q: 32 · 128 · 2 B
    assert.equal(attention.bytes.activations_out, 8_192); // O: 32 · 128 · 2 B (not T×s)
    // K and V: 2 · 32 KV heads · 1025 tokens · 128 · 2 B
    assert.equal(attention.bytes.kv_read, 16_793_600);
    assert.equal(attention.bound, 'memory');
    assertClose(attention.seconds, 16_809_984 / 768e9); // 2.18880e-5 s
  });

  it('mlp_act: sized by the intermediate size, reads gate and up, writes I', () => {
    const act = layer(result, 'decode', 'mlp_act');
    assert.equal(act.bytes.activations_in, 44_032); // 2 · 11008 · 2 B
    assert.equal(act.bytes.activations_out, 22_016); // 11008 · 2 B
    assert.equal(act.flops, 55_040); // 11008 · (4 for SiLU + 1 for the gate product)
    assertClose(act.seconds, 66_048 / 768e9);
  });

  it('lm_head: 2 FLOPs per MAC, the batch in its activations, the untied 32000×4096 matrix', () => {
    const head = layer(result, 'decode', 'lm_head');
    assert.equal(head.flops, 262_144_000); // 2 · 4096 · 32000
    assert.equal(head.bytes.weights, 262_144_000); // 4096 · 32000 · 2 B
    assert.equal(head.bytes.activations_in, 8_192);
    assert.equal(head.bytes.activations_out, 64_000); // 32000 logits · 2 B
    assertClose(head.seconds, 262_216_192 / 768e9);
    const batched = analyze({ batchSize: 8 });
    const batchedHead = layer(batched, 'decode', 'lm_head');
    assert.equal(batchedHead.flops, 8 * 262_144_000);
    assert.equal(batchedHead.bytes.activations_in, 8 * 8_192);
    assert.equal(batchedHead.bytes.activations_out, 8 * 64_000);
  });

  it('loads norm weights and both residual operands', () => {
    const norm = layer(result, 'decode', 'attn_norm');
    assert.equal(norm.bytes.weights, 8_192); // 4096 RMSNorm scales · 2 B
    const add = layer(result, 'decode', 'attn_add');
    assert.equal(add.bytes.activations_in, 16_384); // two operands · 4096 · 2 B
    assert.equal(add.bytes.activations_out, 8_192);
  });

  it('reports the precision and ridge point it used', () => {
    assert.equal(result.hardware.compute_precision, 'fp16');
    assert.equal(result.hardware.peak_ops_per_second, 154.8e12);
    assertClose(result.hardware.ridge_point, 201.5625);
  });

  it('sums the stage as Σ count · per-occurrence values', () => {
    let seconds = 0;
    let bytes = 0;
    for (const entry of result.stages.decode.layers) {
      seconds += entry.count * entry.seconds;
      bytes += entry.count * totalBytes(entry);
    }
    assertClose(result.stages.decode.totals.seconds, seconds);
    assertClose(result.stages.decode.totals.bytes, bytes);
  });
});
