import * as assert from 'node:assert/strict';
import { analyzeResolved } from '../../../../language-server/src/engine/index';
import { parseTechniques } from '../../../../language-server/src/engine/techniques/spec';
import type { EngineInput } from '../../../../language-server/src/engine/types';
import { A100, engineInput, hfConfig } from '../default/helpers';

const A100_SPARSE = { ...A100, sparseTensorCores: true };

describe('techniques: compare with a variant', () => {
  const input: EngineInput = {
    ...engineInput({ hardware: A100_SPARSE, promptTokens: 2048 }),
    techniques: parseTechniques({ weight_sparsity: '2:4' }),
  };

  it('analyses each variant in full: another technique set, none, another model — the same figures as analysing it alone', () => {
    const result = analyzeResolved({
      ...input,
      variants: [
        { name: 'early exit', techniques: parseTechniques({ early_exit: { mean_layers: 0.5 } }) },
        { name: 'none', techniques: {} },
        { name: '13B', model: hfConfig('llama-2-13b'), modelName: 'llama-2-13b' },
      ],
    });
    const [exit, none, larger] = result.variants!;
    const alone = (changed: EngineInput) => analyzeResolved(changed);
    const exitAlone = alone({ ...input, techniques: parseTechniques({ early_exit: { mean_layers: 0.5 } }) });
    assert.equal(exit!.tpot_seconds, exitAlone.metrics.tpot_seconds);
    assert.deepEqual(exit!.techniques, ['early exit at 50% of layers']);
    const { techniques: _dropped, ...plainInput } = input;
    const plain = alone(plainInput);
    assert.equal(none!.ttft_seconds, plain.metrics.ttft_seconds);
    assert.equal(none!.total_memory_bytes, plain.memory.total_bytes);
    assert.deepEqual(none!.techniques, []);
    // A variant that names only a model keeps the deployment's techniques (2:4 on the 13B).
    const largerAlone = alone({ ...input, model: hfConfig('llama-2-13b'), modelName: 'llama-2-13b' });
    assert.equal(larger!.model_name, 'llama-2-13b');
    assert.equal(larger!.tpot_seconds, largerAlone.metrics.tpot_seconds);
    assert.deepEqual(larger!.techniques, ['2:4 sparsity']);
    assert.equal(larger!.parameters, largerAlone.model.parameters);
    // The deployment's own figures do not move.
    assert.equal(result.metrics.tpot_seconds, alone(input).metrics.tpot_seconds);
  });

  it('keeps a variant that cannot be analysed as a row with the reason', () => {
    const broken = { ...hfConfig('llama-2-7b'), num_key_value_heads: 5 };
    const result = analyzeResolved({ ...input, variants: [{ name: 'broken', model: broken, modelName: 'broken' }] });
    const [row] = result.variants!;
    assert.match(row!.error ?? '', /num_key_value_heads/);
    assert.equal(row!.tpot_seconds, 0);
    assert.equal(row!.fits, false);
  });
});
