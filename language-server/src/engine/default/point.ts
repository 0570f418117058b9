/**
 * One workload on a prepared deployment: prefill, one decode step, the memory of each stage and
 * of the whole request, and the request's latency. Prefill holds the prompt's K/V; by the end of
 * decoding the cache holds prompt + output tokens (docs/conventions.md, "Memory").
 */
import type { MemoryBreakdown, WorkloadSpec } from '../types';
import { cacheBytes } from './memory';
import { layerClockSeconds } from './clock';
import { decodeStepsSeconds, fixedStepSeconds } from './metrics';
import type { StepShape } from './plan';
import type { PreparedDefault } from './prepare';
import { evaluateStage, type EvaluatedStage } from './stage';

export interface PointEvaluation {
  prefill: EvaluatedStage;
  decode: EvaluatedStage;
  prefillMemory: MemoryBreakdown;
  decodeMemory: MemoryBreakdown;
  /** The request's footprint: weights, the final KV cache and the larger activation peak. */
  peakMemory: MemoryBreakdown;
  ttftSeconds: number;
  /** All output_tokens − 1 decode steps together. */
  decodeSeconds: number;
  tpotSeconds: number;
  e2eSeconds: number;
  outputTokensPerSecond: number;
}

export function memoryBreakdown(weightsBytes: number, kvBytes: number, activationsBytes: number): MemoryBreakdown {
  return {
    weights_bytes: weightsBytes,
    kv_cache_bytes: kvBytes,
    activations_bytes: activationsBytes,
    total_bytes: weightsBytes + kvBytes + activationsBytes,
  };
}

export function prefillStepOf(workload: WorkloadSpec): StepShape {
  return { batchSize: workload.batchSize, queryTokens: workload.promptTokens, cachedTokens: 0, logitTokensPerSequence: 1 };
}

export function decodeStepOf(workload: WorkloadSpec): StepShape {
  return { batchSize: workload.batchSize, queryTokens: 1, cachedTokens: workload.promptTokens, logitTokensPerSequence: 1 };
}

export function evaluatePoint(prepared: PreparedDefault, workload: WorkloadSpec): PointEvaluation {
  const { layers, prefillLayers, memoryLayers, decodePlan, prefillPlan, clock, sizes, weightsBytes } = prepared;
  const prefill = evaluateStage(prefillLayers, prefillPlan, prefillStepOf(workload), clock, sizes.activation);
  const decode = evaluateStage(layers, decodePlan, decodeStepOf(workload), clock, sizes.activation);

  const prefillMemory = memoryBreakdown(weightsBytes, cacheBytes(memoryLayers, workload.batchSize, workload.promptTokens, sizes), prefill.activationPeakBytes);
  const decodeMemory = memoryBreakdown(
    weightsBytes,
    cacheBytes(memoryLayers, workload.batchSize, workload.promptTokens + workload.outputTokens, sizes),
    decode.activationPeakBytes,
  );
  // A serving engine must hold the whole cache while it still has room to run a prefill (vLLM
  // reserves activation memory for its largest prefill next to the cache).
  const peakMemory = memoryBreakdown(weightsBytes, decodeMemory.kv_cache_bytes, Math.max(prefill.activationPeakBytes, decode.activationPeakBytes));

  const fixedSeconds = fixedStepSeconds(layers, decode.layers);
  const decodeSeconds = decodeStepsSeconds(layers, clock, workload, fixedSeconds);
  const ttftSeconds = prefill.totals.seconds + clock.stepSeconds + clock.requestSeconds;
  const e2eSeconds = ttftSeconds + decodeSeconds;
  return {
    prefill,
    decode,
    prefillMemory,
    decodeMemory,
    peakMemory,
    ttftSeconds,
    decodeSeconds,
    tpotSeconds: workload.outputTokens > 1 ? decodeSeconds / (workload.outputTokens - 1) : decode.totals.seconds + clock.stepSeconds,
    e2eSeconds,
    outputTokensPerSecond: (workload.batchSize * workload.outputTokens) / e2eSeconds,
  };
}

/** What a sweep shows of one workload: latency, throughput and the request's memory. */
export interface PointSummary {
  ttftSeconds: number;
  tpotSeconds: number;
  e2eSeconds: number;
  outputTokensPerSecond: number;
  totalMemoryBytes: number;
}

/** Σ count × seconds of a step, the fixed (context-independent) part of it, and its activation peak. */
function stepSummary(
  layers: PreparedDefault['layers'],
  residualElementsPerToken: number,
  step: StepShape,
  prepared: PreparedDefault,
): { seconds: number; fixedSeconds: number; activationPeakBytes: number } {
  let seconds = 0;
  let fixedSeconds = 0;
  let largestActivations = 0;
  for (let index = 0; index < layers.length; index++) {
    const { template, count } = layers[index]!;
    const cost = template.cost(step);
    const layerTime = layerClockSeconds(prepared.clock, template, cost);
    seconds += count * layerTime;
    if (!template.contextDependent) fixedSeconds += count * layerTime;
    largestActivations = Math.max(largestActivations, cost.bytes.activations_in + cost.bytes.activations_out);
  }
  const residualBytes = step.batchSize * step.queryTokens * residualElementsPerToken * prepared.sizes.activation;
  return { seconds, fixedSeconds, activationPeakBytes: largestActivations + residualBytes };
}

/**
 * The same figures as `evaluatePoint`, computed without building per-layer results: the same
 * arithmetic in the same order (the sweep tests hold them equal), for sweeps of many points.
 */
export function summarizePoint(prepared: PreparedDefault, workload: WorkloadSpec): PointSummary {
  const { layers, prefillLayers, memoryLayers, decodePlan, prefillPlan, clock, sizes, weightsBytes } = prepared;
  const prefill = stepSummary(prefillLayers, prefillPlan.residualElementsPerToken, prefillStepOf(workload), prepared);
  const decode = stepSummary(layers, decodePlan.residualElementsPerToken, decodeStepOf(workload), prepared);
  const decodeSeconds = decodeStepsSeconds(layers, clock, workload, decode.fixedSeconds);
  const ttftSeconds = prefill.seconds + clock.stepSeconds + clock.requestSeconds;
  const e2eSeconds = ttftSeconds + decodeSeconds;
  const kvBytes = cacheBytes(memoryLayers, workload.batchSize, workload.promptTokens + workload.outputTokens, sizes);
  return {
    ttftSeconds,
    tpotSeconds: workload.outputTokens > 1 ? decodeSeconds / (workload.outputTokens - 1) : decode.seconds + clock.stepSeconds,
    e2eSeconds,
    outputTokensPerSecond: (workload.batchSize * workload.outputTokens) / e2eSeconds,
    totalMemoryBytes: weightsBytes + kvBytes + Math.max(prefill.activationPeakBytes, decode.activationPeakBytes),
  };
}
