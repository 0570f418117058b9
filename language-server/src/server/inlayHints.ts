/**
 * Inlay hints at the ends of deployment lines: the figure each key drives (KV cache after
 * batch_size, TTFT after prompt_tokens, TPOT after output_tokens, bytes after the formats).
 */
import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import type { JsonPath } from '../config/types';
import type { AnalysisResult, EngineInput } from '../engine/types';
import { hasPath } from '../config/parse';
import type { CheckedEntry } from './checker';
import { kvBytesPerToken, shapeOf } from './figures';
import { SERVING_HINT_PATHS, servingHint } from './servingFigures';
import { formatBytes, formatNumber, formatSeconds, hasNonFiniteWord } from './format';

type HintText = (input: EngineInput, result: AnalysisResult) => string | undefined;

/** Under `efficiency: expected`, the ideal bound beside the expected figure. */
function boundText(result: AnalysisResult, figure: 'ttft_seconds' | 'tpot_seconds'): string {
  const bound = result.metrics.bound;
  return bound ? ` (bound ${formatSeconds(bound[figure])})` : '';
}

const HINTS: [JsonPath, HintText][] = [
  [['workload', 'batch_size'], (_input, result) => `KV ${formatBytes(result.memory.kv_cache_bytes)}`],
  [['workload', 'prompt_tokens'], (_input, result) => `TTFT ${formatSeconds(result.metrics.ttft_seconds)}${boundText(result, 'ttft_seconds')}`],
  [
    ['workload', 'output_tokens'],
    (_input, result) => `TPOT ${formatSeconds(result.metrics.tpot_seconds)}${boundText(result, 'tpot_seconds')} · ${formatNumber(result.metrics.output_tokens_per_second)} tok/s`,
  ],
  [['quantization', 'weights'], (_input, result) => `weights ${formatBytes(result.memory.weights_bytes)}`],
  [
    ['quantization', 'kv_cache'],
    (input) => {
      const shape = shapeOf(input.model);
      return shape ? `${formatBytes(kvBytesPerToken(shape, input.quantization.kvCache))}/token` : undefined;
    },
  ],
  [['hardware'], (_input, result) => `ridge ${formatNumber(result.hardware.ridge_point)} FLOP/B`],
  [['model'], (_input, result) => `${formatNumber(result.model.parameters / 1e9)} B params`],
  ...SERVING_HINT_PATHS.map((path): [JsonPath, HintText] => [path, (_input, result) => servingHint(path, result)]),
];

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  const end = newline === -1 ? text.length : newline;
  return text[end - 1] === '\r' ? end - 1 : end;
}

export function inlayHintsFor(entry: CheckedEntry, startOffset: number, endOffset: number): InlayHint[] {
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
    const anchor = lineEnd(entry.text, location.valueRange.end > location.valueRange.start ? location.valueRange.end - 1 : location.valueRange.end);
    if (anchor < startOffset || anchor > endOffset) continue;
    const label = text(entry.input, entry.result);
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
  return hints;
}
