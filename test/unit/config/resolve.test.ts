import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../language-server/src/config/analyze';
import { parseDocument } from '../../../language-server/src/config/parse';
import { isPathLike, resolveReferenceUri } from '../../../language-server/src/config/references';
import { resolveDeployment } from '../../../language-server/src/config/resolveDeployment';
import { resolveHardwareDocument, resolveModelDocument } from '../../../language-server/src/config/resolveDocuments';
import type { ConfigHost } from '../../../language-server/src/config/types';
import { findHardwarePreset, findModelPreset } from '../../../language-server/src/presets/index';
import { LLM_VIEWER_HARDWARE } from '../../../language-server/src/presets/llmViewerHardware';
import { diskHost, fixtureUri, memoryHost } from './fixtures';

const DEPLOYMENT_URI = 'file:///work/project/deploy/a.roofline.yaml';
const noFiles: ConfigHost = memoryHost({});

function resolveText(text: string, host: ConfigHost = noFiles, uri = DEPLOYMENT_URI) {
  return resolveDeployment(parseDocument(uri, text, 'deployment'), host);
}

const LLAMA_7B = 'model: meta-llama/Llama-2-7b-hf\n';

describe('resolveDeployment: defaults', () => {
  it('applies the documented defaults', () => {
    const { input, problems } = resolveText(`${LLAMA_7B}hardware: nvidia-h100-sxm\n`);
    assert.deepEqual(problems, []);
    assert.ok(input);
    assert.deepEqual(input.workload, { batchSize: 1, promptTokens: 1024, outputTokens: 256 });
    assert.deepEqual([input.quantization.weights.name, input.quantization.activations.name, input.quantization.kvCache.name], ['fp16', 'fp16', 'fp16']);
    assert.equal(input.flashAttention, true);
    assert.deepEqual(input.parallelism, { tensor: 1 });
    assert.equal(input.conventions, 'default');
    assert.equal(input.modelName, 'meta-llama/Llama-2-7b-hf');
  });

  it('turns FlashAttention off by default for llm-viewer conventions, as LLM-Viewer does', () => {
    const { input } = resolveText(`${LLAMA_7B}hardware: nvidia_A6000\nconventions: llm-viewer\n`);
    assert.equal(input?.flashAttention, false);
    const explicit = resolveText(`${LLAMA_7B}hardware: nvidia_A6000\nconventions: llm-viewer\nflash_attention: true\n`);
    assert.equal(explicit.input?.flashAttention, true);
  });

  it('reads formats with the engine parser (names and bit counts)', () => {
    const { input } = resolveText(`${LLAMA_7B}hardware: nvidia-h100-sxm\nquantization: { weights: 4, activations: bf16, kv_cache: fp8 }\n`);
    assert.deepEqual(input?.quantization.weights, { name: '4-bit', bitsPerElement: 4, computePrecision: 'int4' });
    assert.equal(input?.quantization.activations.name, 'bf16');
    assert.equal(input?.quantization.kvCache.bitsPerElement, 8);
  });

  it('takes the workload and parallelism as written', () => {
    const { input } = resolveText(`${LLAMA_7B}hardware: nvidia-h100-sxm\nworkload: { batch_size: 32, output_tokens: 10 }\nparallelism: { tensor: 4 }\n`);
    assert.deepEqual(input?.workload, { batchSize: 32, promptTokens: 1024, outputTokens: 10 });
    assert.equal(input?.parallelism.tensor, 4);
  });
});

describe('resolveDeployment: presets', () => {
  it('uses the preset spec in SI units', () => {
    const { input, hardwareSource, modelSource } = resolveText(`${LLAMA_7B}hardware: nvidia-h100-sxm\n`);
    assert.deepEqual(hardwareSource, { origin: 'preset', id: 'nvidia-h100-sxm' });
    assert.deepEqual(modelSource, { origin: 'preset', id: 'meta-llama/Llama-2-7b-hf' });
    assert.equal(input?.hardware.memoryBandwidthBytesPerSecond, 3350e9);
    assert.equal(input?.hardware.memoryCapacityBytes, 80 * 1024 ** 3);
    assert.equal(input?.hardware.peakOpsPerSecond.bf16, 989e12);
    assert.equal(input?.hardware.interconnect?.bandwidthBytesPerSecond, 450e9);
    assert.equal(input?.model.hidden_size, 4096);
  });

  it('uses LLM-Viewer\'s figures exactly under its keys', () => {
    const { input } = resolveText(`${LLAMA_7B}hardware: nvidia_H100\nconventions: llm-viewer\n`);
    const entry = LLM_VIEWER_HARDWARE.nvidia_H100!;
    assert.equal(input?.hardware.memoryBandwidthBytesPerSecond, entry.bandwidth);
    assert.equal(input?.hardware.peakOpsPerSecond.fp16, entry.FP16);
    assert.equal(input?.hardware.peakOpsPerSecond.int8, entry.INT8);
    assert.equal(input?.hardware.onChipBufferBytes, entry.onchip_buffer);
  });

  it('reports an unknown preset on the value with the closest ids', () => {
    const text = `${LLAMA_7B}hardware: nvidia-h100\n`;
    const { input, problems } = resolveText(text);
    assert.equal(input, undefined);
    assert.equal(problems.length, 1);
    const [problem] = problems;
    assert.equal(problem!.code, 'unknown-preset');
    assert.equal(text.slice(problem!.range.start, problem!.range.end), 'nvidia-h100');
    for (const id of ['nvidia-h100-sxm', 'nvidia-h100-pcie', 'nvidia-h100-nvl']) assert.ok(problem!.suggestions?.includes(id), id);
    assert.match(problem!.message, /did you mean "nvidia-h100-/);
  });

  it('reports a preset whose datasheet lacks a figure, naming it', () => {
    const { problems } = resolveText(`${LLAMA_7B}hardware: apple-m2-ultra\n`);
    assert.equal(problems[0]!.code, 'incomplete-preset');
    assert.match(problems[0]!.message, /no compute peak for any precision \(peak_tflops\)/);
  });

  it('finds presets case-insensitively', () => {
    const { input, problems } = resolveText('model: META-LLAMA/llama-2-7b-HF\nhardware: NVIDIA-L4\n');
    assert.deepEqual(problems, []);
    assert.equal(input?.hardware.name, 'nvidia-l4');
  });
});

describe('resolveDeployment: files and extends', () => {
  const hardwareUri = 'file:///work/project/hw/gpu.hardware.yaml';
  const modelUri = 'file:///work/project/models/m/config.json';
  const files = {
    [hardwareUri]: 'extends: nvidia-h100-sxm\nmemory_bandwidth_gb_s: 3000\npeak_tflops: { fp16: 800 }\ninterconnect: { bandwidth_gb_s: 400, latency_us: 2 }\n',
    [modelUri]: JSON.stringify(findModelPreset('meta-llama/Llama-3.1-8B')!.config),
  };

  it('resolves relative paths against the document and overrides the preset', () => {
    const resolved = resolveText('model: ../models/m/config.json\nhardware: ../hw/gpu.hardware.yaml\n', memoryHost(files));
    assert.deepEqual(resolved.problems, []);
    const hardware = resolved.input!.hardware;
    assert.equal(hardware.memoryBandwidthBytesPerSecond, 3000e9);
    assert.equal(hardware.peakOpsPerSecond.fp16, 800e12);
    assert.equal(hardware.peakOpsPerSecond.bf16, 989e12, 'figures not given come from the preset');
    assert.equal(hardware.memoryCapacityBytes, 80 * 1024 ** 3);
    // The file's bandwidth and latency over the preset's; the preset's fabric stays.
    assert.deepEqual(hardware.interconnect, {
      bandwidthBytesPerSecond: 400e9,
      latencySeconds: 2e-6,
      fabric: 'nvswitch',
      domainDevices: 8,
      scaleOut: { bandwidthBytesPerSecond: 50e9, latencySeconds: 2.7e-6 },
    });
    assert.equal(hardware.name, 'gpu');
    assert.deepEqual(resolved.dependencies.sort(), [hardwareUri, modelUri].sort());
    assert.deepEqual(resolved.hardwareSource, { origin: 'file', id: '../hw/gpu.hardware.yaml', uri: hardwareUri });
    assert.equal(resolved.input!.modelName, 'm');
  });

  it('reads the config.json inside a referenced folder', () => {
    const resolved = resolveText('model: ../models/m\nhardware: nvidia-l4\n', memoryHost(files));
    assert.deepEqual(resolved.problems, []);
    assert.equal(resolved.input?.model.num_key_value_heads, 8);
  });

  it('reports a missing file on the value and still lists it as a dependency', () => {
    const text = 'model: ./nowhere.model.yaml\nhardware: nvidia-l4\n';
    const resolved = resolveText(text);
    assert.equal(resolved.problems[0]!.code, 'missing-file');
    assert.equal(text.slice(resolved.problems[0]!.range.start, resolved.problems[0]!.range.end), './nowhere.model.yaml');
    assert.deepEqual(resolved.dependencies, ['file:///work/project/deploy/nowhere.model.yaml']);
  });

  it('reports problems of a referenced file in that file', () => {
    const badUri = 'file:///work/project/deploy/bad.hardware.yaml';
    const badText = 'extends: nvidia-h100-sxm\nmemory_bandwith_gb_s: 1\n';
    const resolved = resolveText(`${LLAMA_7B}hardware: ./bad.hardware.yaml\n`, memoryHost({ [badUri]: badText }));
    assert.equal(resolved.input, undefined);
    const [problem] = resolved.problems;
    assert.equal(problem!.uri, badUri);
    assert.equal(problem!.code, 'unknown-key');
    assert.equal(badText.slice(problem!.range.start, problem!.range.end), 'memory_bandwith_gb_s');
  });

  it('extends a model preset from an inline model and overrides fields', () => {
    const resolved = resolveText('model: { extends: meta-llama/Llama-2-7b-hf, num_hidden_layers: 2 }\nhardware: nvidia-l4\n');
    assert.deepEqual(resolved.problems, []);
    assert.equal(resolved.input?.model.num_hidden_layers, 2);
    assert.equal(resolved.input?.model.hidden_size, 4096);
    assert.equal(resolved.input?.model.extends, undefined);
    assert.equal(resolved.input?.modelName, 'meta-llama/Llama-2-7b-hf');
  });

  it('reports an unknown extends with suggestions', () => {
    const text = 'model: meta-llama/Llama-2-7b-hf\nhardware: { extends: nvidia-a100-80gb }\n';
    const [problem] = resolveText(text).problems;
    assert.equal(problem!.code, 'unknown-preset');
    assert.equal(text.slice(problem!.range.start, problem!.range.end), 'nvidia-a100-80gb');
    assert.ok(problem!.suggestions?.includes('nvidia-a100-80gb-sxm4'));
  });

  it('lets a hardware file fill in what a preset\'s datasheet lacks', () => {
    const uri = 'file:///work/project/deploy/orin.hardware.yaml';
    const resolved = resolveText(`${LLAMA_7B}hardware: ./orin.hardware.yaml\n`, memoryHost({ [uri]: 'extends: nvidia-jetson-agx-orin-64gb\nmemory_bandwidth_gb_s: 204.8\n' }));
    assert.deepEqual(resolved.problems, []);
    assert.equal(resolved.input?.hardware.memoryBandwidthBytesPerSecond, 204.8e9);
    assert.equal(resolved.input?.hardware.peakOpsPerSecond.int8, 85e12);
  });

  it('refuses a file of the wrong kind', () => {
    const uri = 'file:///work/project/deploy/gpu.hardware.yaml';
    const [problem] = resolveText('model: ./gpu.hardware.yaml\nhardware: nvidia-l4\n', memoryHost({ [uri]: 'extends: nvidia-l4\n' })).problems;
    assert.equal(problem!.code, 'wrong-kind');
  });

  it('never throws on hostile or odd input', () => {
    for (const text of ['', '[]', '42', 'model: null\nhardware: null\n', 'model: {}\nhardware: {}\n', 'model: [1]\nhardware: [2]\n', '\u0000\u0001']) {
      assert.doesNotThrow(() => resolveText(text));
      assert.ok(resolveText(text).problems.length > 0, JSON.stringify(text));
    }
  });
});

describe('references', () => {
  it('tells paths from preset ids', () => {
    for (const path of ['./a.yaml', '../x/config.json', '/abs/h.hardware.yaml', 'C:\\m\\config.json', 'gpu.hardware.yaml']) assert.ok(isPathLike(path), path);
    for (const id of ['meta-llama/Llama-2-7b-hf', 'nvidia-h100-sxm', 'nvidia_A6000']) assert.ok(!isPathLike(id), id);
  });

  it('resolves against the document uri, and not against unsaved documents', () => {
    assert.equal(resolveReferenceUri('file:///a/b/c.roofline.yaml', '../d/e.yaml'), 'file:///a/d/e.yaml');
    assert.equal(resolveReferenceUri('file:///a/b/c.roofline.yaml', 'sub\\x.yaml'), 'file:///a/b/sub/x.yaml');
    assert.equal(resolveReferenceUri('file:///a/my%20dir/c.roofline.yaml', './m y.yaml'), 'file:///a/my%20dir/m%20y.yaml');
    assert.equal(resolveReferenceUri('untitled:Untitled-1', './x.yaml'), undefined);
  });
});

describe('resolveHardwareDocument / resolveModelDocument', () => {
  it('resolves a hardware file on its own', () => {
    const uri = fixtureUri('hardware', 'h100-capped.hardware.yaml');
    const resolved = resolveHardwareDocument(parseDocument(uri, diskHost.readFile(uri)!, 'hardware'), diskHost);
    assert.deepEqual(resolved.problems, []);
    assert.equal(resolved.hardware?.name, 'H100 SXM (capped HBM)');
    assert.equal(resolved.hardware?.memoryBandwidthBytesPerSecond, 2800e9);
  });

  it('reports the engine\'s shape checks inside a model file', () => {
    const uri = 'file:///w/bad.model.yaml';
    const text = 'extends: meta-llama/Llama-2-7b-hf\nnum_key_value_heads: 5\n';
    const resolved = resolveModelDocument(parseDocument(uri, text, 'model'), noFiles);
    assert.equal(resolved.model, undefined);
    const [problem] = resolved.problems;
    assert.equal(problem!.code, 'heads-not-divisible');
    assert.equal(text.slice(problem!.range.start, problem!.range.end), '5');
  });

  it('puts a shape error inherited from a preset on extends', () => {
    const uri = 'file:///w/bad.model.yaml';
    // 4100 / 32 heads is not whole; the heads come from the preset, so the error sits on extends.
    const text = 'extends: meta-llama/Llama-2-7b-hf\nhidden_size: 4100\n';
    const [problem] = resolveModelDocument(parseDocument(uri, text, 'model'), noFiles).problems;
    assert.equal(problem!.code, 'heads-not-divisible');
    assert.equal(text.slice(problem!.range.start, problem!.range.end), 'meta-llama/Llama-2-7b-hf');
    assert.match(problem!.message, /from preset meta-llama\/Llama-2-7b-hf/);
  });
});

describe('analyzeDocument', () => {
  it('runs the engine on a resolved deployment', () => {
    const analysis = analyzeDocument(parseDocument(DEPLOYMENT_URI, `${LLAMA_7B}hardware: nvidia-h100-sxm\n`, 'deployment'), noFiles);
    assert.deepEqual(analysis.problems, []);
    assert.ok(analysis.result);
    assert.ok(analysis.result.metrics.tpot_seconds > 0);
    assert.equal(analysis.result.hardware.name, 'nvidia-h100-sxm');
  });

  it('places an engine error on the inline key', () => {
    const text = 'model:\n  extends: meta-llama/Llama-2-7b-hf\n  num_key_value_heads: 7\nhardware: nvidia-l4\n';
    const analysis = analyzeDocument(parseDocument(DEPLOYMENT_URI, text, 'deployment'), noFiles);
    assert.equal(analysis.result, undefined);
    const problem = analysis.problems.find((candidate) => candidate.code === 'heads-not-divisible')!;
    assert.equal(problem.uri, DEPLOYMENT_URI);
    assert.equal(text.slice(problem.range.start, problem.range.end), '7');
    assert.match(problem.message, /^model\.num_key_value_heads: /);
  });

  it('places an engine error in the model file the model came from', () => {
    const modelUri = 'file:///work/project/deploy/bad.model.yaml';
    const modelText = 'extends: meta-llama/Llama-2-7b-hf\nnum_key_value_heads: 6\n';
    const analysis = analyzeDocument(
      parseDocument(DEPLOYMENT_URI, 'model: ./bad.model.yaml\nhardware: nvidia-l4\n', 'deployment'),
      memoryHost({ [modelUri]: modelText }),
    );
    const problem = analysis.problems.find((candidate) => candidate.code === 'heads-not-divisible')!;
    assert.equal(problem.uri, modelUri);
    assert.equal(modelText.slice(problem.range.start, problem.range.end), '6');
  });

  it('places an engine error about a preset on the preset value', () => {
    const text = `model: meta-llama/Llama-2-7b-hf\nhardware: ${findHardwarePreset('nvidia-l4')!.id}\nparallelism: { tensor: 3 }\n`;
    const analysis = analyzeDocument(parseDocument(DEPLOYMENT_URI, text, 'deployment'), noFiles);
    // 32 heads do not split over 3 devices: the engine names the model field; the preset id carries it.
    const problem = analysis.problems.find((candidate) => candidate.severity === 'error');
    assert.ok(problem, 'an error is reported');
    assert.ok(!/NaN|Infinity/.test(problem.message));
    const placed = text.slice(problem.range.start, problem.range.end);
    assert.ok(['meta-llama/Llama-2-7b-hf', '3', 'tensor', 'parallelism'].includes(placed), `placed on ${JSON.stringify(placed)}: ${problem.message}`);
  });

  it('never throws and never returns a result with errors', () => {
    for (const text of ['', 'model: x', `${LLAMA_7B}hardware: nvidia-l4\nworkload: { batch_size: -1 }\n`, `${LLAMA_7B}hardware: { memory_bandwidth_gb_s: 1 }\n`]) {
      const analysis = analyzeDocument(parseDocument(DEPLOYMENT_URI, text, 'deployment'), noFiles);
      assert.equal(analysis.result, undefined, text);
      assert.ok(analysis.problems.some((problem) => problem.severity === 'error'), text);
    }
  });
});
