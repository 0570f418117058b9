import * as assert from 'node:assert/strict';
import { analyze, plan } from '../../../language-server/src/api';
import { missedTargets, targetFigures, targetsOf } from '../../../language-server/src/engine/targets';
import { balancedPrefillInstances, poolInstanceTotals, splitLabel } from '../../../language-server/src/plan/disaggregatedPools';
import type { PlanCandidate } from '../../../language-server/src/plan/planner';

const H100_USD = 2.99;

/** Llama 3.1 8B in fp8 on H100s (up to 8), achievable rates, with the file's workload and targets. */
function deployment(workload: { prompt_tokens: number; output_tokens: number }, targets: Record<string, number>, disaggregated: boolean): Record<string, unknown> {
  return {
    model: 'meta-llama/Llama-3.1-8B',
    hardware: 'nvidia-h100-sxm',
    workload,
    efficiency: 'achievable',
    quantization: { weights: 'fp8', activations: 'fp8', kv_cache: 'fp8' },
    targets,
    plan: { hardware: ['nvidia-h100-sxm'], gpu_hour_usd: { 'nvidia-h100-sxm': H100_USD }, max_gpus: 8, disaggregated },
  };
}

function split(candidate: PlanCandidate): { prefill_gpus: number; decode_gpus: number } | undefined {
  return (candidate.deployment.serving as { disaggregated?: { prefill_gpus: number; decode_gpus: number } }).disaggregated;
}

/** Cost per million output tokens from the deployment's own figures: GPUs × price per second / output tokens/s × 10⁶. */
function costOf(gpus: number, outputTokensPerSecond: number): number {
  return ((gpus * H100_USD) / 3600 / outputTokensPerSecond) * 1e6;
}

function assertClose(actual: number, expected: number, relative = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${actual} ≠ ${expected}`);
}

describe('disaggregated pools in the planner', () => {
  it('tries power-of-two totals of at least two instances, up to the most GPUs', () => {
    assert.deepEqual(poolInstanceTotals(1, 8), [2, 4, 8]);
    assert.deepEqual(poolInstanceTotals(2, 8), [2, 4]);
    assert.deepEqual(poolInstanceTotals(4, 8), [2]);
    assert.deepEqual(poolInstanceTotals(8, 8), []);
    assert.deepEqual(poolInstanceTotals(1, 6), [2, 4]);
  });

  it('takes the prefill instances either side of balance, a* = total · decode / (prefill + decode)', () => {
    // 8 instances, prefill 1 req/s and decode 3 req/s per instance: a* = 8·3/4 = 6 exactly.
    assert.deepEqual(balancedPrefillInstances(8, 1, 3), [6]);
    // 4 instances, 2 and 1 req/s: a* = 4/3 = 1.33: 1P+3D (prefill-bound) and 2P+2D (decode-bound).
    assert.deepEqual(balancedPrefillInstances(4, 2, 1), [1, 2]);
    // a* = 8·100/101 = 7.92: 8 would leave no decode instance, so 7 alone.
    assert.deepEqual(balancedPrefillInstances(8, 1, 100), [7]);
    assert.deepEqual(balancedPrefillInstances(2, 5, 0.1), [1]);
    assert.deepEqual(balancedPrefillInstances(4, 0, 1), []);
    assert.equal(splitLabel({ prefillGpus: 2, decodeGpus: 6 }), '2P+6D');
  });

  describe('long prompts and a strict TPOT (8,000 prompt tokens, 20 output, TPOT ≤ 5 ms)', () => {
    const workload = { prompt_tokens: 8000, output_tokens: 20 };
    const targets = { ttft_ms: 5000, tpot_ms: 5 };
    const colocated = plan(deployment(workload, targets, false));
    const withPools = plan(deployment(workload, targets, true));
    const best = withPools.candidates[0]!;

    it('picks 7 prefill GPUs and 1 decode GPU, cheaper than any co-located deployment', () => {
      // Co-located, each step carries 8000/19 = 421 prompt tokens per decoding request, so only one
      // request fits the 5 ms TPOT: the best is TP2 with 1 in flight, 319.4 tok/s on 2 GPUs,
      // 2 × $2.99 / 3600 / 319.4 × 10⁶ = $5.201 per million output tokens.
      const colocatedBest = colocated.candidates[0]!;
      assert.equal(split(colocatedBest), undefined);
      assert.deepEqual(colocatedBest.deployment.parallelism, { tensor: 2 });
      assertClose(colocatedBest.cost_per_million_output_tokens_usd!, costOf(2, colocatedBest.metrics.output_tokens_per_second));
      assert.ok(Math.abs(colocatedBest.cost_per_million_output_tokens_usd! - 5.201) < 0.001);
      // Decode alone runs 8 requests per instance within 4.58 ms; a prefill instance serves
      // 9.984 req/s, a decode instance 91.92: a* = 8 · 91.92 / (9.984 + 91.92) = 7.22, so 7P+1D,
      // prefill-bound at 7 × 9.984 = 69.89 req/s × 20 tokens = 1,397.8 tok/s on 8 GPUs:
      // 8 × $2.99 / 3600 / 1,397.8 × 10⁶ = $4.754, 8.6% below co-located.
      assert.deepEqual(split(best), { prefill_gpus: 7, decode_gpus: 1 });
      assert.equal(best.deployment.serving && (best.deployment.serving as { concurrency: unknown }).concurrency, 8);
      assert.equal(best.gpus, 8);
      assert.ok(Math.abs(best.metrics.output_tokens_per_second - 1397.75) < 0.01);
      assertClose(best.cost_per_million_output_tokens_usd!, costOf(8, best.metrics.output_tokens_per_second));
      assert.ok(Math.abs(best.cost_per_million_output_tokens_usd! - 4.754) < 0.001);
      assert.ok(best.cost_per_million_output_tokens_usd! < colocatedBest.cost_per_million_output_tokens_usd!);
      assert.ok(best.metrics.tpot_ms <= 5);
    });

    it('gives a deployment analyze() accepts, which meets the targets with the same figures', () => {
      for (const candidate of withPools.candidates.filter((row) => split(row) !== undefined).slice(0, 10)) {
        const own = analyze(candidate.deployment);
        assert.deepEqual(missedTargets(targetsOf(candidate.deployment), targetFigures(own)), []);
        assert.equal(own.serving!.output_tokens_per_second, candidate.metrics.output_tokens_per_second);
        assert.equal(own.serving!.tpot_seconds * 1e3, candidate.metrics.tpot_ms);
        assert.equal(own.serving!.cost_per_million_output_tokens_usd, candidate.cost_per_million_output_tokens_usd);
        assert.equal(own.serving!.gpus, candidate.gpus);
        assert.equal(own.serving!.disaggregated!.prefill_gpus, split(candidate)!.prefill_gpus);
      }
    });

    it('misses no cheaper split: every split of 2, 4 and 8 GPUs at every load, analysed one by one, costs at least as much', () => {
      let cheapest = Number.POSITIVE_INFINITY;
      let analysed = 0;
      for (const tensor of [1, 2]) {
        for (const instances of [2, 4, 8].filter((count) => count * tensor <= 8)) {
          for (let prefill = 1; prefill < instances; prefill++) {
            const decode = instances - prefill;
            const loads = new Set<number | 'max'>(['max']);
            for (let perInstance = 1; perInstance <= 1024; perInstance *= 2) {
              loads.add(perInstance * decode);
              loads.add(perInstance);
            }
            for (const concurrency of loads) {
              const { plan: _plan, ...fixed } = deployment(workload, targets, true);
              let own;
              try {
                own = analyze({
                  ...fixed,
                  parallelism: { tensor },
                  serving: { concurrency, disaggregated: { prefill_gpus: prefill * tensor, decode_gpus: decode * tensor } },
                  cost: { gpu_hour_usd: H100_USD },
                });
              } catch {
                continue;
              }
              analysed++;
              if (missedTargets(targetsOf(fixed), targetFigures(own)).length > 0) continue;
              cheapest = Math.min(cheapest, own.serving!.cost_per_million_output_tokens_usd!);
            }
          }
        }
      }
      assert.ok(analysed > 200, `${analysed} analysed`);
      assert.ok(best.cost_per_million_output_tokens_usd! <= cheapest, `plan ${best.cost_per_million_output_tokens_usd} vs every split ${cheapest}`);
    });
  });

  describe('short prompts and a loose TPOT (1,000 prompt tokens, 200 output, TPOT ≤ 30 ms)', () => {
    const result = plan(deployment({ prompt_tokens: 1000, output_tokens: 200 }, { ttft_ms: 1000, tpot_ms: 30 }, true));

    it('keeps a co-located deployment first: prompts ride on the decode steps’ weight reads', () => {
      // One H100 with 256 in flight: each step decodes 256 tokens and carries 256 · 1000/199 = 1,286
      // prompt tokens under one read of the weights; 10,513 tok/s, $2.99 / 3600 / 10,513 × 10⁶ = $0.0790.
      const best = result.candidates[0]!;
      assert.equal(split(best), undefined);
      assert.equal(best.gpus, 1);
      assert.ok(Math.abs(best.cost_per_million_output_tokens_usd! - 0.0790) < 0.0001);
      assertClose(best.cost_per_million_output_tokens_usd!, costOf(1, best.metrics.output_tokens_per_second));
      // Disaggregated candidates were tried and meet the targets, but each costs more: the
      // prefill pool reads the weights for prompts alone, and the split cannot match the load exactly.
      const pooled = result.candidates.filter((row) => split(row) !== undefined);
      assert.ok(pooled.length > 0);
      assert.ok(pooled[0]!.cost_per_million_output_tokens_usd! > best.cost_per_million_output_tokens_usd! * 1.05, `${pooled[0]!.cost_per_million_output_tokens_usd}`);
    });
  });

  it('searches co-located deployments only with plan.disaggregated: false, and drops a split the file has', () => {
    const { plan: section, ...rest } = deployment({ prompt_tokens: 1000, output_tokens: 200 }, { tpot_ms: 30 }, false);
    const result = plan({ ...rest, serving: { concurrency: 4, disaggregated: { prefill_gpus: 1, decode_gpus: 3 } }, plan: section });
    assert.ok(result.candidates.length > 0);
    for (const candidate of result.candidates) assert.equal(split(candidate), undefined);
  });
});
