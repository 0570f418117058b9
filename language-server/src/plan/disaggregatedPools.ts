/**
 * Which disaggregated layouts the planner tries: a prefill pool and a decode pool (DistServe, OSDI
 * 2024; Dynamo; llm-d), each a whole number of instances of one shape. The serving model
 * (engine/default/serving.ts, `disaggregatedRate`) gives the decode step, so TPOT, from the
 * requests each decode instance runs alone, and the deployment the smaller of the two pools'
 * rates. So at a given total and load per decode instance every split has the same TPOT, and the
 * fastest are the two either side of balance, where the prefill pool's rate meets the decode
 * pool's: one more prefill instance starves the decode pool, one fewer leaves prompts queueing.
 * Only those two are analysed; every other split is slower at the same TPOT (and costs the same).
 */

export interface DisaggregatedSplit {
  prefillGpus: number;
  decodeGpus: number;
}

/** Instance counts of the layouts tried: totals of GPUs that are powers of two (as the co-located deployments'), 2 instances or more, up to `maxGpus`. */
export function poolInstanceTotals(instanceGpus: number, maxGpus: number): number[] {
  const totals: number[] = [];
  if (!Number.isInteger(instanceGpus) || instanceGpus < 1) return totals;
  for (let instances = 2; instances * instanceGpus <= maxGpus; instances *= 2) totals.push(instances);
  return totals;
}

/**
 * Prefill instances of `totalInstances` either side of balance: a·prefill = (total − a)·decode at
 * a* = total · decode / (prefill + decode), so ⌊a*⌋ and ⌈a*⌉, each leaving at least one instance to
 * either pool. Rates are per instance, in requests per second.
 */
export function balancedPrefillInstances(totalInstances: number, prefillRequestsPerSecond: number, decodeRequestsPerSecond: number): number[] {
  if (!(totalInstances >= 2) || !(prefillRequestsPerSecond > 0) || !(decodeRequestsPerSecond > 0)) return [];
  const balance = (totalInstances * decodeRequestsPerSecond) / (prefillRequestsPerSecond + decodeRequestsPerSecond);
  const clamp = (instances: number) => Math.min(totalInstances - 1, Math.max(1, instances));
  const low = clamp(Math.floor(balance));
  const high = clamp(Math.ceil(balance));
  return low === high ? [low] : [low, high];
}

/** "2P+6D": a candidate's pools in GPUs, as the table and the CLI show them. */
export function splitLabel(split: DisaggregatedSplit): string {
  return `${split.prefillGpus}P+${split.decodeGpus}D`;
}

/** A candidate's GPUs as the table and the CLI show them: "8 (2P+6D)" for pools, else the count. */
export function gpusLabel(candidate: { gpus: number; deployment: Record<string, unknown> }): string {
  const serving = candidate.deployment.serving;
  const pools = serving !== null && typeof serving === 'object' ? (serving as { disaggregated?: unknown }).disaggregated : undefined;
  if (pools !== null && typeof pools === 'object') {
    const { prefill_gpus: prefillGpus, decode_gpus: decodeGpus } = pools as Record<string, unknown>;
    if (typeof prefillGpus === 'number' && typeof decodeGpus === 'number') return `${candidate.gpus} (${splitLabel({ prefillGpus, decodeGpus })})`;
  }
  return String(candidate.gpus);
}
