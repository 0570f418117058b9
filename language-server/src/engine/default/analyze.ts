/**
 * `conventions: default`: our best roofline model of decoder-only transformers (dense or mixture
 * of experts; grouped-query, sliding-window or latent attention), per device.
 * Prefill processes prompt_tokens per sequence; the decode stage is one step with prompt_tokens
 * tokens cached. Differences from LLM-Viewer, and why, are in docs/conventions.md.
 * The workload-independent part is prepared once (prepare.ts) and one workload evaluated on it
 * (point.ts); sweeps reuse the preparation for many workloads (engine/sweep.ts).
 */
import { BoundedMemo } from '../boundedMemo';
import type { ArchitectureShape } from './shape';
import { capacityAnswer, fitsInMemory, requireMemoryUtilization } from '../capacity';
import { achievableCeiling, type ResolvedEfficiency } from '../efficiency';
import type { AnalysisResult, BlockKindSummary, EngineInput, MemoryBreakdown, StageResult, WeightBytesOfKind } from '../types';
import { memoryModelOf } from './capacityModel';
import { activeParameters, storedParameters, weightBytesByKind } from './memory';
import { blockKinds } from './blockKinds';
import { architectureNotes, parallelismNotes } from './notes';
import { splitForTensorParallel } from './parallel';
import { evaluatePoint } from './point';
import { pipelineMetricsOf } from './pipeline';
import { prepareDefault, type PreparedDefault } from './prepare';
import { buildPlan } from './blocks';
import { draftAtWorkload, speculativeDecoding } from './speculativeDecoding';
import { servingOf, servingSpeculationNote } from './serving';
import type { MtpModule } from './mtpDraft';
import type { MemoryModel } from '../capacity';
import { flattenPlan, type EvaluatedStage } from './stage';
import { expectedBreakdown, type SummaryOn } from '../expected/terms';
import { expectedClock } from '../expected/clock';
import { applyTechniques } from '../techniques/apply';
import { servingLoadsOf } from './servingLoads';
import { parallelDecodingPoint } from '../techniques/parallelDecoding';
import { hasTechniques } from '../techniques/spec';

/** The capacity answers with the MTP module's weights and cache held beside the target's. */
function withMtpModule(model: MemoryModel, module: MtpModule | undefined): MemoryModel {
  if (!module) return model;
  return {
    fixedBytes: model.fixedBytes + module.weightsBytes,
    kvBytesPerSequence: (tokens) => model.kvBytesPerSequence(tokens) + module.kvCacheBytes(1, tokens),
    activationBytes: (batchSize, promptTokens) => model.activationBytes(batchSize, promptTokens),
  };
}

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
  if (device.tensorParallel === 1 && expertAlignment === undefined) return { total: storedParameters(layers), active: activeParameters(layers) };
  // The unsplit plan is the same for every parallelism a planner tries: counted once per shape
  // (a model config edited in place gets a new shape, shape.ts) and what the plan is built from.
  let byPlan = unsplitCounts.get(shape);
  if (!byPlan) unsplitCounts.set(shape, (byPlan = new BoundedMemo(UNSPLIT_PLANS_KEPT)));
  return byPlan.get(`${planOptions.flashAttention}|${JSON.stringify(planOptions.interconnect)}|${JSON.stringify(unpadded)}`, () => {
    const unsplit = flattenPlan(buildPlan(shape, splitForTensorParallel(shape, 1), unpadded, planOptions, 'decode'));
    return { total: storedParameters(unsplit), active: activeParameters(unsplit) };
  });
}

const unsplitCounts = new WeakMap<ArchitectureShape, BoundedMemo<string, { total: number; active: number }>>();
const UNSPLIT_PLANS_KEPT = 32;

/** What an analysis shows that depends on the preparation only, worked out once per preparation. */
interface PreparedFigures {
  parameters: { total: number; active: number };
  weightsByKind: WeightBytesOfKind[];
  blockKinds: BlockKindSummary[];
  efficiency: { mode: ResolvedEfficiency['mode']; memory: number; compute: number };
  achievableCeiling: ReturnType<typeof achievableCeiling>;
  parallelismNotes: string[];
}

// By preparation object: preparations are cached while their inputs are unchanged (preparedCache.ts),
// so a reused preparation finds its figures here and a new one (an edited model) works them out again.
const figuresByPrepared = new WeakMap<PreparedDefault, WeakMap<PreparedDefault, PreparedFigures>>();

function preparedFigures(base: PreparedDefault, prepared: PreparedDefault, hardware: EngineInput['hardware']): PreparedFigures {
  let byPrepared = figuresByPrepared.get(base);
  if (!byPrepared) {
    byPrepared = new WeakMap();
    figuresByPrepared.set(base, byPrepared);
  }
  const known = byPrepared.get(prepared);
  if (known) return known;
  const { matmulPrecision, efficiency } = prepared;
  const figures: PreparedFigures = {
    parameters: parameterCounts(base),
    weightsByKind: prepared.checkpoint
      ? prepared.checkpoint.byKind(prepared.memoryLayers, (kind) => prepared.weightFormats.byKind[kind].name)
      : weightBytesByKind(prepared.memoryLayers, prepared.sizes, (kind) => prepared.weightFormats.byKind[kind].name),
    blockKinds: blockKindsOf(prepared.shape),
    efficiency: { mode: efficiency.mode, memory: efficiency.memory, compute: efficiency.compute(matmulPrecision.precision) },
    achievableCeiling: achievableCeiling(efficiency, hardware, matmulPrecision.precision, matmulPrecision.peakOpsPerSecond),
    parallelismNotes: parallelismNotes(prepared.shape, prepared.device),
  };
  byPrepared.set(prepared, figures);
  return figures;
}

// Block kinds depend on the architecture alone: found once per shape (a config edited in place
// gets a new shape, shape.ts), however many formats and parallelisms a plan prepares it with.
const blockKindsByShape = new WeakMap<ArchitectureShape, BlockKindSummary[]>();

function blockKindsOf(shape: ArchitectureShape): BlockKindSummary[] {
  let kinds = blockKindsByShape.get(shape);
  if (!kinds) blockKindsByShape.set(shape, (kinds = blockKinds(shape)));
  return kinds;
}

// Results are the caller's to keep and change: each gets its own copies of the shared figures.
// Copied with push into a literal, not map(): V8's optimized map() makes arrays of another
// elements kind than its unoptimized one, and the finiteness check reading them deoptimized.
function copyWeightsByKind(entries: readonly WeightBytesOfKind[]): WeightBytesOfKind[] {
  const copies: WeightBytesOfKind[] = [];
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    copies.push({ kind: entry.kind, format: entry.format, bytes: entry.bytes });
  }
  return copies;
}

function copyBlockKinds(entries: readonly BlockKindSummary[]): BlockKindSummary[] {
  const copies: BlockKindSummary[] = [];
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    copies.push({ kind: entry.kind, blocks: entry.blocks, indices: entry.indices.slice(), keeps: entry.keeps });
  }
  return copies;
}

/** push(...list) without the spread call, which deoptimized analyzeDefault in V8. */
function appendNotes(notes: string[], more: readonly string[]): void {
  for (let index = 0; index < more.length; index++) notes.push(more[index]!);
}

export function analyzeDefault(input: EngineInput): AnalysisResult {
  const base = prepareDefault(input);
  const techniques = hasTechniques(input.techniques) ? applyTechniques(base, input, input.techniques) : undefined;
  const prepared = techniques?.prepared ?? base;
  const workload = techniques?.workload ?? input.workload;
  const { hardware } = input;
  const { shape, device, matmulPrecision } = prepared;
  // A fresh literal, filled by push: a copy of an empty list (slice) has V8's small-integer
  // elements kind, and the first string pushed onto it deoptimized this whole function.
  const notes: string[] = [];
  appendNotes(notes, prepared.notes);
  if (techniques) appendNotes(notes, techniques.notes);
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
  let heldModule: MtpModule | undefined;
  if (input.speculative) {
    const { draft, held, module } = draftAtWorkload(prepared, input, input.speculative, workload);
    const speculative = speculativeDecoding(prepared, draft, input.speculative, workload, point);
    ({ memory, metrics } = speculative);
    appendNotes(notes, speculative.notes);
    if (held) heldModels.push(held);
    heldModule = module;
  }

  if (prepared.expected) {
    const spec = input.speculative;
    // With speculative decoding the bound and each term are of the speculative step, the draft on the same clock.
    const summarize: SummaryOn | undefined = spec
      ? (clocked, effects) => {
          const reclock = (draft: PreparedDefault): PreparedDefault => (draft.expected ? { ...draft, clock: expectedClock(draft.expected, effects) } : draft);
          const { draft } = draftAtWorkload(clocked, input, spec, workload, reclock);
          const outcome = speculativeDecoding(clocked, draft, spec, workload, evaluatePoint(clocked, workload)).metrics;
          return { ttftSeconds: outcome.ttft_seconds, tpotSeconds: outcome.tpot_seconds, e2eSeconds: outcome.e2e_seconds, outputTokensPerSecond: outcome.output_tokens_per_second };
        }
      : undefined;
    const { bound, terms } = expectedBreakdown(prepared, prepared.expected, workload, summarize);
    metrics = { ...metrics, bound, terms };
  }

  const pipeline = pipelineMetricsOf(prepared, workload, metrics.tpot_seconds);
  if (pipeline) metrics = { ...metrics, pipeline };

  const capacityBytes = hardware.memoryCapacityBytes;
  const memoryUtilization = requireMemoryUtilization(input.memoryUtilization);
  const capacity = capacityBytes === undefined ? undefined : capacityAnswer(withMtpModule(memoryModelOf(heldModels), heldModule), workload, capacityBytes, memoryUtilization);
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
    if (input.speculative) notes.push(servingSpeculationNote(input.speculative));
    // Medusa heads change TTFT/TPOT above, but not the steady state under load (its step is the
    // engine's plain decode step).
    if (techniques?.parallelDecoding) {
      notes.push('The serving figures decode one token per request per step: the tokens parallel decoding (Medusa heads) accepts per step are in TTFT and TPOT above, not in the figures under load.');
    }
  }

  const figures = preparedFigures(base, prepared, hardware);
  const parameters = figures.parameters;
  notes.push(
    'Prefill computes logits for the last prompt token of each sequence only (the one sampled from); it yields the first output token, so generation takes output_tokens − 1 decode steps.',
  );
  if (workload.outputTokens === 1) {
    notes.push('With one output token there is no decode step; TPOT shows what one decode step after the prompt would take.');
  }
  for (const note of figures.parallelismNotes) notes.push(note);
  const shapeNotes = architectureNotes(shape, device, workload, input.model);
  if (heldModule) {
    // The module drafts here, so it is held: say so where the notes would say it is not counted.
    const counted = `The multi-token-prediction module (num_nextn_predict_layers = ${heldModule.modules}) is counted: it drafts for speculative decoding (speculative.draft: mtp), with ${(heldModule.weightsBytes / 1e9).toFixed(2)} GB of weights per device and its own KV cache beside the model's.`;
    const at = shapeNotes.findIndex((note) => note.startsWith('The multi-token-prediction module'));
    if (at >= 0) shapeNotes[at] = counted;
    else shapeNotes.push(counted);
  }
  appendNotes(notes, shapeNotes);

  const bandwidth = hardware.memoryBandwidthBytesPerSecond;
  const ceiling = figures.achievableCeiling;
  // Built field by field in the order results have always had (the JSON output keeps it): object
  // spreads cost several times more in V8, and this runs on every keystroke.
  const resultMemory: AnalysisResult['memory'] = {
    weights_bytes: memory.weights_bytes,
    kv_cache_bytes: memory.kv_cache_bytes,
    activations_bytes: memory.activations_bytes,
    total_bytes: memory.total_bytes,
  } as AnalysisResult['memory'];
  if (capacityBytes !== undefined) resultMemory.capacity_bytes = capacityBytes;
  resultMemory.memory_utilization = memoryUtilization;
  resultMemory.fits = fitsInMemory(memory.total_bytes, capacityBytes, memoryUtilization);
  const result = {
    conventions: 'default',
    stages: {
      prefill: stageResult(point.prefill, point.prefillMemory),
      decode: stageResult(point.decode, point.decodeMemory),
    },
    memory: resultMemory,
    metrics,
    hardware: {
      name: hardware.name,
      memory_bandwidth_bytes_per_second: bandwidth,
      peak_ops_per_second: matmulPrecision.peakOpsPerSecond,
      compute_precision: matmulPrecision.precision,
      ...(prepared.otherMatmulPrecisions.length > 0
        ? {
            other_matmul_precisions: prepared.otherMatmulPrecisions.map(({ weightKinds, resolved }) => ({
              weight_kinds: [...weightKinds],
              compute_precision: resolved.precision,
              peak_ops_per_second: resolved.peakOpsPerSecond,
            })),
          }
        : {}),
      ridge_point: matmulPrecision.peakOpsPerSecond / bandwidth,
      efficiency: { mode: figures.efficiency.mode, memory: figures.efficiency.memory, compute: figures.efficiency.compute },
      achievable_ceilings: [{ label: ceiling.label, peak_ops_per_second: ceiling.peak_ops_per_second, memory_bandwidth_bytes_per_second: ceiling.memory_bandwidth_bytes_per_second }],
    },
  } as AnalysisResult;
  if (capacity) result.capacity = capacity;
  if (serving) result.serving = serving;
  if (techniques) result.techniques = techniques.summaries;
  result.model = {
    name: input.modelName,
    parameters: parameters.total,
    active_parameters: parameters.active,
    weights_by_kind: copyWeightsByKind(figures.weightsByKind),
    block_kinds: copyBlockKinds(figures.blockKinds),
  };
  result.notes = notes;
  return result;
}

/**
 * The `serving` result alone, exactly as `analyzeDefault` computes it (techniques applied), for
 * searches that vary only the load (the panel's serving curve, the cheapest change to a target).
 */
export function servingOnly(input: EngineInput): NonNullable<AnalysisResult['serving']> {
  return servingLoadsOf(input).asGiven();
}
