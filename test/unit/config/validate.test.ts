import assert from 'node:assert/strict';
import { parseDocument } from '../../../language-server/src/config/parse';
import type { ConfigProblem, DocumentKind } from '../../../language-server/src/config/types';
import { validateDocument } from '../../../language-server/src/config/validate';

function problems(text: string, kind: DocumentKind = 'deployment', uri = 'file:///w/a.roofline.yaml'): (ConfigProblem & { text: string })[] {
  const doc = parseDocument(uri, text, kind);
  return validateDocument(doc).map((problem) => ({ ...problem, text: text.slice(problem.range.start, problem.range.end) }));
}

const BASE = 'model: meta-llama/Llama-2-7b-hf\nhardware: nvidia-h100-sxm\n';

describe('validateDocument', () => {
  it('accepts a complete deployment', () => {
    const text = `${BASE}workload: { batch_size: 8, prompt_tokens: 512, output_tokens: 64 }
quantization: { weights: int4, activations: fp16, kv_cache: 8 }
flash_attention: false
parallelism: { tensor: 2 }
conventions: llm-viewer
targets: { ttft_ms: 200, tpot_ms: 20.5, min_tokens_per_second: 10 }
`;
    assert.deepEqual(problems(text), []);
  });

  it('puts unknown keys on the key, with did-you-mean from the schema', () => {
    const [problem, ...rest] = problems(`${BASE}workload:\n  promt_tokens: 5\n`);
    assert.equal(rest.length, 0);
    assert.equal(problem!.code, 'unknown-key');
    assert.equal(problem!.text, 'promt_tokens');
    assert.deepEqual(problem!.path, ['workload', 'promt_tokens']);
    assert.equal(problem!.suggestions?.[0], 'prompt_tokens');
    assert.match(problem!.message, /did you mean "prompt_tokens"/);
  });

  it('lists the allowed keys when nothing is close', () => {
    const [problem] = problems(`${BASE}zzz: 1\n`);
    assert.equal(problem!.code, 'unknown-key');
    assert.match(problem!.message, /allowed keys: model, hardware, workload/);
  });

  it('reports wrong types on the value', () => {
    const [problem] = problems(`${BASE}flash_attention: "yes"\n`);
    assert.equal(problem!.code, 'wrong-type');
    assert.equal(problem!.text, '"yes"');
    assert.equal(problem!.message, 'flash_attention: expected true or false, got the text "yes"');
  });

  it('reports ranges as a user reads them', () => {
    assert.equal(problems(`${BASE}workload: { output_tokens: 0 }\n`)[0]!.message, 'workload.output_tokens: must be a positive whole number, got 0');
    assert.equal(problems(`${BASE}targets: { tpot_ms: -5 }\n`)[0]!.message, 'targets.tpot_ms: must be a positive number, got -5');
    const latency = problems('extends: nvidia-l4\ninterconnect: { bandwidth_gb_s: 10, latency_us: -1 }\n', 'hardware', 'file:///w/x.hardware.yaml');
    assert.equal(latency[0]!.message, 'interconnect.latency_us: must not be negative, got -1');
    assert.ok(latency.every((problem) => problem.code === 'out-of-range'));
  });

  it('reports bad enum values with the allowed values as suggestions', () => {
    const [problem] = problems(`${BASE}quantization: { kv_cache: fp9 }\n`);
    assert.equal(problem!.code, 'bad-enum');
    assert.equal(problem!.text, 'fp9');
    assert.match(problem!.message, /use a format name \(fp32, tf32, fp16, bf16, fp8, int8, fp6, fp4, int4\) or a bit count \(32, 16, 8, 4, 2, 1\)/);
    assert.ok(problem!.suggestions!.includes('fp8'));
  });

  it('refuses a bit count of 3 with a clear message', () => {
    const [problem] = problems(`${BASE}quantization: { weights: 3 }\n`);
    assert.equal(problem!.code, 'bad-enum');
    assert.match(problem!.message, /^quantization\.weights: 3 is not a supported bit width/);
  });

  it('reports a missing required key at the top of the file', () => {
    const [problem] = problems('hardware: nvidia-l4\n');
    assert.equal(problem!.code, 'missing-key');
    assert.equal(problem!.range.start, 0);
    assert.match(problem!.message, /missing required key "model"/);
  });

  it('reports a missing nested required key on the parent key', () => {
    const [problem] = problems('extends: nvidia-l4\ninterconnect: { latency_us: 3 }\n', 'hardware', 'file:///w/x.hardware.yaml');
    assert.equal(problem!.code, 'missing-key');
    assert.equal(problem!.text, 'interconnect');
    assert.match(problem!.message, /^interconnect: missing required key "bandwidth_gb_s"/);
  });

  it('keeps only the applicable alternative of model/hardware', () => {
    const inline = problems('model: { hidden_size: -4 }\nhardware: nvidia-l4\n');
    assert.deepEqual(inline.map((problem) => [problem.code, problem.text]), [['out-of-range', '-4']]);
    const wrong = problems('model: [1, 2]\nhardware: nvidia-l4\n');
    assert.deepEqual(wrong.map((problem) => problem.code), ['wrong-type']);
    assert.match(wrong[0]!.message, /expected a preset id, a relative path or a map of model fields, got a list/);
    const empty = problems('model: ""\nhardware: nvidia-l4\n');
    assert.deepEqual(empty.map((problem) => [problem.code, problem.message]), [['invalid-value', 'model: must not be empty']]);
  });

  it('checks inline hardware against the hardware schema', () => {
    const [problem] = problems('model: meta-llama/Llama-2-7b-hf\nhardware: { extends: nvidia-l4, memory_gb: 20 }\n');
    assert.equal(problem!.code, 'unknown-key');
    assert.equal(problem!.text, 'memory_gb');
    assert.equal(problem!.suggestions?.[0], 'memory_gib');
  });

  it('lets Hugging Face configs carry unknown keys but checks the known ones', () => {
    const uri = 'file:///w/m/config.json';
    assert.deepEqual(problems('{ "model_type": "llama", "rope_theta": 10000, "custom_field": [1], "sliding_window": null }', 'hf-config', uri), []);
    const [problem] = problems('{ "model_type": "llama", "num_hidden_layers": "32" }', 'hf-config', uri);
    assert.equal(problem!.code, 'wrong-type');
    assert.equal(problem!.text, '"32"');
  });

  it('refuses non-finite numbers from YAML', () => {
    const [problem] = problems(`${BASE}workload: { batch_size: .nan }\n`);
    assert.equal(problem!.code, 'wrong-type');
    assert.match(problem!.message, /\.nan \(not a finite number\)/);
  });

  it('gives only syntax problems for a broken file', () => {
    const result = problems('model: [\n');
    assert.ok(result.length > 0);
    assert.ok(result.every((problem) => problem.code === 'yaml-syntax'));
  });

  it('says an empty file is empty', () => {
    const [problem] = problems('# nothing yet\n');
    assert.equal(problem!.code, 'empty-document');
  });
});
