import { strict as assert } from 'node:assert';
import { nodeHost } from '../../../language-server/src/cli/nodeHost';
import { servingOnly } from '../../../language-server/src/engine/default/analyze';
import { parseNumberFormat } from '../../../language-server/src/engine/index';
import { missedTargets, targetFigures, targetsOf } from '../../../language-server/src/engine/targets';
import { analyzeValue } from '../../../language-server/src/plan/planDocument';
import { curveConcurrencies, servingCurveOf } from '../../../language-server/src/server/servingCurve';
import { cheapestTargetChange } from '../../../language-server/src/server/targetChange';

const URI = 'file:///w/served.roofline.json';
const SERVED = {
  model: 'meta-llama/Llama-3.1-8B',
  hardware: 'nvidia-l4',
  workload: { prompt_tokens: 1000, output_tokens: 500 },
  serving: { concurrency: 32 },
  cost: { gpu_hour_usd: 0.8 },
  targets: { tpot_ms: 60 },
};

function analysed(deployment: object) {
  const result = analyzeValue(deployment, URI, nodeHost);
  assert.ok(result, 'the deployment is analysed');
  return result;
}

describe('the cheapest change that meets the targets', () => {
  it('is the one-field change with the fewest GPU-seconds per output token among those meeting every target', () => {
    const { input, result } = analysed(SERVED);
    const targets = targetsOf(SERVED);
    assert.deepEqual(missedTargets(targets, targetFigures(result)), ['tpot_ms']);
    const change = cheapestTargetChange(input, result, targets, () => 0)!;
    assert.deepEqual([change.path, change.value, change.label], [['quantization', 'weights'], 'int4', 'int4 weights']);
    // The figures are the engine's own for that change.
    const int4 = servingOnly({ ...input, quantization: { ...input.quantization, weights: parseNumberFormat('int4', ['quantization', 'weights']) } });
    assert.equal(change.figures.tpotMs, int4.tpot_seconds * 1e3);
    assert.equal(change.gpuSecondsPerToken, 1 / int4.output_tokens_per_second);
    // fp8 weights also meet 60 ms, but serve fewer tokens per GPU-second than int4.
    const fp8 = servingOnly({ ...input, quantization: { ...input.quantization, weights: parseNumberFormat('fp8', ['quantization', 'weights']) } });
    assert.ok(fp8.tpot_seconds * 1e3 <= 60 && fp8.output_tokens_per_second < int4.output_tokens_per_second);
  });

  it('weighs fewer requests in flight against more GPUs by GPU-seconds per token', () => {
    // int4 weights and an fp8 KV cache on one L4: 27.6 ms per token at 32 in flight; 20 ms is asked.
    const deployment = { ...SERVED, quantization: { weights: 'int4', kv_cache: 'fp8' }, targets: { tpot_ms: 20 } };
    const { input, result } = analysed(deployment);
    const change = cheapestTargetChange(input, result, targetsOf(deployment), () => 0)!;
    assert.deepEqual([change.path, change.value], [['parallelism', 'tensor'], 2]);
    assert.ok(change.figures.tpotMs <= 20);
    const twoGpus = servingOnly({ ...input, parallelism: { ...input.parallelism, tensor: 2 } });
    assert.equal(change.gpuSecondsPerToken, 2 / twoGpus.output_tokens_per_second);
    // Every lower load that meets 20 ms on one GPU costs more GPU-seconds per token.
    for (const concurrency of [16, 8, 4, 2, 1]) {
      const lighter = servingOnly({ ...input, serving: { ...input.serving!, concurrency } });
      if (lighter.tpot_seconds * 1e3 <= 20) assert.ok(1 / lighter.output_tokens_per_second > change.gpuSecondsPerToken, `${concurrency} in flight`);
    }
  });

  it('stops at its time budget', () => {
    const { input, result } = analysed(SERVED);
    let clock = 0;
    // Every reading of the clock is a second later: the budget is gone before the first try.
    assert.equal(cheapestTargetChange(input, result, targetsOf(SERVED), () => (clock += 1000), 40), undefined);
  });
});

describe('the serving curve', () => {
  it('doubles from 1 to past twice the saturation point, with it and the current load among the levels', () => {
    assert.deepEqual(curveConcurrencies(31, 32), [1, 2, 4, 8, 16, 31, 32, 64]);
    assert.deepEqual(curveConcurrencies(100, 8), [1, 2, 4, 8, 16, 32, 64, 100, 128, 256]);
    assert.deepEqual(curveConcurrencies(1, 1), [1, 2]);
  });

  it('is the serving result at each level, and nothing without serving:', () => {
    const { input, result } = analysed(SERVED);
    const curve = servingCurveOf(input, result)!;
    const own = curve.points.find((point) => point.concurrency === 32)!;
    assert.equal(own.tpot_seconds, result.serving!.tpot_seconds);
    assert.equal(own.output_tokens_per_second, result.serving!.output_tokens_per_second);
    const { serving: _serving, ...fixedBatch } = SERVED;
    const batch = analysed(fixedBatch);
    assert.equal(servingCurveOf(batch.input, batch.result), undefined);
  });
});
