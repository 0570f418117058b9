/**
 * Ideal and achievable rooflines. The ideal roofline times every layer against the datasheet
 * peaks: no real run is faster, so it is a lower bound on time. The achievable roofline scales the
 * peaks by the fractions real kernels reach: measured large-matmul rates where the hardware
 * preset has them (stas00/ml-engineering's "maximum achievable matmul FLOPS" table), documented
 * defaults elsewhere. docs/fidelity.md compares both with published measurements.
 */
import { RooflineInputError } from './errors';
import type { AchievableFractions, ComputePrecision, EfficiencyChoice, HardwareSpec } from './types';

/**
 * Fractions used when the hardware gives none. Compute 0.7: measured dense matmuls reach 51–97% of
 * peak across accelerators (MI300X 51.4%, H100 SXM bf16 80.3%, fp8 70.9%, A100 SXM 86.9%, Gaudi 2
 * 96.9%; ml-engineering MAMF table); 0.7 sits at the lower middle, since serving GEMMs are smaller
 * than the best-case shapes measured there. Memory 0.8: coalesced weight streaming reaches 78–84%
 * of H100's 3.35 TB/s under Nsight Compute (mikamirai.com, "GPU Memory Bandwidth: What Your
 * Profiler Isn't Telling You", 2026), and STREAM-like copy kernels typically 80–90% of HBM peak.
 */
export const DEFAULT_ACHIEVABLE_FRACTIONS = { memory: 0.8, compute: 0.7 } as const;

export type EfficiencyMode = 'ideal' | 'achievable' | 'expected' | 'custom';

export interface ResolvedEfficiency {
  mode: EfficiencyMode;
  memory: number;
  /** The compute fraction for work at `precision`. */
  compute(precision: ComputePrecision): number;
  notes: string[];
}

/** Precisions whose measured fractions stand in for each other (same tensor-core path). */
const SAME_PATH: Readonly<Partial<Record<ComputePrecision, readonly ComputePrecision[]>>> = {
  fp16: ['bf16'],
  bf16: ['fp16'],
  fp8: ['int8'],
  int8: ['fp8'],
};

function requireFraction(value: unknown, path: readonly (string | number)[]): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1) {
    throw new RooflineInputError(path, `must be a fraction of peak above 0 and at most 1, got ${JSON.stringify(value)}`, 'out-of-range');
  }
  return value;
}

/** The hardware's achievable compute fraction at `precision`, if it knows one. */
export function knownComputeFraction(achievable: AchievableFractions | undefined, precision: ComputePrecision): number | undefined {
  const compute = achievable?.compute;
  if (!compute) return undefined;
  const own = compute[precision];
  if (own !== undefined) return own;
  for (const alternative of SAME_PATH[precision] ?? []) {
    const fraction = compute[alternative];
    if (fraction !== undefined) return fraction;
  }
  return undefined;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

/** The hardware's achievable fractions (measured where known, defaults elsewhere), with notes on which. */
function achievableOf(hardware: HardwareSpec, used: boolean): ResolvedEfficiency {
  const achievable = hardware.achievable;
  const memory = achievable?.memory ?? DEFAULT_ACHIEVABLE_FRACTIONS.memory;
  const notes: string[] = [];
  if (used) {
    const source = achievable?.source ? `; ${achievable.source}` : '';
    const measured = Object.entries(achievable?.compute ?? {}).map(([precision, fraction]) => `${precision} ${percent(fraction as number)}`);
    const memoryText = `memory at ${percent(memory)} of the datasheet bandwidth${achievable?.memory === undefined ? ' (default)' : ''}`;
    notes.push(
      measured.length > 0
        ? `Achievable roofline: compute at the measured fractions of peak for ${hardware.name} (${measured.join(', ')}${source}; fp16 and bf16 share one, fp8 and int8 another, ${percent(DEFAULT_ACHIEVABLE_FRACTIONS.compute)} elsewhere); ${memoryText}.`
        : achievable?.memory === undefined
          ? `Achievable roofline: ${hardware.name} has no measured rates, so compute runs at ${percent(DEFAULT_ACHIEVABLE_FRACTIONS.compute)} of peak and ${memoryText} (documented defaults, docs/fidelity.md).`
          : `Achievable roofline: ${hardware.name} has no measured matmul rates, so compute runs at ${percent(DEFAULT_ACHIEVABLE_FRACTIONS.compute)} of peak (documented default, docs/fidelity.md); memory at the measured ${percent(memory)} of the datasheet bandwidth (${achievable.source ?? 'measured'}).`,
    );
  }
  return {
    mode: 'achievable',
    memory,
    compute: (precision) => knownComputeFraction(achievable, precision) ?? DEFAULT_ACHIEVABLE_FRACTIONS.compute,
    notes,
  };
}

/**
 * `efficiency: expected` starts from the achievable fractions (large matmuls and streaming reach
 * them) and adds what the roofline does not charge (engine/expected/).
 */
function expectedOf(hardware: HardwareSpec): ResolvedEfficiency {
  const sustained = achievableOf(hardware, false);
  const constants = hardware.expected;
  return {
    ...sustained,
    mode: 'expected',
    notes: [
      `Expected times: what a well-tuned serving engine measures on ${hardware.name}: the achievable rates (memory at ${percent(sustained.memory)} of the datasheet bandwidth), attention kernel efficiency, matmul tile and wave quantization, 16-bit activations around quantised matmuls, dequantisation of weight-only quantized weights, a fixed cost per kernel, collectives as libraries run them and host time per step` +
        `${constants ? ` (constants of the ${constants.family} family${constants.source ? `: ${constants.source}` : ''})` : ' (documented default constants)'}. metrics.bound keeps the ideal roofline, a bound no run beats; metrics.terms says what each effect adds (docs/fidelity.md).`,
    ],
  };
}

/**
 * The fractions of peak to time against. `efficiency` is the deployment's choice (default ideal);
 * explicit fractions must lie in (0, 1] and name their field when they do not.
 */
export function resolveEfficiency(choice: EfficiencyChoice | undefined, hardware: HardwareSpec): ResolvedEfficiency {
  if (choice === undefined || choice === 'ideal') return { mode: 'ideal', memory: 1, compute: () => 1, notes: [] };
  if (choice === 'achievable') return achievableOf(hardware, true);
  if (choice === 'expected') return expectedOf(hardware);
  if (typeof choice !== 'object' || choice === null) {
    throw new RooflineInputError(['efficiency'], `expected ideal, achievable, expected or { memory, compute }, got ${JSON.stringify(choice)}`, 'invalid-value');
  }
  const fallback = achievableOf(hardware, false);
  const memory = choice.memory === undefined ? fallback.memory : requireFraction(choice.memory, ['efficiency', 'memory']);
  const compute = choice.compute === undefined ? undefined : requireFraction(choice.compute, ['efficiency', 'compute']);
  return {
    mode: 'custom',
    memory,
    compute: (precision) => compute ?? fallback.compute(precision),
    notes: [
      `Times use ${compute === undefined ? 'the achievable compute fraction' : `${percent(compute)} of peak compute`} and ${percent(memory)} of the datasheet bandwidth (efficiency in the deployment).`,
    ],
  };
}

/** The ceiling to draw beside the peak: the fractions in use, or the achievable ones when times are ideal. */
export function achievableCeiling(
  efficiency: ResolvedEfficiency,
  hardware: HardwareSpec,
  precision: ComputePrecision,
  peakOpsPerSecond: number,
): { label: string; peak_ops_per_second: number; memory_bandwidth_bytes_per_second: number } {
  const shown = efficiency.mode === 'ideal' ? achievableOf(hardware, false) : efficiency;
  const compute = shown.compute(precision);
  const measured = knownComputeFraction(hardware.achievable, precision) !== undefined && (shown.mode === 'achievable' || shown.mode === 'expected');
  return {
    label: `${shown.mode === 'custom' ? 'Deployment' : 'Achievable'} ${precision.toUpperCase()} (${percent(compute)} compute${measured ? ', measured' : ''}, ${percent(shown.memory)} bandwidth)`,
    peak_ops_per_second: peakOpsPerSecond * compute,
    memory_bandwidth_bytes_per_second: hardware.memoryBandwidthBytesPerSecond * shown.memory,
  };
}
