/**
 * GuideLLM's report JSON (`guidellm benchmark --output-path benchmarks.json`): one entry of
 * `benchmarks` per load level. Each names its scheduling strategy (`config.strategy` from
 * GuideLLM 0.4, `args.strategy` before): `synchronous` (one request at a time), `concurrent`
 * (`streams` in flight), `throughput` (as many as the server takes), `constant` or `poisson`
 * (`rate` requests per second). Its `metrics` are distributions by request status
 * (`successful.mean`, `.median`, `.percentiles`, ...): `time_to_first_token_ms`,
 * `inter_token_latency_ms` (the time between tokens after the first, vLLM's TPOT),
 * `output_tokens_per_second`, `prompt_token_count`, `output_token_count`, `request_concurrency`.
 */
import { isRecord, positive } from './readJson';
import { MeasuredFileError, type MeasuredPoint, type MeasuredRun } from './types';

export function looksLikeGuidellmReport(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && Array.isArray(value.benchmarks) && value.benchmarks.some((benchmark) => isRecord(benchmark) && isRecord(benchmark.metrics));
}

/** The mean of a metric over successful requests (GuideLLM's StatusDistributionSummary). */
function successfulMean(metrics: Record<string, unknown>, name: string): number | undefined {
  const summary = metrics[name];
  if (!isRecord(summary)) return undefined;
  const successful = summary.successful;
  return isRecord(successful) ? positive(successful.mean) : undefined;
}

function modelOf(report: Record<string, unknown>, benchmark: Record<string, unknown>): string | undefined {
  const candidates = [
    isRecord(report.args) ? report.args.model : undefined,
    isRecord(benchmark.worker) ? benchmark.worker.backend_model : undefined,
    isRecord(benchmark.config) && isRecord(benchmark.config.backend) ? benchmark.config.backend.model : undefined,
  ];
  return candidates.find((candidate): candidate is string => typeof candidate === 'string' && candidate.length > 0);
}

export function parseGuidellmReport(report: Record<string, unknown>, name: string): MeasuredRun {
  const benchmarks = (report.benchmarks as unknown[]).filter(isRecord);
  const points: MeasuredPoint[] = [];
  const notes = [`${name}: TPOT is GuideLLM's inter_token_latency_ms (after the first token, as vLLM's TPOT)`];
  let model: string | undefined;
  benchmarks.forEach((benchmark, index) => {
    const metrics = benchmark.metrics;
    if (!isRecord(metrics)) return;
    model ??= modelOf(report, benchmark);
    const config = isRecord(benchmark.config) ? benchmark.config : isRecord(benchmark.args) ? benchmark.args : {};
    const strategy = isRecord(config.strategy) ? config.strategy : {};
    const kind = typeof strategy.type_ === 'string' ? strategy.type_ : 'unknown';
    const point: MeasuredPoint = { label: `${name} #${index + 1} (${kind})`, measured: {} };
    if (kind === 'synchronous') point.concurrency = 1;
    else if (kind === 'concurrent' && positive(strategy.streams) !== undefined) point.concurrency = positive(strategy.streams)!;
    else if ((kind === 'constant' || kind === 'poisson') && positive(strategy.rate) !== undefined) point.requestRatePerSecond = positive(strategy.rate)!;
    else {
      // A throughput sweep's load is what the server held: the mean requests in flight.
      const inFlight = successfulMean(metrics, 'request_concurrency');
      if (inFlight !== undefined) {
        point.concurrency = Math.max(1, Math.round(inFlight));
        notes.push(`${point.label}: read at its measured mean concurrency ${point.concurrency}`);
      }
    }
    const prompt = successfulMean(metrics, 'prompt_token_count');
    const output = successfulMean(metrics, 'output_token_count');
    if (prompt !== undefined) point.promptTokens = Math.round(prompt);
    if (output !== undefined) point.outputTokens = Math.round(output);
    const ttft = successfulMean(metrics, 'time_to_first_token_ms');
    const tpot = successfulMean(metrics, 'inter_token_latency_ms') ?? successfulMean(metrics, 'time_per_output_token_ms');
    const throughput = successfulMean(metrics, 'output_tokens_per_second');
    if (ttft !== undefined) point.measured.ttft_ms = ttft;
    if (tpot !== undefined) point.measured.tpot_ms = tpot;
    if (throughput !== undefined) point.measured.output_tokens_per_second = throughput;
    if (Object.keys(point.measured).length > 0) points.push(point);
  });
  if (points.length === 0) {
    throw new MeasuredFileError('bad-measurement', `${name}: no benchmark in it has successful requests with time_to_first_token_ms, inter_token_latency_ms or output_tokens_per_second`);
  }
  return { format: 'guidellm', ...(model ? { model } : {}), points, notes };
}
