/**
 * Speculative decoding (Leviathan, Kalman & Matias, "Fast Inference from Transformers via
 * Speculative Decoding", ICML 2023): a draft model proposes γ tokens one by one, then the target
 * verifies all of them in one forward pass over γ + 1 query tokens. With each drafted token
 * accepted independently with probability α, one verification step yields on average
 * (1 − α^(γ+1)) / (1 − α) tokens (their eq. 1): the accepted prefix plus the target's own token.
 */
import { RooflineInputError } from './errors';
import type { SpeculativeSpec } from './types';

export function validateSpeculative(spec: SpeculativeSpec): void {
  const { draftTokens, acceptanceRate } = spec;
  if (!Number.isInteger(draftTokens) || draftTokens < 1) {
    throw new RooflineInputError(['speculative', 'draft_tokens'], `draft_tokens must be a positive whole number, got ${draftTokens}`, 'out-of-range');
  }
  // α = 1 would make every step accept everything: the formula's limit is γ + 1, but no real
  // draft agrees with its target always, and 1 − α = 0 would divide by zero.
  if (!Number.isFinite(acceptanceRate) || acceptanceRate < 0 || acceptanceRate >= 1) {
    throw new RooflineInputError(
      ['speculative', 'acceptance_rate'],
      `acceptance_rate must be at least 0 and below 1 (the chance the target accepts one drafted token), got ${acceptanceRate}`,
      'out-of-range',
    );
  }
}

/** E[tokens per verification step] = (1 − α^(γ+1)) / (1 − α). */
export function expectedTokensPerStep(acceptanceRate: number, draftTokens: number): number {
  return (1 - acceptanceRate ** (draftTokens + 1)) / (1 - acceptanceRate);
}

export interface SpeculativeTiming {
  expectedTokensPerStep: number;
  /** γ draft decode steps + one target verification step. */
  stepSeconds: number;
  tpotSeconds: number;
  /** Plain TPOT / speculative TPOT. */
  speedup: number;
}

export function speculativeTiming(
  spec: SpeculativeSpec,
  draftStepSeconds: number,
  verificationStepSeconds: number,
  plainTpotSeconds: number,
): SpeculativeTiming {
  const expected = expectedTokensPerStep(spec.acceptanceRate, spec.draftTokens);
  const stepSeconds = spec.draftTokens * draftStepSeconds + verificationStepSeconds;
  const tpotSeconds = stepSeconds / expected;
  return { expectedTokensPerStep: expected, stepSeconds, tpotSeconds, speedup: plainTpotSeconds / tpotSeconds };
}
