/**
 * Measured results of a serving benchmark, read from the files a deployment names under
 * `measured:` (`vllm bench serve --save-result` JSON, GuideLLM's report JSON, or a CSV with one
 * row per load level), and the engine's prediction for each point beside the measurement.
 */

/** Which benchmark wrote the file. */
export type MeasuredFormat = 'vllm-bench-serve' | 'guidellm' | 'csv';

/** The figures a point can carry, in the units of their names; each compared with the engine's. */
export type MeasuredMetric = 'ttft_ms' | 'tpot_ms' | 'output_tokens_per_second';

export const MEASURED_METRICS: readonly MeasuredMetric[] = ['ttft_ms', 'tpot_ms', 'output_tokens_per_second'];

/** One load level of a benchmark run: its settings and what it measured (means over its requests). */
export interface MeasuredPoint {
  /** The file name, and which benchmark or row of it (`run-64.json`, `sweep.csv row 3`). */
  label: string;
  /** Requests in flight (a closed loop: `--max-concurrency`, GuideLLM's concurrent streams, a CSV column). */
  concurrency?: number;
  /** Arrival rate in requests per second (an open loop: `--request-rate`, GuideLLM's constant or Poisson rate). */
  requestRatePerSecond?: number;
  /** Every request was sent at once (vLLM's `request_rate: inf` without a limit): no prompt arrives while they decode. */
  burst?: true;
  /** Mean prompt length of the run's requests, in tokens. */
  promptTokens?: number;
  /** Mean output length of the run's requests, in tokens. */
  outputTokens?: number;
  measured: Partial<Record<MeasuredMetric, number>>;
}

/** One file's points, with the model it names (when it names one). */
export interface MeasuredRun {
  format: MeasuredFormat;
  /** The model id the benchmark was run against (`model_id`, GuideLLM's model). */
  model?: string;
  points: MeasuredPoint[];
  /** How the file was read where it left a choice (which figure stands for TPOT, how the load was taken). */
  notes: string[];
}

/** A file that cannot be read as a benchmark result: why, and where in it (1-based line and column). */
export class MeasuredFileError extends Error {
  constructor(
    readonly code: 'malformed-json' | 'malformed-csv' | 'unknown-format' | 'bad-measurement',
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'MeasuredFileError';
  }
}

/** One measured figure beside the engine's. */
export interface MetricComparison {
  metric: MeasuredMetric;
  measured: number;
  predicted: number;
  /** Signed: (predicted − measured) / measured; negative means the prediction is faster for times. */
  error: number;
}

/** A measured point with the settings it was predicted at and the comparison of each figure. */
export interface PointComparison {
  label: string;
  /** The uri of the file the point came from. */
  file: string;
  format: MeasuredFormat;
  concurrency?: number;
  requestRatePerSecond?: number;
  /** As on the measured point: every request sent at once. */
  burst?: true;
  promptTokens: number;
  outputTokens: number;
  /**
   * Requests in flight: the concurrency, or for a request rate by Little's law, the rate times a
   * request's measured time (TTFT + (output − 1) × TPOT; predicted figures where none is measured).
   * Where the point sits on the serving chart.
   */
  inFlight?: number;
  metrics: MetricComparison[];
  /** The figures that measure one engine step, placed on the roofline (the panel's analysis only, not the fit). */
  roofline?: RooflinePlacement;
  /** Why no prediction was made for this point (the engine refused its settings). */
  problem?: string;
}

/** Every imported point against the analysis, for the panel's table and overlay and the CLI. */
export interface MeasuredComparison {
  /** The efficiency the predictions were made with (the deployment's). */
  efficiency: 'ideal' | 'achievable' | 'expected' | 'custom';
  points: PointComparison[];
  /** exp(mean |ln(predicted / measured)|) − 1 over every figure of every point; absent with none. */
  geoMeanAbsError?: number;
  /** The same per metric. */
  geoMeanAbsErrorByMetric: Partial<Record<MeasuredMetric, number>>;
}

/**
 * The points as one replica of the deployment saw them, when the benchmark ran against several
 * behind a load balancer (`replicas:`): requests spread evenly, so each replica served a share of
 * the load and of the throughput; the latencies are each request's own.
 */
export function perReplica(point: MeasuredPoint, replicas: number): MeasuredPoint {
  if (replicas === 1) return point;
  const throughput = point.measured.output_tokens_per_second;
  return {
    ...point,
    ...(point.concurrency !== undefined ? { concurrency: Math.max(1, Math.round(point.concurrency / replicas)) } : {}),
    ...(point.requestRatePerSecond !== undefined ? { requestRatePerSecond: point.requestRatePerSecond / replicas } : {}),
    measured: { ...point.measured, ...(throughput !== undefined ? { output_tokens_per_second: throughput / replicas } : {}) },
  };
}

/**
 * A measured figure placed on the roofline: the engine step whose time it measures, with the
 * step's work from the layer model, at the arithmetic intensity of that step and the FLOP/s the
 * measured time implies (docs/measured.md, "On the roofline").
 */
export interface StepPlacement {
  /** `decode`: the average engine step, every decoding request and its share of prompt chunks (TPOT); `prefill`: one prompt alone (TTFT at one request in flight). */
  step: 'decode' | 'prefill';
  metric: 'tpot_ms' | 'ttft_ms';
  /** Sequences in the step, per instance: the requests decoding, or 1 for a prefill. */
  sequences: number;
  /** Tokens each sequence of a decode step reads from the cache (p + o/2, the mean); the prompt's tokens for a prefill. */
  contextTokens: number;
  /** Prompt tokens the average decode step carries beside its decodes (p·n/(o − 1)); 0 for a prefill. */
  promptTokensPerStep: number;
  /** The step's arithmetic on one device (layers on the interconnect left out, as the roofline leaves them out). */
  flops: number;
  /** The step's memory traffic on one device. */
  bytes: number;
  /** flops / bytes. */
  intensity: number;
  measuredSeconds: number;
  predictedSeconds: number;
  /** flops / measuredSeconds: the rate the measured time implies. */
  measuredFlopsPerSecond: number;
  /** flops / predictedSeconds, at the same intensity. */
  predictedFlopsPerSecond: number;
  /** The figure's error, as in the table: (predicted − measured) / measured of the time. */
  error: number;
}

/** Where a point's figures sit on the roofline, and why any of them does not. */
export interface RooflinePlacement {
  steps: StepPlacement[];
  /** One sentence per figure left off the roofline, naming the figure and the reason. */
  unplaced: string[];
}
