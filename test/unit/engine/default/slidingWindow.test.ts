import * as assert from 'node:assert/strict';
import { attendedPairs, causalPairs, keysRead } from '../../../../language-server/src/engine/default/attention';
import { RooflineInputError } from '../../../../language-server/src/engine/errors';
import type { HfConfig } from '../../../../language-server/src/engine/types';
import { analyze, assertClose, hfConfig, layer, layerNames } from './helpers';

describe('default conventions: sliding-window attention', () => {
  it('counts the pairs and keys a window allows', () => {
    // 5 new tokens, no cache, window 3: the tokens see 1, 2, 3, 3, 3 keys.
    assert.equal(attendedPairs(5, 0, 3), 12);
    assert.equal(attendedPairs(5, 0, 8), causalPairs(5, 0));
    // Decode with 5000 cached and window 4096: 4096 keys, itself included.
    assert.equal(attendedPairs(1, 5000, 4096), 4096);
    assert.equal(keysRead(1, 5000, 4096), 4096);
    assert.equal(keysRead(1, 100, 4096), 101);
    // Prefill of 8000 with window 4096: 4096 · 4097 / 2 + 3904 · 4096 = 24,381,440.
    assert.equal(attendedPairs(8000, 0, 4096), 24_381_440);
  });

  describe('Gemma-2-9b: even blocks slide over 4096 tokens, odd blocks attend globally', () => {
    // 42 blocks, 8 KV heads of 256: one block caches 2 · 8 · 256 · 2 B = 8,192 B per token.
    const long = analyze({ model: hfConfig('gemma-2-9b'), promptTokens: 8000, outputTokens: 192 });

    it('splits the attention kernel into 21 full and 21 sliding layers', () => {
      assert.equal(layer(long, 'decode', 'fused_attention').count, 21);
      assert.equal(layer(long, 'decode', 'sliding_fused_attention').count, 21);
      assert.equal(layer(long, 'decode', 'q_proj').count, 42);
    });

    it('caps the KV cache of the sliding blocks at the window (8192 tokens vs 4096)', () => {
      // At 8000 + 192 = 8192 tokens, ignoring the window (the reference's 344,064 B/token):
      // 344,064 · 8192 = 2,818,572,288 B. With it: 21 · 8,192 · 8192 + 21 · 8,192 · 4096
      // = 2,113,929,216 B.
      assert.equal(long.memory.kv_cache_bytes, 2_113_929_216);
      assert.ok(2_113_929_216 < 344_064 * 8192);
      // The prefill stage holds 8000 tokens: 21 · 8,192 · (8000 + 4096) = 2,080,899,072 B.
      assert.equal(long.stages.prefill.memory.kv_cache_bytes, 21 * 8_192 * (8000 + 4096));
    });

    it('reads at most 4096 keys per sliding block in decode', () => {
      // 8000 cached: the full blocks read 8001 keys, the sliding ones 4096.
      assert.equal(layer(long, 'decode', 'fused_attention').bytes.kv_read, 2 * 8 * 8001 * 256 * 2);
      assert.equal(layer(long, 'decode', 'sliding_fused_attention').bytes.kv_read, 2 * 8 * 4096 * 256 * 2);
      assert.equal(layer(long, 'decode', 'sliding_fused_attention').flops, 16 * 4096 * (4 * 256 + 5));
      assert.equal(layer(long, 'prefill', 'sliding_fused_attention').flops, 16 * 24_381_440 * (4 * 256 + 5));
    });

    it('changes nothing while the context fits in the window', () => {
      const short = analyze({ model: hfConfig('gemma-2-9b'), promptTokens: 1024, outputTokens: 16 });
      assert.deepEqual(layer(short, 'decode', 'sliding_fused_attention').bytes, layer(short, 'decode', 'fused_attention').bytes);
      assert.equal(short.memory.kv_cache_bytes, 1040 * 344_064);
      assert.ok(short.notes.some((note) => note.includes('changes nothing here')));
    });
  });

  it('Mistral-7B-v0.1 slides over 4096 tokens in every block', () => {
    const result = analyze({ model: hfConfig('mistral-7b'), promptTokens: 8000, outputTokens: 192 });
    assert.ok(!layerNames(result, 'decode').includes('fused_attention'));
    assert.equal(layer(result, 'decode', 'sliding_fused_attention').count, 32);
    // Reference 131,072 B/token ignores the window: 131,072 · 8192 = 1,073,741,824 B;
    // capped at 4096 tokens: 131,072 · 4096 = 536,870,912 B.
    assert.equal(result.memory.kv_cache_bytes, 536_870_912);
  });

  it('gpt-oss-120b: layer_types alternate sliding (window 128) and full attention', () => {
    const result = analyze({ model: hfConfig('gpt-oss-120b'), promptTokens: 1000, outputTokens: 24 });
    assert.equal(layer(result, 'decode', 'sliding_fused_attention').count, 18);
    assert.equal(layer(result, 'decode', 'fused_attention').count, 18);
    // One block caches 2 · 8 · 64 · 2 B = 2,048 B per token. Reference (no window): 73,728 B/token,
    // 73,728 · 1024 = 75,497,472 B. With the window: 18 · 2,048 · 1024 + 18 · 2,048 · 128 = 42,467,328 B.
    assert.equal(result.memory.kv_cache_bytes, 42_467_328);
    assert.equal(layer(result, 'decode', 'sliding_fused_attention').bytes.kv_read, 2 * 8 * 128 * 64 * 2);
    assert.ok(result.notes.some((note) => note.includes('attention sinks')));
  });

  it('Qwen2 ignores its sliding_window unless use_sliding_window is set, then slides from max_window_layers on', () => {
    const config = hfConfig('qwen2.5-7b');
    const off = analyze({ model: config, promptTokens: 256, outputTokens: 4 });
    assert.ok(!layerNames(off, 'decode').includes('sliding_fused_attention'));
    const on = analyze({ model: { ...config, use_sliding_window: true, sliding_window: 128, max_window_layers: 20 }, promptTokens: 256, outputTokens: 4 });
    assert.equal(layer(on, 'decode', 'sliding_fused_attention').count, 8);
    assert.equal(layer(on, 'decode', 'fused_attention').count, 20);
  });

  it('Gemma-3 pattern: every sliding_window_pattern-th block is global', () => {
    const config: HfConfig = {
      model_type: 'gemma3_text',
      hidden_size: 64,
      intermediate_size: 128,
      num_hidden_layers: 12,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      head_dim: 16,
      vocab_size: 100,
      sliding_window: 32,
      sliding_window_pattern: 6,
    };
    const result = analyze({ model: config, promptTokens: 64, outputTokens: 4 });
    assert.equal(layer(result, 'decode', 'fused_attention').count, 2);
    assert.equal(layer(result, 'decode', 'sliding_fused_attention').count, 10);
    assert.ok(layerNames(result, 'decode').includes('q_norm'));
  });

  it('the decode loop stays exact when the window fills up during generation', () => {
    const tinyWindow: HfConfig = { ...hfConfig('gemma-2-9b'), sliding_window: 64 };
    for (const [model, flashAttention] of [
      [tinyWindow, true],
      [tinyWindow, false],
      [hfConfig('gpt-oss-120b'), true],
    ] as const) {
      const promptTokens = 40;
      const outputTokens = 120;
      const common = { model, flashAttention, batchSize: 3 };
      const result = analyze({ ...common, promptTokens, outputTokens });
      let bruteForce = 0;
      for (let cached = promptTokens; cached < promptTokens + outputTokens - 1; cached++) {
        bruteForce += analyze({ ...common, promptTokens: cached, outputTokens: 1 }).stages.decode.totals.seconds;
      }
      assertClose(result.metrics.e2e_seconds - result.metrics.ttft_seconds, bruteForce, 1e-12, 'decode seconds');
    }
  });

  it('rejects layer_types of the wrong length or sliding layers without a window', () => {
    const config = hfConfig('gpt-oss-120b');
    const layerTypes = config.layer_types as string[];
    assert.throws(
      () => analyze({ model: { ...config, layer_types: layerTypes.slice(1) } }),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'model.layer_types',
    );
    assert.throws(
      () => analyze({ model: { ...config, sliding_window: null } }),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'model.sliding_window',
    );
  });
});
