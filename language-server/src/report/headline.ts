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

export function headline(result: AnalysisResult): string {
  return `TTFT ${formatSeconds(result.metrics.ttft_seconds)} · TPOT ${formatSeconds(result.metrics.tpot_seconds)} · ${memoryVerdict(result)}`;
}
