/**
 * Each weight matmul runs at its own weights' precision: lm_head and a mixture of experts' router
 * keep 16-bit weights under runtime fp8, so their matmuls run on the bf16 tensor cores, not at the
 * fp8 peak, in every efficiency mode. LLM-Viewer's conventions keep their one tier (§6).
 * Llama-3.1-8B: H 4096, V 128,256 (untied). H100 (helpers): 989 TFLOPS bf16, 1979 fp8, 3.35 TB/s.
 */
import * as assert from 'node:assert/strict';
import { analyzeResolved } from '../../../../language-server/src/engine/index';
import { prepareDefault } from '../../../../language-server/src/engine/default/prepare';
import type { StepShape } from '../../../../language-server/src/engine/default/plan';
import type { EfficiencyChoice, HardwareSpec } from '../../../../language-server/src/engine/types';
import { findHardwarePreset } from '../../../../language-server/src/presets/index';
import { H100, analyze, assertClose, engineInput, hfConfig, layer } from './helpers';

const LLAMA_8B = hfConfig('llama-3.1-8b');
const VOCAB = 128_256;
/** Prefill of 8 sequences of 2048 tokens: logits for the last token of each, 8 rows. */
const PREFILL: StepShape = { batchSize: 8, queryTokens: 2048, cachedTokens: 0, logitTokensPerSequence: 1 };
/** Measured-style fractions that differ by precision, so the achievable rate shows which one was used. */
const H100_FRACTIONS: HardwareSpec = { ...H100, achievable: { compute: { bf16: 0.7, fp16: 0.7, fp8: 0.6, int8: 0.6 }, memory: 0.8 } };

/** The H100 SXM preset: its measured fractions, 132 SMs and Hopper's fp8 tile constant (740). */
const H100_PRESET = findHardwarePreset('nvidia-h100-sxm')!.spec!;

function fp8Input(efficiency: EfficiencyChoice, formats: 'fp8' | 'bf16', hardware: HardwareSpec) {
  return { ...engineInput({ model: LLAMA_8B, hardware, batchSize: 8, promptTokens: 2048, weights: formats, activations: formats, kvCache: formats }), efficiency };
}

/** The compute ceiling of one prefill layer, from the clock the analysis uses. */
function computeSeconds(efficiency: EfficiencyChoice, name: string, formats: 'fp8' | 'bf16' = 'fp8', hardware: HardwareSpec = H100_FRACTIONS): number {
  const prepared = prepareDefault(fp8Input(efficiency, formats, hardware));
  const template = prepared.prefillLayers.find((counted) => counted.template.name === name)!.template;
  return prepared.clock.parts(template, template.cost(PREFILL)).compute;
}

describe('default conventions: each weight matmul at its own weights’ precision (hand-checked)', () => {
  const headFlops = 2 * 8 * 4096 * VOCAB; // 8,405,385,216

  it('Llama-3.1-8B on H100, fp8, prefill 8 × 2048: lm_head’s 8 × 4096 × 128,256 × 2 FLOPs at the bf16 989 TFLOPS, not the fp8 1979', () => {
    assert.equal(layer(analyzeResolved(fp8Input('ideal', 'fp8', H100_FRACTIONS)), 'prefill', 'lm_head').flops, headFlops);
    assertClose(computeSeconds('ideal', 'lm_head'), headFlops / 989e12); // 8.50 µs (fp8: 4.25 µs)
    // The projections keep the fp8 peak: q_proj is 2 · 16,384 · 4096 · 4096 FLOPs.
    assertClose(computeSeconds('ideal', 'q_proj'), (2 * 8 * 2048 * 4096 * 4096) / 1979e12);
  });

  it('achievable: the bf16 fraction of the bf16 peak for lm_head, the fp8 one for the projections', () => {
    assertClose(computeSeconds('achievable', 'lm_head'), headFlops / (989e12 * 0.7));
    assertClose(computeSeconds('achievable', 'q_proj'), (2 * 8 * 2048 * 4096 * 4096) / (1979e12 * 0.6));
  });

  it('expected: lm_head’s compute ceiling is the one it has in a bf16 deployment (same shape, same precision, no fp8 tile work)', () => {
    for (const hardware of [H100_FRACTIONS, H100_PRESET]) {
      const underFp8 = computeSeconds('expected', 'lm_head', 'fp8', hardware);
      assert.equal(underFp8, computeSeconds('expected', 'lm_head', 'bf16', hardware), hardware.name);
    }
    // Tile and wave effects only slow the sustained bf16 rate, never speed it up.
    assert.ok(computeSeconds('expected', 'lm_head') >= headFlops / (989e12 * 0.7));
    // q_proj still runs at the fp8 rate: (1979 · 0.6) / (989 · 0.7) = 1.715 times the bf16 one.
    const ratio = computeSeconds('expected', 'q_proj', 'bf16') / computeSeconds('expected', 'q_proj');
    assertClose(ratio, (1979e12 * 0.6) / (989e12 * 0.7));
    // On the preset, q_proj (depth 4096) also pays Hopper's fp8 tile work: 4096 / (4096 + 740)
    // relative to 12,032 / (12,032 + 740).
    const depthShare = 4096 / (4096 + 740) / (12_032 / (12_032 + 740));
    const presetRatio = computeSeconds('expected', 'q_proj', 'bf16', H100_PRESET) / computeSeconds('expected', 'q_proj', 'fp8', H100_PRESET);
    assertClose(presetRatio, ((1979e12 * H100_PRESET.achievable!.compute!.fp8!) / (989e12 * H100_PRESET.achievable!.compute!.bf16!)) * depthShare);
  });

  it('decode, batch 512: the bf16 head is compute-bound at 543.9 µs where the fp8 peak would make it memory-bound at 353 µs', () => {
    const result = analyze({ model: LLAMA_8B, hardware: H100, batchSize: 512, weights: 'fp8', activations: 'fp8', kvCache: 'fp8' });
    const head = layer(result, 'decode', 'lm_head');
    const flops = 2 * 512 * 4096 * VOCAB; // 537,944,653,824
    // Weights 4096 · 128,256 · 2 B, input 512 · 4096 · 1 B, logits 512 · 128,256 · 2 B.
    const bytes = 4096 * VOCAB * 2 + 512 * 4096 + 512 * VOCAB * 2;
    assert.equal(head.flops, flops);
    assert.equal(head.bound, 'compute');
    assertClose(head.seconds, flops / 989e12);
    assert.ok(bytes / 3350e9 > flops / 1979e12, 'at the fp8 peak the head would be memory-bound');
    assert.deepEqual(result.hardware.other_matmul_precisions, [{ weight_kinds: ['lm_head'], compute_precision: 'bf16', peak_ops_per_second: 989e12 }]);
    assert.equal(result.hardware.compute_precision, 'fp8');
    assert.ok(
      result.notes.includes("lm_head matmuls run at the bf16 peak, the wider of their weights' and the activations' formats; the other weight matmuls at fp8."),
      result.notes.join('\n'),
    );
  });

  it('a head quantized with the rest (quantization.weights: { lm_head: fp8 }) runs at the fp8 peak again', () => {
    const input = engineInput({ model: LLAMA_8B, hardware: H100, batchSize: 512, weights: 'fp8', activations: 'fp8', kvCache: 'fp8' });
    const quantizedHead = analyzeResolved({ ...input, quantization: { ...input.quantization, weightsByKind: { lm_head: input.quantization.weights } } });
    const head = layer(quantizedHead, 'decode', 'lm_head');
    // 537,944,653,824 FLOPs at 1979 TFLOPS = 271.8 µs, above the 196.7 µs its
    // 4096 · 128,256 · 1 + 512 · 4096 + 512 · 128,256 · 2 B take at 3.35 TB/s.
    assert.equal(head.bound, 'compute');
    assertClose(head.seconds, (2 * 512 * 4096 * VOCAB) / 1979e12);
    assert.equal(quantizedHead.hardware.other_matmul_precisions, undefined);
  });

  it('16-bit deployments have one matmul precision and no note', () => {
    const bf16 = analyze({ model: LLAMA_8B, hardware: H100, weights: 'bf16', activations: 'bf16' });
    assert.equal(bf16.hardware.other_matmul_precisions, undefined);
    assert.ok(!bf16.notes.some((note) => note.includes('matmuls run at the')), bf16.notes.join('\n'));
  });

  it('Mixtral-8x7B under runtime fp8: the router keeps bf16 weights (8 · 4096 · 2 B a block) and runs with lm_head at bf16', () => {
    const result = analyze({ model: hfConfig('mixtral-8x7b'), hardware: H100, batchSize: 64, weights: 'fp8', activations: 'fp8', kvCache: 'fp8' });
    const router = layer(result, 'decode', 'router');
    assert.equal(router.bytes.weights, 8 * 4096 * 2);
    // 64 tokens · 4096 · 8 experts · 2 FLOPs; memory-bound either way, so its time is its bytes'.
    assert.equal(router.flops, 2 * 64 * 4096 * 8);
    assert.deepEqual(result.hardware.other_matmul_precisions, [{ weight_kinds: ['router', 'lm_head'], compute_precision: 'bf16', peak_ops_per_second: 989e12 }]);
    assert.ok(result.notes.some((note) => note.includes('(the embedding, lm_head and router stay in bf16')), result.notes.join('\n'));
  });

  it('LLM-Viewer’s conventions keep one tier for every layer, lm_head included (§6)', () => {
    const input = engineInput({ model: LLAMA_8B, hardware: H100, batchSize: 512, weights: 'int8', activations: 'int8', kvCache: 'int8' });
    const viewer = analyzeResolved({ ...input, conventions: 'llm-viewer' });
    const head = layer(viewer, 'decode', 'lm_head');
    assert.equal(viewer.hardware.other_matmul_precisions, undefined);
    // b·H·V OPs (MACs counted once) at the int8 tier, not the 16-bit one.
    assertClose(head.seconds, Math.max((512 * 4096 * VOCAB) / 1979e12, (4096 * VOCAB + 4096 + VOCAB) / 3350e9));
  });
});
