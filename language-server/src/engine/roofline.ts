/**
 * The roofline itself, in one place: a layer takes as long as the slower of doing its arithmetic
 * at the peak rate and moving its bytes at the memory bandwidth (Williams et al., "Roofline",
 * CACM 2009). No overlap penalty, launch overhead or efficiency factor here; those belong to the
 * caller, which can scale the rates it passes in or add fixed costs (engine/default/clock.ts).
 */
import type { LayerBytes } from './types';

/** The two ceilings one layer is evaluated against. */
export interface RooflineRates {
  peakOpsPerSecond: number;
  memoryBandwidthBytesPerSecond: number;
}

/**
 * What one occurrence of a layer costs, before any timing. Every cost has all five fields (the
 * ones a layer has not are undefined), built by `layerCost`: the code that times layers then sees
 * one object shape, which V8 optimizes once instead of deoptimizing on each new shape.
 */
export interface LayerCost {
  flops: number;
  bytes: LayerBytes;
  /**
   * A third ceiling for work that is neither arithmetic nor memory traffic (a collective over the
   * interconnect). The layer then takes at least this long.
   */
  otherSeconds: number | undefined;
  /**
   * What a timing model that knows kernels needs beyond the totals: the matmul's shape (rows of
   * tokens, output columns, reduction depth, how many such matmuls, and whether its weights are
   * streamed narrower than the activations), or the collective the link time is for.
   */
  matmul: MatmulShape | undefined;
  collective: CollectiveShape | undefined;
}

/**
 * A layer's cost, the fields it does not have left undefined (see LayerCost): link time, matmul
 * shape and collective, in that order. Positional rather than an options object, whose literals
 * at each call site would have their own shapes.
 */
export function layerCost(flops: number, bytes: LayerBytes, otherSeconds?: number, matmul?: MatmulShape, collective?: CollectiveShape): LayerCost {
  return { flops, bytes, otherSeconds, matmul, collective };
}

/** One occurrence's matmuls: `groups` GEMMs of [rows × depth] · [depth × columns] each. */
export interface MatmulShape {
  rows: number;
  columns: number;
  depth: number;
  groups: number;
}

/** A collective over `devices` devices; `bytes` per device: the message (all-reduce, send), one slice (all-gather) or the bytes sent (all-to-all). */
export interface CollectiveShape {
  kind: 'all-reduce' | 'all-gather' | 'all-to-all' | 'send';
  bytes: number;
  devices: number;
}

export function sumLayerBytes(bytes: LayerBytes): number {
  return bytes.weights + bytes.activations_in + bytes.activations_out + bytes.kv_read + bytes.kv_write;
}

/** The three ceilings of one occurrence: arithmetic at the peak, bytes at the bandwidth, and the link. */
export function rooflineCeilings(cost: LayerCost, rates: RooflineRates): { compute: number; memory: number; other: number } {
  return {
    compute: cost.flops / rates.peakOpsPerSecond,
    memory: sumLayerBytes(cost.bytes) / rates.memoryBandwidthBytesPerSecond,
    other: cost.otherSeconds ?? 0,
  };
}
