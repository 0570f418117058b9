/**
 * Hovers on `techniques:` keys: what the technique does to TTFT, TPOT and memory on its own
 * (this deployment with only it, against none), then what it changed and its paper; on the
 * `techniques` key itself, all of them together.
 */
import type { JsonPath } from '../config/types';
import { TECHNIQUE_FIELDS, onlyTechnique, type TechniqueKey } from '../engine/techniques/spec';
import type { AnalysisResult, EngineInput } from '../engine/types';
import { formatBytes, formatRatio, formatSeconds } from '../format/units';
import { escapeMarkdown } from '../userText';
import { analyzeVariant, techniqueBaseline, withoutTechniques } from './figures';

function isTechniqueKey(value: unknown): value is TechniqueKey {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TECHNIQUE_FIELDS, value);
}

function change(label: string, before: number, after: number, format: (value: number) => string, faster: boolean): string {
  const ratio = before / after;
  const verdict = Math.abs(ratio - 1) < 0.005 ? 'unchanged' : faster ? (ratio > 1 ? `${formatRatio(ratio)} faster` : `${formatRatio(1 / ratio)} slower`) : `${formatRatio(after / before)}`;
  return `${label} ${format(before)} → **${format(after)}** (${verdict})`;
}

/** TTFT, TPOT and memory of `after` against `before`, one line each. */
export function effectLines(before: AnalysisResult, after: AnalysisResult): string {
  return [
    `- ${change('TTFT', before.metrics.ttft_seconds, after.metrics.ttft_seconds, formatSeconds, true)}`,
    `- ${change('TPOT', before.metrics.tpot_seconds, after.metrics.tpot_seconds, formatSeconds, true)}`,
    `- ${change('Memory', before.memory.total_bytes, after.memory.total_bytes, formatBytes, false)}`,
  ].join('\n');
}

/** A `variants:` entry: its figures against this deployment's, or why it could not be analysed. */
export function variantHoverLines(result: AnalysisResult, path: JsonPath): string[] {
  const index = path[1];
  const variant = typeof index === 'number' ? result.variants?.[index] : undefined;
  if (!variant) return [];
  const title = `**${escapeMarkdown(variant.name)}** (${escapeMarkdown(variant.model_name)}${variant.techniques.length > 0 ? `; ${escapeMarkdown(variant.techniques.join(', '))}` : '; no techniques'})`;
  if (variant.error) return [`${title}: not analysed: ${escapeMarkdown(variant.error)}`];
  return [
    `${title} against this deployment:\n\n` +
      [
        `- ${change('TTFT', result.metrics.ttft_seconds, variant.ttft_seconds, formatSeconds, true)}`,
        `- ${change('TPOT', result.metrics.tpot_seconds, variant.tpot_seconds, formatSeconds, true)}`,
        `- ${change('Memory', result.memory.total_bytes, variant.total_memory_bytes, formatBytes, false)}${variant.fits ? '' : ' — does not fit'}`,
      ].join('\n'),
  ];
}

export function techniqueHoverLines(input: EngineInput, result: AnalysisResult, path: JsonPath): string[] {
  const spec = input.techniques;
  if (!spec) return [];
  const baseline = techniqueBaseline(input);
  if (!baseline) return [];
  if (path.length === 1) {
    return [`**All techniques** against none:\n\n${effectLines(baseline, result)}`];
  }
  const key = path[1];
  if (!isTechniqueKey(key)) return [];
  const alone = analyzeVariant(input, (variant) => ({ ...withoutTechniques(variant), techniques: onlyTechnique(spec, key) }));
  const summary = (alone ?? result).techniques?.find((entry) => entry.key === key);
  if (!alone || !summary) return [];
  return [
    `**${escapeMarkdown(summary.label)}** alone, against no techniques:\n\n${effectLines(baseline, alone)}`,
    escapeMarkdown(summary.effect),
    `Source: ${escapeMarkdown(summary.source)}`,
  ];
}
