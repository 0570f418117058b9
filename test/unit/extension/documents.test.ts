import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { analyzeDocument, parseDocument, validateDocument } from '../../../language-server/src/config/index';
import { documentFilters, isWorthStartingServerFor, roleOfPath, slugOfPresetId } from '../../../extension/src/documents';
import { deploymentFileName, deploymentTemplate } from '../../../extension/src/newDeployment/template';

describe('document roles by file name', () => {
  it('recognises the three kinds of file and config.json', () => {
    assert.equal(roleOfPath('/w/llama.roofline.yaml'), 'deployment');
    assert.equal(roleOfPath('/w/llama.roofline.YML'), 'deployment');
    assert.equal(roleOfPath('/w/my.hardware.json'), 'hardware');
    assert.equal(roleOfPath('/w/tiny.model.yml'), 'model');
    assert.equal(roleOfPath('/w/models/llama/config.json'), 'hf-config');
    assert.equal(roleOfPath('/w/tsconfig.json'), undefined);
    assert.equal(roleOfPath('/w/roofline.yaml'), undefined);
    assert.equal(roleOfPath('/w/a.roofline.yaml.orig'), undefined);
  });

  it('starts the server for a config.json only when it looks like a model config', () => {
    assert.equal(isWorthStartingServerFor('/w/config.json', () => '{ "model_type": "llama", "hidden_size": 4096 }'), true);
    assert.equal(isWorthStartingServerFor('/w/config.json', () => '{ "compilerOptions": {} }'), false);
    assert.equal(isWorthStartingServerFor('/w/a.hardware.yaml', () => ''), true);
    assert.equal(isWorthStartingServerFor('/w/notes.yaml', () => 'model_type: llama'), false);
  });

  it('selects files (on disk, virtual, remote) and named unsaved documents, but only saved config.json files', () => {
    assert.deepEqual(documentFilters(['deployment', 'hf-config']), [
      { scheme: 'file', pattern: '**/*.roofline.{yaml,yml,json}' },
      { scheme: 'vscode-vfs', pattern: '**/*.roofline.{yaml,yml,json}' },
      { scheme: 'vscode-remote', pattern: '**/*.roofline.{yaml,yml,json}' },
      { scheme: 'untitled', pattern: '**/*.roofline.{yaml,yml,json}' },
      { scheme: 'file', pattern: '**/config.json' },
      { scheme: 'vscode-vfs', pattern: '**/config.json' },
      { scheme: 'vscode-remote', pattern: '**/config.json' },
    ]);
  });
});

describe('new deployment template', () => {
  it('is YAML with the chosen presets and every default written out', () => {
    const text = deploymentTemplate({ modelId: 'meta-llama/Llama-2-7b-hf', hardwareId: 'nvidia-h100-sxm' });
    assert.deepEqual(parse(text), {
      model: 'meta-llama/Llama-2-7b-hf',
      hardware: 'nvidia-h100-sxm',
      workload: { batch_size: 1, prompt_tokens: 1024, output_tokens: 256 },
      quantization: { weights: 'fp16', activations: 'fp16', kv_cache: 'fp16' },
      flash_attention: true,
      parallelism: { tensor: 1 },
      conventions: 'default',
    });
    assert.match(text, /^# targets:$/m);
  });

  it('is a valid deployment that the config layer analyses without a single problem', () => {
    const uri = 'file:///w/new.roofline.yaml';
    const doc = parseDocument(uri, deploymentTemplate({ modelId: 'meta-llama/Llama-2-7b-hf', hardwareId: 'nvidia-l4' }), 'deployment');
    assert.deepEqual(validateDocument(doc), []);
    const analysis = analyzeDocument(doc, { readFile: () => undefined });
    assert.deepEqual(analysis.problems, []);
    assert.ok(analysis.result);
  });

  it('quotes ids YAML would read as something else', () => {
    const text = deploymentTemplate({ modelId: 'yes', hardwareId: 'odd id: with colon' });
    const value = parse(text) as { model: unknown; hardware: unknown };
    assert.equal(value.model, 'yes');
    assert.equal(value.hardware, 'odd id: with colon');
  });

  it('names the file after the model and the hardware', () => {
    assert.equal(deploymentFileName({ modelId: 'meta-llama/Llama-2-7b-hf', hardwareId: 'nvidia_A6000' }), 'llama-2-7b-hf-on-nvidia-a6000.roofline.yaml');
    assert.equal(slugOfPresetId('Qwen/Qwen2.5-7B-Instruct'), 'qwen2.5-7b-instruct');
    assert.equal(slugOfPresetId('///'), 'deployment');
  });
});
