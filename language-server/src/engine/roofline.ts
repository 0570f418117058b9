/**
 * The roofline itself, in one place: a layer takes as long as the slower of doing its arithmetic
 * at the peak rate and moving its bytes at the memory bandwidth (Williams et al., "Roofline",
 * CACM 2009). No overlap penalty, launch overhead or efficiency factor here; those belong to the
 * caller, which can scale the rates it passes in.
 */
import type { Bound, LayerBytes, LayerResult } from './types';

/** The two ceilings one layer is evaluated against. */
export interface RooflineRates {
  peakOpsPerSecond: number;
  memoryBandwidthBytesPerSecond: number;
}

/** What one occurrence of a layer costs, before any timing. */
export interface LayerCost {
  flops: number;
  bytes: LayerBytes;
  /**
   * A third ceiling for work that is neither arithmetic nor memory traffic (a collective over the
   * interconnect). The layer then takes at least this long.
   */
  otherSeconds?: number;
}

export function sumLayerBytes(bytes: LayerBytes): number {
  return bytes.weights + bytes.activations_in + bytes.activations_out + bytes.kv_read + bytes.kv_write;
}

/** max(flops / peak, bytes / bandwidth, other): the time of one occurrence. */
export function layerSeconds(cost: LayerCost, rates: RooflineRates): number {
  const computeSeconds = cost.flops / rates.peakOpsPerSecond;
  const memorySeconds = sumLayerBytes(cost.bytes) / rates.memoryBandwidthBytesPerSecond;
  return Math.max(computeSeconds, memorySeconds, cost.otherSeconds ?? 0);
}

/**
 * One layer's full result. The bound is `compute` when arithmetic is the slowest ceiling,
 * `network` when the third ceiling (a collective's link time) is, `memory` otherwise.
 */
export function evaluateLayer(name: string, count: number, cost: LayerCost, rates: RooflineRates): LayerResult {
  const totalBytes = sumLayerBytes(cost.bytes);
  const computeSeconds = cost.flops / rates.peakOpsPerSecond;
  const memorySeconds = totalBytes / rates.memoryBandwidthBytesPerSecond;
  const otherSeconds = cost.otherSeconds ?? 0;
  const seconds = Math.max(computeSeconds, memorySeconds, otherSeconds);
  const bound: Bound = computeSeconds >= seconds && computeSeconds > 0 ? 'compute' : otherSeconds > memorySeconds ? 'network' : 'memory';
  return {
    name,
    count,
    flops: cost.flops,
    bytes: { ...cost.bytes },
    // A layer that moves no bytes has no meaningful intensity; report 0 rather than Infinity.
    arithmetic_intensity: totalBytes > 0 ? cost.flops / totalBytes : 0,
    bound,
    seconds,
  };
}
