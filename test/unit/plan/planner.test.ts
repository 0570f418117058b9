import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, plan } from '../../../language-server/src/api';
import { run } from '../../../language-server/src/cli/main';
import { missedTargets, targetFigures, targetsOf } from '../../../language-server/src/engine/targets';

const PRICES: Record<string, number> = { 'nvidia-h100-sxm': 2.99, 'nvidia-a100-80gb-sxm4': 1.79 };
const DEPLOYMENT = {
  model: 'meta-llama/Llama-3.1-8B',
  hardware: 'nvidia-h100-sxm',
  workload: { prompt_tokens: 1000, output_tokens: 200 },
  efficiency: 'achievable',
  targets: { ttft_ms: 1000, tpot_ms: 30 },
  plan: { hardware: Object.keys(PRICES), gpu_hour_usd: PRICES, max_gpus: 2, weights: ['bf16', 'fp8'] },
};

describe('the planner (llm-roofline plan)', () => {
  const result = plan(DEPLOYMENT);

  it('ranks the deployments that meet every target by cost per million output tokens', () => {
    assert.ok(result.candidates.length > 0);
    assert.ok(result.evaluated >= result.meeting && result.meeting === result.candidates.length);
    for (let index = 1; index < result.candidates.length; index++) {
      assert.ok(result.candidates[index - 1]!.cost_per_million_output_tokens_usd! <= result.candidates[index]!.cost_per_million_output_tokens_usd!);
    }
  });

  it("gives deployments analyze() accepts, each meeting the targets on its own with the candidate's figures", () => {
    for (const candidate of result.candidates.slice(0, 25)) {
      const own = analyze(candidate.deployment);
      assert.deepEqual(missedTargets(targetsOf(candidate.deployment), targetFigures(own)), []);
      assert.equal(own.serving!.output_tokens_per_second, candidate.metrics.output_tokens_per_second);
      assert.equal(own.serving!.cost_per_million_output_tokens_usd, candidate.cost_per_million_output_tokens_usd);
      assert.equal(own.serving!.gpus, candidate.gpus);
      assert.equal((candidate.deployment as Record<string, unknown>).plan, undefined);
    }
  });

  it('is never worse than the best fixed-batch deployment of the same space', () => {
    // The same hardware × parallelism × formats, each as one fixed batch of 1 … 256 (no serving:),
    // costed the same way: GPUs × price / output tokens per hour.
    let bestFixed = Number.POSITIVE_INFINITY;
    for (const hardware of Object.keys(PRICES)) {
      for (const [tensor, pipeline] of [[1, 1], [2, 1], [1, 2]] as const) {
        for (const weights of ['bf16', 'fp8']) {
          for (const batch of [1, 2, 4, 8, 16, 32, 64, 128, 256]) {
            const { plan: _plan, ...fixed } = DEPLOYMENT;
            let figures;
            try {
              figures = analyze({
                ...fixed,
                hardware,
                parallelism: { tensor, ...(pipeline > 1 ? { pipeline } : {}) },
                quantization: { weights, activations: weights === 'fp8' ? 'fp8' : 'bf16', kv_cache: 'fp16' },
                workload: { ...fixed.workload, batch_size: batch },
              });
            } catch {
              continue;
            }
            if (!figures.memory.fits || missedTargets(targetsOf(DEPLOYMENT), targetFigures(figures)).length > 0) continue;
            const cost = ((tensor * pipeline * PRICES[hardware]!) / 3600 / figures.metrics.output_tokens_per_second) * 1e6;
            bestFixed = Math.min(bestFixed, cost);
          }
        }
      }
    }
    assert.ok(Number.isFinite(bestFixed), 'some fixed batch meets the targets');
    assert.ok(result.candidates[0]!.cost_per_million_output_tokens_usd! <= bestFixed, `plan ${result.candidates[0]!.cost_per_million_output_tokens_usd} vs fixed batch ${bestFixed}`);
  });

  it('gives each candidate its own analysis figures when the deployment has techniques (they change every load, not only the largest)', () => {
    const withTechniques = { ...DEPLOYMENT, techniques: { prompt_compression: { keep: 0.5 } }, plan: { ...DEPLOYMENT.plan, hardware: ['nvidia-h100-sxm'] } };
    const planned = plan(withTechniques);
    assert.ok(planned.candidates.length >= 10, `${planned.candidates.length} candidates`);
    assert.ok(planned.candidates.some((candidate) => (candidate.deployment.serving as { concurrency: unknown }).concurrency !== 'max'));
    for (const candidate of planned.candidates) {
      const own = analyze(candidate.deployment).serving!;
      assert.equal(own.output_tokens_per_second, candidate.metrics.output_tokens_per_second, JSON.stringify(candidate.deployment.serving));
      assert.equal(own.ttft_seconds * 1000, candidate.metrics.ttft_ms);
      assert.equal(own.tpot_seconds * 1000, candidate.metrics.tpot_ms);
    }
  });

  it('tries expert parallelism for a mixture of experts whose first hardware cannot serve it on one GPU', () => {
    const mixtral = {
      model: 'mistralai/Mixtral-8x7B-v0.1',
      hardware: 'nvidia-l40s',
      workload: { prompt_tokens: 1000, output_tokens: 200 },
      serving: { concurrency: 16 },
      targets: { tpot_ms: 100 },
      plan: { hardware: ['nvidia-l40s', 'nvidia-h100-sxm'], max_gpus: 4, weights: ['bf16'], disaggregated: false },
    };
    assert.throws(() => analyze({ ...mixtral, plan: undefined }), /no room for the KV cache of one request/);
    const planned = plan(mixtral);
    assert.ok(planned.candidates.some((candidate) => (candidate.deployment.parallelism as { expert?: number }).expert === 2));
  });

  it('names an unknown hardware id in plan.hardware', () => {
    assert.throws(() => plan({ ...DEPLOYMENT, plan: { hardware: ['nvidia-h100-sxm', 'nvidia-h1000'] } }), /plan\.hardware\[1\]: unknown hardware preset "nvidia-h1000"/);
  });

  it('prints the contract as JSON from the command line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plan-')), 'deployment.roofline.json');
    writeFileSync(file, JSON.stringify(DEPLOYMENT));
    let printed = '';
    const code = run(['plan', file, '--json', '--top', '3'], { out: (text) => (printed += text), err: (text) => assert.fail(text) });
    assert.equal(code, 0);
    const parsed = JSON.parse(printed) as { candidates: { deployment: unknown; gpus: number; metrics: unknown; cost_per_million_output_tokens_usd: number }[] };
    assert.equal(parsed.candidates.length, 3);
    assert.deepEqual(parsed.candidates[0], JSON.parse(JSON.stringify(result.candidates[0])));
  });
});
