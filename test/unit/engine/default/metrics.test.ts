import * as assert from 'node:assert/strict';
import type { HardwareSpec, HfConfig } from '../../../../language-server/src/engine/types';
import { analyze, assertClose, hfConfig } from './helpers';

/**
 * A tiny Llama-style model small enough to add up by hand: H 64, 4 heads of 16 (MHA), I 128,
 * 2 layers, V 256, untied, fp16 everywhere. On a part with 1e9 B/s and 1e12 FLOP/s (ridge 1000)
 * every layer here is memory-bound, so each time is bytes / 1e9.
 */
const TINY: HfConfig = {
  model_type: 'llama',
  hidden_size: 64,
  intermediate_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 4,
  vocab_size: 256,
  tie_word_embeddings: false,
};
const SLOW: HardwareSpec = { name: 'slow', memoryBandwidthBytesPerSecond: 1e9, peakOpsPerSecond: { fp16: 1e12 } };

describe('default conventions: TTFT, TPOT, end-to-end', () => {
  it('matches a hand-computed generation of 3 tokens after a 4-token prompt', () => {
    const result = analyze({ model: TINY, hardware: SLOW, batchSize: 1, promptTokens: 4, outputTokens: 3 });
    // Prefill (T = 4), bytes per layer:
    //   embedding 4·64·2 rows read + 512 written                   =  1,024
    //   per block: attn_norm 128 + 512 + 512                        =  1,152
    //              q, k, v, o: 64·64·2 weights + 512 in + 512 out   =  9,216 each → 36,864
    //              fused_attention: Q 512 + O 512 + K/V 2·4·4·16·2  =  2,048
    //              attn_add 1024 + 512                              =  1,536
    //              mlp_norm                                         =  1,152
    //              gate, up: 64·128·2 + 512 + 1024; down likewise   = 17,920 each → 53,760
    //              mlp_act 2·1024 + 1024                            =  3,072
    //              mlp_add                                          =  1,536
    //              block                                            = 101,120 → 2 blocks 202,240
    //   final_norm 1,152; lm_head (last token only) 64·256·2 + 128 + 512 = 33,408
    //   total 1,024 + 202,240 + 1,152 + 33,408 = 237,824 B
    const ttft = 237_824 / 1e9;
    assertClose(result.metrics.ttft_seconds, ttft);
    // One decode step with s tokens cached (attends to s + 1), bytes:
    //   embedding 256; per block 86,400 + attention (256 + 2·4·(s+1)·16·2) = 86,912 + 256·s;
    //   final_norm 384; lm_head 33,408 → 207,872 + 512·s in all.
    const step = (cached: number): number => (207_872 + 512 * cached) / 1e9;
    assertClose(result.stages.decode.totals.seconds, step(4));
    // The first token comes from prefill; the other two take decode steps with 4 and 5 cached.
    const decodeSeconds = step(4) + step(5); // (209,920 + 210,432) B
    assertClose(result.metrics.e2e_seconds, ttft + decodeSeconds);
    assertClose(result.metrics.tpot_seconds, decodeSeconds / 2);
    assertClose(result.metrics.output_tokens_per_second, 3 / (ttft + decodeSeconds));
  });

  it('with one output token, e2e is the prefill and TPOT shows one decode step', () => {
    const result = analyze({ model: TINY, hardware: SLOW, promptTokens: 4, outputTokens: 1 });
    assert.equal(result.metrics.e2e_seconds, result.metrics.ttft_seconds);
    assert.equal(result.metrics.tpot_seconds, result.stages.decode.totals.seconds);
    assert.ok(result.notes.some((note) => note.includes('one output token')));
  });

  const bruteForceCases = [
    { label: 'Llama-2-7b, flash', model: 'llama-2-7b', flashAttention: true, tensor: 1, batchSize: 4 },
    { label: 'Llama-2-7b, no flash', model: 'llama-2-7b', flashAttention: false, tensor: 1, batchSize: 4 },
    { label: 'Llama-2-70b, TP 2, batch 64', model: 'llama-2-70b', flashAttention: true, tensor: 2, batchSize: 64 },
  ];
  for (const testCase of bruteForceCases) {
    it(`the decode loop equals one full analysis per token (${testCase.label})`, () => {
      const promptTokens = 700;
      const outputTokens = 120;
      const common = { model: hfConfig(testCase.model), flashAttention: testCase.flashAttention, tensor: testCase.tensor, batchSize: testCase.batchSize };
      const result = analyze({ ...common, promptTokens, outputTokens });
      let bruteForce = 0;
      for (let cached = promptTokens; cached < promptTokens + outputTokens - 1; cached++) {
        bruteForce += analyze({ ...common, promptTokens: cached, outputTokens: 1 }).stages.decode.totals.seconds;
      }
      assertClose(result.metrics.e2e_seconds - result.metrics.ttft_seconds, bruteForce, 1e-12, 'decode seconds');
      assertClose(result.metrics.e2e_seconds, result.metrics.ttft_seconds + bruteForce, 1e-12, 'e2e seconds');
    });
  }
});
