/**
 * The panel's line under `efficiency: expected`: the expected TTFT and TPOT beside the ideal bound,
 * and the effects that dominate the decode gap. Pure, so it is unit-tested without a DOM.
 */
import { dominantTerms } from '../../language-server/src/engine/expected/dominant';
import type { AnalysisResult } from '../../language-server/src/engine/types';
import { formatPercent, formatSeconds } from '../../language-server/src/format/units';

export function expectedFactText(result: AnalysisResult): string | undefined {
  const { bound, terms } = result.metrics;
  if (result.hardware.efficiency?.mode !== 'expected' || !bound || !terms) return undefined;
  const dominant = dominantTerms(terms, 'tpot_seconds')
    .map((term) => `${term.label} ${formatPercent(term.share)}`)
    .join(', ');
  return (
    `Expected: TTFT ${formatSeconds(result.metrics.ttft_seconds)} (ideal bound ${formatSeconds(bound.ttft_seconds)}), ` +
    `TPOT ${formatSeconds(result.metrics.tpot_seconds)} (bound ${formatSeconds(bound.tpot_seconds)})${dominant ? `; decode gap: ${dominant}` : ''}.`
  );
}
