/**
 * Config problems → LSP diagnostics on exact ranges. A problem found in a file the deployment
 * reads (its hardware or model file) is shown on the deployment's `hardware:` or `model:` key, named
 * after the file, since that file may not be open. Each diagnostic carries what its quick fix
 * needs in `data`.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { valueAt } from '../config/parse';
import { referencedFileUri, resolveReferenceUri } from '../config/references';
import type { ConfigProblem, JsonPath, OffsetRange, TextFix } from '../config/types';
import { SOURCE, type FitAdvice } from './advice';
import type { CheckedEntry } from './checker';
import { hasNonFiniteWord } from '../format/units';

/** What a quick fix needs, kept on the diagnostic. */
export interface DiagnosticData {
  path: JsonPath;
  suggestions?: string[];
  /** True when the range is on a key (fixes rename the key), false for a value. */
  onKey: boolean;
  fit?: FitAdvice;
  /** Text edits that fix the problem (arguments inside a `vllm:` or `sglang:` command line). */
  fixes?: TextFix[];
  /** On a missed target: the cheapest single change that meets every target (its quick fix). */
  change?: { path: JsonPath; value: string | number; label: string };
}

const SEVERITIES = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
} as const;

function baseName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

const DRAFT_MODEL: JsonPath = ['speculative', 'draft_model'];

/** The reference in the deployment that made it read `uri`: `hardware`, `model`, or the draft model. */
function referencingPath(entry: CheckedEntry, uri: string): JsonPath {
  const resolved = entry.check.resolved;
  if (resolved?.hardwareSource?.uri === uri) return ['hardware'];
  if (resolved?.modelSource?.uri === uri) return ['model'];
  const draft = valueAt(entry.parsed.value, DRAFT_MODEL);
  if (typeof draft === 'string' && referencedFileUri(entry.uri, draft, 'model') === uri) return DRAFT_MODEL;
  for (const key of ['vllm', 'sglang', 'trtllm']) {
    const args = valueAt(entry.parsed.value, [key]);
    if (typeof args === 'string' && resolveReferenceUri(entry.uri, args.trim()) === uri) return [key];
  }
  return ['model'];
}

function relocate(entry: CheckedEntry, problem: ConfigProblem): { range: OffsetRange; path: JsonPath; message: string } {
  if (problem.uri === entry.uri) return { range: problem.range, path: problem.path, message: problem.message };
  const path = referencingPath(entry, problem.uri);
  const location = entry.parsed.locate(path);
  const range = location?.valueRange ?? { start: 0, end: 0 };
  return { range, path, message: `${baseName(problem.uri)}: ${problem.message}` };
}

function clampRange(range: OffsetRange, length: number): OffsetRange {
  const start = Math.max(0, Math.min(length, Number.isFinite(range.start) ? range.start : 0));
  const end = Math.max(start, Math.min(length, Number.isFinite(range.end) ? range.end : start));
  return { start, end };
}

/** More than this many problems in one file helps nobody and slows the editor: the rest are summarised. */
const MAX_DIAGNOSTICS = 500;

export function toDiagnostics(entry: CheckedEntry): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const problem of entry.problems.slice(0, MAX_DIAGNOSTICS)) {
    const placed = relocate(entry, problem);
    const range = clampRange(placed.range, entry.text.length);
    const onKey = entry.text.slice(range.start, range.end) !== '' && isKeyRange(entry, placed.path, range);
    const data: DiagnosticData = {
      path: placed.path,
      onKey,
      ...(problem.suggestions && problem.suggestions.length > 0
        ? { suggestions: preferSameSeparator(entry.text.slice(range.start, range.end), problem.suggestions) }
        : {}),
      ...(problem.code === 'does-not-fit' && entry.fit ? { fit: entry.fit } : {}),
      ...(problem.fixes && problem.fixes.length > 0 && problem.uri === entry.uri ? { fixes: problem.fixes } : {}),
      ...(problem.code === 'target-missed' && entry.targetChange
        ? { change: { path: entry.targetChange.path, value: entry.targetChange.value, label: entry.targetChange.label } }
        : {}),
    };
    const message = hasNonFiniteWord(placed.message) ? placed.message.replace(/\b(NaN|-?Infinity)\b/g, 'an invalid number') : placed.message;
    diagnostics.push({
      range: { start: entry.lines.positionAt(range.start), end: entry.lines.positionAt(range.end) },
      severity: SEVERITIES[problem.severity] ?? DiagnosticSeverity.Error,
      code: problem.code,
      source: SOURCE,
      message,
      data,
    });
  }
  if (entry.problems.length > MAX_DIAGNOSTICS) {
    diagnostics.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Warning,
      code: 'too-many-problems',
      source: SOURCE,
      message: `${entry.problems.length - MAX_DIAGNOSTICS} more problems are not shown`,
    });
  }
  return diagnostics;
}

function isKeyRange(entry: CheckedEntry, path: JsonPath, range: OffsetRange): boolean {
  if (path.length === 0) return false;
  const keyRange = entry.parsed.locate(path)?.keyRange;
  return keyRange !== undefined && keyRange.start === range.start && keyRange.end === range.end;
}

/**
 * Ids come in two spellings (`nvidia-h100-sxm`, LLM-Viewer's `nvidia_H100_SXM`) that score the
 * same for a typo; offer first the ones written the way the user writes (dashes or underscores).
 */
function preferSameSeparator(written: string, suggestions: string[]): string[] {
  const usesDash = written.includes('-') && !written.includes('_');
  const usesUnderscore = written.includes('_') && !written.includes('-');
  if (!usesDash && !usesUnderscore) return suggestions;
  const foreign = usesDash ? '_' : '-';
  return [...suggestions.filter((s) => !s.includes(foreign)), ...suggestions.filter((s) => s.includes(foreign))];
}
