/**
 * Service targets (`targets:`) and the figures they are checked against: one definition for the
 * diagnostics, inlay hints, the panel, the comparison table, the report and the planner. With
 * `serving:` the steady state under load is what a user experiences, so TTFT, TPOT and throughput
 * come from it; otherwise from the fixed batch.
 */
import type { AnalysisResult, ServingResult } from './types';

export interface ServiceTargets {
  ttftMs?: number;
  tpotMs?: number;
  minTokensPerSecond?: number;
}

export type TargetKey = 'ttft_ms' | 'tpot_ms' | 'min_tokens_per_second';

export const TARGET_KEYS: readonly TargetKey[] = ['ttft_ms', 'tpot_ms', 'min_tokens_per_second'];

export interface TargetFigures {
  ttftMs: number;
  tpotMs: number;
  /** Output tokens per second of the whole deployment (over the batch, or under load). */
  tokensPerSecond: number;
  /** Where the figures come from, for messages. */
  basis: 'serving' | 'batch';
}

export function targetFigures(result: AnalysisResult): TargetFigures {
  const serving = result.serving;
  if (serving) return servingTargetFigures(serving);
  return {
    ttftMs: result.metrics.ttft_seconds * 1e3,
    tpotMs: result.metrics.tpot_seconds * 1e3,
    tokensPerSecond: result.metrics.output_tokens_per_second,
    basis: 'batch',
  };
}

/** The figures under load (`serving:`), which a result with a serving section is checked against. */
export function servingTargetFigures(serving: ServingResult): TargetFigures {
  return { ttftMs: serving.ttft_seconds * 1e3, tpotMs: serving.tpot_seconds * 1e3, tokensPerSecond: serving.output_tokens_per_second, basis: 'serving' };
}

/** The targets a result misses, in the order the schema lists them. */
export function missedTargets(targets: ServiceTargets, figures: TargetFigures): TargetKey[] {
  const missed: TargetKey[] = [];
  if (targets.ttftMs !== undefined && figures.ttftMs > targets.ttftMs) missed.push('ttft_ms');
  if (targets.tpotMs !== undefined && figures.tpotMs > targets.tpotMs) missed.push('tpot_ms');
  if (targets.minTokensPerSecond !== undefined && figures.tokensPerSecond < targets.minTokensPerSecond) missed.push('min_tokens_per_second');
  return missed;
}

/** `targets:` of a deployment's plain value; absent or non-positive numbers are left out. */
export function targetsOf(root: unknown): ServiceTargets {
  const targets = root !== null && typeof root === 'object' ? (root as Record<string, unknown>).targets : undefined;
  if (targets === null || typeof targets !== 'object') return {};
  const read = (key: TargetKey): number | undefined => {
    const value = (targets as Record<string, unknown>)[key];
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
  };
  const ttftMs = read('ttft_ms');
  const tpotMs = read('tpot_ms');
  const minTokensPerSecond = read('min_tokens_per_second');
  return {
    ...(ttftMs !== undefined ? { ttftMs } : {}),
    ...(tpotMs !== undefined ? { tpotMs } : {}),
    ...(minTokensPerSecond !== undefined ? { minTokensPerSecond } : {}),
  };
}

/** One stated target beside the figure it is checked against, for display. */
export interface TargetCheck {
  key: TargetKey;
  /** TTFT, TPOT, Tokens/s. */
  name: string;
  /** The target, in the unit its key names (ms or tokens/s). */
  target: number;
  /** The figure it is checked against, in the same unit. */
  actual: number;
  /** Lower is better for latencies, higher for throughput. */
  lowerIsBetter: boolean;
  met: boolean;
}

/** Every stated target with its verdict, by `missedTargets`. */
export function checkTargets(targets: ServiceTargets, result: AnalysisResult): TargetCheck[] {
  const figures = targetFigures(result);
  const missed = new Set(missedTargets(targets, figures));
  const checks: TargetCheck[] = [];
  const add = (key: TargetKey, name: string, target: number | undefined, actual: number, lowerIsBetter: boolean): void => {
    if (target !== undefined) checks.push({ key, name, target, actual, lowerIsBetter, met: !missed.has(key) });
  };
  add('ttft_ms', 'TTFT', targets.ttftMs, figures.ttftMs, true);
  add('tpot_ms', 'TPOT', targets.tpotMs, figures.tpotMs, true);
  add('min_tokens_per_second', 'Tokens/s', targets.minTokensPerSecond, figures.tokensPerSecond, false);
  return checks;
}

/** True when every stated target is met (and when none is stated). */
export function meetsTargets(targets: ServiceTargets, result: AnalysisResult): boolean {
  return missedTargets(targets, targetFigures(result)).length === 0;
}
