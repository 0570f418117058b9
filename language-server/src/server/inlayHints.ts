/**
 * Inlay hints after deployment values: the figure each key drives (KV cache after batch_size, TTFT
 * after prompt_tokens, TPOT after output_tokens, bytes after the formats) and whether each target
 * is met; in a model file, its parameters, weight bytes and KV bytes per token. A hint sits right after its value, before any comment, so long comments never push it
 * off-screen.
 */
import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import type { JsonPath } from '../config/types';
import type { AnalysisResult, EngineInput } from '../engine/types';
import { hasPath } from '../config/parse';
import type { CheckedEntry } from './checker';
import { SERVING_HINT_PATHS, servingHint } from './servingFigures';
import { perDeviceSuffix } from './figures';
import { engineStartupHint } from './engineArgHints';
import { isModelKind, KV_HINT_PATHS, kvPerTokenText, modelFiguresOf, PARAMETER_HINT_PATHS, parametersText, weightsText } from './modelFigures';
import { checkTargets, kvCacheFormula, targetsOf, type TargetKey } from '../engine/index';
import { formatBytes, formatMilliseconds, formatNumber, formatParameters, formatSeconds, formatTokensPerSecond, hasNonFiniteWord } from '../format/units';

type HintText = (input: EngineInput, result: AnalysisResult, targets: unknown) => string | undefined;


function kvPerToken(input: EngineInput): string | undefined {
  if (input.conventions !== 'default') return undefined;
  try {
    return `${formatBytes(kvCacheFormula(input).bytesPerToken)}/token${perDeviceSuffix(input)}`;
  } catch {
    return undefined;
  }
}

/** `✓ 412 ms` or `✗ 1.31 s (target 500 ms)`: the engine's verdict on one target. */
function targetHint(key: TargetKey): HintText {
  return (_input, result, targets) => {
    const check = checkTargets(targetsOf({ targets }), result).find((candidate) => candidate.key === key);
    if (!check) return undefined;
    const format = check.lowerIsBetter ? formatMilliseconds : formatTokensPerSecond;
    return check.met ? `met: ${format(check.actual)}` : `missed: ${format(check.actual)}`;
  };
}

/** Under `efficiency: expected`, the ideal bound beside the expected figure. */
function boundText(result: AnalysisResult, figure: 'ttft_seconds' | 'tpot_seconds'): string {
  const bound = result.metrics.bound;
  return bound ? ` (bound ${formatSeconds(bound[figure])})` : '';
}

/**
 * Under `serving:` the workload's figures are those of one fixed batch, not of the load the
 * serving hints and the targets judge: say which batch, so two TTFTs in one file do not read as one.
 */
function fixedBatchText(input: EngineInput, result: AnalysisResult): string {
  return result.serving ? ` at batch ${formatNumber(input.workload.batchSize)}` : '';
}

const HINTS: [JsonPath, HintText][] = [
  [['workload', 'batch_size'], (input, result) => `KV ${formatBytes(result.memory.kv_cache_bytes)}${perDeviceSuffix(input)}`],
  [['workload', 'prompt_tokens'], (input, result) => `TTFT ${formatSeconds(result.metrics.ttft_seconds)}${boundText(result, 'ttft_seconds')}${fixedBatchText(input, result)}`],
  [
    ['workload', 'output_tokens'],
    (input, result) =>
      `TPOT ${formatSeconds(result.metrics.tpot_seconds)}${boundText(result, 'tpot_seconds')} · ${formatTokensPerSecond(result.metrics.output_tokens_per_second)}${fixedBatchText(input, result)}`,
  ],
  [['quantization', 'weights'], (input, result) => `weights ${formatBytes(result.memory.weights_bytes)}${perDeviceSuffix(input)}`],
  [['quantization', 'kv_cache'], (input) => kvPerToken(input)],
  [['hardware'], (_input, result) => `ridge ${formatNumber(result.hardware.ridge_point)} FLOP/B`],
  [['model'], (_input, result) => `${formatParameters(result.model.parameters)} params`],
  ...SERVING_HINT_PATHS.map((path): [JsonPath, HintText] => [path, (_input, result) => servingHint(path, result)]),
  [['targets', 'ttft_ms'], targetHint('ttft_ms')],
  [['targets', 'tpot_ms'], targetHint('tpot_ms')],
  [['targets', 'min_tokens_per_second'], targetHint('min_tokens_per_second')],
];

/**
 * Where a value's hint goes: the end of its line, or, when a comment follows the value, right
 * after the value (a hint after a long comment would run off-screen).
 */
function anchorAfter(text: string, valueEnd: number): number {
  const newline = text.indexOf('\n', valueEnd);
  let end = newline === -1 ? text.length : newline;
  if (text[end - 1] === '\r') end--;
  const rest = text.slice(valueEnd, end);
  const comment = /\s+#/.exec(rest);
  if (comment) return valueEnd;
  return end;
}

/**
 * A model file's hints: parameters and weight bytes after its family (or the preset it extends),
 * KV bytes per token after the key that sets the cache's width. Values spanning lines get none.
 */
function modelInlayHints(entry: CheckedEntry, startOffset: number, endOffset: number): InlayHint[] {
  const figures = modelFiguresOf(entry);
  if (!figures) return [];
  const hints: InlayHint[] = [];
  const place = (paths: readonly JsonPath[], label: string): void => {
    for (const path of paths) {
      if (!hasPath(entry.parsed.value, path)) continue;
      const location = entry.parsed.locate(path);
      if (!location) continue;
      const start = entry.lines.positionAt(location.valueRange.start);
      const end = entry.lines.positionAt(location.valueRange.end);
      if (start.line !== end.line) continue;
      const anchor = anchorAfter(entry.text, location.valueRange.end);
      if (anchor < startOffset || anchor > endOffset || hasNonFiniteWord(label)) return;
      hints.push({ position: entry.lines.positionAt(anchor), label: `→ ${label}`, kind: InlayHintKind.Type, paddingLeft: true });
      return;
    }
  };
  place(PARAMETER_HINT_PATHS, `${parametersText(figures.footprint)} · ${weightsText(figures.footprint)}`);
  place(KV_HINT_PATHS, kvPerTokenText(figures.kv));
  return hints;
}

export function inlayHintsFor(entry: CheckedEntry, startOffset: number, endOffset: number): InlayHint[] {
  if (isModelKind(entry.kind)) return modelInlayHints(entry, startOffset, endOffset);
  if (entry.kind !== 'deployment' || !entry.input || !entry.result) return [];
  const hints: InlayHint[] = [];
  const usedLines = new Set<number>();
  for (const [path, text] of HINTS) {
    if (!hasPath(entry.parsed.value, path)) continue;
    const value = entry.parsed.value as Record<string, unknown>;
    // An inline model or hardware map spans lines: only a one-line value gets a hint.
    if (path.length === 1 && typeof value[path[0] as string] === 'object') continue;
    const location = entry.parsed.locate(path);
    if (!location) continue;
    const anchor = anchorAfter(entry.text, location.valueRange.end);
    if (anchor < startOffset || anchor > endOffset) continue;
    const label = text(entry.input, entry.result, (entry.parsed.value as Record<string, unknown>).targets);
    if (!label || hasNonFiniteWord(label)) continue;
    const position = entry.lines.positionAt(anchor);
    if (usedLines.has(position.line)) {
      // Several keys on one line (a flow map): join their figures in the one hint at its end.
      const existing = hints.find((hint) => hint.position.line === position.line)!;
      existing.label = `${existing.label as string} · ${label}`;
      continue;
    }
    usedLines.add(position.line);
    hints.push({ position, label: `→ ${label}`, kind: InlayHintKind.Type, paddingLeft: true });
  }
  const startup = engineStartupHint(entry, startOffset, endOffset);
  if (startup) hints.push(startup);
  return hints;
}
