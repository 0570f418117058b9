import * as assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../language-server/src/api';
import { ResolutionCache } from '../../../language-server/src/config/resolutionCache';
import { nodeHost } from '../../../language-server/src/cli/nodeHost';
import { analyzeValue } from '../../../language-server/src/plan/planDocument';
import { hfConfig } from '../engine/default/helpers';

// A deployment found among the kept resolutions skips the library's walk for NaN and infinities
// (api.ts): that holds only while a kept deployment has finite numbers alone and a found one equals it.
describe('kept resolutions and numbers that are not finite', () => {
  const uri = 'file:///tmp/finite-check/deployment.roofline.json';

  it('never keeps a deployment with a number that is not finite', () => {
    const cache = new ResolutionCache();
    const deployment = { model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-h100-sxm', workload: { batch_size: 2 } };
    const analysed = analyzeValue(deployment, uri, nodeHost, cache);
    assert.ok(analysed);
    assert.equal(cache.size, 1, 'a plain preset deployment is kept');
    const resolved = cache.inputFor(deployment, uri, nodeHost)!.resolved;
    for (const spoiled of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      cache.remember({ ...deployment, memory: { utilization: spoiled } }, uri, nodeHost, resolved, false);
      cache.remember({ ...deployment, extra: [1, { deep: spoiled }] }, uri, nodeHost, resolved, false);
    }
    assert.equal(cache.size, 1);
  });

  it('after a deployment was kept, the same one with NaN or an infinity anywhere still names the field', () => {
    const folder = join(tmpdir(), `llm-roofline-finite-${process.pid}`);
    const model = hfConfig('llama-3.1-8b');
    const deployment = { model, hardware: 'nvidia-h100-sxm', workload: { batch_size: 4, prompt_tokens: 512 }, flash_attention: true };
    const first = analyze(deployment, { baseDir: folder });
    assert.deepEqual(analyze({ ...deployment, workload: { batch_size: 5, prompt_tokens: 512 } }, { baseDir: folder }).memory.fits, first.memory.fits);
    assert.throws(() => analyze({ ...deployment, workload: { batch_size: Number.NaN } }, { baseDir: folder }), {
      message: 'workload.batch_size: must be a finite number, got NaN',
    });
    assert.throws(() => analyze({ ...deployment, workload: { batch_size: 4, prompt_tokens: Number.POSITIVE_INFINITY } }, { baseDir: folder }), {
      message: 'workload.prompt_tokens: must be a finite number, got Infinity',
    });
    assert.throws(() => analyze({ ...deployment, model: { ...model, rope_theta: Number.NEGATIVE_INFINITY } }, { baseDir: folder }), {
      message: 'model.rope_theta: must be a finite number, got -Infinity',
    });
    // An inline model edited in place to hold NaN: equal to no kept deployment any more.
    const edited = { ...deployment, model: { ...model } };
    analyze(edited, { baseDir: folder });
    edited.model.hidden_size = Number.NaN;
    assert.throws(() => analyze({ ...edited, workload: { batch_size: 6 } }, { baseDir: folder }), { message: 'model.hidden_size: must be a finite number, got NaN' });
  });
});
