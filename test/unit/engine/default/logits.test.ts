/**
 * lm_head writes its logits at the head's own precision (the checkpoint's 16-bit dtype), not at
 * the activations': with fp8 activations a logit is 2 bytes, in the layer's output, in the
 * tensor-parallel all-gather and in the activation peak. LLM-Viewer's conventions keep its `a_bit`.
 * Llama-3.1-8B: H 4096, V 128,256 (untied), torch_dtype bfloat16. Llama-3.1-70B: H 8192.
 */
import * as assert from 'node:assert/strict';
import { analyzeResolved } from '../../../../language-server/src/engine/index';
import { H100, analyze, assertClose, engineInput, hfConfig, layer } from './helpers';

const LLAMA_8B = hfConfig('llama-3.1-8b');
const VOCAB = 128_256;

describe('default conventions: the logits at the head’s precision (hand-checked)', () => {
  const fp8 = analyze({ model: LLAMA_8B, hardware: H100, batchSize: 4, weights: 'fp8', activations: 'fp8', kvCache: 'fp8' });

  it('Llama-3.1-8B decode, batch 4, fp8 activations: 4 × 128,256 logits at 2 B each', () => {
    const head = layer(fp8, 'decode', 'lm_head');
    assert.equal(head.bytes.activations_out, 4 * VOCAB * 2); // 1,026,048 B, not 513,024 at fp8
    assert.equal(head.bytes.activations_in, 4 * 4096 * 1); // the final norm's output stays fp8
    assert.equal(head.bytes.weights, 4096 * VOCAB * 2); // the head stays bf16 under runtime fp8
    // Prefill samples from the last prompt token only: the same 4 rows of logits.
    assert.equal(layer(fp8, 'prefill', 'lm_head').bytes.activations_out, 4 * VOCAB * 2);
    assert.ok(fp8.notes.some((note) => note.startsWith('lm_head writes its logits in bf16, not in the fp8 activations')), fp8.notes.join('\n'));
  });

  it('the decode activation peak holds the 16-bit logits: lm_head in + out, plus the residual stream', () => {
    // lm_head is the largest layer of a batch-4 decode step: 16,384 + 1,026,048 = 1,042,432 B; the
    // residual stream adds 4 · 4096 · 1 B.
    assert.equal(fp8.stages.decode.memory.activations_bytes, 4 * 4096 + 4 * VOCAB * 2 + 4 * 4096);
  });

  it('16-bit activations already wrote 16-bit logits, and fp32 activations write fp32 ones', () => {
    const bf16 = analyze({ model: LLAMA_8B, hardware: H100, batchSize: 4, weights: 'bf16', activations: 'bf16' });
    assert.equal(layer(bf16, 'decode', 'lm_head').bytes.activations_out, 4 * VOCAB * 2);
    assert.ok(!bf16.notes.some((note) => note.startsWith('lm_head writes its logits')));
    const fp32 = analyze({ model: LLAMA_8B, hardware: H100, batchSize: 4, weights: 'fp32', activations: 'fp32' });
    assert.equal(layer(fp32, 'decode', 'lm_head').bytes.activations_out, 4 * VOCAB * 4);
  });

  it('a head quantized with the rest (quantization.weights: { lm_head: fp8 }) still writes 16-bit logits', () => {
    const input = engineInput({ model: LLAMA_8B, hardware: H100, batchSize: 4, weights: 'fp8', activations: 'fp8', kvCache: 'fp8' });
    const fp8Format = input.quantization.weights;
    const quantizedHead = analyzeResolved({ ...input, quantization: { ...input.quantization, weightsByKind: { lm_head: fp8Format } } });
    assert.equal(layer(quantizedHead, 'decode', 'lm_head').bytes.weights, 4096 * VOCAB * 1);
    assert.equal(layer(quantizedHead, 'decode', 'lm_head').bytes.activations_out, 4 * VOCAB * 2);
  });

  it('tensor parallelism 4 on Llama-3.1-70B, fp8: the all-gather moves 2-byte logits', () => {
    const tp4 = analyze({ model: hfConfig('llama-3.1-70b'), hardware: H100, batchSize: 4, weights: 'fp8', activations: 'fp8', kvCache: 'fp8', tensor: 4 });
    // Each device holds 128,256 / 4 = 32,064 vocabulary rows: a slice of 4 · 32,064 · 2 = 256,512 B.
    const slice = 4 * 32_064 * 2;
    assert.equal(layer(tp4, 'decode', 'lm_head').bytes.activations_out, slice);
    const gather = layer(tp4, 'decode', 'lm_head_all_gather');
    assert.equal(gather.bytes.activations_in, slice);
    assert.equal(gather.bytes.activations_out, 4 * slice);
    // Ring all-gather: 3 slices over 450e9 B/s plus 3 steps of 2 µs.
    assertClose(gather.seconds, (3 * slice) / 450e9 + 3 * 2e-6);
  });
});

describe('llm-viewer conventions: lm_head I/O stays at a_bit (LLM-Viewer §4.5)', () => {
  it('w8a8: the logits of one token at 1 B each, as LLM-Viewer stores them', () => {
    const input = { ...engineInput({ model: LLAMA_8B, hardware: H100, batchSize: 4, weights: 8, activations: 8, kvCache: 8 }), conventions: 'llm-viewer' as const };
    const head = layer(analyzeResolved(input), 'decode', 'lm_head');
    assert.equal(head.bytes.activations_out, VOCAB * 1);
    assert.equal(head.bytes.activations_in, 4096 * 1);
  });
});
