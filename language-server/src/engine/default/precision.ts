/**
 * Which hardware rate a matmul runs at. A matmul whose two operands have different formats is
 * computed in the wider one (W4A16 dequantises the weights and runs on fp16/bf16 tensor cores;
 * W8A8 runs int8 × int8; fp8 × fp8 runs at the fp8 rate). When the hardware quotes no rate for
 * that precision, the operands are upcast to the next wider precision it does have.
 */
import type { ComputePrecision, NumberFormat, PeakOpsPerSecond } from '../types';

/** Precisions tried in order for each requested one: itself, then wider formats that can hold it. */
const UPCAST_ORDER: Readonly<Record<ComputePrecision, readonly ComputePrecision[]>> = {
  int4: ['int4', 'int8', 'fp16', 'bf16', 'tf32', 'fp32'],
  fp4: ['fp4', 'fp6', 'fp8', 'fp16', 'bf16', 'tf32', 'fp32'],
  fp6: ['fp6', 'fp8', 'fp16', 'bf16', 'tf32', 'fp32'],
  int8: ['int8', 'fp16', 'bf16', 'tf32', 'fp32'],
  fp8: ['fp8', 'fp16', 'bf16', 'tf32', 'fp32'],
  fp16: ['fp16', 'bf16', 'tf32', 'fp32'],
  bf16: ['bf16', 'fp16', 'tf32', 'fp32'],
  tf32: ['tf32', 'fp32'],
  fp32: ['fp32'],
};

/** Storage width of each precision, to pick the widest available as a last resort. */
const PRECISION_BITS: Readonly<Record<ComputePrecision, number>> = {
  int4: 4,
  fp4: 4,
  fp6: 6,
  int8: 8,
  fp8: 8,
  fp16: 16,
  bf16: 16,
  tf32: 19,
  fp32: 32,
};

/** Bits of one operand element at this precision (tf32 counts its 19). */
export function precisionBits(precision: ComputePrecision): number {
  return PRECISION_BITS[precision];
}

export interface ResolvedPrecision {
  precision: ComputePrecision;
  peakOpsPerSecond: number;
  /** Set when the hardware lacked the requested rate. */
  note?: string;
}

/** The operand format a matmul of `a` × `b` computes in: the one with more bits (ties: `b`). */
export function widerFormat(a: NumberFormat, b: NumberFormat): NumberFormat {
  return a.bitsPerElement > b.bitsPerElement ? a : b;
}

/**
 * The format a weight matmul computes in: the one definition of a matmul's precision, used by every
 * efficiency mode, note and hover. Each matmul takes it from its own weights, so a layer that keeps
 * 16-bit weights while the rest is quantised (lm_head, the MoE router) runs at the 16-bit tensor
 * rate: vLLM's ParallelLMHead and the routers' ReplicatedLinear(quant_config=None) run unquantized
 * GEMMs on bf16 inputs, whatever the other layers do.
 */
export function matmulComputeFormat(weights: NumberFormat, activations: NumberFormat): NumberFormat {
  return widerFormat(weights, activations);
}

/**
 * The rate for `requested` on this hardware. `what` names the work, for the note. The engine's
 * input validation guarantees at least one peak; if none is wide enough, the widest one is used
 * and the note says the time is optimistic.
 */
export function resolvePrecision(requested: ComputePrecision, peaks: PeakOpsPerSecond, hardwareName: string, what: string): ResolvedPrecision {
  for (const candidate of UPCAST_ORDER[requested]) {
    const peak = peaks[candidate];
    if (peak !== undefined) {
      if (candidate === requested) return { precision: candidate, peakOpsPerSecond: peak };
      return {
        precision: candidate,
        peakOpsPerSecond: peak,
        note: `${hardwareName} gives no ${requested} peak, so ${what} are timed at its ${candidate} peak (operands upcast).`,
      };
    }
  }
  const available = (Object.entries(peaks) as [ComputePrecision, number][]).sort(
    ([a], [b]) => PRECISION_BITS[b] - PRECISION_BITS[a],
  );
  const [precision, peakOpsPerSecond] = available[0]!;
  return {
    precision,
    peakOpsPerSecond,
    note: `${hardwareName} gives no peak for ${requested} or any wider precision; ${what} are timed at its ${precision} peak, which is optimistic.`,
  };
}
