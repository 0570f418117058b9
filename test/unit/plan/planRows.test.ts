import { strict as assert } from 'node:assert';
import { candidateFields, isCandidatePath } from '../../../language-server/src/plan/candidateFields';
import { LISTED_CANDIDATES, paretoFront, planOutcome } from '../../../language-server/src/plan/planRows';
import type { PlanCandidate } from '../../../language-server/src/plan/planner';

/** A candidate with only the figures the front and the table read. */
function candidate(perUser: number, perGpu: number, cost?: number): PlanCandidate {
  return {
    deployment: { model: 'm', hardware: 'h' },
    gpus: 1,
    metrics: { ttft_ms: 1, tpot_ms: 1000 / perUser, output_tokens_per_second: perGpu, output_tokens_per_second_per_gpu: perGpu, output_tokens_per_second_per_user: perUser, concurrency: 1, max_concurrency: 1 },
    ...(cost !== undefined ? { cost_per_million_output_tokens_usd: cost } : {}),
  };
}

describe('plan rows for the panel', () => {
  it('keeps on the Pareto front exactly the candidates no other beats on both rates', () => {
    // (per user, per GPU): (10, 100) (20, 80) (30, 50) are the front; (15, 70) is beaten by (20, 80),
    // (5, 90) by (10, 100), (30, 40) by (30, 50); the duplicate of (20, 80) ties and stays.
    const candidates = [candidate(10, 100), candidate(15, 70), candidate(20, 80), candidate(5, 90), candidate(30, 50), candidate(30, 40), candidate(20, 80)];
    assert.deepEqual([...paretoFront(candidates)].sort(), [0, 2, 4, 6]);
    assert.deepEqual([...paretoFront([])], []);
    assert.deepEqual([...paretoFront([candidate(1, 1)])], [0]);
  });

  it('lists the best candidates and the whole front with their ranks, the rest as chart points', () => {
    // Ranked by cost: the rank-40 candidate is the only one with the best per-user rate, so it is on the front.
    const candidates = Array.from({ length: 40 }, (_, index) => candidate(10 + (index % 3), 1000 - index, index));
    candidates.push(candidate(99, 1, 40));
    const outcome = planOutcome('file:///a.roofline.yaml', 3, { candidates, evaluated: 100, meeting: 41 });
    assert.ok('candidates' in outcome);
    assert.equal(outcome.version, 3);
    assert.equal(outcome.evaluated, 100);
    const ranks = outcome.candidates.map((row) => row.rank);
    assert.deepEqual(ranks, [...Array.from({ length: LISTED_CANDIDATES }, (_, index) => index), 40]);
    assert.equal(outcome.candidates.at(-1)!.on_front, true);
    assert.equal(outcome.candidates[0]!.on_front, true);
    assert.equal(outcome.others.length, 41 - outcome.candidates.length);
    assert.deepEqual(outcome.others[0], [candidates[LISTED_CANDIDATES]!.metrics.output_tokens_per_second_per_user, candidates[LISTED_CANDIDATES]!.metrics.output_tokens_per_second_per_gpu]);
  });

  it('turns a candidate into the fields the planner varies, parallelism it leaves out as 1', () => {
    const fields = candidateFields({
      model: 'meta-llama/Llama-3.1-70B',
      hardware: 'amd-mi300x',
      workload: { prompt_tokens: 1000 },
      parallelism: { tensor: 2 },
      quantization: { weights: 'fp8', activations: 'fp8', kv_cache: 'fp16' },
      serving: { concurrency: 128, max_batched_tokens: 8192 },
      cost: { gpu_hour_usd: 2.49 },
    });
    assert.deepEqual(fields, [
      { path: ['hardware'], value: 'amd-mi300x' },
      { path: ['parallelism', 'tensor'], value: 2 },
      { path: ['parallelism', 'pipeline'], value: 1 },
      { path: ['parallelism', 'expert'], value: 1 },
      { path: ['quantization', 'weights'], value: 'fp8' },
      { path: ['quantization', 'activations'], value: 'fp8' },
      { path: ['quantization', 'kv_cache'], value: 'fp16' },
      { path: ['serving', 'concurrency'], value: 128 },
      { path: ['serving', 'disaggregated'], value: null },
      { path: ['cost', 'gpu_hour_usd'], value: 2.49 },
    ]);
    const pooled = candidateFields({ hardware: 'nvidia-h100-sxm', serving: { concurrency: 8, disaggregated: { prefill_gpus: 7, decode_gpus: 1 } } });
    assert.deepEqual(
      pooled.filter((field) => field.path[0] === 'serving'),
      [
        { path: ['serving', 'concurrency'], value: 8 },
        { path: ['serving', 'disaggregated'], value: { prefill_gpus: 7, decode_gpus: 1 } },
      ],
    );
    assert.equal(isCandidatePath(['serving', 'disaggregated']), true);
    assert.equal(isCandidatePath(['serving', 'concurrency']), true);
    assert.equal(isCandidatePath(['serving', 'max_batched_tokens']), false);
    assert.equal(isCandidatePath(['model']), false);
  });
});
