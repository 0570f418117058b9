/**
 * Figures derived from a resolved deployment, model or hardware, shared by hovers and inlay hints.
 * Each returns undefined rather than a non-finite number.
 */
import { analyzeResolved, normalizeModel, parseNumberFormat, type ModelShape } from '../engine/index';
import type { AnalysisResult, ComputePrecision, EngineInput, HardwareSpec, HfConfig, NumberFormat } from '../engine/types';

export function shapeOf(config: HfConfig | undefined): ModelShape | undefined {
  if (!config) return undefined;
  try {
    return normalizeModel(config);
  } catch {
    return undefined;
  }
}

export function sixteenBit(): NumberFormat {
  return parseNumberFormat('fp16', []);
}

/** The engine's result with one input changed, or undefined if that input is not analysable. */
export function analyzeVariant(input: EngineInput, change: (input: EngineInput) => EngineInput): AnalysisResult | undefined {
  try {
    return analyzeResolved(change(input));
  } catch {
    return undefined;
  }
}

/**
 * The deployment with no techniques, and no variants (nothing compares them against it): what every
 * before/after of techniques is measured from.
 */
export function withoutTechniques(input: EngineInput): EngineInput {
  const { techniques: _techniques, variants: _variants, ...rest } = input;
  return rest;
}

/** Baselines by the input they were made from: a check's input is one object for as long as the check stands. */
const baselines = new WeakMap<EngineInput, AnalysisResult | undefined>();

/**
 * The analysis of `input` without its techniques, made once per check: the panel's before/after
 * (sent with each analysis) and every hover on a technique read the same one.
 */
export function techniqueBaseline(input: EngineInput): AnalysisResult | undefined {
  if (!baselines.has(input)) baselines.set(input, analyzeVariant(input, withoutTechniques));
  return baselines.get(input);
}

/**
 * ' per device' when the memory figures are one device's share (the engine's memory is what one
 * device holds: split by tensor and pipeline parallelism, as kvCacheFormula's `perDevice` says).
 */
export function perDeviceSuffix(input: EngineInput): string {
  return input.parallelism.tensor > 1 || (input.parallelism.pipeline ?? 1) > 1 ? ' per device' : '';
}

export function finite(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The precision a hardware's headline compute is quoted in: fp16, else bf16, else the first it has. */
export function headlinePrecision(hardware: HardwareSpec): ComputePrecision | undefined {
  const peaks = hardware.peakOpsPerSecond;
  if (peaks.fp16) return 'fp16';
  if (peaks.bf16) return 'bf16';
  return Object.keys(peaks)[0] as ComputePrecision | undefined;
}

/** FLOP per byte where compute time equals memory time: above it a kernel is compute-bound. */
export function ridgePoint(hardware: HardwareSpec, precision: ComputePrecision): number | undefined {
  const peak = hardware.peakOpsPerSecond[precision];
  if (!finite(peak) || !finite(hardware.memoryBandwidthBytesPerSecond) || hardware.memoryBandwidthBytesPerSecond <= 0) return undefined;
  return peak / hardware.memoryBandwidthBytesPerSecond;
}

export function stageIntensity(result: AnalysisResult, stage: 'prefill' | 'decode'): number | undefined {
  const totals = result.stages[stage].totals;
  return totals.bytes > 0 ? totals.flops / totals.bytes : undefined;
}
