import * as assert from 'node:assert/strict';
import { analyzeResolved, kvCacheFormula, kvCacheFormulaOfConfig } from '../../../language-server/src/engine/index';
import { engineInput, H100, hfConfig } from './default/helpers';

describe('KV cache formula (what hovers and inlay hints show)', () => {
  it('multi-head latent attention caches one 576-wide latent per layer, not K and V per head (DeepSeek-V3)', () => {
    // 61 layers × (512 kv_lora_rank + 64 rope) × 2 B = 70,272 B per token, about 70 kB.
    const input = engineInput({ model: hfConfig('deepseek-v3'), hardware: H100, weights: 'fp8', kvCache: 'bf16', batchSize: 1, promptTokens: 1000, outputTokens: 24 });
    const formula = kvCacheFormula(input);
    assert.deepEqual(formula.terms, [{ layers: 61, elementsPerToken: 576, width: '(512 kv_lora_rank + 64 rope)' }]);
    assert.equal(formula.bytesPerElement, 2);
    assert.equal(formula.bytesPerToken, 70_272);
    assert.equal(formula.perDevice, false);
    // The formula and the engine's total agree: 70,272 B × 1024 cached tokens × 1 sequence.
    assert.equal(analyzeResolved(input).memory.kv_cache_bytes, 70_272 * 1024);
    assert.equal(kvCacheFormulaOfConfig(hfConfig('deepseek-v3'), 2).bytesPerToken, 70_272);
  });

  it('splits grouped-query KV heads across tensor-parallel devices and says so (Llama-3.1-70B, TP 2)', () => {
    // 80 layers × 2 × (8 KV heads / 2 devices) × 128 head_dim × 2 B = 163,840 B per token per device.
    const input = engineInput({ model: hfConfig('llama-3.1-70b'), hardware: H100, tensor: 2, batchSize: 4, promptTokens: 2048, outputTokens: 512 });
    const formula = kvCacheFormula(input);
    assert.deepEqual(formula.terms, [{ layers: 80, elementsPerToken: 1024, width: '2 × 4 kv_heads × 128 head_dim' }]);
    assert.equal(formula.bytesPerToken, 163_840);
    assert.equal(formula.perDevice, true);
    // The total counts every cached token (2,560 per sequence), not a split count: 163,840 × 2,560 × 4.
    assert.equal(analyzeResolved(input).memory.kv_cache_bytes, 163_840 * 2560 * 4);
    // The whole model on one device: 80 × 2 × 8 × 128 × 2 B = 327,680 B.
    assert.equal(kvCacheFormulaOfConfig(hfConfig('llama-3.1-70b'), 2).bytesPerToken, 327_680);
  });

  it('keeps sliding-window layers apart with their token limit (Gemma 2 9B)', () => {
    // Gemma 2 alternates 4096-token sliding-window and global layers: 21 of each, each caching
    // 2 × 8 KV heads × 256 head_dim = 4,096 elements per token.
    const formula = kvCacheFormula(engineInput({ model: hfConfig('gemma-2-9b'), hardware: H100 }));
    assert.equal(formula.terms.reduce((sum, term) => sum + term.layers, 0), 42);
    assert.ok(formula.terms.some((term) => term.tokenLimit === 4096 && term.layers === 21), JSON.stringify(formula.terms));
    assert.equal(formula.bytesPerToken, 42 * 4096 * 2);
  });
});
