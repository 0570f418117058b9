import * as assert from 'node:assert/strict';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import { servingLoadsOf, type PoolSplit } from '../../../language-server/src/engine/default/servingLoads';
import { servingOnly } from '../../../language-server/src/engine/default/analyze';
import { servingCurveOf } from '../../../language-server/src/server/servingCurve';
import { parseTechniques } from '../../../language-server/src/engine/techniques/spec';
import type { EngineInput, ServingSpec } from '../../../language-server/src/engine/types';
import { A100, engineInput, H100, hfConfig } from './default/helpers';

const SERVING: ServingSpec = { concurrency: 'max', maxBatchedTokens: 8192, kvBlockTokens: 16 };

/** The deployment at one load, as a file would give it to analyze(). */
function atLoad(input: EngineInput, concurrency: number | 'max', split: PoolSplit | undefined): EngineInput {
  const serving: ServingSpec = { ...input.serving!, concurrency };
  if (split) serving.disaggregated = split;
  return { ...input, serving };
}

/** Its serving result through the engine's front door, or the error message. */
function analysed(input: EngineInput): string {
  try {
    return JSON.stringify(analyzeResolved(input).serving);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

function fromLoads(loads: ReturnType<typeof servingLoadsOf>, concurrency: number | 'max', split: PoolSplit | undefined): string {
  try {
    return JSON.stringify(loads.at(concurrency, split));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

const DEPLOYMENTS: [string, EngineInput][] = [
  ['Llama 3.1 8B on an H100, achievable, priced', { ...engineInput({ model: hfConfig('llama-3.1-8b'), hardware: H100 }), efficiency: 'achievable', serving: SERVING, gpuHourUsd: 2.99 }],
  ['Llama 3.1 70B, fp8, tensor parallel 4, expected', { ...engineInput({ model: hfConfig('llama-3.1-70b'), hardware: H100, tensor: 4, weights: 'fp8', activations: 'fp8', kvCache: 'fp8' }), efficiency: 'expected', serving: { ...SERVING, maxBatchedTokens: 2048 } }],
  ['Mixtral 8x7B, tensor 2 × pipeline 2, on A100', { ...engineInput({ model: hfConfig('mixtral-8x7b'), hardware: A100, tensor: 2 }), parallelism: { tensor: 2, pipeline: 2 }, serving: SERVING, gpuHourUsd: 1.79 }],
  ['Llama 3.1 8B on an A100 with max_model_len (start-up figures) and 96 requests at most', { ...engineInput({ model: hfConfig('llama-3.1-8b'), hardware: A100 }), serving: { ...SERVING, maxModelLen: 32768, maxRunningRequests: 96 } }],
  [
    'Llama 2 7B with prompt compression and KV eviction (techniques change the prepared plan and the workload)',
    { ...engineInput({ hardware: H100, promptTokens: 2000, outputTokens: 300 }), serving: SERVING, techniques: parseTechniques({ prompt_compression: { keep: 0.5 }, kv_cache_eviction: { keep_tokens: 512 } }) },
  ],
];

const LOADS: (number | 'max')[] = [1, 7, 64, 1000, 'max', 1_000_000];

describe('serving figures at many loads of one deployment (the planner, servingLoads.ts)', () => {
  for (const [name, input] of DEPLOYMENTS) {
    it(`equal analyze()'s at each load and pool layout: ${name}`, () => {
      const loads = servingLoadsOf(input);
      const instance = input.parallelism.tensor * (input.parallelism.pipeline ?? 1);
      // Co-located, pools of one and of several instances each, and a split that is no whole number of instances.
      const splits: (PoolSplit | undefined)[] = [undefined, { prefillGpus: instance, decodeGpus: instance }, { prefillGpus: instance, decodeGpus: 3 * instance }, { prefillGpus: instance + 1, decodeGpus: instance }];
      let compared = 0;
      for (const split of splits) {
        for (const load of LOADS) {
          const expected = analysed(atLoad(input, load, split));
          assert.equal(fromLoads(loads, load, split), expected, `${JSON.stringify(split)} at ${load}`);
          if (!expected.startsWith('error')) compared++;
        }
      }
      // Most loads give figures (only the pools of no whole instance and a million requests are refused).
      assert.ok(compared >= 12, `${compared} loads with figures`);
    });
  }

  it("servingOnly and the panel's serving curve give analyze()'s figures, techniques applied", () => {
    const input = DEPLOYMENTS[4]![1];
    for (const load of [1, 64, 'max'] as const) {
      assert.equal(JSON.stringify(servingOnly(atLoad(input, load, undefined))), analysed(atLoad(input, load, undefined)), `at ${load}`);
    }
    const atSixtyFour = atLoad(input, 64, undefined);
    const curve = servingCurveOf(atSixtyFour, analyzeResolved(atSixtyFour))!;
    const current = curve.points.find((point) => point.concurrency === 64)!;
    assert.equal(current.output_tokens_per_second, analyzeResolved(atSixtyFour).serving!.output_tokens_per_second);
  });

  it('draws the serving curve of an open-loop deployment at each level as that closed loop alone gives it', () => {
    const base = DEPLOYMENTS[0]![1];
    const { concurrency: _concurrency, ...closed } = base.serving!;
    const openLoop: EngineInput = { ...base, serving: { ...closed, requestRatePerSecond: 5 } };
    const curve = servingCurveOf(openLoop, analyzeResolved(openLoop))!;
    assert.ok(curve.points.length >= 5, `${curve.points.length} levels`);
    for (const point of curve.points) {
      const alone = servingOnly({ ...openLoop, serving: { ...closed, concurrency: point.concurrency } });
      assert.equal(point.output_tokens_per_second, alone.output_tokens_per_second, `at ${point.concurrency}`);
      assert.equal(point.ttft_seconds, alone.ttft_seconds, `at ${point.concurrency}`);
    }
  });

  it("gives each load's result objects of its own", () => {
    const loads = servingLoadsOf(DEPLOYMENTS[3]![1]);
    const split = { prefillGpus: 1, decodeGpus: 1 };
    const first = loads.at('max', split);
    const again = loads.at(1_000_000, split);
    assert.deepEqual(again.disaggregated, first.disaggregated);
    first.disaggregated!.prefill_gpus = 99;
    first.startup!.max_model_len = 1;
    assert.equal(loads.at('max', split).disaggregated!.prefill_gpus, 1);
    assert.equal(loads.at('max', split).startup!.max_model_len, 32768);
    assert.equal(again.disaggregated!.prefill_gpus, 1);
  });

  it('refuses what analyze() refuses, with its message', () => {
    const noRoom = { ...engineInput({ model: hfConfig('llama-3.1-70b'), hardware: A100 }), serving: SERVING };
    assert.throws(() => servingLoadsOf(noRoom).at('max', undefined), (error: Error) => `error: ${error.message}` === analysed(noRoom));
    const badWorkload = { ...engineInput({ hardware: H100, outputTokens: 0 }), serving: SERVING };
    assert.throws(() => servingLoadsOf(badWorkload), (error: Error) => `error: ${error.message}` === analysed(badWorkload));
    const noServing = engineInput({ hardware: H100 });
    assert.throws(() => servingLoadsOf(noServing), /serving/);
  });
});
