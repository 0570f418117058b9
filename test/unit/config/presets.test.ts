import assert from 'node:assert/strict';
import {
  editDistance,
  findHardwarePreset,
  findModelPreset,
  listHardwarePresets,
  listModelPresets,
  suggestIds,
} from '../../../language-server/src/presets/index';
import { LLM_VIEWER_HARDWARE } from '../../../language-server/src/presets/llmViewerHardware';
import hardwareData from '../../../language-server/src/presets/data/hardware.json';
import modelData from '../../../language-server/src/presets/data/models.json';

const GIB = 1024 ** 3;

describe('hardware presets', () => {
  it('list every reference accelerator under its id with - for _, every project addition, and every LLM-Viewer key', () => {
    const ids = new Set(listHardwarePresets().map((preset) => preset.id));
    for (const entry of hardwareData.presets) assert.ok(ids.has(entry.referenceId === null ? entry.id : entry.referenceId.replace(/_/g, '-')), entry.id);
    for (const key of Object.keys(LLM_VIEWER_HARDWARE)) assert.ok(ids.has(key), key);
    assert.equal(ids.size, listHardwarePresets().length, 'ids are unique');
  });

  it('give the H100 SXM datasheet figures in SI units (capacity read as GiB, dense peaks)', () => {
    const spec = findHardwarePreset('nvidia-h100-sxm')!.spec!;
    assert.equal(spec.memoryCapacityBytes, 80 * GIB);
    assert.equal(spec.memoryBandwidthBytesPerSecond, 3350e9);
    assert.equal(spec.peakOpsPerSecond.bf16, 989e12);
    assert.equal(spec.peakOpsPerSecond.fp8, 1979e12);
    assert.equal(spec.peakOpsPerSecond.int4, undefined);
    // NVLink 4 through NVSwitch, 8 GPUs per HGX node, one 400 Gb/s NIC per GPU between nodes; no
    // per-step latency for the roofline (the expected mode takes NCCL's).
    assert.deepEqual(spec.interconnect, {
      bandwidthBytesPerSecond: 450e9,
      latencySeconds: 0,
      fabric: 'nvswitch',
      domainDevices: 8,
      scaleOut: { bandwidthBytesPerSecond: 50e9, latencySeconds: 2.7e-6 },
    });
  });

  it('keep the source of each figure, the confidence and the GiB note', () => {
    for (const id of ['nvidia-a100-80gb-sxm4', 'nvidia-l4', 'nvidia-h200-sxm', 'amd-mi300x']) {
      const preset = findHardwarePreset(id)!;
      assert.ok(preset.sources.memory_gib && preset.sources.memory_bandwidth_gb_s, id);
      assert.ok(Object.keys(preset.sources).some((key) => key.startsWith('peak_tflops.')), id);
      assert.ok(preset.confidence.length > 0, id);
      assert.ok(preset.notes.some((note) => note.includes('GB as printed is usually GiB')), id);
    }
  });

  it('leave out accumulate variants and sparse figures', () => {
    const rtx4090 = findHardwarePreset('nvidia-rtx-4090')!;
    assert.equal(rtx4090.spec!.peakOpsPerSecond.fp16, 165.2e12, 'FP32-accumulate rate, as PyTorch GEMMs use');
    assert.ok(!('fp16_fp16acc' in rtx4090.spec!.peakOpsPerSecond));
    assert.equal(findHardwarePreset('nvidia-l4')!.spec!.peakOpsPerSecond.fp16, 121e12);
  });

  it('stream the RTX 4090 at its measured 921.32 GB/s (clpeak), other presets without a streaming measurement at the default', () => {
    const rtx4090 = findHardwarePreset('nvidia-rtx-4090')!;
    assert.equal(rtx4090.spec!.memoryBandwidthBytesPerSecond, 1008e9);
    assert.ok(Math.abs(rtx4090.spec!.achievable!.memory! - 921.32 / 1008) < 1e-12, String(rtx4090.spec!.achievable!.memory));
    assert.ok(rtx4090.sources.achievable!.includes('clpeak'));
    assert.equal(findHardwarePreset('nvidia-h100-sxm')!.spec!.achievable!.memory, undefined, 'MAMF gives compute only');
    assert.equal(findHardwarePreset('nvidia-l40s')!.spec!.achievable, undefined);
  });

  it('list presets that lack a figure, saying which', () => {
    const apple = findHardwarePreset('apple-m2-ultra')!;
    assert.equal(apple.spec, undefined);
    assert.deepEqual(apple.missing, ['peak_tflops']);
  });

  it('add the accelerators the reference lacks, and its missing figures, each with a source', () => {
    // NVIDIA's Jetson AGX Orin data sheet: 256-bit LPDDR5 at 6400 MT/s = 256 / 8 × 6.4e9 = 204.8 GB/s.
    const jetson = findHardwarePreset('nvidia-jetson-agx-orin-64gb')!;
    assert.equal(jetson.spec!.memoryBandwidthBytesPerSecond, 204.8e9);
    assert.match(jetson.sources.memory_bandwidth_gb_s!, /204\.8 GB\/s/);
    assert.ok(!jetson.notes.some((note) => note.includes('NOT verified')), 'the superseded note is gone');
    for (const id of ['nvidia-b300', 'nvidia-gb300-gpu', 'nvidia-rtx-pro-6000-blackwell-server']) {
      const preset = findHardwarePreset(id)!;
      assert.equal(preset.origin, 'project', id);
      assert.deepEqual(preset.missing, [], id);
      for (const figure of ['memory_gib', 'memory_bandwidth_gb_s', 'peak_tflops.bf16', 'peak_tflops.fp8', 'peak_tflops.fp4']) assert.ok(preset.sources[figure], `${id} ${figure}`);
      // Every source key a figure cites is described in the preset's references.
      for (const text of Object.values(preset.sources)) assert.ok(preset.references[/^[A-Z][A-Z0-9_]+/.exec(text)![0]], `${id}: ${text}`);
    }
    // 275040 MiB as nvidia-smi reports it on a B300 = 268.6 GiB; 8 TB/s; 2250 dense bf16 TFLOPS.
    const b300 = findHardwarePreset('nvidia-b300')!.spec!;
    assert.equal(b300.memoryCapacityBytes, 268.6 * GIB);
    assert.equal(b300.memoryBandwidthBytesPerSecond, 8000e9);
    assert.equal(b300.peakOpsPerSecond.bf16, 2250e12);
    assert.equal(findHardwarePreset('nvidia-rtx-pro-6000-blackwell-server')!.spec!.memoryBandwidthBytesPerSecond, 1792e9);
  });

  it('register LLM-Viewer\'s table with its own figures and source', () => {
    const a6000 = findHardwarePreset('nvidia_A6000')!;
    assert.equal(a6000.origin, 'llm-viewer');
    assert.match(a6000.source, /LLM-Viewer/);
    assert.equal(a6000.spec!.memoryBandwidthBytesPerSecond, 768e9);
    assert.equal(a6000.spec!.peakOpsPerSecond.fp16, LLM_VIEWER_HARDWARE.nvidia_A6000!.FP16);
    assert.equal(a6000.spec!.onChipBufferBytes, 21504e3);
  });

  it('look ids up exactly, then case-insensitively', () => {
    assert.equal(findHardwarePreset('NVIDIA-H100-SXM')?.id, 'nvidia-h100-sxm');
    assert.equal(findHardwarePreset('nvidia_a6000')?.id, 'nvidia_A6000');
    assert.equal(findHardwarePreset('nvidia-h100'), undefined);
  });
});

describe('model presets', () => {
  it('list every reference model under its Hugging Face id with source and confidence', () => {
    const ids = listModelPresets().map((preset) => preset.id);
    assert.deepEqual(ids, modelData.presets.map((preset) => preset.id));
    for (const preset of listModelPresets()) {
      assert.ok(preset.source.length > 0 && preset.confidence.length > 0, preset.id);
      assert.equal(typeof preset.config.model_type, 'string', `${preset.id} has a model_type`);
    }
  });

  it('keep the config values as read', () => {
    const llama = findModelPreset('meta-llama/Llama-2-7b-hf')!;
    assert.equal(llama.config.hidden_size, 4096);
    assert.equal(llama.config.intermediate_size, 11008);
    assert.equal(llama.parameters, 6738415616);
    assert.equal(findModelPreset('facebook/opt-6.7b')!.config.model_type, 'opt');
    const gptOss = findModelPreset('openai/gpt-oss-20b')!.config;
    assert.ok(Array.isArray(gptOss.layer_types));
    assert.equal((gptOss.layer_types as unknown[]).length, gptOss.num_hidden_layers);
  });
});

describe('suggestIds', () => {
  const hardwareIds = listHardwarePresets().map((preset) => preset.id);

  it('offers the H100 variants for nvidia-h100, ours first', () => {
    const suggestions = suggestIds('nvidia-h100', hardwareIds);
    assert.deepEqual(suggestions.slice(0, 3).sort(), ['nvidia-h100-nvl', 'nvidia-h100-pcie', 'nvidia-h100-sxm']);
  });

  it('is case-insensitive and catches typos and fragments', () => {
    assert.equal(suggestIds('NVIDIA-L4X', hardwareIds)[0], 'nvidia-l4');
    assert.equal(suggestIds('nvida-h100-sxm', hardwareIds)[0], 'nvidia-h100-sxm');
    assert.ok(suggestIds('a6000', hardwareIds).includes('nvidia_A6000'));
    assert.deepEqual(suggestIds('llama-2-7b', listModelPresets().map((preset) => preset.id)), ['meta-llama/Llama-2-7b-hf']);
    assert.deepEqual(suggestIds('batchsize', ['batch_size', 'prompt_tokens', 'output_tokens']), ['batch_size']);
  });

  it('offers nothing for unrelated input, and never the input itself', () => {
    assert.deepEqual(suggestIds('zzzzzzzz', hardwareIds), []);
    assert.deepEqual(suggestIds('', hardwareIds), []);
    assert.ok(!suggestIds('nvidia-l4', hardwareIds).includes('nvidia-l4'));
  });

  it('counts adjacent swaps as one edit', () => {
    assert.equal(editDistance('ab', 'ba'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });
});
