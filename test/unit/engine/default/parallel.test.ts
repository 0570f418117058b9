import * as assert from 'node:assert/strict';
import { RooflineInputError } from '../../../../language-server/src/engine/errors';
import { A6000, H100, analyze, assertClose, hfConfig, layer, layerNames } from './helpers';

describe('default conventions: tensor parallelism', () => {
  // Llama-2-70b: H 8192, 64 query heads and 8 KV heads of 128, I 28672, V 32000, 80 layers.
  const tp2 = analyze({ model: hfConfig('llama-2-70b'), hardware: H100, tensor: 2, batchSize: 1, promptTokens: 1024 });
  const tp1 = analyze({ model: hfConfig('llama-2-70b'), hardware: H100, tensor: 1, batchSize: 1, promptTokens: 1024 });

  it('splits heads and MLP columns per device', () => {
    assert.equal(layer(tp2, 'decode', 'q_proj').bytes.weights, 8192 * (32 * 128) * 2); // 32 heads on this device
    assert.equal(layer(tp2, 'decode', 'k_proj').bytes.weights, 8192 * (4 * 128) * 2); // 4 KV heads
    assert.equal(layer(tp2, 'decode', 'k_proj').bytes.kv_write, 4 * 128 * 2);
    assert.equal(layer(tp2, 'decode', 'o_proj').bytes.weights, 4096 * 8192 * 2);
    assert.equal(layer(tp2, 'decode', 'gate_proj').bytes.weights, 8192 * 14336 * 2); // 28672 / 2
    assert.equal(layer(tp2, 'decode', 'down_proj').bytes.weights, 14336 * 8192 * 2);
    // Attention on this device: 32 query heads, 4 KV heads, 1025 keys.
    assert.equal(layer(tp2, 'decode', 'fused_attention').bytes.kv_read, 2 * 4 * 1025 * 128 * 2);
    assert.equal(layer(tp2, 'decode', 'fused_attention').flops, 32 * 1025 * (4 * 128 + 5));
    // Norms and the embedding are replicated; lm_head's vocabulary is split.
    assert.equal(layer(tp2, 'decode', 'attn_norm').bytes.weights, layer(tp1, 'decode', 'attn_norm').bytes.weights);
    assert.equal(layer(tp2, 'decode', 'lm_head').bytes.weights, 8192 * 16000 * 2);
    // Per-device KV cache is half, and the parameter count stays the model's.
    assert.equal(tp2.memory.kv_cache_bytes * 2, tp1.memory.kv_cache_bytes);
    assert.equal(tp2.model.parameters, tp1.model.parameters);
  });

  it('adds an all-reduce after attention and after the MLP of every block, and gathers the logits', () => {
    const names = layerNames(tp2, 'decode');
    assert.deepEqual(names.slice(names.indexOf('o_proj'), names.indexOf('o_proj') + 3), ['o_proj', 'attn_all_reduce', 'attn_add']);
    assert.deepEqual(names.slice(names.indexOf('down_proj'), names.indexOf('down_proj') + 3), ['down_proj', 'mlp_all_reduce', 'mlp_add']);
    assert.equal(layer(tp2, 'decode', 'attn_all_reduce').count, 80);
    assert.ok(!layerNames(tp1, 'decode').some((name) => name.includes('all_')));
    // Ring all-reduce of 8192 fp16 values (16,384 B) over 2 devices at 450e9 B/s, 2 µs per step:
    // 2·(2−1)/2 · 16384 / 450e9 + 2·(2−1) · 2e-6 = 3.6409e-8 + 4e-6 s.
    const allReduce = layer(tp2, 'decode', 'mlp_all_reduce');
    assertClose(allReduce.seconds, 16_384 / 450e9 + 4e-6);
    assert.equal(allReduce.bytes.activations_in, 16_384);
    // Prefill moves 1024 tokens' worth: 16,777,216 B → 16777216 / 450e9 + 4e-6.
    assertClose(layer(tp2, 'prefill', 'attn_all_reduce').seconds, 16_777_216 / 450e9 + 4e-6);
    // Each device gathers the other's 16,000 logits (32,000 B): one ring step.
    assertClose(layer(tp2, 'decode', 'lm_head_all_gather').seconds, 32_000 / 450e9 + 2e-6);
  });

  it('uses PCIe 4.0 x16 with a note when the hardware gives no interconnect', () => {
    const result = analyze({ model: hfConfig('llama-2-7b'), hardware: A6000, tensor: 2 });
    // 2·(1/2)·8192 B / 32e9 + 2 · 5e-6
    assertClose(layer(result, 'decode', 'attn_all_reduce').seconds, 8_192 / 32e9 + 1e-5);
    assert.ok(result.notes.some((note) => note.includes('PCIe 4.0 x16')));
  });

  it('replicates KV heads when there are more devices than KV heads', () => {
    const result = analyze({ model: hfConfig('llama-2-70b'), hardware: H100, tensor: 16 });
    assert.equal(layer(result, 'decode', 'k_proj').bytes.weights, 8192 * 128 * 2); // one KV head per device
    assert.equal(layer(result, 'decode', 'q_proj').bytes.weights, 8192 * (4 * 128) * 2); // 64 / 16 heads
    assert.ok(result.notes.some((note) => note.includes('replicated 2×')));
  });

  it('rejects a split that does not divide the heads or the KV heads', () => {
    const check = (tensor: number, model = 'llama-2-70b'): void => {
      assert.throws(
        () => analyze({ model: hfConfig(model), tensor }),
        (error: unknown) =>
          error instanceof RooflineInputError &&
          error.code === 'tp-not-divisible' &&
          error.path.join('.') === 'parallelism.tensor',
      );
    };
    check(3); // 64 heads
    check(24); // 64 % 24 ≠ 0
    check(128); // more devices than query heads
    check(6, 'llama-3.1-8b'); // 32 heads
  });

  it('rejects a hardware interconnect without bandwidth', () => {
    assert.throws(
      () => analyze({ hardware: { ...A6000, interconnect: { bandwidthBytesPerSecond: 0, latencySeconds: 0 } }, tensor: 2 }),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'hardware.interconnect.bandwidth_gb_s',
    );
  });
});
