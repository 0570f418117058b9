import type { Bound, LayerResult } from '../types';
import type { OpCost } from './opCosts';

/** One layer as LLM-Viewer records it: the raw cost (§4) plus the fields §6 derives from it. */
export interface EvaluatedLayer {
  name: string;
  ops: number;
  loadWeightBytes: number;
  loadActBytes: number;
  storeActBytes: number;
  loadKvCacheBytes: number;
  storeKvCacheBytes: number;
  memoryAccessBytes: number;
  arithmeticIntensity: number;
  /** Attained OPs per second. */
  performance: number;
  bound: Bound;
  seconds: number;
}

export interface RooflineCeilings {
  bandwidthBytesPerSecond: number;
  maxOpsPerSecond: number;
}

/** §6: the performance a layer attains, OPs per second, at an arithmetic intensity. */
function attainedPerformance(arithmeticIntensity: number, ceilings: RooflineCeilings): number {
  const turningPoint = ceilings.maxOpsPerSecond / ceilings.bandwidthBytesPerSecond;
  return arithmeticIntensity < turningPoint ? arithmeticIntensity * ceilings.bandwidthBytesPerSecond : ceilings.maxOpsPerSecond;
}

/**
 * An evaluated layer keeps its figures once, in the shape of the result row an analysis shows
 * (`LayerResult`), and reads LLM-Viewer's names off it: the row is then handed to the result as
 * it is (`resultRow`) instead of copied, which on every analysis made a second object and a second
 * box for each of a layer's eight numbers.
 */
class EvaluatedLayerRow implements EvaluatedLayer {
  /** Whether `resultRow` has handed the row out (a second ask gets a copy: lm_head is in both stages). */
  private handedOut = false;

  constructor(
    private readonly row: LayerResult,
    private readonly ceilings: RooflineCeilings,
  ) {}

  /** LLM-Viewer's memory access: the five byte kinds added in its order (§6). */
  get memoryAccessBytes(): number {
    const bytes = this.row.bytes;
    return bytes.weights + bytes.activations_in + bytes.activations_out + bytes.kv_read + bytes.kv_write;
  }
  get performance(): number {
    return attainedPerformance(this.row.arithmetic_intensity, this.ceilings);
  }
  get name(): string {
    return this.row.name;
  }
  get ops(): number {
    return this.row.flops;
  }
  get loadWeightBytes(): number {
    return this.row.bytes.weights;
  }
  get loadActBytes(): number {
    return this.row.bytes.activations_in;
  }
  get storeActBytes(): number {
    return this.row.bytes.activations_out;
  }
  get loadKvCacheBytes(): number {
    return this.row.bytes.kv_read;
  }
  get storeKvCacheBytes(): number {
    return this.row.bytes.kv_write;
  }
  get arithmeticIntensity(): number {
    return this.row.arithmetic_intensity;
  }
  get bound(): Bound {
    return this.row.bound;
  }
  get seconds(): number {
    return this.row.seconds;
  }

  /** The layer as a result row occurring `count` times: its own row the first time, a copy after. */
  resultRow(count: number): LayerResult {
    const row = this.row;
    if (!this.handedOut) {
      this.handedOut = true;
      row.count = count;
      return row;
    }
    const bytes = row.bytes;
    return {
      name: row.name,
      count,
      flops: row.flops,
      bytes: { weights: bytes.weights, activations_in: bytes.activations_in, activations_out: bytes.activations_out, kv_read: bytes.kv_read, kv_write: bytes.kv_write },
      arithmetic_intensity: row.arithmetic_intensity,
      bound: row.bound,
      seconds: row.seconds,
    };
  }
}

/**
 * §6, in LLM-Viewer's own operation order so the floats come out identical: the time is the OPs
 * divided by the attained performance, not max(OPs/peak, bytes/bandwidth).
 */
export function evaluateLayer(name: string, cost: OpCost, ceilings: RooflineCeilings): EvaluatedLayer {
  const bytes = cost.bytes;
  const memoryAccessBytes = bytes.weights + bytes.activations_in + bytes.activations_out + bytes.kv_read + bytes.kv_write;
  const arithmeticIntensity = cost.ops / memoryAccessBytes;
  const turningPoint = ceilings.maxOpsPerSecond / ceilings.bandwidthBytesPerSecond;
  const memoryBound = arithmeticIntensity < turningPoint;
  const performance = attainedPerformance(arithmeticIntensity, ceilings);
  // Fields in the order results have always had (the JSON output keeps it); the count is set when the row is handed out.
  const row: LayerResult = {
    name,
    count: 0,
    flops: cost.ops,
    // The cost's own object: each op cost is made for this layer alone.
    bytes,
    arithmetic_intensity: arithmeticIntensity,
    bound: memoryBound ? 'memory' : 'compute',
    seconds: cost.ops / performance,
  };
  return new EvaluatedLayerRow(row, ceilings);
}

/** The layer as a row of an analysis result, occurring `count` times per stage. */
export function layerResultRow(layer: EvaluatedLayer, count: number): LayerResult {
  if (layer instanceof EvaluatedLayerRow) return layer.resultRow(count);
  return {
    name: layer.name,
    count,
    flops: layer.ops,
    bytes: {
      weights: layer.loadWeightBytes,
      activations_in: layer.loadActBytes,
      activations_out: layer.storeActBytes,
      kv_read: layer.loadKvCacheBytes,
      kv_write: layer.storeKvCacheBytes,
    },
    arithmetic_intensity: layer.arithmeticIntensity,
    bound: layer.bound,
    seconds: layer.seconds,
  };
}
