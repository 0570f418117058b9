import * as assert from 'node:assert/strict';
import { RooflineInputError } from '../../../../language-server/src/engine/errors';
import { causalPairs } from '../../../../language-server/src/engine/default/attention';
import { A100, A6000, H100, analyze, analyzeDefault, assertClose, engineInput, layer } from './helpers';

describe('default conventions: prefill attention', () => {
  // Llama-2-7b, prompt 1024, batch 1: 32 heads of 128, MHA.
  it('FlashAttention computes only the causal half and reads Q, K, V once', () => {
    const result = analyze({ promptTokens: 1024, flashAttention: true });
    const attention = layer(result, 'prefill', 'fused_attention');
    // causal pairs: 1024 · 1025 / 2 = 524,800; FLOPs 32 · 524,800 · (4·128 + 5)
    assert.equal(causalPairs(1024, 0), 524_800);
    assert.equal(attention.flops, 32 * 524_800 * 517);
    assert.equal(attention.bytes.kv_read, 2 * 32 * 1024 * 128 * 2); // K and V of the 1024 tokens
    assert.equal(attention.bytes.activations_in, 1024 * 32 * 128 * 2); // Q once
    assert.equal(attention.bytes.activations_out, 1024 * 32 * 128 * 2); // O once, no scores
    // Decode: the s cached keys plus its own.
    assert.equal(causalPairs(1, 1024), 1025);
  });

  it('without FlashAttention the full score square is computed, written and read back', () => {
    const result = analyze({ promptTokens: 1024, flashAttention: false });
    const qk = layer(result, 'prefill', 'qk_matmul');
    const softmax = layer(result, 'prefill', 'softmax');
    const sv = layer(result, 'prefill', 'sv_matmul');
    assert.equal(qk.flops, 2 * 32 * 1024 * 1024 * 128);
    assert.equal(qk.bytes.activations_in, 1024 * 32 * 128 * 2); // Q with the 32 query heads
    assert.equal(qk.bytes.activations_out, 32 * 1024 * 1024 * 2); // scores
    assert.equal(qk.bytes.kv_read, 1024 * 32 * 128 * 2); // K once
    assert.equal(softmax.flops, 5 * 32 * 1024 * 1024);
    assert.equal(softmax.bytes.activations_in, 32 * 1024 * 1024 * 2);
    assert.equal(sv.bytes.activations_in, 32 * 1024 * 1024 * 2);
    assert.equal(sv.bytes.activations_out, 1024 * 32 * 128 * 2);
    // Decode attends to its own token too: 1025 keys.
    assert.equal(layer(result, 'decode', 'qk_matmul').flops, 2 * 32 * 1025 * 128);
  });

  it('prefill computes logits for the last prompt token of each sequence only', () => {
    const result = analyze({ promptTokens: 1024, batchSize: 4 });
    assert.equal(layer(result, 'prefill', 'lm_head').flops, 4 * 2 * 4096 * 32000);
    assert.ok(result.notes.some((note) => note.includes('last prompt token')));
  });
});

describe('default conventions: compute precision', () => {
  it('W4A16 runs at the fp16 rate', () => {
    const result = analyze({ weights: 'int4', activations: 'fp16' });
    assert.equal(result.hardware.compute_precision, 'fp16');
    assert.equal(result.hardware.peak_ops_per_second, 154.8e12);
  });

  it('W8A8 int8 runs at the int8 rate', () => {
    const result = analyze({ weights: 'int8', activations: 'int8', kvCache: 'int8' });
    assert.equal(result.hardware.compute_precision, 'int8');
    assert.equal(result.hardware.peak_ops_per_second, 309.7e12);
  });

  it('fp8 × fp8 runs at fp8 where the hardware has it, and upcasts to fp16 with a note where not', () => {
    const h100 = analyze({ hardware: H100, weights: 'fp8', activations: 'fp8', kvCache: 'fp8' });
    assert.equal(h100.hardware.compute_precision, 'fp8');
    assert.equal(h100.hardware.peak_ops_per_second, 1979e12);
    const a100 = analyze({ hardware: A100, weights: 'fp8', activations: 'fp8', kvCache: 'fp8' });
    assert.equal(a100.hardware.compute_precision, 'fp16');
    assert.ok(a100.notes.some((note) => note.includes('no fp8 peak') && note.includes('upcast')));
  });

  it('falls back to the widest rate available, with a note, when nothing is wide enough', () => {
    const result = analyze({ hardware: A6000, weights: 'fp32', activations: 'fp32', kvCache: 'fp32' });
    assert.equal(result.hardware.compute_precision, 'fp16');
    assert.ok(result.notes.some((note) => note.includes('optimistic')));
  });

  it('times attention at the wider of the activation and KV formats', () => {
    // fp8 activations with an fp16 KV cache on H100: attention at fp16 (989e12), matmuls at fp8.
    const result = analyze({ hardware: H100, weights: 'fp8', activations: 'fp8', kvCache: 'fp16', promptTokens: 4096 });
    const attention = layer(result, 'prefill', 'fused_attention');
    assert.equal(attention.bound, 'compute');
    assertClose(attention.seconds, attention.flops / 989e12);
    assert.ok(result.notes.some((note) => note.includes('Attention matmuls run at fp16')));
  });

  it('rejects a format with no bits', () => {
    const input = engineInput();
    input.quantization.weights = { name: 'broken', bitsPerElement: 0, computePrecision: 'fp16' };
    assert.throws(
      () => analyzeDefault(input),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'quantization.weights',
    );
  });
});
