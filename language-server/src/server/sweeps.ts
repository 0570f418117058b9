/**
 * The sweeps the panel draws: the deployment across batch sizes and across prompt lengths. The
 * server computes them from the input it already resolved for the document's version (one
 * preparation, many cheap points), so nothing is parsed or resolved a second time.
 */
import { isRooflineInputError } from '../engine/errors';
import { sweepResolved, type SweepPath, type SweepResult } from '../engine/sweep';
import type { AnalysisResult, EngineInput } from '../engine/types';
import type { SweepData, SweepSeries } from '../protocol/webview';

/** Batch sizes 1, 2, 4, … 1024: past every accelerator's memory for models worth analysing. */
const BATCH_SIZES = Array.from({ length: 11 }, (_, index) => 2 ** index);
/** Prompt lengths 128 … 131072 tokens, doubling. */
const PROMPT_LENGTHS = Array.from({ length: 11 }, (_, index) => 128 * 2 ** index);

/** The swept values with the document's own value among them, in order. */
export function valuesWith(values: readonly number[], current: number): number[] {
  return [...new Set([...values, current])].sort((a, b) => a - b);
}

/**
 * Where the chart marks the memory limit: the analysis' capacity answer (the hover's "largest batch
 * that fits", the longest prompt at this batch), or, without one (LLM-Viewer's conventions), the
 * last swept value that fits. Nothing when every swept value fits (the limit is off the chart) or
 * none does.
 */
function memoryLimitWithin(sweep: SweepResult, exactLimit: number | undefined): number | undefined {
  if (sweep.capacity_bytes === undefined || sweep.points.length === 0) return undefined;
  const largestSwept = sweep.points[sweep.points.length - 1]!.value;
  if (exactLimit !== undefined) return exactLimit >= 1 && exactLimit < largestSwept ? exactLimit : undefined;
  if (sweep.points.every((point) => point.fits)) return undefined;
  const fitting = sweep.points.filter((point) => point.fits);
  return fitting.length > 0 ? fitting[fitting.length - 1]!.value : undefined;
}

function series(input: EngineInput, path: SweepPath, values: readonly number[], current: number, exactLimit: number | undefined): SweepSeries | undefined {
  try {
    const sweep = sweepResolved(input, { path, values: valuesWith(values, current) });
    const limit = memoryLimitWithin(sweep, exactLimit);
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
      ...(limit !== undefined ? { memory_limit: limit } : {}),
    };
  } catch (error) {
    // A value the model cannot take (e.g. a prompt past a sliding window's limits) drops the axis, not the panel.
    if (isRooflineInputError(error)) return undefined;
    throw error;
  }
}

/**
 * Both sweeps of a resolved deployment; axes that cannot be swept are left out. `capacity` is the
 * analysis' capacity answer for the same input, whose limits the chart marks.
 */
export function sweepsOf(input: EngineInput, capacity: AnalysisResult['capacity']): SweepData {
  const promptLimit = capacity ? Math.max(0, capacity.max_context_tokens - input.workload.outputTokens) : undefined;
  const batch = series(input, 'workload.batch_size', BATCH_SIZES, input.workload.batchSize, capacity?.max_batch_size);
  const prompt = series(input, 'workload.prompt_tokens', PROMPT_LENGTHS, input.workload.promptTokens, promptLimit);
  return { ...(batch ? { batch_size: batch } : {}), ...(prompt ? { prompt_tokens: prompt } : {}) };
}

/** The sweeps of a checked deployment, or undefined when it has errors (no resolved input) or no axis can be swept. */
export function documentSweeps(input: EngineInput | undefined, result: AnalysisResult | undefined): SweepData | undefined {
  if (!input || !result) return undefined;
  const data = sweepsOf(input, result.capacity);
  return Object.keys(data).length > 0 ? data : undefined;
}
