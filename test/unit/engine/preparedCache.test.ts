import * as assert from 'node:assert/strict';
import { prepareDefault } from '../../../language-server/src/engine/default/prepare';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import { engineInput, H100, hfConfig } from './default/helpers';

describe('prepared deployments are reused between analyses', () => {
  const model = hfConfig('llama-3.1-8b');

  it('shares one preparation across workloads of the same model, hardware and formats', () => {
    const first = prepareDefault(engineInput({ model, hardware: H100, batchSize: 1 }));
    const second = prepareDefault(engineInput({ model, hardware: H100, batchSize: 64, promptTokens: 4096, outputTokens: 7 }));
    assert.equal(second, first);
  });

  it('prepares again when a format, the parallelism, flash attention or the model object changes', () => {
    const base = prepareDefault(engineInput({ model, hardware: H100 }));
    assert.notEqual(prepareDefault(engineInput({ model, hardware: H100, weights: 'int4' })), base);
    assert.notEqual(prepareDefault(engineInput({ model, hardware: H100, tensor: 2 })), base);
    assert.notEqual(prepareDefault(engineInput({ model, hardware: H100, flashAttention: false })), base);
    assert.notEqual(prepareDefault(engineInput({ model: { ...model }, hardware: H100 })), base);
  });

  it('gives the same figures from a reused preparation as from a fresh one', () => {
    // Warm the cache at batch 1, then analyse batch 32 on it and on a copy of the model (a miss).
    analyzeResolved(engineInput({ model, hardware: H100, batchSize: 1 }));
    const reused = analyzeResolved(engineInput({ model, hardware: H100, batchSize: 32 }));
    const fresh = analyzeResolved(engineInput({ model: { ...model }, hardware: H100, batchSize: 32 }));
    assert.deepEqual(reused, fresh);
  });
});
