import * as assert from 'node:assert/strict';
import { analyzeLlmViewer } from '../../../../language-server/src/engine/llmviewer/analyze';
import { analyzeStages } from '../../../../language-server/src/engine/llmviewer/llmViewerAnalysis';
import { planLlmViewer } from '../../../../language-server/src/engine/llmviewer/plan';
import type { EvaluatedLayer } from '../../../../language-server/src/engine/llmviewer/roofline';
import type { LayerResult, StageName } from '../../../../language-server/src/engine/types';
import { assertRelative, llmViewerInput, loadPublicCases, MODEL_BY_ID, type PublicCase } from './helpers';

const publicCases = loadPublicCases();
const STAGES: readonly StageName[] = ['decode', 'prefill'];

/** Our evaluated layer under LLM-Viewer's field names. */
function nativeFields(layer: EvaluatedLayer): Record<string, number | string> {
  return {
    OPs: layer.ops,
    memory_access: layer.memoryAccessBytes,
    arithmetic_intensity: layer.arithmeticIntensity,
    performance: layer.performance,
    bound: layer.bound,
    load_weight: layer.loadWeightBytes,
    load_act: layer.loadActBytes,
    store_act: layer.storeActBytes,
    load_kv_cache: layer.loadKvCacheBytes,
    store_kv_cache: layer.storeKvCacheBytes,
    inference_time: layer.seconds,
  };
}

/** Our result-shape layer under LLM-Viewer's field names (the mapping of docs/llm-viewer-compatibility.md). */
function mappedFields(layer: LayerResult): Record<string, number | string> {
  return {
    OPs: layer.flops,
    arithmetic_intensity: layer.arithmetic_intensity,
    bound: layer.bound,
    load_weight: layer.bytes.weights,
    load_act: layer.bytes.activations_in,
    store_act: layer.bytes.activations_out,
    load_kv_cache: layer.bytes.kv_read,
    store_kv_cache: layer.bytes.kv_write,
    inference_time: layer.seconds,
  };
}

function compareFields(actual: Record<string, number | string>, expected: Record<string, number | string>, label: string): void {
  for (const [field, value] of Object.entries(actual)) {
    const reference = expected[field];
    if (typeof reference === 'string' || typeof value === 'string') {
      assert.equal(value, reference, `${label}.${field}`);
    } else {
      assert.ok(reference !== undefined, `${label}.${field} missing from the reference`);
      assertRelative(value, reference, `${label}.${field}`);
    }
  }
}

function inputFor(testCase: PublicCase) {
  const { params } = testCase;
  const model = MODEL_BY_ID[params.model_id];
  assert.ok(model, `no config for ${params.model_id}`);
  return llmViewerInput({
    model,
    hardware: params.hardware,
    seqlen: params.seqlen,
    batchsize: params.batchsize,
    wBit: params.w_bit,
    aBit: params.a_bit,
    kvBit: params.kv_bit,
    flash: params.use_flashattention,
    tp: params.tp_size,
  });
}

describe('llm-viewer conventions: LLM-Viewer public cases (latest upstream)', () => {
  it('has the twelve cases of the latest variant', () => {
    assert.equal(publicCases.meta.variant, 'latest');
    assert.equal(publicCases.cases.length, 12);
  });

  for (const testCase of publicCases.cases) {
    describe(testCase.id, () => {
      const input = inputFor(testCase);
      const plan = planLlmViewer(input);
      const native = analyzeStages(plan, testCase.params.seqlen);
      const result = analyzeLlmViewer(input);
      const fields = publicCases.meta.layer_fields;
      const referenceLayer = (stage: StageName, name: string): Record<string, number | string> => {
        const values = testCase[stage][name];
        assert.ok(values, `${stage}.${name} missing from the reference`);
        return Object.fromEntries(fields.map((field, index) => [field, values[index] as number | string]));
      };

      it('picks the same bandwidth and max_OPS', () => {
        assert.equal(result.hardware.memory_bandwidth_bytes_per_second, testCase.hardware_info.bandwidth);
        assert.equal(result.hardware.peak_ops_per_second, testCase.hardware_info.max_OPS);
      });

      for (const stage of STAGES) {
        it(`${stage}: same layers in the same order`, () => {
          assert.deepEqual(
            result.stages[stage].layers.map((layer) => layer.name),
            testCase.layer_order[stage],
          );
          assert.deepEqual(
            [...native[stage].blockLayers.map((layer) => layer.name), native[stage].lmHead.name],
            testCase.layer_order[stage],
          );
        });

        it(`${stage}: every field of every layer within 1e-9`, () => {
          for (const layer of [...native[stage].blockLayers, native[stage].lmHead]) {
            compareFields(nativeFields(layer), referenceLayer(stage, layer.name), `${stage}.${layer.name}`);
          }
          for (const layer of result.stages[stage].layers) {
            compareFields(mappedFields(layer), referenceLayer(stage, layer.name), `${stage}.${layer.name} (result)`);
            assert.equal(layer.count, layer.name === 'lm_head' ? 1 : 32, `${stage}.${layer.name}.count`);
          }
        });

        it(`${stage}: totals and memory within 1e-9`, () => {
          const expected = testCase.total_results[stage];
          const totals = native[stage].totals;
          compareFields(
            {
              OPs: totals.ops,
              memory_access: totals.memoryAccessBytes,
              load_weight: totals.loadWeightBytes,
              load_act: totals.loadActBytes,
              store_act: totals.storeActBytes,
              load_kv_cache: totals.loadKvCacheBytes,
              store_kv_cache: totals.storeKvCacheBytes,
              inference_time: totals.seconds,
            },
            expected,
            `${stage} totals`,
          );
          const stageResult = result.stages[stage];
          compareFields(
            {
              OPs: stageResult.totals.flops,
              memory_access: stageResult.totals.bytes,
              inference_time: stageResult.totals.seconds,
              memory_consumption: stageResult.memory.total_bytes,
              memory_consumption_weight: stageResult.memory.weights_bytes,
              memory_consumption_kv_cache: stageResult.memory.kv_cache_bytes,
              memory_consumption_tmp_act: stageResult.memory.activations_bytes,
            },
            expected,
            `${stage} totals (result)`,
          );
        });
      }

      it('reports TTFT as the prefill total and no notes', () => {
        assert.equal(result.metrics.ttft_seconds, result.stages.prefill.totals.seconds);
        assertRelative(result.metrics.ttft_seconds, testCase.total_results.prefill.inference_time, 'ttft');
        assert.deepEqual(result.notes, []);
      });
    });
  }
});
