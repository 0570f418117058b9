import * as assert from 'node:assert/strict';
import { RooflineInputError } from '../../../../language-server/src/engine/errors';
import { H100, analyze, assertClose, hfConfig, layer } from './helpers';

/**
 * Llama-3.1-70B at tensor parallelism 4 on an H100-SXM-like spec (3.35 TB/s, 989 TFLOPS fp16,
 * NVLink 450e9 B/s per direction, 2 µs per ring step), fp16 everywhere, batch 1, 1024 + 256 tokens.
 * Model: H 8192, 64 query heads and 8 KV heads of d 128, I 28672, V 128256 (untied), 80 blocks.
 */
describe('default conventions: tensor parallelism 4 on Llama-3.1-70B (hand-checked)', () => {
  const model = hfConfig('llama-3.1-70b');
  const tp4 = analyze({ model, hardware: H100, tensor: 4 });
  const tp1 = analyze({ model, hardware: H100, tensor: 1 });

  it('holds a quarter of the heads and columns, two of the eight KV heads, and a quarter of the vocabulary', () => {
    assert.equal(layer(tp4, 'decode', 'q_proj').bytes.weights, 8192 * (16 * 128) * 2); // 64 / 4 = 16 heads
    assert.equal(layer(tp4, 'decode', 'k_proj').bytes.weights, 8192 * (2 * 128) * 2); // 8 / 4 = 2 KV heads
    assert.equal(layer(tp4, 'decode', 'gate_proj').bytes.weights, 8192 * 7168 * 2); // 28672 / 4
    assert.equal(layer(tp4, 'decode', 'lm_head').bytes.weights, 8192 * 32064 * 2); // 128256 / 4
    // Per block per device: q 8192·2048 + k, v 8192·256 each + o 2048·8192 + gate, up, down 3·8192·7168
    // + two norms 2·8192 = 213,925,888 parameters, at 2 B. Plus the embedding's and lm_head's
    // quarters of the vocabulary (vocabulary-parallel, 32064·8192 each) and the final norm (8192).
    const blockParameters = 8192 * 2048 + 2 * 8192 * 256 + 2048 * 8192 + 3 * 8192 * 7168 + 2 * 8192;
    assert.equal(blockParameters, 213_925_888);
    const deviceParameters = 80 * blockParameters + 32064 * 8192 + 8192 * 32064 + 8192;
    assert.equal(tp4.memory.weights_bytes, deviceParameters * 2);
    assert.equal(tp4.memory.weights_bytes, 35_278_831_616);
    assert.equal(layer(tp4, 'decode', 'embedding').count, 1);
    // KV cache per device: 80 blocks · 2 (K, V) · 2 heads · 128 · 2 B = 81,920 B per token, 1280 tokens.
    assert.equal(tp4.memory.kv_cache_bytes, 80 * 2 * 2 * 128 * 2 * 1280);
    assert.equal(tp4.memory.kv_cache_bytes * 4, tp1.memory.kv_cache_bytes);
    assert.equal(tp4.model.parameters, tp1.model.parameters);
  });

  it('times each all-reduce as a ring and reports it network-bound', () => {
    // Decode: b·T·H·2 = 1·1·8192·2 = 16,384 B per device. Ring: 2·(4 − 1)/4 · 16384 / 450e9
    // + 2·(4 − 1) · 2e-6 = 24,576 / 450e9 + 12e-6 ≈ 1.2055e-5 s, far above its memory time
    // (2 · 16384 B / 3.35e12 ≈ 9.8e-9 s).
    for (const name of ['attn_all_reduce', 'mlp_all_reduce']) {
      const allReduce = layer(tp4, 'decode', name);
      assert.equal(allReduce.count, 80);
      assert.equal(allReduce.bytes.activations_in, 16_384);
      assertClose(allReduce.seconds, 24_576 / 450e9 + 12e-6);
      assert.equal(allReduce.bound, 'network');
    }
    // Prefill: 1024 tokens, 16,777,216 B: 1.5 · 16777216 / 450e9 + 12e-6 ≈ 6.79e-5 s; its memory
    // time (2 · 16.8 MB / 3.35e12 ≈ 1.0e-5 s) is still below the link's.
    const prefillAllReduce = layer(tp4, 'prefill', 'attn_all_reduce');
    assertClose(prefillAllReduce.seconds, (1.5 * 16_777_216) / 450e9 + 12e-6);
    assert.equal(prefillAllReduce.bound, 'network');
    // Logits: each device gathers the other three slices of 32,064 fp16 values: 3 · 64,128 / 450e9 + 3 · 2e-6.
    assertClose(layer(tp4, 'decode', 'lm_head_all_gather').seconds, (3 * 64_128) / 450e9 + 6e-6);
    assert.equal(layer(tp4, 'decode', 'lm_head_all_gather').bound, 'network');
    // Layers that are not collectives keep their memory or compute bound.
    assert.equal(layer(tp4, 'decode', 'q_proj').bound, 'memory');
    assert.equal(layer(tp4, 'prefill', 'gate_proj').bound, 'compute');
  });

  it('adds the collectives to the step: decode is shorter than on one device but not by 4×', () => {
    const collectiveSeconds = tp4.stages.decode.layers
      .filter((entry) => entry.bound === 'network')
      .reduce((sum, entry) => sum + entry.count * entry.seconds, 0);
    // 160 block all-reduces and the embedding's (each device looks up the tokens of its vocabulary
    // quarter), 1.2055e-5 s each, and one gather: about 1.95 ms of a decode step.
    assertClose(collectiveSeconds, 161 * (24_576 / 450e9 + 12e-6) + (3 * 64_128) / 450e9 + 6e-6, 1e-12);
    assert.ok(tp4.metrics.tpot_seconds < tp1.metrics.tpot_seconds);
    assert.ok(tp4.metrics.tpot_seconds > tp1.metrics.tpot_seconds / 4 + collectiveSeconds * 0.99);
  });

  it('names the heads or KV heads a split does not divide', () => {
    const expectError = (config: typeof model, tensor: number, pattern: RegExp): void => {
      assert.throws(
        () => analyze({ model: config, tensor }),
        (error: unknown) =>
          error instanceof RooflineInputError &&
          error.code === 'tp-not-divisible' &&
          error.path.join('.') === 'parallelism.tensor' &&
          pattern.test(error.message),
      );
    };
    expectError(model, 3, /tensor parallelism 3 does not divide the 64 attention heads/);
    // 48 heads and 12 KV heads: 8 divides the heads, but neither divides nor is a multiple of 12.
    expectError({ ...model, num_attention_heads: 48, num_key_value_heads: 12 }, 8, /must divide the 12 KV heads, or be a multiple of them/);
  });
});
