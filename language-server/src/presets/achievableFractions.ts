/**
 * Measured maximum achievable matmul rates (MAMF) from stas00/ml-engineering,
 * compute/accelerator/README.md (snapshot 744d01e), "Maximum Achievable Matmul FLOPS comparison
 * table": the best dense torch matmul over a sweep of shapes, per accelerator and dtype, as the
 * shared reference table transcribes it. The fraction used is measured / our preset's peak, so it
 * scales the figure the engine really uses (for MI355X the table divides by 2300 TFLOPS, our
 * preset's datasheet bf16 is 2500). fp16 uses the bf16 fraction and int8 the fp8 one (same
 * tensor-core paths) unless measured. No memory fractions are published there; the engine's
 * documented default applies (engine/efficiency.ts) except where a streaming benchmark of the
 * part is published (MEASURED_MEMORY).
 */
import type { AchievableFractions, ComputePrecision, PeakOpsPerSecond } from '../engine/types';

export const MAMF_SOURCE = 'ml-engineering MAMF table (stas00/ml-engineering, compute/accelerator/README.md @744d01e)';

interface MeasuredMatmul {
  precision: ComputePrecision;
  /** Dense TFLOPS the benchmark reached. */
  measuredTflops: number;
  /** The accelerator name as the table writes it. */
  accelerator: string;
}

/** Preset id → measured rows. Only accelerators whose exact part we have a preset for. */
const MEASURED: Readonly<Record<string, readonly MeasuredMatmul[]>> = {
  'nvidia-a100-80gb-sxm4': [{ precision: 'bf16', measuredTflops: 271.2, accelerator: 'NVIDIA A100 SXM' }],
  'nvidia-a100-40gb-sxm4': [{ precision: 'bf16', measuredTflops: 271.2, accelerator: 'NVIDIA A100 SXM' }],
  'nvidia-a100-80gb-pcie': [{ precision: 'bf16', measuredTflops: 252.9, accelerator: 'NVIDIA A100 PCIe' }],
  'nvidia-a100-40gb-pcie': [{ precision: 'bf16', measuredTflops: 252.9, accelerator: 'NVIDIA A100 PCIe' }],
  'nvidia-h100-sxm': [
    { precision: 'bf16', measuredTflops: 794.5, accelerator: 'NVIDIA H100 SXM' },
    { precision: 'fp8', measuredTflops: 1402.6, accelerator: 'NVIDIA H100 SXM' },
  ],
  'nvidia-h200-sxm': [{ precision: 'fp8', measuredTflops: 1453.4, accelerator: 'NVIDIA H200 SXM' }],
  'nvidia-b200': [
    { precision: 'bf16', measuredTflops: 1745, accelerator: 'NVIDIA B200 SXM' },
    { precision: 'fp8', measuredTflops: 3432.5, accelerator: 'NVIDIA B200 SXM' },
  ],
  'nvidia-gb200-gpu': [
    { precision: 'bf16', measuredTflops: 1822, accelerator: 'NVIDIA GB200 SXM' },
    { precision: 'fp8', measuredTflops: 3615.6, accelerator: 'NVIDIA GB200 SXM' },
  ],
  'amd-mi300x': [{ precision: 'bf16', measuredTflops: 668.4, accelerator: 'AMD MI300X' }],
  'amd-mi325x': [{ precision: 'bf16', measuredTflops: 784.9, accelerator: 'AMD MI325X' }],
  'amd-mi355x': [{ precision: 'bf16', measuredTflops: 1565, accelerator: 'AMD MI355X' }],
  'intel-gaudi2': [
    { precision: 'bf16', measuredTflops: 418.7, accelerator: 'Intel Gaudi 2' },
    { precision: 'fp8', measuredTflops: 826.5, accelerator: 'Intel Gaudi 2' },
  ],
  'intel-gaudi3': [
    { precision: 'bf16', measuredTflops: 1243, accelerator: 'Intel Gaudi 3' },
    { precision: 'fp8', measuredTflops: 1289.5, accelerator: 'Intel Gaudi 3' },
  ],
};

/**
 * Measured sustained memory bandwidth, where a published streaming benchmark of the part exists:
 * the fraction used is measured / the preset's datasheet bandwidth.
 *
 * - RTX 4090: clpeak's global-memory read kernel reaches 921.32 GB/s (float16 vectors; 866.65 with
 *   single floats) on an RTX 4090 held to a 248 W power limit (krrishnarraj/clpeak issue 106,
 *   "results for NVIDIA GeForce RTX 4090 (at 248W power limit)"): 0.914 of its 1,008 GB/s, against
 *   the 0.8 default. The single-user decode runs of MLC LLM, TinyChat and llama.cpp on this card
 *   were all slower in `efficiency: expected` than measured (4–21%) with the default. On the tune
 *   points 0.8 / 0.85 / 0.9 / 0.914 give 13.1 / 13.0 / 12.9 / 13.0%: the measured figure is taken.
 *   A measurement per part, not a rule per memory type: raised without one, the fraction makes the
 *   tune points worse on every other preset tried (A100, H100, H200, L40S, RTX A6000, MI300X).
 */
const MEASURED_MEMORY: Readonly<Record<string, { measuredGbPerSecond: number; source: string }>> = {
  'nvidia-rtx-4090': { measuredGbPerSecond: 921.32, source: 'clpeak global memory bandwidth 921.32 GB/s on an RTX 4090 at 248 W (krrishnarraj/clpeak issue 106)' },
};

/**
 * The measured fractions for a preset, against its own peaks; undefined when neither table has a
 * row for it (or the preset has no peak for the measured precision).
 */
export function measuredAchievable(presetId: string, peaks: PeakOpsPerSecond, memoryBandwidthBytesPerSecond?: number): AchievableFractions | undefined {
  const compute: Partial<Record<ComputePrecision, number>> = {};
  const rows = MEASURED[presetId] ?? [];
  for (const row of rows) {
    const peak = peaks[row.precision];
    if (peak === undefined) continue;
    compute[row.precision] = Math.min(1, (row.measuredTflops * 1e12) / peak);
  }
  const stream = MEASURED_MEMORY[presetId];
  const memory = stream && memoryBandwidthBytesPerSecond ? Math.min(1, (stream.measuredGbPerSecond * 1e9) / memoryBandwidthBytesPerSecond) : undefined;
  const sources: string[] = [];
  if (Object.keys(compute).length > 0) sources.push(`${MAMF_SOURCE}: ${rows[0]!.accelerator} ${rows.map((row) => `${row.precision} ${row.measuredTflops} TFLOPS`).join(', ')}`);
  if (memory !== undefined) sources.push(stream!.source);
  if (sources.length === 0) return undefined;
  return { ...(Object.keys(compute).length > 0 ? { compute } : {}), ...(memory !== undefined ? { memory } : {}), source: sources.join('; ') };
}
