import * as assert from 'node:assert/strict';
import { expectedExpertsTouched } from '../../../../language-server/src/engine/default/experts';
import { RooflineInputError } from '../../../../language-server/src/engine/errors';
import { analyzeResolved } from '../../../../language-server/src/engine/index';
import type { AnalysisResult, HardwareSpec } from '../../../../language-server/src/engine/types';
import { H100, assertClose, engineInput, hfConfig, sixteenBitCheckpoint, layer, layerNames, type InputOverrides } from './helpers';

/** H200 SXM: H100 compute, 4.8 TB/s, 141 GB, NVLink 450e9 B/s per direction, 2 µs. */
const H200: HardwareSpec = { ...H100, name: 'h200-like', memoryBandwidthBytesPerSecond: 4.8e12, memoryCapacityBytes: 141e9 };

function analyzeSplit(model: string, tensor: number, expert: number, overrides: InputOverrides = {}): AnalysisResult {
  const input = engineInput({ model: sixteenBitCheckpoint(hfConfig(model)), hardware: H200, ...overrides });
  input.parallelism = { tensor, expert };
  return analyzeResolved(input);
}

function expectError(run: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof RooflineInputError && error.code === code && error.path.join('.') === 'parallelism.expert' && pattern.test(error.message));
}

/**
 * DeepSeek-V3 on 8 H200s, tensor 8 for attention and expert 8 for the MoE: H 7168, 256 routed
 * experts of 2048 columns, 8 per token, one shared expert of 2048, blocks 0–2 dense (I 18432),
 * 58 MoE blocks of 61. fp8 weights (1 B), fp16 activations and cache (2 B); batch 1, 1024 + 256.
 */
describe('default conventions: expert parallelism on DeepSeek-V3 (tensor 8 + expert 8, hand-checked)', () => {
  const fp8 = { weights: 'fp8' } as const;
  const ep8 = analyzeSplit('deepseek-v3', 8, 8, fp8);
  const tp8 = analyzeSplit('deepseek-v3', 8, 1, fp8);
  const expertBytes = 7168 * 2048 * 1; // one projection of one expert at fp8

  it('holds 32 whole experts per device and runs the b·T·k / 8 pairs sent to it', () => {
    // Decode at batch 1: 8 pairs in all, 8 · 1/8 = 1 on this device; experts touched: 8 of 256, 1 of its 32.
    const gate = layer(ep8, 'decode', 'experts_gate_proj');
    assert.equal(gate.count, 58);
    assert.equal(gate.flops, 2 * 1 * 7168 * 2048);
    assert.equal(gate.bytes.weights, 1 * expertBytes);
    assert.equal(gate.bytes.activations_in, 1 * 7168 * 2);
    // Prefill of 1024 tokens: 8192 pairs, 1024 here; 256 · (1 − (1 − 8/256)^1024) / 8 ≈ 32 experts read.
    const prefillGate = layer(ep8, 'prefill', 'experts_gate_proj');
    assert.equal(prefillGate.flops, 2 * 1024 * 7168 * 2048);
    assertClose(prefillGate.bytes.weights, ((256 * (1 - Math.pow(1 - 8 / 256, 1024))) / 8) * expertBytes, 1e-12);
    assertClose(expectedExpertsTouched(256, 8, 1024) / 8, 32, 1e-12);
    // Under tensor parallelism alone each device reads a 256-column slice of all 8 touched experts:
    // the same bytes at batch 1, but 8 tokens' worth of work split 8 ways instead of whole experts.
    assert.equal(layer(tp8, 'decode', 'experts_gate_proj').bytes.weights, 8 * 7168 * 256);
    assert.equal(layer(tp8, 'decode', 'experts_gate_proj').flops, 2 * 8 * 7168 * 256);
  });

  it('sends each token copy to its expert and back with two all-to-alls, network-bound', () => {
    // Decode: this device routes ceil(1/8) = 1 token; 8 copies of 7168 fp16 values, 7/8 of them leave:
    // 1 · 8 · 7168 · 2 · 7/8 = 100,352 B; 100352 / 450e9 + 2e-6 ≈ 2.22 µs.
    for (const name of ['experts_dispatch_all_to_all', 'experts_combine_all_to_all']) {
      const allToAll = layer(ep8, 'decode', name);
      assert.equal(allToAll.count, 58);
      assert.equal(allToAll.bytes.activations_in, 100_352);
      assertClose(allToAll.seconds, 100_352 / 450e9 + 2e-6);
      assert.equal(allToAll.bound, 'network');
    }
    // Prefill: 1024 / 8 = 128 tokens: 128 · 8 · 7168 · 2 · 7/8 = 12,845,056 B.
    assertClose(layer(ep8, 'prefill', 'experts_dispatch_all_to_all').seconds, 12_845_056 / 450e9 + 2e-6);
    // The order of one MoE block.
    const names = layerNames(ep8, 'decode');
    const start = names.indexOf('router');
    assert.deepEqual(names.slice(start, start + 7), [
      'router',
      'experts_dispatch_all_to_all',
      'experts_gate_proj',
      'experts_up_proj',
      'experts_act',
      'experts_down_proj',
      'experts_combine_all_to_all',
    ]);
    assert.ok(!layerNames(tp8, 'decode').some((name) => name.includes('all_to_all')));
  });

  it('keeps the all-reduce after the MLP only in the three dense blocks', () => {
    assert.equal(layer(ep8, 'decode', 'attn_all_reduce').count, 61);
    assert.equal(layer(ep8, 'decode', 'mlp_all_reduce').count, 3);
    assert.equal(layer(tp8, 'decode', 'mlp_all_reduce').count, 61);
    // Per MoE block two all-to-alls (2 · 2.22 µs) replace an all-reduce of 7168 · 2 B over 8 devices:
    // 1.75 · 14336 / 450e9 + 14 · 2e-6 ≈ 28.06 µs.
    assertClose(layer(tp8, 'decode', 'mlp_all_reduce').seconds, (1.75 * 14_336) / 450e9 + 14 * 2e-6);
    assert.ok(ep8.metrics.tpot_seconds < tp8.metrics.tpot_seconds);
  });

  it('runs router, shared expert and the weighted sum on the device’s share of the tokens', () => {
    // Prefill: 128 tokens here. Router [7168 → 256] with DeepSeek-V3's correction bias (one add per output).
    assert.equal(layer(ep8, 'prefill', 'router').flops, 2 * 128 * 7168 * 256 + 128 * 256);
    // The shared expert is whole on every device (not split 8 ways).
    const shared = layer(ep8, 'prefill', 'shared_expert_gate_proj');
    assert.equal(shared.flops, 2 * 128 * 7168 * 2048);
    assert.equal(shared.bytes.weights, expertBytes);
    assert.equal(layer(tp8, 'prefill', 'shared_expert_gate_proj').bytes.weights, 7168 * 256);
    // Weighted sum of k = 8 outputs and the shared one: 128 tokens · 7168 · (2 · 8 + 1) ops.
    assert.equal(layer(ep8, 'prefill', 'experts_combine').flops, 128 * 7168 * 17);
  });

  it('holds the same routed-expert bytes per device as tensor 8, plus the whole shared expert', () => {
    // Routed: 32 experts × 3 × 7168 × 2048 (ep) = 256 × 3 × 7168 × 256 (tp). Shared: 3 × 7168 × 2048
    // whole instead of an eighth, in 58 blocks: 58 · 3 · 14,680,064 · 7/8 = 2,235,039,744 B more.
    assert.equal(ep8.memory.weights_bytes - tp8.memory.weights_bytes, 58 * 3 * expertBytes * (7 / 8));
    assert.equal(ep8.memory.weights_bytes - tp8.memory.weights_bytes, 2_235_039_744);
    assert.equal(ep8.memory.kv_cache_bytes, tp8.memory.kv_cache_bytes);
    assert.equal(ep8.model.parameters, tp8.model.parameters);
    assert.ok(ep8.notes.some((note) => note.includes('each holds 32 of the 256 experts whole and a copy of the shared expert')));
  });

  it('combines with pipeline parallelism: the 30 MoE blocks of stage 2 govern memory', () => {
    const input = engineInput({ model: sixteenBitCheckpoint(hfConfig('deepseek-v3')), hardware: H200, weights: 'fp8' });
    input.parallelism = { tensor: 8, expert: 8, pipeline: 2 };
    const result = analyzeResolved(input);
    assert.equal(layer(result, 'decode', 'experts_dispatch_all_to_all').count, 58);
    assert.equal(layer(result, 'decode', 'pipeline_send').count, 1);
    assert.ok(result.memory.weights_bytes < ep8.memory.weights_bytes / 1.9);
    assert.ok(result.notes.some((note) => note.includes('stage 2, blocks 31–60 with lm_head')));
  });
});

/** Mixtral-8x7B: H 4096, 8 experts of 14336 columns, 2 per token, 32 blocks, fp16. */
describe('default conventions: expert parallelism on Mixtral-8x7B (hand-checked)', () => {
  const expertBytes = 4096 * 14336 * 2;

  it('expert 2 on tensor 2: four experts per device, one of them read per decode step at batch 1', () => {
    const result = analyzeSplit('mixtral-8x7b', 2, 2);
    const gate = layer(result, 'decode', 'experts_gate_proj');
    // 2 experts touched of 8, half of them here; 2 pairs, half here.
    assert.equal(gate.bytes.weights, 1 * expertBytes);
    assert.equal(gate.flops, 2 * 1 * 4096 * 14336);
    // ceil(1/2) = 1 token, 2 copies of 4096 · 2 B, half leave: 8192 B.
    const dispatch = layer(result, 'decode', 'experts_dispatch_all_to_all');
    assert.equal(dispatch.bytes.activations_in, 8_192);
    assertClose(dispatch.seconds, 8_192 / 450e9 + 2e-6);
    assert.ok(!layerNames(result, 'decode').includes('mlp_all_reduce'));
  });

  it('expert 8 on tensor 8: one expert per device; a quarter of one read at batch 1, nearly all at batch 64', () => {
    const batch1 = analyzeSplit('mixtral-8x7b', 8, 8);
    assert.equal(layer(batch1, 'decode', 'experts_gate_proj').bytes.weights, 0.25 * expertBytes);
    assert.equal(layer(batch1, 'decode', 'experts_gate_proj').flops, 2 * 0.25 * 4096 * 14336);
    // 1 token · 2 copies · 4096 · 2 B · 7/8 = 14,336 B.
    assert.equal(layer(batch1, 'decode', 'experts_dispatch_all_to_all').bytes.activations_in, 14_336);
    const batch64 = analyzeSplit('mixtral-8x7b', 8, 8, { batchSize: 64 });
    // 64 tokens: 8 · (1 − 0.75^64) / 8 experts read; 128 pairs, 16 here; 8 tokens routed here.
    assertClose(layer(batch64, 'decode', 'experts_gate_proj').bytes.weights, (1 - Math.pow(0.75, 64)) * expertBytes, 1e-12);
    assert.equal(layer(batch64, 'decode', 'experts_gate_proj').flops, 2 * 16 * 4096 * 14336);
    assert.equal(layer(batch64, 'decode', 'experts_dispatch_all_to_all').bytes.activations_in, 8 * 2 * 4096 * 2 * (7 / 8));
    // Memory: one whole expert per block instead of an eighth of each, the same bytes.
    const tp8 = analyzeSplit('mixtral-8x7b', 8, 1);
    assert.equal(batch1.memory.weights_bytes, tp8.memory.weights_bytes);
  });

  it('rejects expert parallelism that the model or the split cannot take', () => {
    // 8 experts on 16 devices (Mixtral's 32 heads and 8 KV heads allow tensor 16).
    expectError(() => analyzeSplit('mixtral-8x7b', 16, 16), 'ep-not-divisible', /expert parallelism 16 does not divide the 8 routed experts/);
    // DeepSeek-V3: 256 experts on 3 devices.
    expectError(() => analyzeSplit('deepseek-v3', 3, 3), 'ep-not-divisible', /does not divide the 256 routed experts/);
    // Expert parallelism runs on the tensor-parallel devices.
    expectError(() => analyzeSplit('mixtral-8x7b', 8, 2), 'ep-not-tensor', /must equal parallelism.tensor \(8\), got 2/);
    expectError(() => analyzeSplit('mixtral-8x7b', 1, 2), 'ep-not-tensor', /must equal parallelism.tensor \(1\)/);
    // A dense model has no experts to split.
    expectError(() => analyzeSplit('llama-3.1-70b', 4, 4), 'ep-dense-model', /needs a mixture-of-experts model/);
    expectError(() => analyzeSplit('mixtral-8x7b', 2, 0), 'invalid-value', /positive whole number/);
  });
});
