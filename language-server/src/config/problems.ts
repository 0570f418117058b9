/** Small helpers for building `ConfigProblem`s and naming fields in messages. */
import type { ConfigProblem, JsonPath, OffsetRange, ParsedDocument, Severity } from './types';

/** `workload.batch_size`, `peak_tflops.fp16`, `layers[2]`. */
export function formatPath(path: JsonPath): string {
  let text = '';
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : text.length === 0 ? segment : `.${segment}`;
  }
  return text;
}

/** The message with the field it is about in front, as the CLI and the API print it. */
export function withField(path: JsonPath, message: string): string {
  return path.length > 0 ? `${formatPath(path)}: ${message}` : message;
}

/** A value as a message quotes it: strings in quotes, long values cut. */
export function quoteValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'nothing';
  else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : 'a non-finite number';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The range of the first line (for problems about the document as a whole). */
export function firstLineRange(text: string): OffsetRange {
  const newline = text.indexOf('\n');
  const end = newline === -1 ? text.length : newline;
  return { start: 0, end: text.endsWith('\r', end) ? end - 1 : end };
}

/** Where a problem about `path` goes: the key when `onKey` and there is one, else the value. */
export function rangeOf(doc: ParsedDocument, path: JsonPath, onKey = false): OffsetRange {
  const location = doc.locate(path);
  if (!location) return firstLineRange(doc.text);
  if (onKey && location.keyRange) return location.keyRange;
  return location.valueRange;
}

export function problemAt(
  doc: ParsedDocument,
  path: JsonPath,
  code: string,
  message: string,
  options: { onKey?: boolean; severity?: Severity; suggestions?: string[]; range?: OffsetRange } = {},
): ConfigProblem {
  return {
    uri: doc.uri,
    range: options.range ?? rangeOf(doc, path, options.onKey),
    path,
    message,
    code,
    severity: options.severity ?? 'error',
    ...(options.suggestions && options.suggestions.length > 0 ? { suggestions: options.suggestions } : {}),
  };
}

export function hasErrors(problems: readonly ConfigProblem[]): boolean {
  return problems.some((problem) => problem.severity === 'error');
}

/** Drops exact duplicates (same file, range, code and message), keeping the first. */
export function dedupeProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  const result: ConfigProblem[] = [];
  for (const problem of problems) {
    const key = `${problem.uri}|${problem.range.start}|${problem.range.end}|${problem.code}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(problem);
  }
  return result;
}

/** Whether `path` is `prefix` or lies under it. */
export function isUnder(path: JsonPath, prefix: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => String(segment) === String(path[index]));
}
