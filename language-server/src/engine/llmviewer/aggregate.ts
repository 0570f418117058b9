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
  // Field by field rather than through a list of keys: each total is the same sum in the same
  // order, and this runs for both stages of every analysis.
  const totals = zeroTotals();
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index]!;
    totals.ops += layer.ops * numLayers;
    totals.memoryAccessBytes += layer.memoryAccessBytes * numLayers;
    totals.loadWeightBytes += layer.loadWeightBytes * numLayers;
    totals.loadActBytes += layer.loadActBytes * numLayers;
    totals.storeActBytes += layer.storeActBytes * numLayers;
    totals.loadKvCacheBytes += layer.loadKvCacheBytes * numLayers;
    totals.storeKvCacheBytes += layer.storeKvCacheBytes * numLayers;
    totals.seconds += layer.seconds * numLayers;
  }
  return totals;
}

/** §8 step 4: lm_head's raw values, added once, after the memory footprint was taken. */
export function withLmHead(totals: StageTotals, lmHead: EvaluatedLayer): StageTotals {
  return {
    ops: totals.ops + lmHead.ops,
    memoryAccessBytes: totals.memoryAccessBytes + lmHead.memoryAccessBytes,
    loadWeightBytes: totals.loadWeightBytes + lmHead.loadWeightBytes,
    loadActBytes: totals.loadActBytes + lmHead.loadActBytes,
    storeActBytes: totals.storeActBytes + lmHead.storeActBytes,
    loadKvCacheBytes: totals.loadKvCacheBytes + lmHead.loadKvCacheBytes,
    storeKvCacheBytes: totals.storeKvCacheBytes + lmHead.storeKvCacheBytes,
    seconds: totals.seconds + lmHead.seconds,
  };
}

/**
 * §8 step 3. Weights and KV come from the prefill totals (before lm_head) for both stages; the
 * temporary activations are the sum of one block's stores in the given stage (§14 quirk 10).
 */
export function stageMemory(prefillBlockTotals: StageTotals, stageLayers: readonly EvaluatedLayer[]): StageMemory {
  const weightBytes = prefillBlockTotals.loadWeightBytes;
  const kvCacheBytes = prefillBlockTotals.storeKvCacheBytes;
  let tmpActBytes = 0;
  for (let index = 0; index < stageLayers.length; index++) tmpActBytes += stageLayers[index]!.storeActBytes;
  return { weightBytes, kvCacheBytes, tmpActBytes, totalBytes: tmpActBytes + (weightBytes + kvCacheBytes) };
}
