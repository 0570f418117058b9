import * as assert from 'node:assert/strict';
import { analyzeLlmViewer } from '../../../../language-server/src/engine/llmviewer/analyze';
import { analyzeStages } from '../../../../language-server/src/engine/llmviewer/llmViewerAnalysis';
import { planLlmViewer } from '../../../../language-server/src/engine/llmviewer/plan';
import type { AnalysisResult, LayerResult } from '../../../../language-server/src/engine/types';
import { LLAMA_2, llmViewerInput } from './helpers';

// An evaluated layer keeps its figures in the result row it hands to the analysis (roofline.ts):
// each row and its bytes must still be the caller's alone, lm_head (in both stages) included.
describe('LLM-Viewer result rows', () => {
  const input = llmViewerInput({ model: LLAMA_2['70b'], hardware: 'nvidia_A100_80G', seqlen: 500, outputTokens: 33, batchsize: 16, tp: 2, flash: true });
  const rows = (result: AnalysisResult): LayerResult[] => [...result.stages.prefill.layers, ...result.stages.decode.layers];

  it('gives every row and its bytes to one stage of one analysis only', () => {
    const first = analyzeLlmViewer(input);
    const second = analyzeLlmViewer(input);
    const seen = new Set<object>();
    for (const row of rows(first)) {
      assert.ok(!seen.has(row) && !seen.has(row.bytes));
      seen.add(row);
      seen.add(row.bytes);
    }
    for (const row of rows(second)) assert.ok(!seen.has(row) && !seen.has(row.bytes));
    const prefillHead = first.stages.prefill.layers.at(-1)!;
    const decodeHead = first.stages.decode.layers.at(-1)!;
    assert.equal(prefillHead.name, 'lm_head');
    assert.equal(prefillHead.count, 1);
    assert.deepEqual(decodeHead, prefillHead);
    assert.ok(first.stages.decode.layers.slice(0, -1).every((row) => row.count === 80));
  });

  it('leaves later analyses alone when a caller changes a result', () => {
    const changed = analyzeLlmViewer(input);
    const expected = structuredClone(analyzeLlmViewer(input));
    for (const row of rows(changed)) {
      row.count = -1;
      row.seconds = Number.NaN;
      row.bytes.weights = -1;
    }
    assert.deepEqual(analyzeLlmViewer(input), expected);
  });

  it('reads LLM-Viewer\'s fields off the same figures the rows show', () => {
    const plan = planLlmViewer(input);
    const native = analyzeStages(plan, input.workload.promptTokens);
    const result = analyzeLlmViewer(input);
    for (const stage of ['prefill', 'decode'] as const) {
      const layers = [...native[stage].blockLayers, native[stage].lmHead];
      assert.equal(layers.length, result.stages[stage].layers.length);
      layers.forEach((layer, index) => {
        const row = result.stages[stage].layers[index]!;
        assert.deepEqual(
          [layer.name, layer.ops, layer.loadWeightBytes, layer.loadActBytes, layer.storeActBytes, layer.loadKvCacheBytes, layer.storeKvCacheBytes, layer.arithmeticIntensity, layer.bound, layer.seconds],
          [row.name, row.flops, row.bytes.weights, row.bytes.activations_in, row.bytes.activations_out, row.bytes.kv_read, row.bytes.kv_write, row.arithmetic_intensity, row.bound, row.seconds],
        );
        assert.equal(layer.memoryAccessBytes, row.bytes.weights + row.bytes.activations_in + row.bytes.activations_out + row.bytes.kv_read + row.bytes.kv_write);
      });
    }
  });
});
