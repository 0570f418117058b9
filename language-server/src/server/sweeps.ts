/**
 * The sweeps the panel draws: the deployment across batch sizes and across prompt lengths. The
 * server computes them from the input it already resolved for the document's version (one
 * preparation, many cheap points), so nothing is parsed or resolved a second time.
 */
import { isRooflineInputError } from '../engine/errors';
import { sweepResolved, type SweepPath } from '../engine/sweep';
import type { EngineInput } from '../engine/types';
import type { SweepData, SweepSeries } from '../protocol/webview';

/** Batch sizes 1, 2, 4, … 1024: past every accelerator's memory for models worth analysing. */
const BATCH_SIZES = Array.from({ length: 11 }, (_, index) => 2 ** index);
/** Prompt lengths 128 … 131072 tokens, doubling. */
const PROMPT_LENGTHS = Array.from({ length: 11 }, (_, index) => 128 * 2 ** index);

/** The swept values with the document's own value among them, in order. */
export function valuesWith(values: readonly number[], current: number): number[] {
  return [...new Set([...values, current])].sort((a, b) => a - b);
}

function series(input: EngineInput, path: SweepPath, values: readonly number[], current: number): SweepSeries | undefined {
  try {
    const sweep = sweepResolved(input, { path, values: valuesWith(values, current) });
    const fitting = sweep.capacity_bytes === undefined ? [] : sweep.points.filter((point) => point.fits);
    return {
      points: sweep.points.map((point) => ({
        x: point.value,
        ttft_seconds: point.ttft_seconds,
        tpot_seconds: point.tpot_seconds,
        output_tokens_per_second: point.output_tokens_per_second,
        total_memory_bytes: point.total_memory_bytes,
        fits: point.fits,
      })),
      current,
      ...(fitting.length > 0 ? { memory_limit: fitting[fitting.length - 1]!.value } : {}),
    };
  } catch (error) {
    // A value the model cannot take (e.g. a prompt past a sliding window's limits) drops the axis, not the panel.
    if (isRooflineInputError(error)) return undefined;
    throw error;
  }
}

/** Both sweeps of a resolved deployment; axes that cannot be swept are left out. */
export function sweepsOf(input: EngineInput): SweepData {
  const batch = series(input, 'workload.batch_size', BATCH_SIZES, input.workload.batchSize);
  const prompt = series(input, 'workload.prompt_tokens', PROMPT_LENGTHS, input.workload.promptTokens);
  return { ...(batch ? { batch_size: batch } : {}), ...(prompt ? { prompt_tokens: prompt } : {}) };
}

/** The sweeps of a checked deployment, or undefined when it has errors (no resolved input) or no axis can be swept. */
export function documentSweeps(input: EngineInput | undefined): SweepData | undefined {
  if (!input) return undefined;
  const data = sweepsOf(input);
  return Object.keys(data).length > 0 ? data : undefined;
}
