/**
 * `vllm bench serve --save-result` (and the older benchmarks/benchmark_serving.py) JSON: one run
 * at one load level. The run's settings are the fields vLLM writes beside its results
 * (vllm/benchmarks/serve.py, `result_json`): `model_id`, `num_prompts`, `request_rate` (a number,
 * or "inf" for every request at once), `max_concurrency` (null when not limited); its results are
 * `completed`, `total_input_tokens`, `total_output_tokens`, `output_throughput` and the
 * `mean_/median_/std_/p99_` `ttft_ms`, `tpot_ms`, `itl_ms`, `e2el_ms`. With `--save-detailed` it
 * also has per-request `input_lens`, `output_lens`, `ttfts` (seconds) and `itls`.
 */
import { isRecord, mean, positive } from './readJson';
import { MeasuredFileError, type MeasuredPoint, type MeasuredRun } from './types';

/** Whether a parsed JSON value is a vLLM serving benchmark result. */
export function looksLikeVllmResult(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && ('mean_ttft_ms' in value || 'mean_tpot_ms' in value || 'output_throughput' in value) && ('completed' in value || 'duration' in value);
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number' && Number.isFinite(item)) : [];
}

/** Mean per-request length: the detailed list when saved, else the total over completed requests. */
function meanLength(result: Record<string, unknown>, list: string, total: string): number | undefined {
  const detailed = mean(numbers(result[list]).filter((length) => length > 0));
  if (detailed !== undefined) return Math.round(detailed);
  const sum = positive(result[total]);
  const completed = positive(result.completed);
  return sum !== undefined && completed !== undefined ? Math.round(sum / completed) : undefined;
}

export function parseVllmResult(result: Record<string, unknown>, name: string): MeasuredRun {
  const notes: string[] = [];
  const point: MeasuredPoint = { label: name, measured: {} };
  let burst = false;
  const maxConcurrency = positive(result.max_concurrency);
  const requestRate = positive(result.request_rate);
  if (maxConcurrency !== undefined) point.concurrency = maxConcurrency;
  if (requestRate !== undefined) {
    // With both, requests arrive at the rate and at most max_concurrency are in flight.
    if (maxConcurrency === undefined) point.requestRatePerSecond = requestRate;
    else notes.push(`${name}: request rate ${requestRate}/s capped at ${maxConcurrency} in flight, read as concurrency ${maxConcurrency}`);
  } else if (maxConcurrency === undefined) {
    // request_rate "inf" and no limit: every prompt is sent at once.
    const all = positive(result.num_prompts) ?? positive(result.completed);
    if (all !== undefined) {
      point.concurrency = all;
      burst = true;
      point.burst = true;
      notes.push(`${name}: every request sent at once (request rate inf, no max concurrency), read as concurrency ${all}; its TTFT is not compared`);
    }
  }
  const promptTokens = meanLength(result, 'input_lens', 'total_input_tokens');
  const outputTokens = meanLength(result, 'output_lens', 'total_output_tokens');
  if (promptTokens !== undefined) point.promptTokens = promptTokens;
  if (outputTokens !== undefined) point.outputTokens = outputTokens;
  const ttftMs = positive(result.mean_ttft_ms) ?? (mean(numbers(result.ttfts).filter((seconds) => seconds > 0)) ?? 0) * 1e3;
  const tpotMs = positive(result.mean_tpot_ms);
  const throughput = positive(result.output_throughput);
  // A burst's first tokens wait for the prefill of every prompt sent with them: their mean TTFT is
  // that queue (half the burst's prefill and more), not the steady state the serving model predicts.
  if (ttftMs > 0 && !burst) point.measured.ttft_ms = ttftMs;
  if (tpotMs !== undefined) point.measured.tpot_ms = tpotMs;
  if (throughput !== undefined) point.measured.output_tokens_per_second = throughput;
  if (Object.keys(point.measured).length === 0) {
    throw new MeasuredFileError('bad-measurement', `${name} has no positive mean_ttft_ms, mean_tpot_ms or output_throughput (did every request fail? completed: ${String(result.completed)})`);
  }
  return { format: 'vllm-bench-serve', ...(typeof result.model_id === 'string' ? { model: result.model_id } : {}), points: [point], notes };
}
