/**
 * Speculative decoding on the default conventions: the draft model runs on the same devices with
 * the same split and formats; each verification step costs γ draft decode steps plus one target
 * step over γ + 1 query tokens (all of whose logits are computed), at the mean context of the
 * generation. The draft prefills the prompt too, after the target; both models' weights and KV
 * caches are held. With `draft: mtp` the draft is the target's own MTP module (mtpDraft.ts): γ
 * passes of it per step, its weights and cache held beside the target's.
 */
import { isRooflineInputError, RooflineInputError } from '../errors';
import { acceptanceText, expectedTokensFormula, speculativeTiming, validateSpeculative } from '../speculative';
import type { AnalysisResult, EngineInput, MemoryBreakdown, SpeculativeSpec, WorkloadSpec } from '../types';
import { activationPeakBytes } from './capacityModel';
import { mtpModuleOf, mtpPromptSeconds, mtpProposalSeconds, type MtpModule } from './mtpDraft';
import { evaluatePoint, memoryBreakdown, type PointEvaluation } from './point';
import { prepareDefault, type PreparedDefault } from './prepare';
import { evaluateStage } from './stage';

const DRAFT_PATH = ['speculative', 'draft_model'] as const;

/** The draft prepared like the target; its errors are placed on `speculative.draft_model`. */
export function prepareDraft(input: EngineInput, spec: SpeculativeSpec): PreparedDefault {
  validateSpeculative(spec);
  if (!spec.draftModel) throw new RooflineInputError([...DRAFT_PATH], 'give the draft model (or draft: mtp for the model\'s own multi-token-prediction module)', 'missing-field');
  // The draft is small and dense: it runs tensor-parallel on the target's devices, but is not
  // split into pipeline stages or expert groups (those apply to the target only).
  const draftInput: EngineInput = {
    ...input,
    model: spec.draftModel,
    modelName: spec.draftModelName,
    parallelism: { tensor: input.parallelism.tensor },
  };
  delete draftInput.speculative;
  try {
    return prepareDefault(draftInput);
  } catch (error) {
    if (!isRooflineInputError(error)) throw error;
    const path = error.path[0] === 'model' ? [...DRAFT_PATH, ...error.path.slice(1)] : [...DRAFT_PATH];
    throw new RooflineInputError(path, `the draft model: ${error.detail}`, error.code);
  }
}

/** Cached tokens of the mean decode step: steps j = 1 … O − 1 hold P + j − 1 tokens. */
export function meanCachedTokens(workload: WorkloadSpec): number {
  return workload.promptTokens + Math.round(Math.max(0, workload.outputTokens - 2) / 2);
}

export interface SpeculativeOutcome {
  memory: MemoryBreakdown;
  metrics: AnalysisResult['metrics'];
  notes: string[];
}

/** The draft of one analysis, at its workload: what it costs and holds. */
export interface DraftAtWorkload {
  /** What drafts, for notes. */
  label: string;
  /** The γ proposals of one verification step. */
  proposalSeconds: number;
  /** What the draft adds to the time to first token. */
  promptSeconds: number;
  weightsBytes: number;
  kvCacheBytes: number;
  activationsBytes: number;
  /** What one proposal is, for the note. */
  proposalText: string;
}

/** A separate draft model at the workload: γ of its decode steps, its prefill after the target's. */
export function modelDraftAtWorkload(draft: PreparedDefault, spec: SpeculativeSpec, workload: WorkloadSpec, draftPoint: PointEvaluation = evaluatePoint(draft, workload)): DraftAtWorkload {
  return {
    label: spec.draftModelName,
    proposalSeconds: spec.draftTokens * draftPoint.tpotSeconds,
    // The request's own fixed cost is paid once, not again for the draft's prefill.
    promptSeconds: draftPoint.ttftSeconds - draft.clock.requestSeconds,
    weightsBytes: draftPoint.peakMemory.weights_bytes,
    kvCacheBytes: draftPoint.peakMemory.kv_cache_bytes,
    activationsBytes: draftPoint.peakMemory.activations_bytes,
    proposalText: `${spec.draftTokens} draft decode steps`,
  };
}

/** The model's MTP module at the workload (mtpDraft.ts). */
export function mtpDraftAtWorkload(target: PreparedDefault, module: MtpModule, spec: SpeculativeSpec, workload: WorkloadSpec): DraftAtWorkload {
  const gamma = spec.draftTokens;
  const cached = meanCachedTokens(workload);
  return {
    label: `the model's multi-token-prediction module`,
    proposalSeconds: mtpProposalSeconds(target, module, gamma, workload.batchSize, cached),
    promptSeconds: mtpPromptSeconds(target, module, gamma, workload.batchSize, workload.promptTokens),
    weightsBytes: module.weightsBytes,
    kvCacheBytes: module.kvCacheBytes(workload.batchSize, workload.promptTokens + workload.outputTokens),
    activationsBytes: 0,
    proposalText: `${gamma} pass${gamma === 1 ? '' : 'es'} of the MTP module (${module.modules === 1 ? 'its one module reused for each drafted token' : `${module.modules} modules held`}: RMSNorms, eh_proj 2h → h, one decoder block, and the shared embedding and output head; ${(module.weightsBytes / 1e9).toFixed(2)} GB of weights held per device)`,
  };
}

/** The draft of `spec` at the workload, whichever kind it is. */
/** `clockDraft`: a separate draft model's preparation on another clock (the bound's, terms.ts); the MTP module runs on the target's. */
export function draftAtWorkload(
  target: PreparedDefault,
  input: EngineInput,
  spec: SpeculativeSpec,
  workload: WorkloadSpec,
  clockDraft?: (draft: PreparedDefault) => PreparedDefault,
): { draft: DraftAtWorkload; held?: PreparedDefault; module?: MtpModule } {
  if (spec.draft === 'mtp') {
    validateSpeculative(spec);
    if (spec.draftModel) throw new RooflineInputError([...DRAFT_PATH], 'give either draft: mtp (the model drafts for itself) or a draft_model, not both', 'conflict');
    const module = mtpModuleOf(target, input);
    return { draft: mtpDraftAtWorkload(target, module, spec, workload), module };
  }
  const prepared = prepareDraft(input, spec);
  return { draft: modelDraftAtWorkload(clockDraft ? clockDraft(prepared) : prepared, spec, workload), held: prepared };
}

export function speculativeDecoding(
  target: PreparedDefault,
  draft: DraftAtWorkload,
  spec: SpeculativeSpec,
  workload: WorkloadSpec,
  plain: PointEvaluation,
): SpeculativeOutcome {
  const verificationStep = {
    batchSize: workload.batchSize,
    queryTokens: spec.draftTokens + 1,
    cachedTokens: meanCachedTokens(workload),
    logitTokensPerSequence: spec.draftTokens + 1,
  };
  const verification = evaluateStage(target.layers, target.decodePlan, verificationStep, target.clock, target.sizes.activation);
  const timing = speculativeTiming(spec, draft.proposalSeconds, verification.totals.seconds + target.clock.stepSeconds, plain.tpotSeconds);

  const ttftSeconds = plain.ttftSeconds + draft.promptSeconds;
  const decodeSeconds = Math.max(0, workload.outputTokens - 1) * timing.tpotSeconds;
  const e2eSeconds = ttftSeconds + decodeSeconds;
  const draftWeights = draft.weightsBytes;
  const draftKv = draft.kvCacheBytes;
  const verificationActivations = activationPeakBytes(target.layers, target.decodePlan, verificationStep, target.sizes.activation);
  const memory = memoryBreakdown(
    plain.peakMemory.weights_bytes + draftWeights,
    plain.peakMemory.kv_cache_bytes + draftKv,
    Math.max(plain.peakMemory.activations_bytes, draft.activationsBytes, verificationActivations),
  );
  const { acceptanceRate: alpha, draftTokens: gamma } = spec;
  return {
    memory,
    metrics: {
      ttft_seconds: ttftSeconds,
      tpot_seconds: timing.tpotSeconds,
      e2e_seconds: e2eSeconds,
      output_tokens_per_second: (workload.batchSize * workload.outputTokens) / e2eSeconds,
      speculative: {
        expected_tokens_per_step: timing.expectedTokensPerStep,
        step_seconds: timing.stepSeconds,
        tpot_seconds: timing.tpotSeconds,
        plain_tpot_seconds: plain.tpotSeconds,
        speedup: timing.speedup,
        draft_weights_bytes: draftWeights,
        draft_kv_cache_bytes: draftKv,
      },
    },
    notes: [
      `Speculative decoding with ${draft.label}: ${gamma} drafted tokens per step, ${acceptanceText(alpha)}, so ${expectedTokensFormula(alpha, gamma)} = ${timing.expectedTokensPerStep.toFixed(2)} tokens per verification step (Leviathan et al. 2023). ` +
        `A step is ${draft.proposalText} plus one target step over ${gamma + 1} tokens at ${verificationStep.cachedTokens} cached tokens; TPOT, end-to-end time and throughput include it (${timing.speedup.toFixed(2)}× the speed of plain decoding, whose TPOT is ${(plain.tpotSeconds * 1e3).toFixed(3)} ms). TTFT includes the draft's pass over the prompt; memory holds the draft's weights and cache beside the target's.`,
    ],
  };
}
