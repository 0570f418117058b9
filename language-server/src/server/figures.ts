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
