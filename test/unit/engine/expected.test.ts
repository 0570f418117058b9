import * as assert from 'node:assert/strict';
import { analyze } from '../../../language-server/src/api';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import { collectiveSeconds } from '../../../language-server/src/engine/expected/collectives';
import { matmulDepthEfficiency, matmulTileEfficiency } from '../../../language-server/src/engine/expected/clock';
import { DEFAULT_EXPECTED, DEQUANT_OPS_PER_WEIGHT } from '../../../language-server/src/engine/expected/constants';
import { ENGINE_PROFILES } from '../../../language-server/src/engine/expected/engines';
import { dominantTerms } from '../../../language-server/src/engine/expected/dominant';
import type { AnalysisResult, ExpectedTerm, InterconnectSpec } from '../../../language-server/src/engine/types';
import { findHardwarePreset } from '../../../language-server/src/presets/index';
import { engineInput, H100 } from './default/helpers';

const NVSWITCH_H100: InterconnectSpec = { bandwidthBytesPerSecond: 450e9, latencySeconds: 0, fabric: 'nvswitch', domainDevices: 8 };

function close(actual: number, expected: number, relative = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${actual} vs ${expected}`);
}

function term(result: AnalysisResult, id: string): ExpectedTerm {
  const found = result.metrics.terms?.find((candidate) => candidate.id === id);
  assert.ok(found, id);
  return found;
}

describe('efficiency: expected — collectives as libraries run them', () => {
  it('all-reduce of 0.5 MB on 4 NVSwitch GPUs: the engine\'s own kernel at 0.1 × 450 GB/s, two-shot, 3.6 + 6 × 0.6 + 0.75 MB / 45 GB/s = 23.9 µs', () => {
    // One-shot: 3.6 + 3 × 0.6 + 1.5 MB / 45 GB/s = 38.7 µs. SGLang PR 2904 measures 20–27 µs on H100s.
    close(collectiveSeconds({ kind: 'all-reduce', bytes: 5e5, devices: 4 }, NVSWITCH_H100), 3.6e-6 + 6 * 0.6e-6 + 7.5e5 / 45e9);
  });

  it('all-reduce of 16 KB on 8 NVSwitch GPUs (a decode step): one-shot, 3.6 + 7 × 0.6 + 7 × 16 KB / 45 GB/s = 10.3 µs', () => {
    // Two-shot: 3.6 + 14 × 0.6 + 28 KB / 45 GB/s = 12.6 µs; NCCL would not be asked.
    close(collectiveSeconds({ kind: 'all-reduce', bytes: 16384, devices: 8 }, NVSWITCH_H100), 3.6e-6 + 7 * 0.6e-6 + (7 * 16384) / 45e9);
  });

  it('all-reduce of 32 MB on 4 NVSwitch GPUs (a 2,048-token prefill of a 8,192-wide model): past the 8 MB buffer, NCCL ring simple, 8.4 + 6 × 3.4 + 48 MB / 360 GB/s = 162.1 µs', () => {
    close(collectiveSeconds({ kind: 'all-reduce', bytes: 32e6, devices: 4 }, NVSWITCH_H100), 8.4e-6 + 6 * 3.4e-6 + 48e6 / 360e9);
  });

  it('2 GPUs keep their own kernel up to 16 MB: 12 MB one-shot, 3.6 + 0.6 + 12 MB / 45 GB/s = 270.9 µs (NCCL\'s ring would take 48.5)', () => {
    close(collectiveSeconds({ kind: 'all-reduce', bytes: 12e6, devices: 2 }, NVSWITCH_H100), 3.6e-6 + 0.6e-6 + 12e6 / 45e9);
  });

  it('over PCIe there is no engine kernel: 16 KB on 2 GPUs by ring LL, 6.6 + 2 × 5 + 16 KB / (0.8 × 32 GB/s / 4) = 19.2 µs', () => {
    // Ring simple: 8.4 + 2 × 5.7 + 16384 / 25.6 GB/s = 20.4 µs.
    const pcie: InterconnectSpec = { bandwidthBytesPerSecond: 32e9, latencySeconds: 5e-6 };
    close(collectiveSeconds({ kind: 'all-reduce', bytes: 16384, devices: 2 }, pcie), 6.6e-6 + 10e-6 + 16384 / 6.4e9);
  });

  it('16 GPUs in two 8-GPU domains: ring simple bound by the 400 Gb/s NIC, 8.4 + 28 × 3.4 + 2 × 14 + 1.875 MB / 40 GB/s = 178.5 µs', () => {
    // 30 ring steps, 2 of them across the network; ring LL would take 6.6 + 28 × 0.6 + 2 × 2.7 + 1.875 MB / 10 GB/s = 216.3 µs.
    close(collectiveSeconds({ kind: 'all-reduce', bytes: 1e6, devices: 16 }, NVSWITCH_H100), 8.4e-6 + 28 * 3.4e-6 + 2 * 14e-6 + 1.875e6 / 40e9);
  });

  it('an engine calling NCCL for every all-reduce (gpt-fast) runs the 0.5 MB of 4 NVSwitch GPUs as ring LL: 6.6 + 6 × 0.6 + 0.75 MB / 90 GB/s = 18.5 µs', () => {
    close(collectiveSeconds({ kind: 'all-reduce', bytes: 5e5, devices: 4 }, NVSWITCH_H100, false), 6.6e-6 + 6 * 0.6e-6 + 7.5e5 / 90e9);
  });

  it('with in-switch reduction (Hopper, Blackwell) the engine kernel moves 0.4 of the link: 0.5 MB on 4 GPUs, 3.6 + 6 × 0.6 + 0.75 MB / 180 GB/s = 11.4 µs', () => {
    close(collectiveSeconds({ kind: 'all-reduce', bytes: 0.5e6, devices: 4 }, NVSWITCH_H100, true, 0.4), 3.6e-6 + 6 * 0.6e-6 + 0.75e6 / 180e9);
  });

  it('one device needs no collective', () => {
    assert.equal(collectiveSeconds({ kind: 'all-reduce', bytes: 1e6, devices: 1 }, NVSWITCH_H100), 0);
  });
});

describe('efficiency: expected — NCCL\'s ring as measured on A100 NVLink', () => {
  const NVSWITCH_A100: InterconnectSpec = { bandwidthBytesPerSecond: 300e9, latencySeconds: 0, fabric: 'nvswitch', domainDevices: 8 };
  const MEASURED = { simpleStepSeconds: 8.35e-6, linkEfficiency: 0.7, lowLatencyLinkEfficiency: 0.122 };

  it('2 MiB on 4 A100s through NCCL (a 128-token prefill of an 8,192-wide model): simple, 8.4 + 6 × 8.35 + 1.5 × 2 MiB / 210 GB/s = 73.5 µs (nccl-tests: 69.09)', () => {
    // LL: 6.6 + 6 × 0.6 + 1.5 × 2 MiB / 36.6 GB/s = 96.1 µs. NCCL's own model: 8.4 + 6 × 3.4 + 1.5 × 2 MiB / 240 GB/s = 41.9 µs.
    close(collectiveSeconds({ kind: 'all-reduce', bytes: 2097152, devices: 4 }, NVSWITCH_A100, false, undefined, MEASURED), 8.4e-6 + 6 * 8.35e-6 + (1.5 * 2097152) / 210e9);
    close(collectiveSeconds({ kind: 'all-reduce', bytes: 2097152, devices: 4 }, NVSWITCH_A100, false), 8.4e-6 + 6 * 3.4e-6 + (1.5 * 2097152) / 240e9);
  });

  it('16 KB on 4 A100s (a decode step): LL at NCCL\'s latency and the measured LL rate, 6.6 + 6 × 0.6 + 24 KB / 36.6 GB/s = 10.9 µs', () => {
    close(collectiveSeconds({ kind: 'all-reduce', bytes: 16384, devices: 4 }, NVSWITCH_A100, false, undefined, MEASURED), 6.6e-6 + 6 * 0.6e-6 + (1.5 * 16384) / (0.122 * 300e9));
  });

  it('the measured figures are of NVLink: over PCIe the ring keeps NCCL\'s model', () => {
    const pcie: InterconnectSpec = { bandwidthBytesPerSecond: 32e9, latencySeconds: 5e-6 };
    const message = { kind: 'all-reduce', bytes: 4e6, devices: 4 } as const;
    close(collectiveSeconds(message, pcie, false, undefined, MEASURED), collectiveSeconds(message, pcie, false));
  });

  const prefill = (hardware: unknown): number => {
    const result = analyze({
      model: 'meta-llama/Llama-2-70b-hf',
      hardware,
      engine: 'tensorrt-llm-before-xqa',
      workload: { batch_size: 1, prompt_tokens: 128, output_tokens: 1 },
      parallelism: { tensor: 4 },
      efficiency: 'expected',
    });
    return result.stages.prefill.layers.find((layer) => layer.name === 'attn_all_reduce')!.seconds;
  };

  it('the A100 preset charges the measured ring, the H100 preset NCCL\'s model (which nccl-tests on 4 × H100 matches)', () => {
    // 128 tokens × 8,192 × 2 B = 2 MiB per all-reduce.
    close(prefill('nvidia-a100-80gb-sxm4'), 8.4e-6 + 6 * 8.35e-6 + (1.5 * 2097152) / 210e9);
    close(prefill('nvidia-h100-sxm'), 8.4e-6 + 6 * 3.4e-6 + (1.5 * 2097152) / 360e9);
  });

  it('a hardware file sets the ring\'s figures: NCCL\'s own on an A100 give 41.9 µs', () => {
    const file = { extends: 'nvidia-a100-80gb-sxm4', expected: { nccl_step_us: 3.4, nccl_link_efficiency: 0.8, nccl_ll_link_efficiency: 0.2 } };
    close(prefill(file), 8.4e-6 + 6 * 3.4e-6 + (1.5 * 2097152) / 240e9);
  });
});

describe('efficiency: expected — matmul tiles and waves', () => {
  it('4096 × 8192 on 132 SMs: 2048 tiles in 16 waves, 2048 / 2112 = 97.0% useful', () => {
    close(matmulTileEfficiency({ rows: 4096, columns: 8192, depth: 4096, groups: 1 }, 132), 2048 / 2112);
  });

  it('100 rows pad to 112 (16-row tensor-core tiles) and 64 tiles fill less than a wave (split-K fills the GPU): 100 / 112', () => {
    close(matmulTileEfficiency({ rows: 100, columns: 8192, depth: 4096, groups: 1 }, 132), 100 / 112);
    close(matmulTileEfficiency({ rows: 100, columns: 8192, depth: 4096, groups: 1 }, undefined), 100 / 112);
  });

  it('one row of a decode GEMV pads to 16, not to a 64-row tile: 1 / 16', () => {
    close(matmulTileEfficiency({ rows: 1, columns: 4096, depth: 4096, groups: 1 }, 132), 1 / 16);
  });
});

describe('efficiency: expected — the analysis', () => {
  const input = { ...engineInput({ hardware: { ...H100, interconnect: NVSWITCH_H100 }, promptTokens: 512, outputTokens: 128 }), efficiency: 'expected' as const };
  const expected = analyzeResolved(input);
  const ideal = analyzeResolved({ ...input, efficiency: 'ideal' });

  it('keeps the ideal roofline beside it, exactly as efficiency: ideal computes it', () => {
    const bound = expected.metrics.bound!;
    close(bound.ttft_seconds, ideal.metrics.ttft_seconds, 1e-12);
    close(bound.tpot_seconds, ideal.metrics.tpot_seconds, 1e-12);
    close(bound.e2e_seconds, ideal.metrics.e2e_seconds, 1e-12);
    assert.equal(ideal.metrics.bound, undefined);
    assert.equal(expected.hardware.efficiency!.mode, 'expected');
  });

  it('its terms add up from the bound to the expected figures, each at least zero', () => {
    const terms = expected.metrics.terms!;
    assert.deepEqual(
      terms.map((entry) => entry.id),
      ['sustained-rates', 'attention-kernel', 'matmul-shape', 'sixteen-bit-activations', 'weight-only', 'kernel-launch', 'collectives', 'step-overhead', 'request-overhead'],
    );
    for (const entry of terms) assert.ok(entry.ttft_seconds >= 0 && entry.tpot_seconds >= 0, entry.id);
    close(expected.metrics.bound!.ttft_seconds + terms.reduce((sum, entry) => sum + entry.ttft_seconds, 0), expected.metrics.ttft_seconds);
    close(expected.metrics.bound!.tpot_seconds + terms.reduce((sum, entry) => sum + entry.tpot_seconds, 0), expected.metrics.tpot_seconds);
  });

  it('charges one kernel for each of the 259 kernels of a Llama-2-7B step: 32 × 8 per block + embedding, final norm, lm_head', () => {
    // Per block q_proj, fused_attention, o_proj, attn_add, gate_proj, mlp_act, down_proj, mlp_add;
    // k/v run inside the QKV projection, up inside gate, the norms with the residual adds.
    close(term(expected, 'kernel-launch').tpot_seconds, 259 * DEFAULT_EXPECTED.kernelSeconds);
    close(term(expected, 'kernel-launch').ttft_seconds, 259 * DEFAULT_EXPECTED.kernelSeconds);
  });

  it('adds the host time once per step, prefill included, and the cost of the request once, to TTFT only', () => {
    close(term(expected, 'step-overhead').ttft_seconds, DEFAULT_EXPECTED.stepSeconds);
    close(term(expected, 'step-overhead').tpot_seconds, DEFAULT_EXPECTED.stepSeconds);
    close(term(expected, 'request-overhead').ttft_seconds, DEFAULT_EXPECTED.requestSeconds);
    assert.equal(term(expected, 'request-overhead').tpot_seconds, 0);
  });

  it('reads the KV cache in decode at 90% of the sustained stream: Σ kv_read / (0.9 × 0.8 × 3.35 TB/s) − Σ kv_read / (0.8 × 3.35 TB/s) more per step', () => {
    // One decode step (two output tokens) at 512 cached tokens: batch 1 attention is memory-bound,
    // so the slower stream adds exactly its extra bytes' time.
    const oneStep = analyzeResolved({ ...input, workload: { ...input.workload, outputTokens: 2 } });
    const attention = oneStep.stages.decode.layers.find((layer) => layer.name === 'fused_attention')!;
    const bytes = attention.count * (attention.bytes.kv_read + attention.bytes.activations_in + attention.bytes.activations_out + attention.bytes.weights);
    close(term(oneStep, 'attention-kernel').tpot_seconds, bytes / (0.9 * 0.8 * 3350e9) - bytes / (0.8 * 3350e9), 1e-6);
  });

  it('has no collectives or dequantisation on one GPU with 16-bit weights', () => {
    assert.equal(term(expected, 'collectives').tpot_seconds, 0);
    assert.equal(term(expected, 'weight-only').tpot_seconds, 0);
  });

  it('dequantises int4 weights of 16-bit matmuls on the vector ALUs: Σ int4 matmul weights × 2 elements per byte × 4 ops / 67 TFLOPS fp32 per step', () => {
    const int4 = analyzeResolved({ ...input, quantization: { ...input.quantization, weights: engineInput({ weights: 'int4' }).quantization.weights } });
    // lm_head stays 16-bit under a single narrower format (as vLLM keeps it), so it is not dequantised.
    const matmuls = new Set(['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']);
    // Batch 1 decode is memory-bound in every matmul, before and after: the ALU time adds to the stream's.
    const weightBytes = int4.stages.decode.layers.filter((layer) => matmuls.has(layer.name)).reduce((sum, layer) => sum + layer.count * layer.bytes.weights, 0);
    close(term(int4, 'weight-only').tpot_seconds, (weightBytes * 2 * DEQUANT_OPS_PER_WEIGHT) / 67e12, 1e-6);
    const lmHead = int4.stages.decode.layers.find((layer) => layer.name === 'lm_head')!;
    const plain = expected.stages.decode.layers.find((layer) => layer.name === 'lm_head')!;
    assert.equal(lmHead.bytes.weights, plain.bytes.weights, 'lm_head is 16-bit in both');
  });

  it('names the effects that dominate a figure, largest first, as shares of the gap', () => {
    const dominant = dominantTerms(expected.metrics.terms!, 'tpot_seconds');
    assert.equal(dominant.length, 2);
    assert.ok(dominant[0]!.share >= dominant[1]!.share);
    assert.deepEqual(dominantTerms([], 'tpot_seconds'), []);
  });
});

describe('efficiency: expected — hardware figures', () => {
  it('presets carry their fabric, SM count and family constants, each with a source', () => {
    const h100 = findHardwarePreset('nvidia-h100-sxm')!;
    assert.equal(h100.spec!.interconnect!.fabric, 'nvswitch');
    assert.equal(h100.spec!.interconnect!.domainDevices, 8);
    // The roofline's per-step latency stays 0 for presets: the ideal bound is unchanged.
    assert.equal(h100.spec!.interconnect!.latencySeconds, 0);
    assert.equal(h100.spec!.computeUnits, 132);
    assert.equal(h100.spec!.expected!.family, 'nvidia-hopper');
    assert.equal(h100.spec!.expected!.attentionCompute, 0.6);
    assert.equal(h100.spec!.expected!.allReduceLinkEfficiency, 0.4);
    assert.equal(findHardwarePreset('nvidia-b200')!.spec!.expected!.allReduceLinkEfficiency, 0.4);
    // No in-switch reduction on Ampere or AMD CDNA: the default share of the link.
    assert.equal(findHardwarePreset('nvidia-a100-80gb-sxm4')!.spec!.expected!.allReduceLinkEfficiency, undefined);
    assert.equal(findHardwarePreset('amd-mi300x')!.spec!.expected!.allReduceLinkEfficiency, undefined);
    for (const key of ['interconnect.fabric', 'compute_units', 'expected']) assert.ok(h100.sources[key], key);
    assert.equal(findHardwarePreset('amd-mi300x')!.spec!.interconnect!.fabric, 'xgmi');
  });

  it('a hardware file extending a preset overrides its family constants', () => {
    const deployment = { model: 'meta-llama/Llama-3.1-8B', workload: { batch_size: 1, prompt_tokens: 128, output_tokens: 64 }, efficiency: 'expected' };
    const preset = analyze({ ...deployment, hardware: 'nvidia-h100-sxm' });
    const file = analyze({ ...deployment, hardware: { extends: 'nvidia-h100-sxm', expected: { kernel_us: 10, family: 'mine' } } });
    const kernelTerm = (result: AnalysisResult): number => result.metrics.terms!.find((entry) => entry.id === 'kernel-launch')!.tpot_seconds;
    // The same kernels, 10 µs instead of 4 µs each.
    close(kernelTerm(file) / kernelTerm(preset), 10 / 4);
    assert.ok(file.notes.some((note) => note.includes('mine family')));
  });

  it('a hardware file sets the share of the link its engine all-reduce moves: Llama-3.1-70B decode at TP 4, one all-reduce 0.4 → 0.2', () => {
    const deployment = { model: 'meta-llama/Llama-3.1-70B', workload: { batch_size: 8, prompt_tokens: 128, output_tokens: 64 }, parallelism: { tensor: 4 }, efficiency: 'expected' };
    const preset = analyze({ ...deployment, hardware: 'nvidia-h100-sxm' });
    const file = analyze({ ...deployment, hardware: { extends: 'nvidia-h100-sxm', expected: { all_reduce_link_efficiency: 0.2 } } });
    const allReduce = (result: AnalysisResult): number => result.stages.decode.layers.find((layer) => layer.name === 'attn_all_reduce')!.seconds;
    // 8 tokens × 8192 × 2 B = 131,072 B on 4 GPUs. At 0.4 one-shot: 3.6 + 3 × 0.6 + 3 × 131,072 B / 180 GB/s = 7.6 µs
    // (two-shot 8.3). At 0.2 two-shot: 3.6 + 6 × 0.6 + 1.5 × 131,072 B / 90 GB/s = 9.4 µs (one-shot 9.8).
    close(allReduce(preset), 3.6e-6 + 3 * 0.6e-6 + (3 * 131072) / 180e9);
    close(allReduce(file), 3.6e-6 + 6 * 0.6e-6 + (1.5 * 131072) / 90e9);
  });
});

describe('efficiency: expected — the engine running the model', () => {
  const deployment = { model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-h100-sxm', workload: { batch_size: 1, prompt_tokens: 128, output_tokens: 64 }, efficiency: 'expected' };
  const termOf = (result: AnalysisResult, id: string): ExpectedTerm => result.metrics.terms!.find((entry) => entry.id === id)!;

  it('a serving engine is the default: the hardware family\'s constants', () => {
    const implicit = analyze(deployment);
    const explicit = analyze({ ...deployment, engine: 'serving' });
    assert.equal(explicit.metrics.tpot_seconds, implicit.metrics.tpot_seconds);
    close(termOf(implicit, 'step-overhead').tpot_seconds, DEFAULT_EXPECTED.stepSeconds);
  });

  it('a compiled decode step pays 1.5 µs per kernel instead of 4 and 0.1 ms of host time per step, no request path', () => {
    const serving = analyze(deployment);
    const compiled = analyze({ ...deployment, engine: 'compiled' });
    close(termOf(compiled, 'kernel-launch').tpot_seconds / termOf(serving, 'kernel-launch').tpot_seconds, 1.5 / 4);
    close(termOf(compiled, 'step-overhead').tpot_seconds, ENGINE_PROFILES.compiled.stepSeconds!);
    assert.equal(termOf(compiled, 'request-overhead').ttft_seconds, 0);
  });

  it('kernels launched one by one take at least their 8 µs launch: batch-1 decode of small kernels waits on the host', () => {
    const compiled = analyze({ ...deployment, engine: 'compiled' });
    const eager = analyze({ ...deployment, engine: 'eager' });
    // Both pay 1.5 µs per kernel on the GPU; launched from the host a kernel takes max(that, 8 µs).
    // Work fused into the kernel before it (k/v with q, up with gate, the norms) has no launch of its own.
    const fused = new Set(['k_proj', 'v_proj', 'up_proj', 'attn_norm', 'mlp_norm']);
    for (const layer of eager.stages.decode.layers) {
      const before = compiled.stages.decode.layers.find((candidate) => candidate.name === layer.name)!;
      close(layer.seconds, fused.has(layer.name) ? before.seconds : Math.max(before.seconds, ENGINE_PROFILES.eager.hostLaunchSeconds!), 1e-9);
    }
    assert.ok(termOf(eager, 'kernel-launch').tpot_seconds > termOf(compiled, 'kernel-launch').tpot_seconds);
  });

  it('TensorRT-LLM before XQA reads each KV head once per query head: 4× the KV bytes of Llama-3.1-8B (32 query heads, 8 KV heads) in decode attention', () => {
    const oneStep = { ...deployment, workload: { batch_size: 8, prompt_tokens: 4096, output_tokens: 2 } };
    const xqa = analyze(oneStep);
    const before = analyze({ ...oneStep, engine: 'tensorrt-llm-before-xqa' });
    const attention = xqa.stages.decode.layers.find((layer) => layer.name === 'fused_attention')!;
    const sustained = 3350e9 * 0.8 * DEFAULT_EXPECTED.attentionBandwidth;
    // Memory-bound at batch 8 and 4K tokens: the three extra reads add their time, nothing else changes.
    close(termOf(before, 'attention-kernel').tpot_seconds - termOf(xqa, 'attention-kernel').tpot_seconds, (attention.count * attention.bytes.kv_read * 3) / sustained, 1e-3);
    assert.equal(before.metrics.bound!.tpot_seconds, xqa.metrics.bound!.tpot_seconds, 'the ideal bound does not depend on the engine');
  });

  it('TensorRT-LLM before XQA runs every all-reduce through NCCL (custom all-reduce was off by default): 131 KB on 4 H100s by ring LL, 6.6 + 6 × 0.6 + 196,608 B / 90 GB/s', () => {
    const tp4 = { ...deployment, model: 'meta-llama/Llama-3.1-70B', workload: { batch_size: 8, prompt_tokens: 128, output_tokens: 64 }, parallelism: { tensor: 4 } };
    const before = analyze({ ...tp4, engine: 'tensorrt-llm-before-xqa' });
    const allReduce = before.stages.decode.layers.find((layer) => layer.name === 'attn_all_reduce')!;
    close(allReduce.seconds, 6.6e-6 + 6 * 0.6e-6 + (2 * 3 * 131072) / 4 / (0.8 * 450e9 * 0.25));
  });

  it('a compiled step (gpt-fast) calls NCCL through torch.distributed: the same ring LL plus 8 µs per call, 6.6 + 6 × 0.6 + 196,608 B / 90 GB/s + 8 = 20.4 µs', () => {
    const tp4 = { ...deployment, model: 'meta-llama/Llama-3.1-70B', workload: { batch_size: 8, prompt_tokens: 128, output_tokens: 64 }, parallelism: { tensor: 4 } };
    const compiled = analyze({ ...tp4, engine: 'compiled' });
    const allReduce = compiled.stages.decode.layers.find((layer) => layer.name === 'attn_all_reduce')!;
    close(allReduce.seconds, 6.6e-6 + 6 * 0.6e-6 + (2 * 3 * 131072) / 4 / (0.8 * 450e9 * 0.25) + 8e-6);
    const single = analyze({ ...tp4, parallelism: { tensor: 1 }, engine: 'compiled' });
    assert.equal(single.stages.decode.layers.find((layer) => layer.name === 'attn_all_reduce'), undefined, 'one device has no all-reduce to call');
  });
});

describe('efficiency: expected — converting dequantised weights to bf16', () => {
  const deployment = (hardware: unknown, activations: string): unknown => ({
    model: 'meta-llama/Llama-3.1-8B',
    hardware,
    workload: { batch_size: 1, prompt_tokens: 128, output_tokens: 64 },
    quantization: { weights: 'int4', activations, kv_cache: activations },
    efficiency: 'expected',
  });
  const dequantSeconds = (hardware: string, activations: string): number => term(analyze(deployment(hardware, activations)), 'weight-only').tpot_seconds;

  it('on AMD CDNA 3 (no fp32 → bf16 instruction) a bf16 decode pays 4 + 4.5 operations per weight, fp16 the 4 of the dequantisation', () => {
    // A GEMV at batch 1 is memory-bound, so the effect adds exactly the ALU time: (4 + 4.5) / 4.
    close(dequantSeconds('amd-mi300x', 'bf16') / dequantSeconds('amd-mi300x', 'fp16'), 8.5 / 4, 1e-9);
  });

  it('a hardware file sets the operations a bf16 conversion costs: 0 on an MI300X makes bf16 cost what fp16 does', () => {
    const file = { extends: 'amd-mi300x', expected: { bf16_convert_ops: 0 } };
    close(term(analyze(deployment(file, 'bf16')), 'weight-only').tpot_seconds, dequantSeconds('amd-mi300x', 'fp16'), 1e-9);
  });

  it('CDNA 4 (gfx950) and NVIDIA convert two values per instruction: bf16 costs what fp16 does', () => {
    close(dequantSeconds('amd-mi355x', 'bf16'), dequantSeconds('amd-mi355x', 'fp16'), 1e-9);
    close(dequantSeconds('nvidia-a100-80gb-sxm4', 'bf16'), dequantSeconds('nvidia-a100-80gb-sxm4', 'fp16'), 1e-9);
  });
});

describe('efficiency: expected — the fixed cost of a kernel on AMD CDNA 3', () => {
  const deployment = (hardware: unknown): unknown => ({
    model: 'meta-llama/Llama-3.1-8B',
    hardware,
    workload: { batch_size: 1, prompt_tokens: 128, output_tokens: 64 },
    quantization: { weights: 'bf16', activations: 'bf16', kv_cache: 'bf16' },
    efficiency: 'expected',
  });
  const kernelSeconds = (hardware: unknown): number => term(analyze(deployment(hardware)), 'kernel-launch').tpot_seconds;

  it('an MI300X kernel costs 6 µs (launch 4.5, HBM restart 0.5, intermediate round trip 1), the same kernels on an MI355X the default 4', () => {
    close(kernelSeconds('amd-mi300x') / kernelSeconds('amd-mi355x'), 6 / 4);
    close(kernelSeconds('amd-mi325x'), kernelSeconds('amd-mi300x'));
    // Llama-3.1-8B: 32 blocks of 8 kernels, embedding, final norm, lm_head.
    close(kernelSeconds('amd-mi300x'), 259 * 6e-6);
  });

  it('CDNA 2 (MI250X, one L2 per die) keeps the default; a hardware file overrides the figure', () => {
    close(kernelSeconds('amd-mi250x'), 259 * DEFAULT_EXPECTED.kernelSeconds);
    close(kernelSeconds({ extends: 'amd-mi300x', expected: { kernel_us: 4 } }), kernelSeconds('amd-mi355x'));
  });

  it('a compiled graph pays its own figure on any family: gpt-fast on an MI300X, 1.5 µs per kernel', () => {
    const compiled = analyze({ ...(deployment('amd-mi300x') as object), engine: 'compiled' });
    close(term(compiled, 'kernel-launch').tpot_seconds, 259 * 1.5e-6);
  });
});

describe('efficiency: expected — collectives after 8-bit matmuls', () => {
  it('an all-reduce after fp8 matmuls moves their 16-bit outputs: the same time as with bf16 activations', () => {
    const deployment = (activations: string): unknown => ({
      model: 'meta-llama/Llama-3.1-70B',
      hardware: 'nvidia-h100-sxm',
      parallelism: { tensor: 4 },
      workload: { batch_size: 64, prompt_tokens: 1024, output_tokens: 2 },
      quantization: { weights: 'fp8', activations, kv_cache: 'fp8' },
      efficiency: 'expected',
    });
    const allReduce = (result: AnalysisResult): number => result.stages.decode.layers.find((layer) => layer.name === 'attn_all_reduce')!.seconds;
    const fp8 = analyze(deployment('fp8'));
    const bf16 = analyze(deployment('bf16'));
    // The roofline counts the fp8 message at 1 byte per value; the expected clock sends 2.
    assert.equal(fp8.stages.decode.layers.find((layer) => layer.name === 'attn_all_reduce')!.bytes.activations_in * 2, bf16.stages.decode.layers.find((layer) => layer.name === 'attn_all_reduce')!.bytes.activations_in);
    close(allReduce(fp8), allReduce(bf16));
  });
});


describe('efficiency: expected — the 16-bit residual stream around quantised matmuls', () => {
  // Llama-2-7B (H = 4096, I = 11008) on the H100-like figures (3.35 TB/s, sustained at 0.8), one
  // decode step of 256 sequences: fp8 activations are counted at 1 byte, the expected clock moves
  // the 16-bit tensors at 2.
  const step = (activations: string): AnalysisResult =>
    analyzeResolved({ ...engineInput({ hardware: H100, weights: 'fp8', activations, kvCache: 'fp8', batchSize: 256, promptTokens: 128, outputTokens: 2 }), efficiency: 'expected' });
  const fp8 = step('fp8');
  const bf16 = step('bf16');
  const seconds = (result: AnalysisResult, name: string): number => result.stages.decode.layers.find((layer) => layer.name === name)!.seconds;
  const stream = 0.8 * 3350e9;
  const kernel = DEFAULT_EXPECTED.kernelSeconds;

  it('a residual add reads and writes 16-bit values: 256 × 4096 × 3 × 2 B / 2.68 TB/s + 4 µs = 6.35 µs, as with bf16 activations', () => {
    close(seconds(fp8, 'attn_add'), (256 * 4096 * 3 * 2) / stream + kernel);
    close(seconds(fp8, 'attn_add'), seconds(bf16, 'attn_add'));
  });

  it('the gated activation reads gate and up at 16 bits and writes the quantised input of down_proj: 256 × 11008 × (2 × 2 + 1) B / 2.68 TB/s + 4 µs', () => {
    close(seconds(fp8, 'mlp_act'), (256 * 11008 * (2 * 2 + 1)) / stream + kernel);
  });

  it('the norm before attention reads the 16-bit residual stream and writes fp8 (its launch is in the add before it): (256 × 4096 × (2 + 1) + 4096 × 2) B / 2.68 TB/s', () => {
    close(seconds(fp8, 'attn_norm'), (256 * 4096 * 3 + 4096 * 2) / stream);
  });

  it('the final norm feeds the 16-bit lm_head, 16 bits in and out: (256 × 4096 × (2 + 2) + 4096 × 2) B / 2.68 TB/s + 4 µs', () => {
    close(seconds(fp8, 'final_norm'), (256 * 4096 * 4 + 4096 * 2) / stream + kernel);
  });

  it('the bytes the analysis reports stay in the activation format, and the ideal bound does not move', () => {
    const layer = fp8.stages.decode.layers.find((candidate) => candidate.name === 'attn_add')!;
    assert.equal(layer.bytes.activations_in, 256 * 4096 * 2);
    const ideal = analyzeResolved({ ...engineInput({ hardware: H100, weights: 'fp8', activations: 'fp8', kvCache: 'fp8', batchSize: 256, promptTokens: 128, outputTokens: 2 }), efficiency: 'ideal' });
    close(fp8.metrics.bound!.tpot_seconds, ideal.metrics.tpot_seconds, 1e-12);
    assert.ok(term(fp8, 'sixteen-bit-activations').tpot_seconds > 0);
  });

  it('16-bit activations move nothing more', () => {
    assert.equal(term(bf16, 'sixteen-bit-activations').tpot_seconds, 0);
    assert.equal(term(bf16, 'sixteen-bit-activations').ttft_seconds, 0);
  });
});

describe('efficiency: expected — the fixed work of each tile of an fp8 matmul on Hopper', () => {
  it('depth 4,096 with 740 elements of fixed work per tile, against the measured rate at depth 12,032: (4096 / 4836) / (12032 / 12772) = 0.899', () => {
    close(matmulDepthEfficiency(4096, 740), (4096 / 4836) / (12032 / 12772));
    close(matmulDepthEfficiency(4096, 740), 0.89908, 1e-4);
  });

  it('a matmul as deep as the measured shape, or deeper, keeps the measured rate; no fixed work, no change', () => {
    close(matmulDepthEfficiency(12032, 740), 1);
    assert.equal(matmulDepthEfficiency(28672, 740), 1);
    assert.equal(matmulDepthEfficiency(4096, 0), 1);
  });

  // Llama-3.1-8B prefill of 8 × 1,024 tokens on the H100 preset: gate_proj is [8192 × 4096] ·
  // [4096 × 14336], compute-bound, so its time scales with 1 / the factor.
  const deployment = (activations: string, hardware: unknown = 'nvidia-h100-sxm'): unknown => ({
    model: 'meta-llama/Llama-3.1-8B',
    hardware,
    workload: { batch_size: 8, prompt_tokens: 1024, output_tokens: 2 },
    quantization: { weights: 'fp8', activations, kv_cache: 'fp8' },
    efficiency: 'expected',
  });
  const gate = (result: AnalysisResult): number => result.stages.prefill.layers.find((layer) => layer.name === 'gate_proj')!.seconds;
  const launch = DEFAULT_EXPECTED.kernelSeconds;

  it('the H100 preset charges it on fp8 matmuls: gate_proj (K = 4,096) takes 1 / 0.899 of its time without it', () => {
    const withIt = analyze(deployment('fp8'));
    const without = analyze(deployment('fp8', { extends: 'nvidia-h100-sxm', expected: { fp8_tile_overhead_depth: 0 } }));
    close((gate(withIt) - launch) / (gate(without) - launch), 1 / matmulDepthEfficiency(4096, 740));
  });

  it('16-bit matmuls on Hopper and fp8 matmuls on other families do not pay it', () => {
    const bf16 = analyze(deployment('bf16'));
    const bf16Without = analyze(deployment('bf16', { extends: 'nvidia-h100-sxm', expected: { fp8_tile_overhead_depth: 0 } }));
    close(gate(bf16), gate(bf16Without));
    const b200 = analyze(deployment('fp8', 'nvidia-b200'));
    const b200With = analyze(deployment('fp8', { extends: 'nvidia-b200', expected: { fp8_tile_overhead_depth: 740 } }));
    assert.ok(gate(b200With) > gate(b200));
  });
});
