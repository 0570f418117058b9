import * as assert from 'node:assert/strict';
import { analyze, hfConfig, layer } from './helpers';

describe('default conventions: memory', () => {
  it('Llama-2-70b (GQA, 8 KV heads) caches 2·80·8·128·2 = 327,680 B per token', () => {
    const result = analyze({ model: hfConfig('llama-2-70b'), promptTokens: 1000, outputTokens: 24 });
    // The prefill stage holds the prompt; decode ends with prompt + output = 1024 tokens.
    assert.equal(result.stages.prefill.memory.kv_cache_bytes, 1000 * 327_680);
    assert.equal(result.stages.decode.memory.kv_cache_bytes, 1024 * 327_680);
    // And each decode step writes one token's worth per layer through k_proj and v_proj:
    // 8 KV heads · 128 · 2 B = 2048 B each, 80 layers · 2 projections · 2048 = 327,680.
    assert.equal(layer(result, 'decode', 'k_proj').bytes.kv_write, 2_048);
  });

  it('Llama-3.1-8B at batch 16 holds K/V for prompt + output tokens of every sequence', () => {
    const result = analyze({ model: hfConfig('llama-3.1-8b'), batchSize: 16, promptTokens: 2048, outputTokens: 512 });
    // per token: 2 (K, V) · 32 layers · 8 KV heads · 128 · 2 B = 131,072 B
    // 16 sequences · (2048 + 512) tokens · 131,072 B = 5,368,709,120 B (5 GiB)
    assert.equal(result.memory.kv_cache_bytes, 5_368_709_120);
    assert.equal(result.memory.kv_cache_bytes, 5 * 1024 ** 3);
  });

  it('int4 weights take a quarter of the fp16 matrix bytes; norm scales, embedding and lm_head stay 16-bit', () => {
    // Llama-2-7b: 6,738,415,616 parameters, of which 266,240 are RMSNorm scales
    // (2 per block · 32 · 4096 + final 4096); the other 6,738,149,376 are matrix elements, of
    // which 2 · 32000 · 4096 = 262,144,000 are the embedding and lm_head, left unquantized as
    // vLLM's runtime quantization and checkpoint formats leave them.
    const fp16 = analyze({ weights: 'fp16' });
    const int4 = analyze({ weights: 'int4' });
    assert.equal(fp16.memory.weights_bytes, 6_738_149_376 * 2 + 266_240 * 2); // 13,476,831,232
    // (6,738,149,376 − 262,144,000) · 0.5 + 262,144,000 · 2 + 266,240 · 2 = 3,762,823,168
    assert.equal(int4.memory.weights_bytes, (6_738_149_376 - 262_144_000) * 0.5 + 262_144_000 * 2 + 266_240 * 2);
    assert.equal(int4.memory.weights_bytes, 3_762_823_168);
    assert.equal(layer(int4, 'decode', 'q_proj').bytes.weights, 4096 * 4096 * 0.5);
    assert.equal(layer(int4, 'decode', 'lm_head').bytes.weights, 4096 * 32000 * 2);
  });

  it('counts embeddings in weight memory and an untied lm_head separately', () => {
    const untied = analyze();
    const tied = analyze({ model: { ...hfConfig('llama-2-7b'), tie_word_embeddings: true } });
    // Tying drops lm_head's own 32000 · 4096 matrix: 131,072,000 parameters, 262,144,000 B in fp16.
    assert.equal(untied.model.parameters - tied.model.parameters, 131_072_000);
    assert.equal(untied.memory.weights_bytes - tied.memory.weights_bytes, 262_144_000);
    // A tied head still reads the (shared) matrix every step.
    assert.equal(layer(tied, 'decode', 'lm_head').bytes.weights, 262_144_000);
  });

  it('activation memory is a peak of live tensors, not a sum', () => {
    const result = analyze({ promptTokens: 1024, batchSize: 1 });
    // Prefill, flash attention: the largest layer is mlp_act (reads gate and up, writes I):
    // 3 · 1024 · 11008 · 2 B = 67,633,152, plus the residual stream 1024 · 4096 · 2 B = 8,388,608.
    assert.equal(result.stages.prefill.memory.activations_bytes, 67_633_152 + 8_388_608);
    const unfused = analyze({ promptTokens: 1024, flashAttention: false });
    // Without flash the 32 · 1024 · 1024 score matrix (67,108,864 B) is read and written by softmax.
    assert.equal(unfused.stages.prefill.memory.activations_bytes, 2 * 67_108_864 + 8_388_608);
  });

  it('compares the total with the capacity', () => {
    const fits = analyze();
    assert.equal(fits.memory.fits, true);
    assert.equal(fits.memory.capacity_bytes, 48 * 1024 ** 3);
    const tooBig = analyze({ model: hfConfig('llama-2-70b') }); // 138 GB of fp16 weights on 48 GiB
    assert.equal(tooBig.memory.fits, false);
    assert.equal(
      tooBig.memory.total_bytes,
      tooBig.memory.weights_bytes + tooBig.memory.kv_cache_bytes + tooBig.memory.activations_bytes,
    );
  });
});
