/**
 * A model file's own figures (what its inlay hints and code lens show): the same parameter counts
 * as a deployment's analysis, for every model type of the transformers oracle, and weight bytes
 * at the precision asked for.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { modelFootprint } from '../../../language-server/src/engine/index';
import type { HfConfig } from '../../../language-server/src/engine/types';
import { parameterCounts } from './models/counts';

const ORACLE = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/transformers/oracle.json'), 'utf8')) as {
  models: { model_type: string; real: { config_full: HfConfig } }[];
};

function hfConfig(name: string): HfConfig {
  return JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/hf', name, 'config.json'), 'utf8')) as HfConfig;
}

describe('model footprint (a model file on its own)', () => {
  it('counts Llama-3.1-8B as 8,030,261,248 parameters, 2 bytes each at 16-bit', () => {
    // Embedding and untied lm_head 128256 × 4096 each; 32 blocks of q, o (4096²), k, v (1024 × 4096),
    // gate, up, down (3 × 14336 × 4096) and two norms; the final norm: 8,030,261,248 (model card: 8.03 B).
    const footprint = modelFootprint(hfConfig('llama-3.1-8b'), 2);
    const perBlock = 2 * 4096 * 4096 + 2 * 1024 * 4096 + 3 * 14336 * 4096 + 2 * 4096;
    assert.equal(footprint.parameters, 2 * 128256 * 4096 + 32 * perBlock + 4096);
    assert.equal(footprint.parameters, 8_030_261_248);
    assert.equal(footprint.activeParameters, footprint.parameters);
    assert.equal(footprint.weightBytes, 2 * footprint.parameters);
    assert.equal(modelFootprint(hfConfig('llama-3.1-8b'), 1).weightBytes, footprint.parameters);
  });

  it('separates the active parameters of a mixture of experts (Mixtral-8x7B: 46.7 B, 12.9 B active)', () => {
    const footprint = modelFootprint(hfConfig('mixtral-8x7b'), 2);
    assert.equal(Math.round(footprint.parameters / 1e8) / 10, 46.7);
    assert.equal(Math.round(footprint.activeParameters / 1e8) / 10, 12.9);
  });

  for (const model of ORACLE.models) {
    it(`agrees with the deployment analysis on ${model.model_type}`, () => {
      const footprint = modelFootprint(model.real.config_full, 2);
      const counts = parameterCounts(model.real.config_full);
      assert.equal(footprint.parameters, counts.total);
      assert.equal(footprint.activeParameters, counts.active);
    });
  }
});
