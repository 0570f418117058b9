import * as assert from 'node:assert/strict';
import { analyzeLlmViewer } from '../../../../language-server/src/engine/llmviewer/analyze';
import type { AnalysisResult, LayerResult, StageName } from '../../../../language-server/src/engine/types';
import { assertRelative, LLAMA_2, llmViewerHardwareSpec, llmViewerInput } from './helpers';

function layerOf(result: AnalysisResult, stage: StageName, name: string): LayerResult {
  const layer = result.stages[stage].layers.find((l) => l.name === name);
  assert.ok(layer, `${stage}.${name}`);
  return layer;
}

// Llama-2-70b: H 8192, nh 64, nkv 8, d 128, I 28672, L 80, V 32000.
describe('llm-viewer conventions: hand-checked cases the public cases do not cover', () => {
  describe('tensor parallelism 2 on Llama-2-70b (spec §7)', () => {
    const result = analyzeLlmViewer(
      llmViewerInput({ model: LLAMA_2['70b'], hardware: 'nvidia_A100_80G', seqlen: 1024, batchsize: 1, tp: 2 }),
    );

    it('splits the linear shapes with floor division', () => {
      // q_proj [8192, 8192 // 2 = 4096]: OPs 8192·4096·2, weights 8192·4096·2 bytes, reads 8192·2.
      const q = layerOf(result, 'decode', 'q_proj');
      assert.equal(q.flops, 67_108_864);
      assert.equal(q.bytes.weights, 67_108_864);
      assert.equal(q.bytes.activations_in, 16_384);
      assert.equal(q.bytes.activations_out, 8_192);
      // k_proj [8192, 8192·8 // 64 // 2 = 512]: its one new token's K goes to the cache, 512·2 bytes.
      const k = layerOf(result, 'decode', 'k_proj');
      assert.equal(k.bytes.weights, 8192 * 512 * 2);
      assert.equal(k.bytes.kv_write, 1_024);
      assert.equal(k.bytes.activations_out, 0);
      // out_proj [4096, 8192]: reads the local half of the heads.
      assert.equal(layerOf(result, 'decode', 'out_proj').bytes.activations_in, 8_192);
      // down_proj [28672 // 2 = 14336, 8192].
      assert.equal(layerOf(result, 'decode', 'down_proj').bytes.weights, 14_336 * 8192 * 2);
    });

    it('leaves attention, elementwise layers and lm_head full-size', () => {
      // qk_matmul still reads the K of all 8 KV heads: 1024·128·1·8·2 bytes.
      assert.equal(layerOf(result, 'decode', 'qk_matmul').bytes.kv_read, 2_097_152);
      // mlp_act on b·H = 8192 elements: 2 OPs each.
      assert.equal(layerOf(result, 'decode', 'mlp_act').flops, 16_384);
      assert.equal(layerOf(result, 'decode', 'lm_head').bytes.weights, 8192 * 32000 * 2);
    });

    it('gives per-device weights and KV cache', () => {
      // 80 · (8192·4096 + 2·8192·512 + 4096·8192 + 3·8192·14336) · 2 = 80 · 427,819,008 · 2
      assert.equal(result.stages.prefill.memory.weights_bytes, 68_451_041_280);
      // 80 blocks · 2 (K, V) · 512 channels · b 1 · s 1024 · 2 bytes
      assert.equal(result.stages.prefill.memory.kv_cache_bytes, 167_772_160);
      // Half of the tp = 1 figures exactly, because every split is exact for 70b.
      const single = analyzeLlmViewer(
        llmViewerInput({ model: LLAMA_2['70b'], hardware: 'nvidia_A100_80G', seqlen: 1024, batchsize: 1 }),
      );
      assert.equal(single.stages.prefill.memory.weights_bytes, 2 * 68_451_041_280);
      assert.equal(single.stages.prefill.memory.kv_cache_bytes, 2 * 167_772_160);
      // The parameter count describes the model, not one device.
      assert.equal(result.model.parameters, single.model.parameters);
    });
  });

  describe('peak selection, latest tiers (spec §6)', () => {
    const peakFor = (hardware: string, wBit: number, aBit: number, kvBit: number) =>
      analyzeLlmViewer(llmViewerInput({ hardware, wBit, aBit, kvBit })).hardware;

    it('uses INT4 for w4a4kv4 on A6000', () => {
      const hardware = peakFor('nvidia_A6000', 4, 4, 4);
      assert.equal(hardware.peak_ops_per_second, 619.4e12);
      assert.equal(hardware.compute_precision, 'int4');
      assert.equal(hardware.ridge_point, 619.4e12 / 768e9);
    });

    it('takes the widest of the three widths', () => {
      assert.equal(peakFor('nvidia_A6000', 4, 8, 4).compute_precision, 'int8');
      assert.equal(peakFor('nvidia_A6000', 4, 16, 4).compute_precision, 'fp16');
      assert.equal(peakFor('nvidia_A6000', 2, 1, 2).compute_precision, 'int4');
    });

    it('falls back when the hardware lacks a tier', () => {
      // Hopper has no INT4 entry: w4a4kv4 runs at INT8.
      assert.deepEqual(
        [peakFor('nvidia_H100', 4, 4, 4).compute_precision, peakFor('nvidia_H100', 4, 4, 4).peak_ops_per_second],
        ['int8', 3958e12 / 2],
      );
      // intel_13900k has neither INT8 nor INT4: FP16 for everything.
      assert.equal(peakFor('intel_13900k', 8, 8, 8).peak_ops_per_second, 8 * 5.4e9 * (512 / 16));
      assert.equal(peakFor('intel_13900k', 4, 4, 4).compute_precision, 'fp16');
      // V100's INT8 entry (62e12) is below its FP16 (112e12); LLM-Viewer still picks it.
      assert.equal(peakFor('nvidia_V100', 8, 8, 8).peak_ops_per_second, 62e12);
    });

    it('runs compute-bound prefill layers at the INT4 peak', () => {
      const result = analyzeLlmViewer(llmViewerInput({ hardware: 'nvidia_A6000', wBit: 4, aBit: 4, kvBit: 4 }));
      const q = layerOf(result, 'prefill', 'q_proj');
      // OPs 4096·4096·1024·2; bytes 4096²·0.5 + 2 · 4096·1024·0.5 = 12,582,912; AI 2730.67 ≥ 806.5
      assert.equal(q.flops, 34_359_738_368);
      assert.equal(q.bytes.weights + q.bytes.activations_in + q.bytes.activations_out, 12_582_912);
      assert.equal(q.bound, 'compute');
      assert.equal(q.seconds, 34_359_738_368 / 619.4e12);
    });
  });

  describe('2-bit and 1-bit byte factors (spec §5)', () => {
    // w2 a1 kv1: 0.25, 0.125 and 0.125 bytes per element.
    const result = analyzeLlmViewer(llmViewerInput({ wBit: 2, aBit: 1, kvBit: 1, seqlen: 1024 }));

    it('scales each byte kind by its own width', () => {
      const q = layerOf(result, 'decode', 'q_proj');
      assert.equal(q.bytes.weights, 4096 * 4096 * 0.25);
      assert.equal(q.bytes.activations_in, 4096 * 0.125);
      assert.equal(layerOf(result, 'decode', 'k_proj').bytes.kv_write, 4096 * 0.125);
      // qk_matmul reads K for 1024 tokens · 128 · 32 heads at 1 bit.
      assert.equal(layerOf(result, 'decode', 'qk_matmul').bytes.kv_read, 524_288);
      // lm_head weights at 2 bits, its logits at 1 bit.
      const lmHead = layerOf(result, 'decode', 'lm_head');
      assert.equal(lmHead.bytes.weights, 4096 * 32000 * 0.25);
      assert.equal(lmHead.bytes.activations_out, 32000 * 0.125);
    });

    it('sizes weights and KV memory with those factors', () => {
      // 32 · 2 · 4096 · 1024 · 0.125
      assert.equal(result.stages.decode.memory.kv_cache_bytes, 33_554_432);
      // 32 · 202,375,168 · 0.25
      assert.equal(result.stages.decode.memory.weights_bytes, 1_619_001_344);
      assert.equal(result.hardware.compute_precision, 'int4');
    });
  });

  describe('GQA attention without flash (Llama-2-70b, b 2, s 512)', () => {
    const result = analyzeLlmViewer(llmViewerInput({ model: LLAMA_2['70b'], seqlen: 512, batchsize: 2 }));

    it('sizes the prefill Q read with the KV heads (spec §14 quirk 2)', () => {
      const qk = layerOf(result, 'prefill', 'qk_matmul');
      // load_act = s·d·b·nkv·Ba = 512·128·2·8·2, not 64 heads
      assert.equal(qk.bytes.activations_in, 2_097_152);
      // store_act = s·s·b·nh·Ba = 512·512·2·64·2
      assert.equal(qk.bytes.activations_out, 67_108_864);
      // load_kv_cache = s·d·b·nkv·Bkv
      assert.equal(qk.bytes.kv_read, 2_097_152);
      // OPs = s·s·d·nh·b·2, no causal halving
      assert.equal(qk.flops, 8_589_934_592);
    });

    it('sizes the decode Q read with the query heads', () => {
      // d·b·nh·Ba = 128·2·64·2
      assert.equal(layerOf(result, 'decode', 'qk_matmul').bytes.activations_in, 32_768);
    });
  });

  describe('latest flash attention on GQA (Llama-2-70b, A100_80G, b 2, s 1000)', () => {
    const input = llmViewerInput({ model: LLAMA_2['70b'], hardware: 'nvidia_A100_80G', seqlen: 1000, batchsize: 2, flash: true });
    const result = analyzeLlmViewer(input);

    it('replaces qk, sv and softmax by one fused layer', () => {
      const names = result.stages.prefill.layers.map((l) => l.name);
      assert.ok(names.includes('fused_attention'));
      assert.ok(!names.includes('qk_matmul') && !names.includes('softmax'));
    });

    it('prefill: Q in, O out twice, K/V re-read per block of 128 query rows', () => {
      const fused = layerOf(result, 'prefill', 'fused_attention');
      // block_r = min(ceil(27,648,000 / (2·128)), 128) = 128; blocks = ceil(1000 / 128) = 8
      // OPs = qk 1000·1000·128·64·2·2 + sv (same) + softmax 2·64·1000·1000·5
      assert.equal(fused.flops, 32_768_000_000 + 32_768_000_000 + 640_000_000);
      // Q: T·d·b·nh·Ba = 1000·128·2·64·2
      assert.equal(fused.bytes.activations_in, 32_768_000);
      // O (latest: T×d): 2 · 1000·128·2·64·2
      assert.equal(fused.bytes.activations_out, 65_536_000);
      // K and V with the 8 KV heads: 8 blocks · 1000·128·2·8·2 · 2
      assert.equal(fused.bytes.kv_read, 65_536_000);
      assert.equal(fused.bytes.weights + fused.bytes.kv_write, 0);
    });

    it('decode: one block', () => {
      const fused = layerOf(result, 'decode', 'fused_attention');
      // OPs = 1000·128·64·2·2 · 2 + 2·64·1000·5
      assert.equal(fused.flops, 66_176_000);
      assert.equal(fused.bytes.activations_in, 32_768);
      assert.equal(fused.bytes.activations_out, 65_536);
      // 1 · 1000·128·2·8·2 · 2
      assert.equal(fused.bytes.kv_read, 8_192_000);
    });

    it('uses a small on-chip buffer through block_r, and d without one', () => {
      const small = { ...llmViewerHardwareSpec('nvidia_A100_80G'), onChipBufferBytes: 4096 };
      const smallResult = analyzeLlmViewer({ ...input, hardware: small });
      // block_r = min(ceil(4096 / (2·128)), 128) = 16; blocks = ceil(1000 / 16) = 63
      assert.equal(layerOf(smallResult, 'prefill', 'fused_attention').bytes.kv_read, 63 * 1000 * 128 * 2 * 8 * 2 * 2);
      const { onChipBufferBytes: _dropped, ...withoutBuffer } = llmViewerHardwareSpec('nvidia_A100_80G');
      const noBufferResult = analyzeLlmViewer({ ...input, hardware: withoutBuffer });
      assert.equal(layerOf(noBufferResult, 'prefill', 'fused_attention').bytes.kv_read, 65_536_000);
    });
  });

  describe('other sizes and hardware', () => {
    it('Llama-2-13b at tp 8 on H100 keeps the per-layer identities', () => {
      const result = analyzeLlmViewer(
        llmViewerInput({ model: LLAMA_2['13b'], hardware: 'nvidia_H100', seqlen: 2048, batchsize: 8, tp: 8, flash: true }),
      );
      // q_proj [5120, 640]: b·T·ic·oc·2 = 8·2048·5120·640·2 in prefill
      assert.equal(layerOf(result, 'prefill', 'q_proj').flops, 8 * 2048 * 5120 * 640 * 2);
      // KV: 40 · 2 · 640 · 8 · 2048 · 2
      assert.equal(result.stages.prefill.memory.kv_cache_bytes, 40 * 2 * 640 * 8 * 2048 * 2);
      for (const stage of ['prefill', 'decode'] as const) {
        for (const layer of result.stages[stage].layers) {
          const bytes = Object.values(layer.bytes).reduce((a, b) => a + b, 0);
          const expectedSeconds = Math.max(layer.flops / (1979e12 / 2), bytes / 3072e9);
          assertRelative(layer.seconds, expectedSeconds, `${stage}.${layer.name}`, 1e-12);
        }
      }
    });
  });
});
