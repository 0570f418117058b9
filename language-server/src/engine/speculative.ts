/**
 * Speculative decoding (Leviathan, Kalman & Matias, "Fast Inference from Transformers via
 * Speculative Decoding", ICML 2023): a draft model proposes γ tokens one by one, then the target
 * verifies all of them in one forward pass over γ + 1 query tokens. With each drafted token
 * accepted independently with probability α, one verification step yields on average
 * (1 − α^(γ+1)) / (1 − α) tokens (their eq. 1): the accepted prefix plus the target's own token.
 * When acceptance falls with the draft's depth (a draft reused autoregressively, as TensorRT-LLM
 * runs DeepSeek's one MTP module three times), a rate per position α₁ … α_γ is given instead:
 * drafted token k is accepted with probability α_k once the tokens before it were, so a step
 * yields 1 + α₁ + α₁α₂ + … + α₁⋯α_γ tokens.
 */
import { RooflineInputError } from './errors';
import type { SpeculativeSpec } from './types';

export function validateSpeculative(spec: SpeculativeSpec): void {
  const { draftTokens, acceptanceRate } = spec;
  if (!Number.isInteger(draftTokens) || draftTokens < 1) {
    throw new RooflineInputError(['speculative', 'draft_tokens'], `draft_tokens must be a positive whole number, got ${draftTokens}`, 'out-of-range');
  }
  if (typeof acceptanceRate !== 'number') {
    if (acceptanceRate.length !== draftTokens) {
      throw new RooflineInputError(
        ['speculative', 'acceptance_rate'],
        `a list of acceptance rates gives one per drafted token: ${draftTokens} (draft_tokens), got ${acceptanceRate.length}`,
        'out-of-range',
      );
    }
    acceptanceRate.forEach((rate, index) => {
      // A rate per position may be 1 (the sum stays finite); the chain of products keeps E ≤ γ + 1.
      if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
        throw new RooflineInputError(['speculative', 'acceptance_rate', index], `an acceptance rate is from 0 to 1, got ${rate}`, 'out-of-range');
      }
    });
    return;
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

/**
 * E[tokens per verification step] = (1 − α^(γ+1)) / (1 − α) for one rate; with a rate per
 * position, 1 + α₁ + α₁α₂ + … + α₁⋯α_γ.
 */
export function expectedTokensPerStep(acceptanceRate: number | readonly number[], draftTokens: number): number {
  if (typeof acceptanceRate === 'number') return (1 - acceptanceRate ** (draftTokens + 1)) / (1 - acceptanceRate);
  let tokens = 1;
  let acceptedSoFar = 1;
  for (let position = 0; position < draftTokens; position++) {
    acceptedSoFar *= acceptanceRate[position] ?? 0;
    tokens += acceptedSoFar;
  }
  return tokens;
}

/** The formula of E as notes and hovers show it, with the rates filled in. */
export function expectedTokensFormula(acceptanceRate: number | readonly number[], draftTokens: number): string {
  if (typeof acceptanceRate === 'number') return `(1 − ${acceptanceRate}^${draftTokens + 1}) / (1 − ${acceptanceRate})`;
  const products = acceptanceRate.map((_, index) => acceptanceRate.slice(0, index + 1).join(' × '));
  return `1 + ${products.join(' + ')}`;
}

/** The acceptance rate as written: one number, or one per drafted position. */
export function acceptanceText(acceptanceRate: number | readonly number[]): string {
  return typeof acceptanceRate === 'number' ? `acceptance rate ${acceptanceRate}` : `acceptance rates ${acceptanceRate.join(', ')} by drafted position`;
}

export interface SpeculativeTiming {
  expectedTokensPerStep: number;
  /** The draft's γ proposals + one target verification step. */
  stepSeconds: number;
  tpotSeconds: number;
  /** Plain TPOT / speculative TPOT. */
  speedup: number;
}

/** `draftSeconds`: all γ proposals of one step (γ draft decode steps, or γ passes of an MTP module). */
export function speculativeTiming(
  spec: SpeculativeSpec,
  draftSeconds: number,
  verificationStepSeconds: number,
  plainTpotSeconds: number,
): SpeculativeTiming {
  const expected = expectedTokensPerStep(spec.acceptanceRate, spec.draftTokens);
  const stepSeconds = draftSeconds + verificationStepSeconds;
  const tpotSeconds = stepSeconds / expected;
  return { expectedTokensPerStep: expected, stepSeconds, tpotSeconds, speedup: plainTpotSeconds / tpotSeconds };
}
