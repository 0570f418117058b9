/**
 * How long one occurrence of a layer takes. The roofline clock times a layer against the rates of
 * the unit it runs on (roofline.ts); `efficiency: expected` adds what real kernels cost beyond that
 * (engine/expected/clock.ts). Every stage, decode loop and sweep goes through a clock, so the two
 * modes share one evaluation.
 */
import { rooflineCeilings, sumLayerBytes, type LayerCost, type RooflineRates } from '../roofline';
import type { Bound, LayerResult, WeightKind } from '../types';
import type { ComputeUnit, LayerTemplate } from './plan';

/**
 * The rates each unit's arithmetic is timed at. A weight matmul runs at its own weights' precision
 * (`matmulByKind`, prepare.ts): lm_head keeps 16-bit weights under fp8 and runs on the 16-bit
 * tensor cores. `matmul` is the dominant weights' rate, for matmuls without a weight kind.
 */
export type RatesByUnit = Readonly<Record<ComputeUnit, RooflineRates>> & {
  readonly matmulByKind: Readonly<Record<WeightKind, RooflineRates>>;
};

/** The rates a layer runs at: a weight matmul at its kind's, everything else at its unit's. */
export function layerRates(rates: RatesByUnit, unit: ComputeUnit, weightKind: WeightKind | undefined): RooflineRates {
  if (unit === 'matmul') return weightKind === undefined ? rates.matmul : rates.matmulByKind[weightKind];
  return unit === 'attention' ? rates.attention : unit === 'vector' ? rates.vector : rates.network;
}

/**
 * One occurrence's time in parts: the three ceilings (arithmetic, memory traffic, link) of which
 * the slowest binds, plus a fixed cost paid on top (a kernel launch).
 */
export interface TimeParts {
  compute: number;
  memory: number;
  other: number;
  fixed: number;
}

export interface LayerClock {
  parts(template: LayerTemplate, cost: LayerCost): TimeParts;
  /**
   * `layerResultOf(template, count, cost, parts(template, cost))` without building the parts, from
   * the template's name, unit and weight kind (read once per layer list, stage.ts): every analysis
   * asks it of each layer of both stages. The result takes the cost's bytes object as its own (a
   * cost is made fresh by each `cost()` call). Absent: from `parts`.
   */
  result?(name: string, unit: ComputeUnit, weightKind: WeightKind | undefined, count: number, cost: LayerCost): LayerResult;
  /**
   * `partsSeconds(parts(template, cost))` without building the parts: decode loops and the
   * planner's serving steps ask for millions of layer times and only want the number. Absent: from
   * `parts`.
   */
  seconds?(template: LayerTemplate, cost: LayerCost): number;
  /** Host time per forward step (scheduling, sampling, detokenisation); 0 on a roofline. */
  stepSeconds: number;
  /** Time a request costs once, in its TTFT (admission, tokenisation); 0 on a roofline. */
  requestSeconds: number;
}

export function partsSeconds(parts: TimeParts): number {
  return Math.max(parts.compute, parts.memory, parts.other) + parts.fixed;
}

export function layerClockSeconds(clock: LayerClock, template: LayerTemplate, cost: LayerCost): number {
  return clock.seconds ? clock.seconds(template, cost) : partsSeconds(clock.parts(template, cost));
}

/** The roofline itself: each unit at its rates, nothing fixed. */
export function rooflineClock(rates: RatesByUnit): LayerClock {
  // Picked by comparing the unit (layerRates), not read as rates[unit]: a load by a string key
  // that varies is a hash lookup, once per layer of every stage and decode step. Only weight
  // matmuls read their kind's rates.
  return {
    // Fields copied one by one: V8 copies a spread object several times slower, and this runs
    // for every layer of every analysis.
    parts: (template, cost) => {
      const ceilings = rooflineCeilings(cost, layerRates(rates, template.unit, template.weightKind));
      return { compute: ceilings.compute, memory: ceilings.memory, other: ceilings.other, fixed: 0 };
    },
    result: (name, unit, weightKind, count, cost) => {
      const unitRates = layerRates(rates, unit, weightKind);
      return resultFromCeilings(
        name,
        count,
        cost,
        cost.flops / unitRates.peakOpsPerSecond,
        sumLayerBytes(cost.bytes) / unitRates.memoryBandwidthBytesPerSecond,
        cost.otherSeconds ?? 0,
        0,
      );
    },
    // The same three ceilings as rooflineCeilings, with no object made per call.
    seconds: (template, cost) => {
      const unitRates = layerRates(rates, template.unit, template.weightKind);
      return Math.max(cost.flops / unitRates.peakOpsPerSecond, sumLayerBytes(cost.bytes) / unitRates.memoryBandwidthBytesPerSecond, cost.otherSeconds ?? 0);
    },
    stepSeconds: 0,
    requestSeconds: 0,
  };
}

/**
 * One layer's full result. The bound is `compute` when arithmetic is the slowest ceiling,
 * `network` when the link is, `memory` otherwise.
 */
export function layerResultOf(template: LayerTemplate, count: number, cost: LayerCost, parts: TimeParts): LayerResult {
  return resultFromCeilings(template.name, count, cost, parts.compute, parts.memory, parts.other, parts.fixed);
}

/**
 * The result keeps the cost's bytes object rather than a copy: each `cost()` call makes a fresh
 * one (plan.ts), which nothing else holds once the layer is timed.
 */
function resultFromCeilings(name: string, count: number, cost: LayerCost, compute: number, memory: number, other: number, fixed: number): LayerResult {
  const totalBytes = sumLayerBytes(cost.bytes);
  const ceiling = Math.max(compute, memory, other);
  const bound: Bound = compute >= ceiling && compute > 0 ? 'compute' : other > memory ? 'network' : 'memory';
  return {
    name,
    count,
    flops: cost.flops,
    bytes: cost.bytes,
    // A layer that moves no bytes has no meaningful intensity; report 0 rather than Infinity.
    arithmetic_intensity: totalBytes > 0 ? cost.flops / totalBytes : 0,
    bound,
    seconds: ceiling + fixed,
  };
}
