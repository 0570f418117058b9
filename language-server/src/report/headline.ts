/**
 * The one-line verdict of a deployment: TTFT, TPOT and whether it fits, as the code lens and the
 * language status item show it (the same words in both places).
 */
import type { AnalysisResult } from '../engine/types';
import { formatBytes, formatSeconds, formatUsableMemory } from '../format/units';

export function memoryVerdict(result: AnalysisResult): string {
  const { memory } = result;
  if (memory.capacity_bytes === undefined) return `${formatBytes(memory.total_bytes)}, capacity unknown`;
  const usable = formatUsableMemory(memory.capacity_bytes, memory.memory_utilization);
  return memory.fits ? `fits: ${formatBytes(memory.total_bytes)} of ${usable}` : `does not fit: ${formatBytes(memory.total_bytes)} of ${usable}`;
}

/**
 * The verdict short enough for a code lens in a 495 px editor: "fits 30.4 of 72.0 GiB usable",
 * numbers against the same usable memory as `memoryVerdict` (which the lens's tooltip gives in full).
 */
export function compactMemoryVerdict(result: AnalysisResult): string {
  const { memory } = result;
  if (memory.capacity_bytes === undefined) return `${formatBytes(memory.total_bytes)}, capacity unknown`;
  const usable = formatBytes(memory.capacity_bytes * memory.memory_utilization);
  const unit = usable.slice(usable.indexOf(' '));
  const total = formatBytes(memory.total_bytes);
  // One unit for both figures when they share it: "30.4 of 72.0 GiB".
  const needed = total.endsWith(unit) ? total.slice(0, -unit.length) : total;
  return `${memory.fits ? 'fits' : 'does not fit:'} ${needed} of ${usable} usable`;
}

export function compactHeadline(result: AnalysisResult): string {
  return `TTFT ${formatSeconds(result.metrics.ttft_seconds)} · TPOT ${formatSeconds(result.metrics.tpot_seconds)} · ${compactMemoryVerdict(result)}`;
}

export function headline(result: AnalysisResult): string {
  return `TTFT ${formatSeconds(result.metrics.ttft_seconds)} · TPOT ${formatSeconds(result.metrics.tpot_seconds)} · ${memoryVerdict(result)}`;
}
