/**
 * Performance targets (`targets:` in a deployment) checked against the analysis, by the engine's
 * one definition (engine/targets.ts). Targets are read from the editable fields the server
 * reports, so the panel shows what the file says.
 */
import { checkTargets as checkEngineTargets, TARGET_KEYS, targetsOf } from '../../language-server/src/engine/targets';
import type { AnalysisResult } from '../../language-server/src/engine/types';
import type { DocumentAnalysis } from '../../language-server/src/protocol/lsp';
import type { LatencyTargets } from './charts/latencyTargets';
import { findField } from './fields';
import { formatMilliseconds, formatTokensPerSecond } from '../../language-server/src/format/units';

export interface TargetCheck {
  name: string;
  /** Target and actual, formatted. */
  target: string;
  actual: string;
  met: boolean;
}

/** The document's targets, as the server reported their fields. */
export function documentTargets(analysis: DocumentAnalysis) {
  return targetsOf({ targets: Object.fromEntries(TARGET_KEYS.map((key) => [key, findField(analysis, ['targets', key])?.value])) });
}

/** The document's latency targets in seconds, for the time axes of the sweep and serving charts. */
export function documentLatencyTargets(analysis: DocumentAnalysis): LatencyTargets {
  const targets = documentTargets(analysis);
  return {
    ...(targets.ttftMs !== undefined ? { ttftSeconds: targets.ttftMs / 1e3 } : {}),
    ...(targets.tpotMs !== undefined ? { tpotSeconds: targets.tpotMs / 1e3 } : {}),
  };
}

export function checkTargets(analysis: DocumentAnalysis, result: AnalysisResult): TargetCheck[] {
  return checkEngineTargets(documentTargets(analysis), result).map((check) => {
    const format = check.lowerIsBetter ? formatMilliseconds : formatTokensPerSecond;
    return { name: check.name, target: `${check.lowerIsBetter ? '≤' : '≥'} ${format(check.target)}`, actual: format(check.actual), met: check.met };
  });
}
