/**
 * The one-line verdict of a deployment: TTFT, TPOT and whether it fits, as the code lens and the
 * language status item show it (the same words in both places). A deployment with `serving:` is
 * judged under load, as its targets are: the steady-state throughput and latencies lead, since the
 * fixed batch of the per-stage figures is not what it will serve.
 */
import type { AnalysisResult, ServingResult } from '../engine/types';
import { formatBytes, formatNumber, formatSeconds, formatTokensPerSecond, formatUsableMemory } from '../format/units';

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

/** `16,757 tok/s · TTFT 30.8 ms · TPOT 30.8 ms under load`: the steady state of `serving:`. */
function servingVerdict(serving: ServingResult): string {
  return `${formatTokensPerSecond(serving.output_tokens_per_second)} · TTFT ${formatSeconds(serving.ttft_seconds)} · TPOT ${formatSeconds(serving.tpot_seconds)} under load`;
}

export function compactHeadline(result: AnalysisResult): string {
  // Under load, a deployment that does not fit says so first; one that fits is implied by its throughput.
  if (result.serving) return result.memory.fits ? servingVerdict(result.serving) : `${compactMemoryVerdict(result)} · ${servingVerdict(result.serving)}`;
  return `TTFT ${formatSeconds(result.metrics.ttft_seconds)} · TPOT ${formatSeconds(result.metrics.tpot_seconds)} · ${compactMemoryVerdict(result)}`;
}

export function headline(result: AnalysisResult): string {
  const serving = result.serving;
  if (serving) return `${servingVerdict(serving)}, ${formatNumber(serving.concurrency)} requests in flight · ${memoryVerdict(result)}`;
  return `TTFT ${formatSeconds(result.metrics.ttft_seconds)} · TPOT ${formatSeconds(result.metrics.tpot_seconds)} · ${memoryVerdict(result)}`;
}
