/**
 * A plan's candidates as the panel shows them: the best few and the Pareto front of tokens/s per
 * GPU (what the deployment costs) against tokens/s per user (what each user sees), the rest as
 * points for the chart.
 */
import type { PlanOutcome, PlanRow } from '../protocol/lsp';
import type { PlanCandidate, PlanResult } from './planner';

/** Candidates listed in the table beside the front. */
export const LISTED_CANDIDATES = 25;
/** Points of the other candidates drawn on the chart. */
const MAX_OTHER_POINTS = 4000;

/**
 * Indices of the candidates no other candidate beats on both tokens/s per GPU and tokens/s per
 * user (ties kept). Sorted by per-user rate, one pass keeps the best per-GPU rate seen: O(n log n).
 */
export function paretoFront(candidates: readonly Pick<PlanCandidate, 'metrics'>[]): Set<number> {
  const order = candidates.map((_, index) => index);
  const user = (index: number) => candidates[index]!.metrics.output_tokens_per_second_per_user;
  const gpu = (index: number) => candidates[index]!.metrics.output_tokens_per_second_per_gpu;
  order.sort((a, b) => user(b) - user(a) || gpu(b) - gpu(a));
  const front = new Set<number>();
  let bestGpu = -Infinity;
  let lastUser = Infinity;
  let lastGpu = -Infinity;
  for (const index of order) {
    const tie = user(index) === lastUser && gpu(index) === lastGpu;
    if (gpu(index) > bestGpu || tie) {
      front.add(index);
      lastUser = user(index);
      lastGpu = gpu(index);
      bestGpu = Math.max(bestGpu, gpu(index));
    }
  }
  return front;
}

export function planOutcome(uri: string, version: number, result: PlanResult): PlanOutcome {
  const front = paretoFront(result.candidates);
  const candidates: PlanRow[] = [];
  const others: [number, number][] = [];
  result.candidates.forEach((candidate, rank) => {
    const onFront = front.has(rank);
    if (rank < LISTED_CANDIDATES || onFront) candidates.push({ ...candidate, rank, on_front: onFront });
    else if (others.length < MAX_OTHER_POINTS) others.push([candidate.metrics.output_tokens_per_second_per_user, candidate.metrics.output_tokens_per_second_per_gpu]);
  });
  return { uri, version, candidates, others, evaluated: result.evaluated, meeting: result.meeting };
}
