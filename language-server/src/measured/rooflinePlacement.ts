/**
 * Measured figures on the roofline. A roofline point is one step of work at its arithmetic
 * intensity and the rate it ran at; a figure goes on it only where it is the time of one step:
 *
 * - TPOT is the time of the average engine step: every decoding request makes one token, and
 *   the step carries the prompt tokens that keep arrivals equal to completions, p·n/(o − 1) for
 *   n decoding requests (continuous batching with chunked prefill; none on a disaggregated
 *   deployment's decode pool). n is the point's requests in flight times the share of a
 *   request's time spent decoding, (o − 1)·TPOT / (TTFT + (o − 1)·TPOT), from the measured
 *   figures (Little's law on the decode phase); each reads p + o/2 tokens of cache on average, as
 *   the serving model takes it (docs/serving.md). A burst (every request sent at once) decodes
 *   all its requests together after their prefills, with no prompt beside them. The prompt share
 *   is that fraction of one whole prompt's prefill, its weights not read again (the step reads
 *   them once for both).
 * - TTFT is the time of one prefill only with one request in flight (`--max-concurrency 1`,
 *   GuideLLM's synchronous); under load it includes waiting for other requests' steps.
 *
 * The step's FLOPs and bytes come from the layer model, the same for the measured and the
 * predicted point, so the two sit at one intensity and their heights differ by exactly the
 * ratio of the times. docs/measured.md ("On the roofline") says the same for users.
 */
import { analyzeResolved } from '../engine/index';
import { sumLayerBytes } from '../engine/roofline';
import type { AnalysisResult, EngineInput, StageResult } from '../engine/types';
import { formatNumber } from '../format/units';
import type { MetricComparison, PointComparison, RooflinePlacement, StepPlacement } from './types';

/** Share of a request's time spent decoding: (o − 1)·TPOT / (TTFT + (o − 1)·TPOT). */
export function decodingShare(outputTokens: number, ttftMs: number, tpotMs: number): number {
  const decodingMs = Math.max(0, outputTokens - 1) * tpotMs;
  return decodingMs / (ttftMs + decodingMs);
}

export interface StepWork {
  flops: number;
  bytes: number;
  /** The part of `bytes` that is weights. */
  weightBytes: number;
}

/** A step's arithmetic and memory traffic on one device, without the layers on the interconnect (their bytes do not cross memory). */
export function stepWork(stage: StageResult): StepWork {
  let flops = 0;
  let bytes = 0;
  let weightBytes = 0;
  for (const layer of stage.layers) {
    if (layer.bound === 'network') continue;
    flops += layer.count * layer.flops;
    bytes += layer.count * sumLayerBytes(layer.bytes);
    weightBytes += layer.count * layer.bytes.weights;
  }
  return { flops, bytes, weightBytes };
}

/**
 * The decode step with `promptTokensPerStep` of prompt work beside it: that share of one whole
 * prompt's prefill (of `promptTokens`), whose weights the step has read already.
 */
export function withPromptShare(decode: StepWork, prefill: StepWork, promptTokensPerStep: number, promptTokens: number): StepWork {
  if (promptTokensPerStep <= 0) return decode;
  const share = promptTokensPerStep / promptTokens;
  return {
    flops: decode.flops + share * prefill.flops,
    bytes: decode.bytes + share * (prefill.bytes - prefill.weightBytes),
    weightBytes: decode.weightBytes,
  };
}

/** The measured and the predicted time of one step at the step's work. */
export function placeStep(
  step: StepPlacement['step'],
  comparison: MetricComparison & { metric: StepPlacement['metric'] },
  work: Pick<StepWork, 'flops' | 'bytes'>,
  sequences: number,
  contextTokens: number,
  promptTokensPerStep: number,
): StepPlacement | undefined {
  const measuredSeconds = comparison.measured / 1e3;
  const predictedSeconds = comparison.predicted / 1e3;
  const intensity = work.flops / work.bytes;
  const placement: StepPlacement = {
    step,
    metric: comparison.metric,
    sequences,
    contextTokens,
    promptTokensPerStep,
    flops: work.flops,
    bytes: work.bytes,
    intensity,
    measuredSeconds,
    predictedSeconds,
    measuredFlopsPerSecond: work.flops / measuredSeconds,
    predictedFlopsPerSecond: work.flops / predictedSeconds,
    error: comparison.error,
  };
  const finite = [intensity, placement.measuredFlopsPerSecond, placement.predictedFlopsPerSecond].every((value) => Number.isFinite(value) && value > 0);
  return finite ? placement : undefined;
}

/** Copies of the model the decode steps run on: the decode pool's when prefill and decode are disaggregated. */
function decodeInstances(serving: NonNullable<AnalysisResult['serving']>): number {
  if (!serving.disaggregated) return serving.instances;
  const gpusPerInstance = serving.gpus / serving.instances;
  return Math.max(1, Math.round(serving.disaggregated.decode_gpus / gpusPerInstance));
}

function plainInput(pointInput: EngineInput, batchSize: number, promptTokens: number): EngineInput {
  const { serving: _serving, variants: _variants, ...rest } = pointInput;
  return { ...rest, workload: { batchSize, promptTokens, outputTokens: pointInput.workload.outputTokens } };
}

function metricOf<M extends StepPlacement['metric']>(point: PointComparison, metric: M): (MetricComparison & { metric: M }) | undefined {
  return point.metrics.find((comparison): comparison is MetricComparison & { metric: M } => comparison.metric === metric);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Where a compared point's TPOT and TTFT sit on the roofline. `pointInput` is the deployment at
 * the point's load and lengths (compare.ts `inputForPoint`), `result` its serving analysis.
 */
export function placeOnRoofline(point: PointComparison, pointInput: EngineInput, result: AnalysisResult): RooflinePlacement {
  const steps: StepPlacement[] = [];
  const unplaced: string[] = [];
  const o = point.outputTokens;
  const p = point.promptTokens;
  const tpot = metricOf(point, 'tpot_ms');
  const ttft = metricOf(point, 'ttft_ms');
  const throughput = point.metrics.some((comparison) => comparison.metric === 'output_tokens_per_second');
  const name = point.label;
  // One prompt's prefill, which both placements may read: analysed once, when first asked for.
  let prefill: StageResult | undefined;
  const prefillStage = (): StageResult => (prefill ??= analyzeResolved(plainInput(pointInput, 1, p)).stages.prefill);

  if (tpot) {
    const serving = result.serving;
    const unplacedBecause = (reason: string): void => {
      unplaced.push(`${name}, TPOT: ${reason}`);
    };
    if (pointInput.speculative) unplacedBecause('with speculative decoding a step verifies several tokens, so TPOT is not the time of one step');
    else if ((pointInput.parallelism.pipeline ?? 1) > 1) unplacedBecause('with pipeline parallelism a step passes every stage, so TPOT is not the time of one device\'s step');
    else if (!serving || point.inFlight === undefined) unplacedBecause('the requests in flight are not known, so neither is the decode batch');
    else {
      // Measured figures where there are; the prediction stands in for a figure the run did not record.
      // A burst prefills every prompt first, then they all decode together with no prompt arriving.
      const ttftMs = ttft?.measured ?? serving.ttft_seconds * 1e3;
      const share = point.burst ? 1 : decodingShare(o, ttftMs, tpot.measured);
      const sequences = Math.max(1, Math.round((point.inFlight * share) / decodeInstances(serving)));
      const contextTokens = Math.round(p + o / 2);
      const promptTokensPerStep = point.burst || serving.disaggregated || o <= 1 ? 0 : (p * sequences) / (o - 1);
      try {
        const decodeStage = analyzeResolved(plainInput(pointInput, sequences, contextTokens)).stages.decode;
        const work = promptTokensPerStep > 0 ? withPromptShare(stepWork(decodeStage), stepWork(prefillStage()), promptTokensPerStep, p) : stepWork(decodeStage);
        const placed = placeStep('decode', tpot, work, sequences, contextTokens, promptTokensPerStep);
        if (placed) steps.push(placed);
        else unplacedBecause('the decode step has no arithmetic or no memory traffic to place');
      } catch (error) {
        unplacedBecause(`a decode step of ${formatNumber(sequences)} requests cannot be analysed: ${errorText(error)}`);
      }
    }
  } else if (throughput) {
    unplaced.push(`${name}, throughput: without TPOT the time of one step is not known (throughput counts prompt work and idle time too)`);
  }

  if (ttft) {
    if (point.concurrency === 1) {
      try {
        const placed = placeStep('prefill', ttft, stepWork(prefillStage()), 1, p, 0);
        if (placed) steps.push(placed);
        else unplaced.push(`${name}, TTFT: the prefill has no arithmetic or no memory traffic to place`);
      } catch (error) {
        unplaced.push(`${name}, TTFT: the prefill cannot be analysed: ${errorText(error)}`);
      }
    } else {
      const inFlight = point.inFlight !== undefined ? `${formatNumber(point.inFlight)} requests in flight` : 'more than one request in flight';
      unplaced.push(`${name}, TTFT: with ${inFlight} the time to first token includes waiting for other requests' steps, not the time of one prefill (placed only at concurrency 1)`);
    }
  }
  return { steps, unplaced };
}
