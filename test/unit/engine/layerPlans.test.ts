import * as assert from 'node:assert/strict';
import { prepareDefault } from '../../../language-server/src/engine/default/prepare';
import { applyTechniques } from '../../../language-server/src/engine/techniques/apply';
import { parseTechniques } from '../../../language-server/src/engine/techniques/spec';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import type { EngineInput, HardwareSpec, HfConfig } from '../../../language-server/src/engine/types';
import { A100, engineInput, H100, hfConfig, layer } from './default/helpers';

/** The same config with its keys in reverse order: equal to the engine, but never found by the plans kept for the original (they are keyed by its text). */
function reordered(model: HfConfig): HfConfig {
  return Object.fromEntries(Object.entries(model).reverse()) as HfConfig;
}

function withPipeline(input: EngineInput, pipeline: number): EngineInput {
  return { ...input, parallelism: { ...input.parallelism, pipeline } };
}

describe('layer plans shared between preparations', () => {
  const model = hfConfig('llama-3.1-8b');
  // H100's figures with another link: preparations differ, a split device's plans must too.
  const slowLink: HardwareSpec = { ...H100, name: 'h100-slow-link', interconnect: { bandwidthBytesPerSecond: 50e9, latencySeconds: 8e-6 } };

  it('shares the plans of an unsplit device across hardware, and each analysis still times them at its own hardware', () => {
    const onH100 = prepareDefault(engineInput({ model, hardware: H100, weights: 'fp8' }));
    const onA100 = prepareDefault(engineInput({ model, hardware: A100, weights: 'fp8' }));
    assert.notEqual(onA100, onH100);
    assert.equal(onA100.layers, onH100.layers);
    assert.equal(onA100.decodePlan, onH100.decodePlan);
    for (const hardware of [H100, A100]) {
      const shared = analyzeResolved(engineInput({ model, hardware, weights: 'fp8', batchSize: 8 }));
      const alone = analyzeResolved(engineInput({ model: reordered(model), hardware, weights: 'fp8', batchSize: 8 }));
      assert.deepEqual(shared, alone);
    }
  });

  it('keys a split device on the link: the all-reduce is timed over each hardware link', () => {
    const fast = prepareDefault(engineInput({ model, hardware: H100, tensor: 2 }));
    const slow = prepareDefault(engineInput({ model, hardware: slowLink, tensor: 2 }));
    assert.notEqual(slow.layers, fast.layers);
    const fastResult = analyzeResolved(engineInput({ model, hardware: H100, tensor: 2, batchSize: 4 }));
    const slowResult = analyzeResolved(engineInput({ model, hardware: slowLink, tensor: 2, batchSize: 4 }));
    assert.ok(layer(slowResult, 'decode', 'attn_all_reduce').seconds > layer(fastResult, 'decode', 'attn_all_reduce').seconds);
    assert.deepEqual(slowResult, analyzeResolved(engineInput({ model: reordered(model), hardware: slowLink, tensor: 2, batchSize: 4 })));
    // The same link on other hardware figures (a copy of H100 with half the bandwidth) shares the plans.
    const sameLink = prepareDefault(engineInput({ model, hardware: { ...H100, name: 'h100-half', memoryBandwidthBytesPerSecond: 1675e9 }, tensor: 2 }));
    assert.equal(sameLink.layers, fast.layers);
  });

  it('keys pipeline stages on the workload, whose request sets the governing stage', () => {
    const short = withPipeline(engineInput({ model, hardware: H100, batchSize: 1, promptTokens: 128, outputTokens: 16 }), 2);
    const long = withPipeline(engineInput({ model, hardware: H100, batchSize: 64, promptTokens: 8192, outputTokens: 1024 }), 2);
    for (const input of [short, long]) {
      assert.deepEqual(analyzeResolved(input), analyzeResolved({ ...input, model: reordered(model) }));
    }
  });

  it('builds new plans for a model edited in place', () => {
    const edited = hfConfig('llama-3.1-8b');
    const before = prepareDefault(engineInput({ model: edited, hardware: H100, kvCache: 'fp8' }));
    edited.intermediate_size = 7168;
    const after = prepareDefault(engineInput({ model: edited, hardware: H100, kvCache: 'fp8' }));
    assert.notEqual(after.layers, before.layers);
    assert.ok(after.weightsBytes < before.weightsBytes);
    const fresh = analyzeResolved(engineInput({ model: reordered({ ...hfConfig('llama-3.1-8b'), intermediate_size: 7168 }), hardware: H100, kvCache: 'fp8', batchSize: 2 }));
    assert.deepEqual(analyzeResolved(engineInput({ model: edited, hardware: H100, kvCache: 'fp8', batchSize: 2 })), fresh);
  });

  it('shares activation figures between plans that differ only in their link, and the figures under load match a fresh preparation', () => {
    const fast = prepareDefault(engineInput({ model, hardware: H100, tensor: 2, weights: 'int4' }));
    const slow = prepareDefault(engineInput({ model, hardware: slowLink, tensor: 2, weights: 'int4' }));
    assert.notEqual(slow.layers, fast.layers);
    assert.equal(slow.activationScope, fast.activationScope);
    assert.notEqual(prepareDefault(engineInput({ model, hardware: H100, tensor: 4, weights: 'int4' })).activationScope, fast.activationScope);
    for (const hardware of [H100, slowLink]) {
      const input: EngineInput = { ...engineInput({ model, hardware, tensor: 2, weights: 'int4', promptTokens: 3000, outputTokens: 200 }), serving: { concurrency: 'max', maxBatchedTokens: 4096, kvBlockTokens: 16 } };
      assert.deepEqual(analyzeResolved(input), analyzeResolved({ ...input, model: reordered(model) }));
    }
  });

  it('gives a preparation changed by techniques a scope of its own', () => {
    const input = engineInput({ model, hardware: H100 });
    const base = prepareDefault(input);
    const changed = applyTechniques(base, input, parseTechniques({ prompt_compression: 0.25 })!);
    assert.notEqual(changed.prepared.activationScope, base.activationScope);
  });

  it('does not share the plans of a config that is not plain data', () => {
    const odd = { ...hfConfig('llama-3.1-8b'), unused_field: Number.NaN } as HfConfig;
    const twin = { ...hfConfig('llama-3.1-8b'), unused_field: null } as unknown as HfConfig;
    const first = prepareDefault(engineInput({ model: odd, hardware: A100 }));
    const second = prepareDefault(engineInput({ model: twin, hardware: A100 }));
    assert.notEqual(second.layers, first.layers);
  });
});
