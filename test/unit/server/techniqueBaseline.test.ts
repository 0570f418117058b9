/**
 * The deployment without its techniques: one analysis per check, shared by the panel's before/after
 * and the technique hovers, and the same figures as the deployment written without `techniques:`.
 */
import assert from 'node:assert/strict';
import { parseDocument } from '../../../language-server/src/config/parse';
import { resolveDeployment } from '../../../language-server/src/config/resolveDeployment';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import { techniqueBaseline } from '../../../language-server/src/server/figures';
import { memoryHost } from '../config/fixtures';

const BASE = 'model: meta-llama/Llama-2-7b-hf\nhardware: nvidia-a100-80gb-sxm4\n';

function inputOf(text: string) {
  const { input, problems } = resolveDeployment(parseDocument('file:///w/a.roofline.yaml', text, 'deployment'), memoryHost({}));
  assert.deepEqual(problems, []);
  assert.ok(input);
  return input;
}

describe('techniqueBaseline', () => {
  const input = inputOf(`${BASE}techniques:\n  kv_cache_eviction: { keep_tokens: 512 }\nvariants:\n  - model: mistralai/Mistral-7B-v0.1\n`);

  it('is the analysis of the deployment written without techniques', () => {
    const baseline = techniqueBaseline(input);
    const written = analyzeResolved(inputOf(BASE));
    assert.equal(baseline?.metrics.tpot_seconds, written.metrics.tpot_seconds);
    assert.equal(baseline?.metrics.ttft_seconds, written.metrics.ttft_seconds);
    assert.equal(baseline?.memory.total_bytes, written.memory.total_bytes);
    assert.equal(baseline?.techniques, undefined);
    assert.equal(baseline?.variants, undefined, 'variants are not compared against the baseline');
  });

  it('is made once for a check, however many ask', () => {
    assert.equal(techniqueBaseline(input), techniqueBaseline(input));
  });
});
