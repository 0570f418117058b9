/**
 * `conventions: default`: our best roofline model of decoder-only transformers (dense or mixture
 * of experts; grouped-query, sliding-window or latent attention), per device.
 * Prefill processes prompt_tokens per sequence; the decode stage is one step with prompt_tokens
 * tokens cached. Differences from LLM-Viewer, and why, are in docs/conventions.md.
 */
import { RooflineInputError } from '../errors';
import { bytesPerElement } from '../formats';
import type { RooflineRates } from '../roofline';
import type { AnalysisResult, EngineInput, InterconnectSpec, MemoryBreakdown, StageResult } from '../types';
import { buildPlan, type PlanOptions } from './blocks';
import { activeParameters, kvCacheBytes, storedParameters, storedWeightBytes } from './memory';
import { decodeStepsSeconds, fixedStepSeconds } from './metrics';
import { DEFAULT_INTERCONNECT, splitForTensorParallel } from './parallel';
import type { ElementBytes, StepShape } from './plan';
import { resolvePrecision, widerFormat } from './precision';
import { architectureNotes, parallelismNotes } from './notes';
import { readArchitecture, type ArchitectureShape } from './shape';
import { evaluateStage, flattenPlan, type EvaluatedStage, type RatesByUnit } from './stage';

function requirePositiveBits(input: EngineInput): void {
  const formats = [
    ['weights', input.quantization.weights],
    ['activations', input.quantization.activations],
    ['kv_cache', input.quantization.kvCache],
  ] as const;
  for (const [key, format] of formats) {
    if (!Number.isFinite(format.bitsPerElement) || format.bitsPerElement <= 0) {
      throw new RooflineInputError(['quantization', key], `bits per element must be positive, got ${format.bitsPerElement}`);
    }
  }
}

/** The link collectives use: the hardware's own, checked, or PCIe 4.0 x16 with a note. */
function interconnectFor(input: EngineInput, notes: string[]): InterconnectSpec {
  const link = input.hardware.interconnect;
  if (input.parallelism.tensor <= 1) return link ?? DEFAULT_INTERCONNECT;
  if (!link) {
    notes.push(
      `${input.hardware.name} gives no interconnect, so all-reduces are timed over PCIe 4.0 x16 (32 GB/s per direction, 5 µs per ring step); set hardware interconnect to change this.`,
    );
    return DEFAULT_INTERCONNECT;
  }
  if (!Number.isFinite(link.bandwidthBytesPerSecond) || link.bandwidthBytesPerSecond <= 0) {
    throw new RooflineInputError(['hardware', 'interconnect', 'bandwidth_gb_s'], 'interconnect bandwidth must be a positive number');
  }
  if (!Number.isFinite(link.latencySeconds) || link.latencySeconds < 0) {
    throw new RooflineInputError(['hardware', 'interconnect', 'latency_us'], 'interconnect latency must be zero or more');
  }
  return link;
}

function elementBytes(input: EngineInput): ElementBytes {
  const activation = bytesPerElement(input.quantization.activations);
  return {
    weight: bytesPerElement(input.quantization.weights),
    // Norm weights and biases stay in 16-bit (or the activation format if wider) under every
    // common quantisation scheme (GPTQ, AWQ, FP8, GGUF).
    vectorParameter: Math.max(activation, 2),
    activation,
    kvCache: bytesPerElement(input.quantization.kvCache),
  };
}

function stageResult(stage: EvaluatedStage, memory: MemoryBreakdown): StageResult {
  return { layers: stage.layers, totals: stage.totals, memory };
}

function memoryBreakdown(weightsBytes: number, kvBytes: number, activationsBytes: number): MemoryBreakdown {
  return {
    weights_bytes: weightsBytes,
    kv_cache_bytes: kvBytes,
    activations_bytes: activationsBytes,
    total_bytes: weightsBytes + kvBytes + activationsBytes,
  };
}

/** Total and active parameters of the whole model, counted on an unsplit plan. */
function parameterCounts(shape: ArchitectureShape, sizes: ElementBytes, options: PlanOptions): { total: number; active: number } {
  const layers = flattenPlan(buildPlan(shape, splitForTensorParallel(shape, 1), sizes, options, 'decode'));
  return { total: storedParameters(layers), active: activeParameters(layers) };
}

export function analyzeDefault(input: EngineInput): AnalysisResult {
  requirePositiveBits(input);
  const { workload, hardware, quantization } = input;
  const notes: string[] = [];
  const shape = readArchitecture(input.model);
  const device = splitForTensorParallel(shape, input.parallelism.tensor);
  const interconnect = interconnectFor(input, notes);
  const sizes = elementBytes(input);

  const matmulFormat = widerFormat(quantization.weights, quantization.activations);
  const attentionFormat = widerFormat(quantization.kvCache, quantization.activations);
  const matmulPrecision = resolvePrecision(matmulFormat.computePrecision, hardware.peakOpsPerSecond, hardware.name, 'matmuls');
  const attentionPrecision = resolvePrecision(
    attentionFormat.computePrecision,
    hardware.peakOpsPerSecond,
    hardware.name,
    'attention matmuls',
  );
  for (const resolved of [matmulPrecision, attentionPrecision]) {
    if (resolved.note && !notes.includes(resolved.note)) notes.push(resolved.note);
  }
  if (attentionPrecision.precision !== matmulPrecision.precision) {
    notes.push(
      `Attention matmuls run at ${attentionPrecision.precision} (the wider of the activation and KV cache formats); weight matmuls and elementwise layers at ${matmulPrecision.precision}.`,
    );
  }
  const bandwidth = hardware.memoryBandwidthBytesPerSecond;
  const matmulRates: RooflineRates = { peakOpsPerSecond: matmulPrecision.peakOpsPerSecond, memoryBandwidthBytesPerSecond: bandwidth };
  // Elementwise work runs on vector units; without a documented vector rate for most parts we time
  // it at the matmul peak. It is memory-bound by orders of magnitude either way.
  const rates: RatesByUnit = {
    matmul: matmulRates,
    vector: matmulRates,
    network: matmulRates,
    attention: { peakOpsPerSecond: attentionPrecision.peakOpsPerSecond, memoryBandwidthBytesPerSecond: bandwidth },
  };

  const planOptions: PlanOptions = { flashAttention: input.flashAttention, interconnect };
  const decodePlan = buildPlan(shape, device, sizes, planOptions, 'decode');
  // Only latent attention computes prefill differently (decompressed rather than absorbed).
  const prefillPlan = shape.latentAttention ? buildPlan(shape, device, sizes, planOptions, 'prefill') : decodePlan;
  const layers = flattenPlan(decodePlan);
  const prefillLayers = shape.latentAttention ? flattenPlan(prefillPlan) : layers;

  const prefillStep: StepShape = {
    batchSize: workload.batchSize,
    queryTokens: workload.promptTokens,
    cachedTokens: 0,
    logitTokensPerSequence: 1,
  };
  const decodeStep: StepShape = {
    batchSize: workload.batchSize,
    queryTokens: 1,
    cachedTokens: workload.promptTokens,
    logitTokensPerSequence: 1,
  };
  const prefill = evaluateStage(prefillLayers, prefillPlan, prefillStep, rates, sizes.activation);
  const decode = evaluateStage(layers, decodePlan, decodeStep, rates, sizes.activation);

  const weightsBytes = storedWeightBytes(layers, sizes);
  // Prefill holds the prompt's K/V; by the end of decoding the cache holds prompt + output tokens.
  const prefillMemory = memoryBreakdown(
    weightsBytes,
    kvCacheBytes(layers, workload.batchSize, workload.promptTokens, sizes),
    prefill.activationPeakBytes,
  );
  const decodeMemory = memoryBreakdown(
    weightsBytes,
    kvCacheBytes(layers, workload.batchSize, workload.promptTokens + workload.outputTokens, sizes),
    decode.activationPeakBytes,
  );
  // The request's footprint: a serving engine must hold the whole cache while it still has room
  // to run a prefill (vLLM reserves activation memory for its largest prefill next to the cache).
  const peakMemory = memoryBreakdown(
    weightsBytes,
    decodeMemory.kv_cache_bytes,
    Math.max(prefill.activationPeakBytes, decode.activationPeakBytes),
  );
  const capacity = hardware.memoryCapacityBytes;

  const fixedSeconds = fixedStepSeconds(
    layers,
    decode.layers.map((layer) => layer.seconds),
  );
  const decodeSeconds = decodeStepsSeconds(layers, rates, workload, fixedSeconds);
  const ttftSeconds = prefill.totals.seconds;
  const e2eSeconds = ttftSeconds + decodeSeconds;
  const tpotSeconds = workload.outputTokens > 1 ? decodeSeconds / (workload.outputTokens - 1) : decode.totals.seconds;

  const parameters =
    device.tensorParallel === 1
      ? { total: storedParameters(layers), active: activeParameters(layers) }
      : parameterCounts(shape, sizes, planOptions);

  notes.push(
    'Prefill computes logits for the last prompt token of each sequence only (the one sampled from); it yields the first output token, so generation takes output_tokens − 1 decode steps.',
  );
  if (workload.outputTokens === 1) {
    notes.push('With one output token there is no decode step; TPOT shows what one decode step after the prompt would take.');
  }
  notes.push(...parallelismNotes(shape, device));
  notes.push(...architectureNotes(shape, device, workload, input.model));

  return {
    conventions: 'default',
    stages: {
      prefill: stageResult(prefill, prefillMemory),
      decode: stageResult(decode, decodeMemory),
    },
    memory: {
      ...peakMemory,
      ...(capacity !== undefined ? { capacity_bytes: capacity } : {}),
      fits: capacity === undefined || peakMemory.total_bytes <= capacity,
    },
    metrics: {
      ttft_seconds: ttftSeconds,
      tpot_seconds: tpotSeconds,
      e2e_seconds: e2eSeconds,
      output_tokens_per_second: (workload.batchSize * workload.outputTokens) / e2eSeconds,
    },
    hardware: {
      name: hardware.name,
      memory_bandwidth_bytes_per_second: bandwidth,
      peak_ops_per_second: matmulPrecision.peakOpsPerSecond,
      compute_precision: matmulPrecision.precision,
      ridge_point: matmulPrecision.peakOpsPerSecond / bandwidth,
    },
    model: { name: input.modelName, parameters: parameters.total, active_parameters: parameters.active },
    notes,
  };
}
