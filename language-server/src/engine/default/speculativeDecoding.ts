/**
 * Speculative decoding on the default conventions: the draft model runs on the same devices with
 * the same split and formats; each verification step costs γ draft decode steps plus one target
 * step over γ + 1 query tokens (all of whose logits are computed), at the mean context of the
 * generation. The draft prefills the prompt too, after the target; both models' weights and KV
 * caches are held.
 */
import { isRooflineInputError, RooflineInputError } from '../errors';
import { speculativeTiming, validateSpeculative } from '../speculative';
import type { AnalysisResult, EngineInput, MemoryBreakdown, SpeculativeSpec, WorkloadSpec } from '../types';
import { activationPeakBytes } from './capacityModel';
import { evaluatePoint, memoryBreakdown, type PointEvaluation } from './point';
import { prepareDefault, type PreparedDefault } from './prepare';
import { evaluateStage } from './stage';

const DRAFT_PATH = ['speculative', 'draft_model'] as const;

/** The draft prepared like the target; its errors are placed on `speculative.draft_model`. */
export function prepareDraft(input: EngineInput, spec: SpeculativeSpec): PreparedDefault {
  validateSpeculative(spec);
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

export function speculativeDecoding(
  target: PreparedDefault,
  draft: PreparedDefault,
  spec: SpeculativeSpec,
  workload: WorkloadSpec,
  plain: PointEvaluation,
  draftPoint: PointEvaluation = evaluatePoint(draft, workload),
): SpeculativeOutcome {
  const verificationStep = {
    batchSize: workload.batchSize,
    queryTokens: spec.draftTokens + 1,
    cachedTokens: meanCachedTokens(workload),
    logitTokensPerSequence: spec.draftTokens + 1,
  };
  const verification = evaluateStage(target.layers, target.decodePlan, verificationStep, target.clock, target.sizes.activation);
  const timing = speculativeTiming(spec, draftPoint.tpotSeconds, verification.totals.seconds + target.clock.stepSeconds, plain.tpotSeconds);

  // The request's own fixed cost is paid once, not again for the draft's prefill.
  const ttftSeconds = plain.ttftSeconds + draftPoint.ttftSeconds - draft.clock.requestSeconds;
  const decodeSeconds = Math.max(0, workload.outputTokens - 1) * timing.tpotSeconds;
  const e2eSeconds = ttftSeconds + decodeSeconds;
  const draftWeights = draftPoint.peakMemory.weights_bytes;
  const draftKv = draftPoint.peakMemory.kv_cache_bytes;
  const verificationActivations = activationPeakBytes(target.layers, target.decodePlan, verificationStep, target.sizes.activation);
  const memory = memoryBreakdown(
    plain.peakMemory.weights_bytes + draftWeights,
    plain.peakMemory.kv_cache_bytes + draftKv,
    Math.max(plain.peakMemory.activations_bytes, draftPoint.peakMemory.activations_bytes, verificationActivations),
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
      `Speculative decoding with ${spec.draftModelName}: ${gamma} drafted tokens per step, acceptance rate ${alpha}, so (1 − ${alpha}^${gamma + 1}) / (1 − ${alpha}) = ${timing.expectedTokensPerStep.toFixed(2)} tokens per verification step (Leviathan et al. 2023). ` +
        `A step is ${gamma} draft decode steps plus one target step over ${gamma + 1} tokens at ${verificationStep.cachedTokens} cached tokens; TPOT, end-to-end time and throughput include it (${timing.speedup.toFixed(2)}× the speed of plain decoding, whose TPOT is ${(plain.tpotSeconds * 1e3).toFixed(3)} ms). TTFT includes the draft's prefill; memory holds both models' weights and caches.`,
    ],
  };
}
