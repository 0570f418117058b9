/**
 * Applies a deployment's `techniques:` to its prepared plan, in TECHNIQUE_KEYS order: first what
 * changes the work itself (a shorter prompt, smaller or sparser matrices, fewer active units,
 * fused operators, a bounded cache), then where the bytes live (offload streams what the layers
 * finally read), then how many layers a step runs (early exit) and how many tokens a step yields
 * (parallel decoding). Each technique maps the layers it touches and leaves the others as they are.
 */
import { RooflineInputError } from '../errors';
import { storedWeightBytes } from '../default/memory';
import type { PreparedDefault } from '../default/prepare';
import type { EngineInput, WorkloadSpec } from '../types';
import { applyContextualSparsity } from './contextualSparsity';
import { applyEarlyExit } from './earlyExit';
import { applyFusion } from './fusion';
import { applyKvCacheEviction } from './kvCacheEviction';
import { applyLowRank } from './lowRank';
import { applyOffload } from './offload';
import { addMedusaHeads } from './parallelDecoding';
import { applyPromptCompression } from './promptCompression';
import type { ParallelDecodingSpec, TechniquesSpec, TechniqueSummary } from './spec';
import type { TechniqueState } from './state';
import { acceleratedPattern, applyWeightSparsity } from './weightSparsity';

export interface AppliedTechniques {
  prepared: PreparedDefault;
  workload: WorkloadSpec;
  summaries: TechniqueSummary[];
  notes: string[];
  parallelDecoding?: ParallelDecodingSpec;
}

/** Combinations the engine cannot analyse; each names the key to change. */
function rejectImpossible(input: EngineInput, spec: TechniquesSpec): void {
  if (spec.parallelDecoding && input.speculative) {
    throw new RooflineInputError(['techniques', 'parallel_decoding'], 'Medusa heads and a speculative draft model both replace the decode step; keep one of them', 'conflicting-techniques');
  }
}

/** Remarks on combinations that run but change nothing or less than the user may expect. */
function combinationNotes(input: EngineInput, spec: TechniquesSpec): string[] {
  const notes: string[] = [];
  const eviction = spec.kvCacheEviction;
  const context = input.workload.promptTokens + input.workload.outputTokens;
  if (eviction && eviction.keepTokens >= context) {
    notes.push(`kv_cache_eviction keeps ${eviction.keepTokens} tokens, at least the whole context of ${context}: nothing is evicted.`);
  }
  if (spec.weightSparsity && acceleratedPattern(spec.weightSparsity) && input.hardware.sparseTensorCores !== true) {
    notes.push(`${input.hardware.name} has no sparse tensor cores: 2:4 weights save memory traffic only, and matmuls run at the dense rate.`);
  }
  if (spec.offload && spec.offload.weights === 0 && spec.offload.kvCache === 0) {
    notes.push('offload moves nothing to host memory (weights and kv_cache are 0).');
  }
  return notes;
}

export function applyTechniques(base: PreparedDefault, input: EngineInput, spec: TechniquesSpec): AppliedTechniques {
  rejectImpossible(input, spec);
  const state: TechniqueState = {
    base,
    hardware: input.hardware,
    decode: base.layers,
    decodeParts: base.decodePlan.groups.flatMap((group) => group.layers.map(() => group.part)),
    prefill: base.prefillLayers,
    memory: base.memoryLayers,
    workload: input.workload,
    summaries: [],
    notes: combinationNotes(input, spec),
  };
  if (state.decodeParts.length !== state.decode.length) throw new Error('techniques: the decode layers do not match the decode plan');
  if (spec.promptCompression) applyPromptCompression(state, spec.promptCompression);
  if (spec.lowRank) applyLowRank(state, spec.lowRank.rankFraction);
  if (spec.weightSparsity) applyWeightSparsity(state, spec.weightSparsity);
  if (spec.contextualSparsity) applyContextualSparsity(state, spec.contextualSparsity);
  if (spec.fusion?.elementwise) applyFusion(state);
  if (spec.kvCacheEviction) applyKvCacheEviction(state, spec.kvCacheEviction);
  if (spec.parallelDecoding) addMedusaHeads(state, spec.parallelDecoding);
  if (spec.offload) applyOffload(state, spec.offload);
  if (spec.earlyExit) applyEarlyExit(state, spec.earlyExit.meanLayers);
  const prepared: PreparedDefault = {
    ...base,
    layers: state.decode,
    prefillLayers: state.prefill,
    memoryLayers: state.memory,
    weightsBytes: storedWeightBytes(state.memory, base.sizes),
    // Techniques change layers and their activations: the base's activation figures do not apply.
    activationScope: {},
  };
  return {
    prepared,
    workload: state.workload,
    summaries: state.summaries,
    notes: state.notes,
    ...(spec.parallelDecoding ? { parallelDecoding: spec.parallelDecoding } : {}),
  };
}
