import * as assert from 'node:assert/strict';
import { blocksPerStage, pipelineStages } from '../../../../language-server/src/engine/default/pipeline';
import { readArchitecture } from '../../../../language-server/src/engine/default/shape';
import { RooflineInputError } from '../../../../language-server/src/engine/errors';
import { analyzeResolved } from '../../../../language-server/src/engine/index';
import type { AnalysisResult, HfConfig } from '../../../../language-server/src/engine/types';
import { A6000, H100, assertClose, engineInput, hfConfig, layer, type InputOverrides } from './helpers';

function analyzePipeline(pipeline: number, overrides: InputOverrides = {}, expert?: number): AnalysisResult {
  const input = engineInput({ model: hfConfig('llama-3.1-70b'), hardware: H100, ...overrides });
  input.parallelism = { tensor: overrides.tensor ?? 1, pipeline, ...(expert !== undefined ? { expert } : {}) };
  return analyzeResolved(input);
}

/**
 * Llama-3.1-70B (H 8192, 64/8 heads of 128, I 28672, V 128256 untied, 80 blocks) on an
 * H100-SXM-like spec (NVLink 450e9 B/s, 2 µs), fp16, batch 1, 1024 prompt + 256 output tokens.
 * One block on one device (tp 1): q, o 8192² each, k, v 8192·1024 each, gate/up/down 3·8192·28672,
 * two norms 2·8192 = 855,654,400 parameters = 1,711,308,800 B at fp16.
 */
const BLOCK_BYTES = 2 * (2 * 8192 * 8192 + 2 * 8192 * 1024 + 3 * 8192 * 28672 + 2 * 8192);
const TABLE_BYTES = 128256 * 8192 * 2; // the embedding, and the untied lm_head
const KV_BYTES_PER_BLOCK_TOKEN = 2 * 8 * 128 * 2; // K and V, 8 heads of 128, fp16

describe('default conventions: pipeline parallelism (hand-checked on Llama-3.1-70B)', () => {
  const pp1 = analyzePipeline(1);
  const pp2 = analyzePipeline(2);
  const pp4 = analyzePipeline(4);

  it('splits the blocks as vLLM does: the remainder to the stages before the last', () => {
    assert.deepEqual(blocksPerStage(80, 4), [20, 20, 20, 20]);
    assert.deepEqual(blocksPerStage(80, 3), [27, 27, 26]);
    assert.deepEqual(blocksPerStage(61, 2), [31, 30]);
    assert.deepEqual(blocksPerStage(61, 4), [15, 15, 16, 15]); // partitions[-2] += 1
    assert.deepEqual(blocksPerStage(7, 7), [1, 1, 1, 1, 1, 1, 1]);
    // DeepSeek-V3's first three blocks are dense: on 2 stages the first has 28 MoE blocks of 31.
    const deepseek = pipelineStages(readArchitecture(hfConfig('deepseek-v3')), 2);
    assert.deepEqual(
      deepseek.map((stage) => [stage.firstBlock, stage.blocks, stage.moeBlocks, stage.holdsEmbedding, stage.holdsHead]),
      [
        [0, 31, 28, true, false],
        [31, 30, 30, false, true],
      ],
    );
    // Gemma-2-9b: 42 blocks, the even ones slide; 3 stages of 14 blocks starting at 0, 14, 28 hold 7 each.
    const gemma = pipelineStages(readArchitecture(hfConfig('gemma-2-9b')), 3);
    assert.deepEqual(gemma.map((stage) => stage.attentionBlocks.sliding), [7, 7, 7]);
  });

  it('holds the largest stage per device: 40 blocks and lm_head on 2 stages, 20 on 4', () => {
    // pp 2: stage 1 has 40 blocks + embedding; stage 2 has 40 blocks + final norm + lm_head, 16 KiB more.
    assert.equal(pp2.memory.weights_bytes, 40 * BLOCK_BYTES + TABLE_BYTES + 8192 * 2);
    assert.equal(pp2.memory.weights_bytes, 70_553_714_688);
    assert.equal(pp4.memory.weights_bytes, 20 * BLOCK_BYTES + TABLE_BYTES + 8192 * 2);
    // KV cache: the stage's blocks only, 1280 tokens of one sequence.
    assert.equal(pp2.memory.kv_cache_bytes, 40 * KV_BYTES_PER_BLOCK_TOKEN * 1280);
    assert.equal(pp4.memory.kv_cache_bytes, 20 * KV_BYTES_PER_BLOCK_TOKEN * 1280);
    assert.equal(pp4.memory.kv_cache_bytes * 4, pp1.memory.kv_cache_bytes);
    assert.equal(pp4.stages.decode.memory.weights_bytes, pp4.memory.weights_bytes);
    // The model's parameter count is the whole model's.
    assert.equal(pp4.model.parameters, pp1.model.parameters);
    assert.ok(pp2.notes.some((note) => note.includes('40 blocks each') && note.includes('stage 2, blocks 40–79 with lm_head')));
  });

  it('lets the largest stage govern when the blocks do not divide evenly', () => {
    // 80 on 3 stages: 27 / 27 / 26. Stage 1 (27 blocks + embedding) outweighs stage 3 (26 + lm_head).
    const pp3 = analyzePipeline(3);
    assert.equal(pp3.memory.weights_bytes, 27 * BLOCK_BYTES + TABLE_BYTES);
    assert.equal(pp3.memory.kv_cache_bytes, 27 * KV_BYTES_PER_BLOCK_TOKEN * 1280);
    assert.ok(pp3.notes.some((note) => note.includes('27 / 27 / 26 blocks (80 do not divide evenly)') && note.includes('stage 1, blocks 0–26 with the embedding')));
  });

  it('keeps a tied head on the last stage with its own copy of the embedding table', () => {
    // Llama-3.2-style tie on the 70B shape: the last stage stores the table for lm_head too.
    const tied: HfConfig = { ...hfConfig('llama-3.1-70b'), tie_word_embeddings: true };
    const result = analyzePipeline(2, { model: tied });
    assert.equal(result.memory.weights_bytes, 40 * BLOCK_BYTES + TABLE_BYTES + 8192 * 2);
  });

  it('sends the hidden states between stages and sums the stages into TTFT and TPOT', () => {
    // Decode: b·T·H·2 = 16,384 B per send: 16384 / 450e9 + 2e-6 s, network-bound; pp − 1 sends.
    const decodeSend = layer(pp2, 'decode', 'pipeline_send');
    assert.equal(decodeSend.count, 1);
    assertClose(decodeSend.seconds, 16_384 / 450e9 + 2e-6);
    assert.equal(decodeSend.bound, 'network');
    assert.equal(layer(pp4, 'decode', 'pipeline_send').count, 3);
    // Prefill: 1024 tokens, 16,777,216 B.
    const prefillSend = 16_777_216 / 450e9 + 2e-6;
    assertClose(layer(pp2, 'prefill', 'pipeline_send').seconds, prefillSend);
    // The layer table is the whole forward pass: every block once, so the totals add the sends.
    assert.equal(layer(pp2, 'decode', 'q_proj').count, 80);
    assertClose(pp2.metrics.ttft_seconds, pp1.metrics.ttft_seconds + prefillSend, 1e-12);
    assertClose(pp4.metrics.ttft_seconds, pp1.metrics.ttft_seconds + 3 * prefillSend, 1e-12);
    // A decode step adds one context-independent send per stage boundary.
    assertClose(pp2.metrics.tpot_seconds, pp1.metrics.tpot_seconds + (16_384 / 450e9 + 2e-6), 1e-9);
    assertClose(pp4.metrics.tpot_seconds, pp1.metrics.tpot_seconds + 3 * (16_384 / 450e9 + 2e-6), 1e-9);
    assert.equal(pp1.metrics.pipeline, undefined);
  });

  it('gives the decode throughput with pp batches in flight, paced by the slowest stage', () => {
    const pipeline = pp4.metrics.pipeline!;
    assert.equal(pipeline.stages, 4);
    assert.equal(pipeline.bubble_fraction, 3 / 4);
    // Stage 4 is slowest: 20 blocks, the final norm and lm_head (2.1 GB), and no send. A block's
    // decode time is the sum of the layers that occur in every block (count 80).
    const decode = pp4.stages.decode;
    const blockSeconds = decode.layers.filter((entry) => entry.count === 80).reduce((sum, entry) => sum + entry.seconds, 0);
    const lastStageSeconds = 20 * blockSeconds + layer(pp4, 'decode', 'final_norm').seconds + layer(pp4, 'decode', 'lm_head').seconds;
    assertClose(pipeline.slowest_stage_share, lastStageSeconds / decode.totals.seconds, 1e-12);
    assertClose(pipeline.in_flight_decode_tokens_per_second, 1 / (pp4.metrics.tpot_seconds * pipeline.slowest_stage_share), 1e-12);
    // Close to four times one batch's decode rate (1 / TPOT), a little less for the uneven stages.
    assert.ok(pipeline.in_flight_decode_tokens_per_second < 4 / pp4.metrics.tpot_seconds);
    assert.ok(pipeline.in_flight_decode_tokens_per_second > 3.5 / pp4.metrics.tpot_seconds);
  });

  it('combines with tensor parallelism: 4 × 2 devices, a quarter of the heads and half of the blocks each', () => {
    const result = analyzePipeline(2, { tensor: 4 });
    assert.equal(layer(result, 'decode', 'k_proj').bytes.weights, 8192 * 256 * 2);
    assert.equal(layer(result, 'decode', 'attn_all_reduce').count, 80);
    assert.equal(layer(result, 'decode', 'pipeline_send').count, 1);
    assert.equal(result.memory.kv_cache_bytes, 40 * 2 * 2 * 128 * 2 * 1280);
  });

  it('uses PCIe with a note when the hardware gives no interconnect', () => {
    const result = analyzePipeline(2, { model: hfConfig('llama-2-7b'), hardware: A6000 });
    // 4096 fp16 values: 8192 B / 32e9 + 5e-6.
    assertClose(layer(result, 'decode', 'pipeline_send').seconds, 8_192 / 32e9 + 5e-6);
    assert.ok(result.notes.some((note) => note.includes('PCIe 4.0 x16')));
  });

  it('rejects more stages than blocks, and stage counts that are not whole', () => {
    assert.throws(
      () => analyzePipeline(81),
      (error: unknown) =>
        error instanceof RooflineInputError &&
        error.code === 'pp-exceeds-layers' &&
        error.path.join('.') === 'parallelism.pipeline' &&
        /81 is more stages than the 80 blocks/.test(error.message),
    );
    assert.equal(analyzePipeline(80).memory.kv_cache_bytes, KV_BYTES_PER_BLOCK_TOKEN * 1280);
    for (const bad of [0, 1.5]) {
      assert.throws(
        () => analyzePipeline(bad),
        (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'parallelism.pipeline',
      );
    }
  });
});
