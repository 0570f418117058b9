import * as assert from 'node:assert/strict';
import { prepareDefault } from '../../../../language-server/src/engine/default/prepare';
import { decodeStepOf, prefillStepOf } from '../../../../language-server/src/engine/default/point';
import { evaluateStage, layerProgramOf } from '../../../../language-server/src/engine/default/stage';
import { decodeStepsSeconds, fixedStepSeconds } from '../../../../language-server/src/engine/default/metrics';
import type { AnalysisResult } from '../../../../language-server/src/engine/types';
import { A100, analyze, engineInput, H100, hfConfig } from './helpers';

// Stages read a frozen layer list through a program kept per list (stage.ts); lists that may still
// change (a technique's, a pipeline stage's) are read directly. Both ways must give the same numbers.
describe('layer programs', () => {
  const cases = [
    { label: 'Llama 2 7B, flash attention', input: engineInput({ batchSize: 3 }) },
    { label: 'Llama 3.1 8B without flash attention on H100, fp8', input: engineInput({ model: hfConfig('llama-3.1-8b'), hardware: H100, weights: 'fp8', flashAttention: false, batchSize: 7 }) },
    { label: 'Mixtral 8x7B, tensor parallel 2 on A100', input: engineInput({ model: hfConfig('mixtral-8x7b'), hardware: A100, tensor: 2, batchSize: 5, promptTokens: 2000 }) },
    { label: 'Gemma 2 9B (sliding window)', input: engineInput({ model: hfConfig('gemma-2-9b'), hardware: H100, batchSize: 2, promptTokens: 6000, outputTokens: 3000 }) },
  ];

  for (const { label, input } of cases) {
    it(`gives the same stages, fixed step time and decode time as reading the templates: ${label}`, () => {
      const prepared = prepareDefault(input);
      assert.ok(Object.isFrozen(prepared.layers), 'a preparation freezes its layer lists');
      assert.ok(layerProgramOf(prepared.layers), 'a frozen list has a program');
      const unfrozen = [...prepared.layers];
      assert.equal(layerProgramOf(unfrozen), undefined, 'a list that may change has none');
      const { clock, decodePlan, prefillPlan, sizes } = prepared;
      for (const [plan, layers, step] of [
        [decodePlan, prepared.layers, decodeStepOf(input.workload)],
        [prefillPlan, prepared.prefillLayers, prefillStepOf(input.workload)],
      ] as const) {
        const programmed = evaluateStage(layers, plan, step, clock, sizes.activation);
        const direct = evaluateStage([...layers], plan, step, clock, sizes.activation);
        assert.deepEqual(programmed, direct);
        assert.ok(programmed.layers.length > 10);
      }
      const decode = evaluateStage(prepared.layers, decodePlan, decodeStepOf(input.workload), clock, sizes.activation);
      const fixed = fixedStepSeconds(prepared.layers, decode.layers);
      assert.equal(fixed, fixedStepSeconds(unfrozen, decode.layers));
      assert.ok(fixed > 0);
      assert.equal(decodeStepsSeconds(prepared.layers, clock, input.workload, fixed), decodeStepsSeconds(unfrozen, clock, input.workload, fixed));
    });
  }

  // A layer result keeps the bytes object its cost() call made (clock.ts): no two layers, and no
  // two analyses, may share one, since a result is the caller's to change.
  it('gives every layer result bytes of its own, which changing leaves later analyses alone', () => {
    const first = analyze({ model: hfConfig('llama-3.1-8b'), hardware: H100, batchSize: 4 });
    const second = analyze({ model: hfConfig('llama-3.1-8b'), hardware: H100, batchSize: 4 });
    const bytesObjects = (result: AnalysisResult) => [...result.stages.prefill.layers, ...result.stages.decode.layers].map((layer) => layer.bytes);
    const seen = new Set(bytesObjects(first));
    assert.equal(seen.size, first.stages.prefill.layers.length + first.stages.decode.layers.length);
    for (const bytes of bytesObjects(second)) assert.ok(!seen.has(bytes));
    const expected = structuredClone(second);
    for (const bytes of bytesObjects(first)) {
      bytes.weights = -1;
      bytes.kv_read = Number.NaN;
    }
    assert.deepEqual(second, expected);
    assert.deepEqual(analyze({ model: hfConfig('llama-3.1-8b'), hardware: H100, batchSize: 4 }), expected);
  });
});
