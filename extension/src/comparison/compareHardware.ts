/**
 * Hardware comparison: the same resolved deployment (model, workload, formats, parallelism,
 * conventions) run on other hardware, one engine call per candidate. Imports nothing from
 * `vscode`.
 */
import { analyzeResolved, meetsTargets, type ServiceTargets } from '../../../language-server/src/engine/index';
import type { EngineInput, HardwareSpec } from '../../../language-server/src/engine/types';
import type { ComparisonRow } from '../../../language-server/src/protocol/webview';

export interface HardwareCandidate {
  /** The id the row is reported under (a preset id). */
  id: string;
  spec: HardwareSpec;
}

/** `targets` are the deployment's; with none stated the rows carry no verdict. */
export function comparisonRows(input: EngineInput, candidates: readonly HardwareCandidate[], targets: ServiceTargets = {}): ComparisonRow[] {
  return candidates.map((candidate) => comparisonRow(input, candidate, targets));
}

function comparisonRow(input: EngineInput, candidate: HardwareCandidate, targets: ServiceTargets): ComparisonRow {
  try {
    const result = analyzeResolved({ ...input, hardware: candidate.spec });
    return {
      hardware: candidate.id,
      fits: result.memory.fits,
      ttft_seconds: result.metrics.ttft_seconds,
      tpot_seconds: result.metrics.tpot_seconds,
      output_tokens_per_second: result.metrics.output_tokens_per_second,
      total_memory_bytes: result.memory.total_bytes,
      ...(result.memory.capacity_bytes === undefined ? {} : { capacity_bytes: result.memory.capacity_bytes, memory_utilization: result.memory.memory_utilization }),
      ...(Object.keys(targets).length > 0 ? { meets_targets: result.memory.fits && meetsTargets(targets, result) } : {}),
    };
  } catch (error) {
    // e.g. a format the hardware has no rate for: the row says why instead of showing numbers.
    return comparisonErrorRow(candidate.id, error instanceof Error ? error.message : String(error));
  }
}

/** A row with no figures, only the reason (the numbers are zero and must not be shown). */
export function comparisonErrorRow(hardware: string, error: string): ComparisonRow {
  return { hardware, fits: false, ttft_seconds: 0, tpot_seconds: 0, output_tokens_per_second: 0, total_memory_bytes: 0, error };
}
