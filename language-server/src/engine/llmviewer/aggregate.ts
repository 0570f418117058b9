import type { EvaluatedLayer } from './roofline';

/** LLM-Viewer's `total_results[stage]` (§8). */
export interface StageTotals {
  ops: number;
  memoryAccessBytes: number;
  loadWeightBytes: number;
  loadActBytes: number;
  storeActBytes: number;
  loadKvCacheBytes: number;
  storeKvCacheBytes: number;
  seconds: number;
}

export interface StageMemory {
  weightBytes: number;
  kvCacheBytes: number;
  tmpActBytes: number;
  totalBytes: number;
}

const TOTAL_KEYS = [
  'ops',
  'memoryAccessBytes',
  'loadWeightBytes',
  'loadActBytes',
  'storeActBytes',
  'loadKvCacheBytes',
  'storeKvCacheBytes',
  'seconds',
] as const satisfies readonly (keyof StageTotals & keyof EvaluatedLayer)[];

function zeroTotals(): StageTotals {
  return {
    ops: 0,
    memoryAccessBytes: 0,
    loadWeightBytes: 0,
    loadActBytes: 0,
    storeActBytes: 0,
    loadKvCacheBytes: 0,
    storeKvCacheBytes: 0,
    seconds: 0,
  };
}

/** §8 step 2: each block layer's value times the block count, added in insertion order. */
export function blockTotals(layers: readonly EvaluatedLayer[], numLayers: number): StageTotals {
  const totals = zeroTotals();
  for (const layer of layers) {
    for (const key of TOTAL_KEYS) totals[key] += layer[key] * numLayers;
  }
  return totals;
}

/** §8 step 4: lm_head's raw values, added once, after the memory footprint was taken. */
export function withLmHead(totals: StageTotals, lmHead: EvaluatedLayer): StageTotals {
  const result = { ...totals };
  for (const key of TOTAL_KEYS) result[key] += lmHead[key];
  return result;
}

/**
 * §8 step 3. Weights and KV come from the prefill totals (before lm_head) for both stages; the
 * temporary activations are the sum of one block's stores in the given stage (§14 quirk 10).
 */
export function stageMemory(prefillBlockTotals: StageTotals, stageLayers: readonly EvaluatedLayer[]): StageMemory {
  const weightBytes = prefillBlockTotals.loadWeightBytes;
  const kvCacheBytes = prefillBlockTotals.storeKvCacheBytes;
  let tmpActBytes = 0;
  for (const layer of stageLayers) tmpActBytes += layer.storeActBytes;
  return { weightBytes, kvCacheBytes, tmpActBytes, totalBytes: tmpActBytes + (weightBytes + kvCacheBytes) };
}
