import type { Bound } from '../types';
import type { OpCost } from './opCosts';

/** One layer as LLM-Viewer records it: the raw cost plus the fields §6 derives from it. */
export interface EvaluatedLayer extends OpCost {
  name: string;
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

interface RooflinePoint {
  memoryAccessBytes: number;
  arithmeticIntensity: number;
  performance: number;
  bound: Bound;
  seconds: number;
}

/**
 * §6, in LLM-Viewer's own operation order so the floats come out identical: the time is the OPs
 * divided by the attained performance, not max(OPs/peak, bytes/bandwidth).
 */
function rooflinePoint(cost: OpCost, ceilings: RooflineCeilings): RooflinePoint {
  const memoryAccessBytes =
    cost.loadWeightBytes + cost.loadActBytes + cost.storeActBytes + cost.loadKvCacheBytes + cost.storeKvCacheBytes;
  const turningPoint = ceilings.maxOpsPerSecond / ceilings.bandwidthBytesPerSecond;
  const arithmeticIntensity = cost.ops / memoryAccessBytes;
  const memoryBound = arithmeticIntensity < turningPoint;
  const performance = memoryBound ? arithmeticIntensity * ceilings.bandwidthBytesPerSecond : ceilings.maxOpsPerSecond;
  return { memoryAccessBytes, arithmeticIntensity, performance, bound: memoryBound ? 'memory' : 'compute', seconds: cost.ops / performance };
}

export function evaluateLayer(name: string, cost: OpCost, ceilings: RooflineCeilings): EvaluatedLayer {
  const point = rooflinePoint(cost, ceilings);
  return {
    name,
    ops: cost.ops,
    loadWeightBytes: cost.loadWeightBytes,
    loadActBytes: cost.loadActBytes,
    storeActBytes: cost.storeActBytes,
    loadKvCacheBytes: cost.loadKvCacheBytes,
    storeKvCacheBytes: cost.storeKvCacheBytes,
    memoryAccessBytes: point.memoryAccessBytes,
    arithmeticIntensity: point.arithmeticIntensity,
    performance: point.performance,
    bound: point.bound,
    seconds: point.seconds,
  };
}
