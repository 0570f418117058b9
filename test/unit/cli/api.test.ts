import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Api from '../../../language-server/src/api';
import { FIXTURES, REPO_ROOT } from '../config/fixtures';

const API = join(REPO_ROOT, 'dist', 'api.js');

describe('dist/api.js', () => {
  let api: typeof Api;

  before(() => {
    assert.ok(existsSync(API), 'dist/api.js is missing: run `node scripts/build.mjs` first');
    api = createRequire(__filename)(API) as typeof Api;
  });

  it('analyzes a deployment of preset ids', () => {
    const result = api.analyze({ model: 'meta-llama/Llama-2-7b-hf', hardware: 'nvidia-h100-sxm', workload: { batch_size: 4 } });
    assert.equal(result.conventions, 'default');
    assert.equal(result.hardware.name, 'nvidia-h100-sxm');
    assert.ok(result.metrics.tpot_seconds > 0 && Number.isFinite(result.metrics.tpot_seconds));
    assert.ok(result.memory.fits);
  });

  it('reads relative paths from baseDir', () => {
    const result = api.analyze(
      { model: './hf/llama-3.1-8b/config.json', hardware: './hardware/h100-capped.hardware.yaml' },
      { baseDir: FIXTURES },
    );
    assert.equal(result.hardware.name, 'H100 SXM (capped HBM)');
    assert.equal(result.hardware.memory_bandwidth_bytes_per_second, 2800e9);
  });

  it('throws an Error naming the field and the problem', () => {
    assert.throws(
      () => api.analyze({ model: 'meta-llama/Llama-2-7b-hf', hardware: 'nvidia-l4', workload: { batch_size: -1 } }),
      { message: 'workload.batch_size: must be a positive whole number, got -1' },
    );
    assert.throws(() => api.analyze({ model: 'llama-2-7b', hardware: 'nvidia-l4' }), /^Error: model: unknown model preset "llama-2-7b"; did you mean "meta-llama\/Llama-2-7b-hf"\?$/);
    assert.throws(() => api.analyze({ model: 'meta-llama/Llama-2-7b-hf', hardware: 'nvidia-l4', quantization: { weights: 3 } }), /quantization\.weights: 3 is not a supported bit width/);
    assert.throws(() => api.analyze({ model: 'meta-llama/Llama-2-7b-hf', hardware: 'nvidia-l4', workload: { batch_size: Number.NaN } }), {
      message: 'workload.batch_size: must be a finite number, got NaN',
    });
    assert.throws(() => api.analyze({ model: './missing/config.json', hardware: 'nvidia-l4' }, { baseDir: FIXTURES }), /model: model file not found|model file not found/);
    assert.throws(() => api.analyze(null), /deployment: expected an object/);
    assert.throws(
      () => api.analyze({ model: { model_type: 'llama', hidden_size: 4096, num_hidden_layers: 2, num_attention_heads: 48, vocab_size: 100 }, hardware: 'nvidia-l4' }),
      /model\.num_attention_heads: hidden_size \(4096\) is not divisible by num_attention_heads \(48\)/,
    );
  });

  it('lists the presets', () => {
    const presets = api.listPresets();
    assert.ok(presets.hardware.some((preset) => preset.id === 'nvidia-a100-80gb-sxm4'));
    assert.ok(presets.models.some((preset) => preset.id === 'meta-llama/Llama-3.1-8B'));
  });
});
