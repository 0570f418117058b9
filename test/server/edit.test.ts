/**
 * config/edit.ts: the smallest edits, comments and formatting kept, in YAML and JSON.
 */
import assert from 'node:assert/strict';
import { applyOffsetEdits, renameKeyEdits, setValueEdits } from '../../language-server/src/config/edit';
import type { JsonPath } from '../../language-server/src/config/types';

const YAML_TEXT = `# deployment
model: meta-llama/Llama-2-7b-hf   # the model
hardware: nvidia-h100-sxm
workload:
  batch_size: 16  # per step
  prompt_tokens: 1024
quantization: { weights: int4, kv_cache: fp8 }
parallelism:
  tensor: 1

# end
`;

const JSON_TEXT = `{
    "model": "x", // the model
    "workload": { "batch_size": 4 }
}
`;

function setYaml(path: JsonPath, value: unknown): string {
  const edits = setValueEdits(YAML_TEXT, 'yaml', path, value);
  assert.ok(edits, `no edit for ${path.join('.')}`);
  return applyOffsetEdits(YAML_TEXT, edits);
}

function setJson(path: JsonPath, value: unknown): string {
  const edits = setValueEdits(JSON_TEXT, 'json', path, value);
  assert.ok(edits, `no edit for ${path.join('.')}`);
  return applyOffsetEdits(JSON_TEXT, edits);
}

describe('config edits', function () {
  describe('YAML', function () {
    it('replaces only the value, keeping the trailing comment', function () {
      assert.deepEqual(setValueEdits(YAML_TEXT, 'yaml', ['workload', 'batch_size'], 32), [{ start: 109, end: 111, newText: '32' }]);
      assert.ok(setYaml(['workload', 'batch_size'], 32).includes('  batch_size: 32  # per step\n'));
    });

    it('adds a key at the end of a block map with its indentation', function () {
      assert.equal(setYaml(['workload', 'output_tokens'], 256), YAML_TEXT.replace('  prompt_tokens: 1024\n', '  prompt_tokens: 1024\n  output_tokens: 256\n'));
    });

    it('edits and extends a flow map in place', function () {
      assert.ok(setYaml(['quantization', 'weights'], 'fp8').includes('quantization: { weights: fp8, kv_cache: fp8 }\n'));
      assert.ok(setYaml(['quantization', 'activations'], 'fp16').includes('quantization: { weights: int4, kv_cache: fp8, activations: fp16 }\n'));
    });

    it('creates a missing parent map after the last entry, before trailing comments', function () {
      assert.equal(setYaml(['targets', 'ttft_ms'], 500), YAML_TEXT.replace('  tensor: 1\n', '  tensor: 1\ntargets:\n  ttft_ms: 500\n'));
    });

    it('replaces a string with a plain scalar when it is unambiguous, quoting otherwise', function () {
      assert.ok(setYaml(['model'], 'Qwen/Qwen2.5-7B').includes('model: Qwen/Qwen2.5-7B   # the model\n'));
      assert.ok(setYaml(['hardware'], 'true').includes('hardware: "true"\n'));
      assert.ok(setYaml(['hardware'], '8').includes('hardware: "8"\n'));
    });

    it('keeps the quoting style of a quoted value', function () {
      const text = "model: 'meta-llama/Llama-2-7b-hf'\n";
      assert.equal(applyOffsetEdits(text, setValueEdits(text, 'yaml', ['model'], 'x/y')!), "model: 'x/y'\n");
    });

    it('fills an empty value', function () {
      const text = 'workload:\nmodel: x\n';
      assert.equal(applyOffsetEdits(text, setValueEdits(text, 'yaml', ['workload', 'batch_size'], 2)!), 'workload:\n  batch_size: 2\nmodel: x\n');
    });

    it('writes into an empty document', function () {
      assert.equal(applyOffsetEdits('', setValueEdits('', 'yaml', ['workload', 'batch_size'], 2)!), 'workload:\n  batch_size: 2\n');
    });

    it('refuses to put a key under a scalar or into a broken document', function () {
      assert.equal(setValueEdits(YAML_TEXT, 'yaml', ['model', 'hidden_size'], 1), undefined);
      assert.equal(setValueEdits('a: [\n', 'yaml', ['a'], 1), undefined);
    });

    it('renames a key, keeping its value and comment', function () {
      const edits = renameKeyEdits(YAML_TEXT, 'yaml', ['workload', 'batch_size'], 'batch');
      assert.ok(applyOffsetEdits(YAML_TEXT, edits!).includes('  batch: 16  # per step\n'));
    });
  });

  describe('JSON', function () {
    it('replaces only the value', function () {
      assert.equal(setJson(['workload', 'batch_size'], 8), JSON_TEXT.replace('"batch_size": 4', '"batch_size": 8'));
    });

    it('adds to a one-line object on its line', function () {
      assert.equal(setJson(['workload', 'output_tokens'], 8), JSON_TEXT.replace('"batch_size": 4 }', '"batch_size": 4, "output_tokens": 8 }'));
    });

    it('adds a new object as a new line with the file indentation, comments kept', function () {
      assert.equal(
        setJson(['quantization', 'weights'], 'int4'),
        JSON_TEXT.replace('"batch_size": 4 }\n', '"batch_size": 4 },\n    "quantization": { "weights": "int4" }\n'),
      );
    });

    it('renames a key', function () {
      assert.equal(applyOffsetEdits(JSON_TEXT, renameKeyEdits(JSON_TEXT, 'json', ['model'], 'hardware')!), JSON_TEXT.replace('"model"', '"hardware"'));
    });

    it('refuses to put a key under a scalar', function () {
      assert.equal(setValueEdits(JSON_TEXT, 'json', ['model', 'hidden_size'], 1), undefined);
    });

    it('refuses to edit or rename while the text does not parse, as in YAML', function () {
      // A missing comma: `modify` used to append the new key after the closing brace.
      const broken = '{\n  "model": "x"\n  "workload": { "batch_size": 4 }\n}\n';
      assert.equal(setValueEdits(broken, 'json', ['workload', 'batch_size'], 8), undefined);
      assert.equal(setValueEdits(broken, 'json', ['quantization', 'weights'], 'int4'), undefined);
      assert.equal(renameKeyEdits(broken, 'json', ['model'], 'hardware'), undefined);
      assert.equal(setValueEdits('model: [x\n', 'yaml', ['workload', 'batch_size'], 8), undefined);
    });
  });
});
