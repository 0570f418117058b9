/**
 * Measured maximum achievable matmul rates (MAMF) from stas00/ml-engineering,
 * compute/accelerator/README.md (snapshot 744d01e), "Maximum Achievable Matmul FLOPS comparison
 * table": the best dense torch matmul over a sweep of shapes, per accelerator and dtype, as the
 * shared reference table transcribes it. The fraction used is measured / our preset's peak, so it
 * scales the figure the engine really uses (for MI355X the table divides by 2300 TFLOPS, our
 * preset's datasheet bf16 is 2500). fp16 uses the bf16 fraction and int8 the fp8 one (same
 * tensor-core paths) unless measured. No memory fractions are published there; the engine's
 * documented default applies (engine/efficiency.ts).
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
 * The measured fractions for a preset, against its own peaks; undefined when the table has no row
 * for it (or the preset has no peak for the measured precision).
 */
export function measuredAchievable(presetId: string, peaks: PeakOpsPerSecond): AchievableFractions | undefined {
  const rows = MEASURED[presetId];
  if (!rows) return undefined;
  const compute: Partial<Record<ComputePrecision, number>> = {};
  for (const row of rows) {
    const peak = peaks[row.precision];
    if (peak === undefined) continue;
    compute[row.precision] = Math.min(1, (row.measuredTflops * 1e12) / peak);
  }
  if (Object.keys(compute).length === 0) return undefined;
  const measured = rows.map((row) => `${row.precision} ${row.measuredTflops} TFLOPS`).join(', ');
  return { compute, source: `${MAMF_SOURCE}: ${rows[0]!.accelerator} ${measured}` };
}
