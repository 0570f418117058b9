/**
 * `conventions: default`: our best roofline model of decoder-only transformers (dense or mixture
 * of experts; grouped-query, sliding-window or latent attention), per device.
 * Prefill processes prompt_tokens per sequence; the decode stage is one step with prompt_tokens
 * tokens cached. Differences from LLM-Viewer, and why, are in docs/conventions.md.
 * The workload-independent part is prepared once (prepare.ts) and one workload evaluated on it
 * (point.ts); sweeps reuse the preparation for many workloads (engine/sweep.ts).
 */
import { RooflineInputError } from '../errors';
import { validateEngineInput } from '../validate';
import { capacityAnswer, fitsInMemory, requireMemoryUtilization } from '../capacity';
import { achievableCeiling } from '../efficiency';
import type { AnalysisResult, EngineInput, MemoryBreakdown, StageResult } from '../types';
import { memoryModelOf } from './capacityModel';
import { activeParameters, storedParameters, weightBytesByKind } from './memory';
import { blockKinds } from './blockKinds';
import { architectureNotes, parallelismNotes } from './notes';
import { splitForTensorParallel } from './parallel';
import { evaluatePoint } from './point';
import { pipelineMetricsOf } from './pipeline';
import { prepareDefault, type PreparedDefault } from './prepare';
import { buildPlan } from './blocks';
import { prepareDraft, speculativeDecoding } from './speculativeDecoding';
import { servingOf } from './serving';
import { flattenPlan, type EvaluatedStage } from './stage';
import { expectedBreakdown } from '../expected/terms';
import { applyTechniques } from '../techniques/apply';
import { parallelDecodingPoint } from '../techniques/parallelDecoding';
import { hasTechniques } from '../techniques/spec';

function stageResult(stage: EvaluatedStage, memory: MemoryBreakdown): StageResult {
  return { layers: stage.layers, totals: stage.totals, memory };
}

/**
 * Total and active parameters of the whole model, counted on an unsplit plan without storage
 * padding (a kernel layout's padded experts hold no parameters).
 */
function parameterCounts(prepared: PreparedDefault): { total: number; active: number } {
  const { shape, device, sizes, planOptions, layers } = prepared;
  const { expertAlignment, ...unpadded } = sizes;
  const unsplit =
    device.tensorParallel === 1 && expertAlignment === undefined
      ? layers
      : flattenPlan(buildPlan(shape, splitForTensorParallel(shape, 1), unpadded, planOptions, 'decode'));
  return { total: storedParameters(unsplit), active: activeParameters(unsplit) };
}

export function analyzeDefault(input: EngineInput): AnalysisResult {
  const base = prepareDefault(input);
  const techniques = hasTechniques(input.techniques) ? applyTechniques(base, input, input.techniques) : undefined;
  const prepared = techniques?.prepared ?? base;
  const workload = techniques?.workload ?? input.workload;
  const { hardware } = input;
  const { shape, device, matmulPrecision, efficiency } = prepared;
  const notes = [...prepared.notes, ...(techniques?.notes ?? [])];
  const plainPoint = evaluatePoint(prepared, workload);
  const point = techniques?.parallelDecoding ? parallelDecodingPoint(prepared, workload, techniques.parallelDecoding, plainPoint) : plainPoint;

  let memory = point.peakMemory;
  let metrics: AnalysisResult['metrics'] = {
    ttft_seconds: point.ttftSeconds,
    tpot_seconds: point.tpotSeconds,
    e2e_seconds: point.e2eSeconds,
    output_tokens_per_second: point.outputTokensPerSecond,
  };
  const heldModels = [prepared];
  if (input.speculative) {
    const draft = prepareDraft(input, input.speculative);
    const speculative = speculativeDecoding(prepared, draft, input.speculative, workload, point);
    ({ memory, metrics } = speculative);
    notes.push(...speculative.notes);
    heldModels.push(draft);
  }

  if (prepared.expected) {
    const { bound, terms } = expectedBreakdown(prepared, prepared.expected, workload);
    metrics = { ...metrics, bound, terms };
  }

  const pipeline = pipelineMetricsOf(prepared, workload, metrics.tpot_seconds);
  if (pipeline) metrics = { ...metrics, pipeline };

  const capacityBytes = hardware.memoryCapacityBytes;
  const memoryUtilization = requireMemoryUtilization(input.memoryUtilization);
  const capacity = capacityBytes === undefined ? undefined : capacityAnswer(memoryModelOf(heldModels), workload, capacityBytes, memoryUtilization);
  if (capacity && memory.total_bytes <= capacityBytes! && memory.total_bytes > capacity.usable_bytes) {
    notes.push(
      `The request would fill the ${hardware.name}'s whole memory, but a serving engine may use only ${Math.round(memoryUtilization * 100)}% of it (memory.utilization), so it does not fit.`,
    );
  }

  const serving = input.serving ? servingOf(prepared, { ...input, workload }, memoryUtilization) : undefined;
  if (serving) {
    notes.push(
      `Serving: ${input.workload.promptTokens}-token prompts and ${input.workload.outputTokens}-token outputs under continuous batching; workload.batch_size is the fixed batch of the stages above and is not used by the serving figures.`,
    );
    // The serving step is the engine's plain decode step: tokens accepted per step by a draft model
    // or Medusa heads change TTFT/TPOT above, but not the steady state under load.
    const multiToken = input.speculative ? 'the speculative draft model' : techniques?.parallelDecoding ? 'parallel decoding (Medusa heads)' : undefined;
    if (multiToken) {
      notes.push(`The serving figures decode one token per request per step: the tokens ${multiToken} accepts per step are in TTFT and TPOT above, not in the figures under load.`);
    }
  }

  const parameters = parameterCounts(base);
  notes.push(
    'Prefill computes logits for the last prompt token of each sequence only (the one sampled from); it yields the first output token, so generation takes output_tokens − 1 decode steps.',
  );
  if (workload.outputTokens === 1) {
    notes.push('With one output token there is no decode step; TPOT shows what one decode step after the prompt would take.');
  }
  notes.push(...parallelismNotes(shape, device));
  notes.push(...architectureNotes(shape, device, workload, input.model));

  const bandwidth = hardware.memoryBandwidthBytesPerSecond;
  return {
    conventions: 'default',
    stages: {
      prefill: stageResult(point.prefill, point.prefillMemory),
      decode: stageResult(point.decode, point.decodeMemory),
    },
    memory: {
      ...memory,
      ...(capacityBytes !== undefined ? { capacity_bytes: capacityBytes } : {}),
      memory_utilization: memoryUtilization,
      fits: fitsInMemory(memory.total_bytes, capacityBytes, memoryUtilization),
    },
    metrics,
    hardware: {
      name: hardware.name,
      memory_bandwidth_bytes_per_second: bandwidth,
      peak_ops_per_second: matmulPrecision.peakOpsPerSecond,
      compute_precision: matmulPrecision.precision,
      ridge_point: matmulPrecision.peakOpsPerSecond / bandwidth,
      efficiency: { mode: efficiency.mode, memory: efficiency.memory, compute: efficiency.compute(matmulPrecision.precision) },
      achievable_ceilings: [achievableCeiling(efficiency, hardware, matmulPrecision.precision, matmulPrecision.peakOpsPerSecond)],
    },
    ...(capacity ? { capacity } : {}),
    ...(serving ? { serving } : {}),
    ...(techniques ? { techniques: techniques.summaries } : {}),
    model: {
      name: input.modelName,
      parameters: parameters.total,
      active_parameters: parameters.active,
      weights_by_kind: weightBytesByKind(prepared.memoryLayers, prepared.sizes, (kind) => prepared.weightFormats.byKind[kind].name),
      block_kinds: blockKinds(shape),
    },
    notes,
  };
}

/**
 * The `serving` result alone, exactly as `analyzeDefault` computes it, for searches that vary
 * only the load (the planner's concurrency levels) on a deployment already analysed in full.
 */
export function servingOnly(input: EngineInput): NonNullable<AnalysisResult['serving']> {
  validateEngineInput(input);
  if (!input.serving) throw new RooflineInputError(['serving'], 'the deployment has no serving: section');
  return servingOf(prepareDefault(input), input, requireMemoryUtilization(input.memoryUtilization));
}
