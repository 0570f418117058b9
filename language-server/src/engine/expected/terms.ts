/**
 * What each effect of `efficiency: expected` adds to TTFT and TPOT: the deployment is summarised
 * with the effects switched on one by one in their order (clock.ts), each term the difference to
 * the one before. With none on the figures are the ideal roofline's (the bound); with all of them,
 * the expected figures. An effect that acts through a max (a faster rate under a slower ceiling)
 * is charged only what it adds once the effects before it are in.
 */
import type { AnalysisResult, ExpectedTerm, WorkloadSpec } from '../types';
import type { PreparedDefault } from '../default/prepare';
import { summarizePoint, type PointSummary } from '../default/point';
import { EXPECTED_EFFECTS, expectedClock, type ExpectedContext, type ExpectedEffect } from './clock';

/** The speed figures of a preparation on a clock with `effects` on (the plain point's, unless the deployment decodes otherwise). */
export type SummaryOn = (clocked: PreparedDefault, effects: ReadonlySet<ExpectedEffect>) => Pick<PointSummary, 'ttftSeconds' | 'tpotSeconds' | 'e2eSeconds' | 'outputTokensPerSecond'>;

function summaryWith(prepared: PreparedDefault, context: ExpectedContext, effects: ReadonlySet<ExpectedEffect>, workload: WorkloadSpec, summarize?: SummaryOn): Pick<PointSummary, 'ttftSeconds' | 'tpotSeconds' | 'e2eSeconds' | 'outputTokensPerSecond'> {
  const clocked = { ...prepared, clock: expectedClock(context, effects) };
  return summarize ? summarize(clocked, effects) : summarizePoint(clocked, workload);
}

export interface ExpectedBreakdown {
  bound: NonNullable<AnalysisResult['metrics']['bound']>;
  terms: ExpectedTerm[];
}

/**
 * `summarize`: how the deployment's figures are found on each clock, when not by the plain point
 * (speculative decoding: the draft and the verification on the same clock, so the bound is the
 * ideal roofline of the speculative step).
 */
export function expectedBreakdown(prepared: PreparedDefault, context: ExpectedContext, workload: WorkloadSpec, summarize?: SummaryOn): ExpectedBreakdown {
  const on = new Set<ExpectedEffect>();
  const ideal = summaryWith(prepared, context, on, workload, summarize);
  let previous = ideal;
  const terms: ExpectedTerm[] = [];
  for (const effect of EXPECTED_EFFECTS) {
    on.add(effect.id);
    const current = summaryWith(prepared, context, on, workload, summarize);
    terms.push({
      id: effect.id,
      label: effect.label,
      ttft_seconds: current.ttftSeconds - previous.ttftSeconds,
      tpot_seconds: current.tpotSeconds - previous.tpotSeconds,
      source: effect.source,
    });
    previous = current;
  }
  return {
    bound: {
      ttft_seconds: ideal.ttftSeconds,
      tpot_seconds: ideal.tpotSeconds,
      e2e_seconds: ideal.e2eSeconds,
      output_tokens_per_second: ideal.outputTokensPerSecond,
    },
    terms,
  };
}
