/**
 * One workload on a prepared deployment: prefill, one decode step, the memory of each stage and
 * of the whole request, and the request's latency. Prefill holds the prompt's K/V; by the end of
 * decoding the cache holds prompt + output tokens (docs/conventions.md, "Memory").
 */
import type { MemoryBreakdown, WorkloadSpec } from '../types';
import { kvCacheBytes } from './memory';
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
  const { layers, prefillLayers, decodePlan, prefillPlan, rates, sizes, weightsBytes } = prepared;
  const prefill = evaluateStage(prefillLayers, prefillPlan, prefillStepOf(workload), rates, sizes.activation);
  const decode = evaluateStage(layers, decodePlan, decodeStepOf(workload), rates, sizes.activation);

  const prefillMemory = memoryBreakdown(weightsBytes, kvCacheBytes(layers, workload.batchSize, workload.promptTokens, sizes), prefill.activationPeakBytes);
  const decodeMemory = memoryBreakdown(
    weightsBytes,
    kvCacheBytes(layers, workload.batchSize, workload.promptTokens + workload.outputTokens, sizes),
    decode.activationPeakBytes,
  );
  // A serving engine must hold the whole cache while it still has room to run a prefill (vLLM
  // reserves activation memory for its largest prefill next to the cache).
  const peakMemory = memoryBreakdown(weightsBytes, decodeMemory.kv_cache_bytes, Math.max(prefill.activationPeakBytes, decode.activationPeakBytes));

  const fixedSeconds = fixedStepSeconds(
    layers,
    decode.layers.map((layer) => layer.seconds),
  );
  const decodeSeconds = decodeStepsSeconds(layers, rates, workload, fixedSeconds);
  const ttftSeconds = prefill.totals.seconds;
  const e2eSeconds = ttftSeconds + decodeSeconds;
  return {
    prefill,
    decode,
    prefillMemory,
    decodeMemory,
    peakMemory,
    ttftSeconds,
    decodeSeconds,
    tpotSeconds: workload.outputTokens > 1 ? decodeSeconds / (workload.outputTokens - 1) : decode.totals.seconds,
    e2eSeconds,
    outputTokensPerSecond: (workload.batchSize * workload.outputTokens) / e2eSeconds,
  };
}
