import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../language-server/src/config/analyze';
import { parseDocument } from '../../../language-server/src/config/parse';
import { resolveDeployment } from '../../../language-server/src/config/resolveDeployment';
import type { ConfigHost } from '../../../language-server/src/config/types';
import { findModelPreset } from '../../../language-server/src/presets/index';
import { memoryHost } from './fixtures';

const URI = 'file:///work/project/a.roofline.yaml';
const BASE = 'model: meta-llama/Llama-2-70b-hf\nhardware: nvidia-h100-sxm\nparallelism: { tensor: 4 }\n';

function resolveText(text: string, host: ConfigHost = memoryHost({})) {
  return resolveDeployment(parseDocument(URI, text, 'deployment'), host);
}

function analyzeText(text: string, host: ConfigHost = memoryHost({})) {
  const doc = parseDocument(URI, text, 'deployment');
  return { doc, analysis: analyzeDocument(doc, host) };
}

describe('deployment keys for serving: quantization maps, efficiency, memory, speculative', () => {
  it('reads grouped formats by name and as a map', () => {
    const { input, problems } = resolveText(`${BASE}quantization:\n  weights: { format: int4, group_size: 128, scale: fp16, zero_point: true }\n  kv_cache: nvfp4\n`);
    assert.deepEqual(problems, []);
    assert.equal(input!.quantization.weights.bitsPerElement, 4.25);
    assert.equal(input!.quantization.kvCache.bitsPerElement, 4.5);
    assert.equal(resolveText(`${BASE}quantization: { weights: awq }\n`).input!.quantization.weights.bitsPerElement, 4.15625);
  });

  it('reports a bad map on its key, without a second "not one of the names" problem', () => {
    const { problems } = resolveText(`${BASE}quantization:\n  weights: { format: int4, group_size: 0 }\n`);
    assert.equal(problems.length, 1, problems.map((problem) => problem.message).join('\n'));
    assert.equal(problems[0]!.code, 'out-of-range');
    assert.deepEqual(problems[0]!.path, ['quantization', 'weights', 'group_size']);
    const unknownKey = resolveText(`${BASE}quantization:\n  weights: { format: int4, group: 128 }\n`).problems;
    assert.deepEqual(unknownKey.map((problem) => problem.code), ['unknown-key']);
  });

  it('passes efficiency and memory utilization to the engine', () => {
    assert.equal(resolveText(BASE).input!.efficiency, undefined);
    assert.equal(resolveText(`${BASE}efficiency: achievable\n`).input!.efficiency, 'achievable');
    assert.deepEqual(resolveText(`${BASE}efficiency: { memory: 0.85, compute: 0.75 }\n`).input!.efficiency, { memory: 0.85, compute: 0.75 });
    assert.equal(resolveText(`${BASE}memory: { utilization: 0.95 }\n`).input!.memoryUtilization, 0.95);
    const { analysis } = analyzeText(`${BASE}efficiency: achievable\nmemory: { utilization: 0.95 }\n`);
    assert.equal(analysis.result!.hardware.efficiency!.mode, 'achievable');
    assert.equal(analysis.result!.capacity!.memory_utilization, 0.95);
  });

  it('checks the ranges in the schema, on the key', () => {
    for (const [text, path] of [
      ['efficiency: { memory: 1.5 }\n', ['efficiency', 'memory']],
      ['efficiency: fast\n', ['efficiency']],
      ['memory: { utilization: 0 }\n', ['memory', 'utilization']],
      ['speculative: { draft_model: meta-llama/Llama-2-7b-hf, acceptance_rate: 1 }\n', ['speculative', 'acceptance_rate']],
      ['speculative: { draft_model: meta-llama/Llama-2-7b-hf, acceptance_rate: 0.7, draft_tokens: 0 }\n', ['speculative', 'draft_tokens']],
    ] as const) {
      const { problems, input } = resolveText(`${BASE}${text}`);
      assert.equal(input, undefined, text);
      assert.ok(problems.some((problem) => problem.severity === 'error' && JSON.stringify(problem.path) === JSON.stringify(path)), `${text}: ${problems.map((p) => `${p.path.join('.')} ${p.message}`).join('; ')}`);
    }
    const missing = resolveText(`${BASE}speculative: { draft_model: meta-llama/Llama-2-7b-hf }\n`).problems;
    assert.ok(missing.some((problem) => problem.code === 'missing-key' && problem.message.includes('acceptance_rate')));
  });

  it('resolves the draft model from a preset, a file or an inline map, with draft_tokens 4 by default', () => {
    const preset = resolveText(`${BASE}speculative: { draft_model: meta-llama/Llama-2-7b-hf, acceptance_rate: 0.7 }\n`).input!.speculative!;
    assert.equal(preset.draftModelName, 'meta-llama/Llama-2-7b-hf');
    assert.equal(preset.draftTokens, 4);
    assert.equal(preset.acceptanceRate, 0.7);
    assert.deepEqual(preset.draftModel, findModelPreset('meta-llama/Llama-2-7b-hf')!.config);
    const host = memoryHost({ 'file:///work/project/draft.model.yaml': 'extends: meta-llama/Llama-2-7b-hf\nnum_hidden_layers: 8\n' });
    const fromFile = resolveText(`${BASE}speculative: { draft_model: ./draft.model.yaml, acceptance_rate: 0.6, draft_tokens: 3 }\n`, host);
    assert.deepEqual(fromFile.problems, []);
    assert.equal(fromFile.input!.speculative!.draftModel!.num_hidden_layers, 8);
    assert.equal(fromFile.input!.speculative!.draftTokens, 3);
    assert.ok(fromFile.dependencies.includes('file:///work/project/draft.model.yaml'));
  });

  it('takes draft: mtp (the model drafts with its own MTP module) and a rate per drafted position', () => {
    const resolved = resolveText('model: deepseek-ai/DeepSeek-V3\nhardware: nvidia-h200-sxm\nparallelism: { tensor: 8 }\nspeculative: { draft: mtp, draft_tokens: 3, acceptance_rate: [0.92, 0.717, 0.364] }\n');
    assert.deepEqual(resolved.problems.filter((problem) => problem.severity === 'error'), []);
    const spec = resolved.input!.speculative!;
    assert.equal(spec.draft, 'mtp');
    assert.equal(spec.draftModel, undefined);
    assert.deepEqual(spec.acceptanceRate, [0.92, 0.717, 0.364]);
    // A model without an MTP module: a positioned error on speculative.draft.
    const llama = analyzeText(`${BASE}speculative: { draft: mtp, acceptance_rate: 0.7 }\n`);
    assert.ok(llama.analysis.problems.some((problem) => problem.code === 'no-mtp-module' && problem.path.join('.') === 'speculative.draft'), JSON.stringify(llama.analysis.problems));
  });

  it('puts draft problems on speculative.draft_model', () => {
    const unknown = resolveText(`${BASE}speculative: { draft_model: llama-7b, acceptance_rate: 0.7 }\n`).problems;
    assert.ok(unknown.some((problem) => problem.code === 'unknown-preset' && problem.path.join('.') === 'speculative.draft_model'));
    // 12 heads do not split over tensor parallelism 4... they do (3 each); 10 heads do not.
    const { analysis, doc } = analyzeText(
      `${BASE}speculative:\n  acceptance_rate: 0.7\n  draft_model: { extends: meta-llama/Llama-2-7b-hf, num_attention_heads: 10, num_key_value_heads: 10, head_dim: 128 }\n`,
    );
    const problem = analysis.problems.find((candidate) => candidate.code === 'tp-not-divisible');
    assert.ok(problem, analysis.problems.map((candidate) => candidate.message).join('\n'));
    assert.equal(problem.path.join('.'), 'speculative.draft_model');
    assert.equal(doc.text.slice(problem.range.start, problem.range.start + 1), '{');
    assert.ok(problem.message.includes('draft model'));
  });
});
