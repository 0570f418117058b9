/**
 * `--baseline`: the same deployment without its `techniques:`, and how the two compare per stage
 * (the figures the panel's before/after view shows).
 */
import { analyzeResolved } from '../engine/index';
import type { AnalysisResult, EngineInput } from '../engine/types';
import { table } from './format';
import { formatBytes, formatRatio, formatSeconds } from '../format/units';

/** The deployment without its techniques (and without its variants, which compare with it). */
export function withoutTechniques(input: EngineInput): EngineInput {
  const { techniques: _dropped, variants: _variants, ...rest } = input;
  return rest;
}

export function analyzeBaseline(input: EngineInput): AnalysisResult {
  return analyzeResolved(withoutTechniques(input));
}

/** before / after as "1.86× faster" or "2.10× slower". */
function speedup(before: number, after: number): string {
  if (after <= 0 || before <= 0) return '—';
  const ratio = before / after;
  return ratio >= 1 ? `${formatRatio(ratio)} faster` : `${formatRatio(1 / ratio)} slower`;
}

export function renderComparison(baseline: AnalysisResult, result: AnalysisResult): string {
  const rows = [
    ['TTFT', formatSeconds(baseline.metrics.ttft_seconds), formatSeconds(result.metrics.ttft_seconds), speedup(baseline.metrics.ttft_seconds, result.metrics.ttft_seconds)],
    ['TPOT', formatSeconds(baseline.metrics.tpot_seconds), formatSeconds(result.metrics.tpot_seconds), speedup(baseline.metrics.tpot_seconds, result.metrics.tpot_seconds)],
    ['memory', formatBytes(baseline.memory.total_bytes), formatBytes(result.memory.total_bytes), formatRatio(result.memory.total_bytes / baseline.memory.total_bytes)],
  ];
  const techniques = (result.techniques ?? []).map((technique) => `- ${technique.label}: ${technique.effect} (${technique.source})`);
  return ['Techniques against none:', '', table(['', 'without', 'with', 'change'], rows, [false, true, true, true]), ...(techniques.length > 0 ? ['', ...techniques] : [])].join('\n');
}
