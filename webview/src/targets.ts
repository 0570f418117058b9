/**
 * Performance targets (`targets:` in a deployment) checked against the analysis. Targets are
 * read from the editable fields the server reports, so the panel shows what the file says.
 */
import type { AnalysisResult } from '../../language-server/src/engine/types';
import type { DocumentAnalysis } from '../../language-server/src/protocol/lsp';
import { findField } from './fields';
import { formatSeconds, formatTokensPerSecond } from './format';

export interface TargetCheck {
  name: string;
  /** Target and actual, formatted. */
  target: string;
  actual: string;
  met: boolean;
}

function targetNumber(analysis: DocumentAnalysis, key: string): number | undefined {
  const value = findField(analysis, ['targets', key])?.value;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export function checkTargets(analysis: DocumentAnalysis, result: AnalysisResult): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const ttftMilliseconds = targetNumber(analysis, 'ttft_ms');
  if (ttftMilliseconds !== undefined) {
    checks.push({
      name: 'TTFT',
      target: `≤ ${formatSeconds(ttftMilliseconds / 1000)}`,
      actual: formatSeconds(result.metrics.ttft_seconds),
      met: result.metrics.ttft_seconds * 1000 <= ttftMilliseconds,
    });
  }
  const tpotMilliseconds = targetNumber(analysis, 'tpot_ms');
  if (tpotMilliseconds !== undefined) {
    checks.push({
      name: 'TPOT',
      target: `≤ ${formatSeconds(tpotMilliseconds / 1000)}`,
      actual: formatSeconds(result.metrics.tpot_seconds),
      met: result.metrics.tpot_seconds * 1000 <= tpotMilliseconds,
    });
  }
  const minTokensPerSecond = targetNumber(analysis, 'min_tokens_per_second');
  if (minTokensPerSecond !== undefined) {
    checks.push({
      name: 'Tokens/s',
      target: `≥ ${formatTokensPerSecond(minTokensPerSecond)}`,
      actual: formatTokensPerSecond(result.metrics.output_tokens_per_second),
      met: result.metrics.output_tokens_per_second >= minTokensPerSecond,
    });
  }
  return checks;
}
