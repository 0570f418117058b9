import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../language-server/src/api';
import { ResolutionCache } from '../../../language-server/src/config/resolutionCache';
import { nodeHost } from '../../../language-server/src/cli/nodeHost';
import { analyzeValue } from '../../../language-server/src/plan/planDocument';
import { hfConfig } from '../engine/default/helpers';

/** A fresh resolution: a folder no call has used gets its own virtual file, so nothing kept is found. */
let folders = 0;
function analyzedAfresh(deployment: unknown): ReturnType<typeof analyze> {
  return analyze(structuredClone(deployment), { baseDir: join(tmpdir(), `llm-roofline-fresh-${process.pid}-${folders++}`) });
}

function thrownMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return assert.fail('expected an error');
}

describe('resolutions kept between library calls that change only the workload', () => {
  const base = () => ({ model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-h100-sxm', workload: { batch_size: 4, prompt_tokens: 512 }, quantization: { weights: 'fp8' } });

  it('gives each workload the figures a fresh resolution gives', () => {
    const deployment = base();
    analyze(deployment);
    for (const workload of [{ batch_size: 9 }, { prompt_tokens: 333, output_tokens: 7 }, {}, undefined]) {
      const next = { ...deployment, workload };
      assert.deepEqual(analyze(next), analyzedAfresh(next), JSON.stringify(workload));
    }
  });

  it('does not serve a resolution made before the deployment was edited in place, at any depth', () => {
    const deployment: Record<string, any> = base();
    const before = analyze(deployment);
    deployment.quantization.weights = 'int4';
    const weights = analyze(deployment);
    assert.deepEqual(weights, analyzedAfresh(deployment));
    assert.notDeepEqual(weights, before);
    deployment.hardware = 'nvidia-a100-80gb-sxm4';
    assert.deepEqual(analyze(deployment), analyzedAfresh(deployment));
    deployment.parallelism = { tensor: 2 };
    assert.deepEqual(analyze(deployment), analyzedAfresh(deployment));
    deployment.parallelism.tensor = 4;
    const four = analyze(deployment);
    assert.deepEqual(four, analyzedAfresh(deployment));
    assert.equal(four.notes.some((note) => note.includes('4')), true);
    delete deployment.parallelism;
    deployment.flash_attention = false;
    assert.deepEqual(analyze(deployment), analyzedAfresh(deployment));
  });

  it('an inline model or hardware edited in place between calls gives the edited figures', () => {
    const model: Record<string, unknown> = { ...hfConfig('llama-3.1-8b') };
    const hardware: Record<string, unknown> = { extends: 'nvidia-h100-sxm', memory_bandwidth_gb_s: 3350 };
    const deployment = { model, hardware, workload: { batch_size: 8 } };
    const before = analyze(deployment);
    model.num_hidden_layers = 16;
    const layers = analyze({ ...deployment, workload: { batch_size: 2 } });
    assert.deepEqual(layers, analyzedAfresh({ ...deployment, workload: { batch_size: 2 } }));
    hardware.memory_bandwidth_gb_s = 1000;
    const bandwidth = analyze(deployment);
    assert.deepEqual(bandwidth, analyzedAfresh(deployment));
    assert.notDeepEqual(bandwidth, before);
  });

  it('a replaced deployment with the same content reuses the resolution and gives the same figures', () => {
    const first = analyze(base());
    assert.deepEqual(analyze(base()), first);
  });

  it('checks the workload as the schema does, with the same positioned messages', () => {
    const deployment = base();
    analyze(deployment);
    for (const workload of [{ batch_size: 0 }, { batch_size: 2.5 }, { prompt_tokens: -1 }, { batch_size: '4' }, { batch_sizes: 4 }, null, [], 'big']) {
      const next = { ...deployment, workload };
      const message = thrownMessage(() => analyze(next));
      assert.equal(message, thrownMessage(() => analyzedAfresh(next)), JSON.stringify(workload));
      assert.match(message, /workload/);
    }
    // A workload the engine refuses (no room in the KV pool for one request this long) still throws its own message, on its field.
    const serving = { ...deployment, serving: { concurrency: 'max' } };
    analyze(serving);
    const tooLong = { ...serving, workload: { prompt_tokens: 10_000_000 } };
    const message = thrownMessage(() => analyze(tooLong));
    assert.equal(message, thrownMessage(() => analyzedAfresh(tooLong)));
    assert.match(message, /^serving/);
  });

  it('a result changed by its caller does not change the next one', () => {
    const deployment = base();
    const first = analyze(deployment);
    const expected = analyzedAfresh({ ...deployment, workload: { batch_size: 5 } });
    first.stages.decode.layers[0]!.flops = -1;
    first.notes.push('changed');
    (first.model as { weights_by_kind: unknown[] }).weights_by_kind.length = 0;
    first.hardware.efficiency!.memory = 0;
    assert.deepEqual(analyze({ ...deployment, workload: { batch_size: 5 } }), expected);
  });

  it('does not keep a resolution that read a file: the file may change between calls', () => {
    const folder = mkdtempSync(join(tmpdir(), 'llm-roofline-resolution-'));
    try {
      const file = join(folder, 'model.json');
      writeFileSync(file, JSON.stringify(hfConfig('llama-3.1-8b')));
      const deployment = { model: './model.json', hardware: 'nvidia-h100-sxm', workload: { batch_size: 4 } };
      const before = analyze(deployment, { baseDir: folder });
      writeFileSync(file, JSON.stringify({ ...hfConfig('llama-3.1-8b'), num_hidden_layers: 8 }));
      const after = analyze({ ...deployment, workload: { batch_size: 5 } }, { baseDir: folder });
      assert.ok(after.model!.parameters < before.model!.parameters, `${after.model!.parameters} < ${before.model!.parameters}`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('keeps at most eight deployments, and finds a kept one only for the same folder', () => {
    const cache = new ResolutionCache();
    const uri = 'file:///kept/deployment.roofline.json';
    for (let batch = 1; batch <= 12; batch++) {
      const deployment = { model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-h100-sxm', parallelism: { tensor: 1 + (batch % 2) }, cost: { gpu_hour_usd: batch } };
      assert.ok(analyzeValue(deployment, uri, nodeHost, cache));
      assert.ok(cache.size <= 8, `${cache.size} kept`);
    }
    assert.equal(cache.size, 8);
    const last = { model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-h100-sxm', parallelism: { tensor: 1 }, cost: { gpu_hour_usd: 12 } };
    assert.ok(cache.inputFor({ ...last, workload: { batch_size: 3 } }, uri, nodeHost));
    assert.equal(cache.inputFor({ ...last, workload: { batch_size: 3 } }, 'file:///elsewhere/deployment.roofline.json', nodeHost), undefined);
    assert.equal(cache.inputFor({ ...last, cost: { gpu_hour_usd: 1 } }, uri, nodeHost), undefined, 'the first ones left');
  });
});
