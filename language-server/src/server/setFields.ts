/**
 * SetFields: several fields of a deployment written as one edit (a plan candidate applied from the
 * panel), so the editor undoes them in one step. Each field goes through config/edit.ts (the
 * syntax tree, comments kept); the answer is the one span of text that differs.
 */
import { applyOffsetEdits, removeValueEdits, setValueEdits, syntaxOfUri, type OffsetEdit } from '../config/edit';
import { hasPath, valueAt } from '../config/parse';
import type { EngineInput } from '../engine/types';
import { isCandidatePath } from '../plan/candidateFields';
import type { SetFieldResult, SetFieldsParams } from '../protocol/lsp';
import { EDITABLE_PATHS, invalidReason } from './analysisProtocol';
import { writtenAsCommand } from './advice';
import type { ParsedEntry } from './checker';

/** The value the analysis used for a field the file leaves out, for the fields a candidate sets. */
function effectiveValue(input: EngineInput | undefined, path: readonly (string | number)[]): unknown {
  switch (path.join('.')) {
    case 'parallelism.tensor':
    case 'parallelism.pipeline':
    case 'parallelism.expert':
      return input ? (input.parallelism as unknown as Record<string, number | undefined>)[String(path[1])] ?? 1 : 1;
    case 'quantization.weights':
      return input?.quantization.weights.name;
    case 'quantization.activations':
      return input?.quantization.activations.name;
    case 'quantization.kv_cache':
      return input?.quantization.kvCache.name;
    default:
      return undefined;
  }
}

/** The one edit that turns `before` into `after`: the span between their common prefix and suffix. */
export function singleSpanEdit(before: string, after: string): OffsetEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < shorter - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start, end: before.length - suffix, newText: after.slice(start, after.length - suffix) };
}

export function setFields(entry: ParsedEntry | undefined, openVersion: number | undefined, input: EngineInput | undefined, params: SetFieldsParams): SetFieldResult {
  if (!entry || openVersion === undefined) return { refusedBecause: 'unknown-document', message: `${params.uri} is not open` };
  if (params.version !== openVersion) {
    return { refusedBecause: 'stale-version', message: `the document is at version ${openVersion}, the edit was made against ${params.version}` };
  }
  if (entry.kind !== 'deployment') return { refusedBecause: 'invalid-value', message: 'only a deployment takes a candidate' };
  if (writtenAsCommand(entry.parsed.value)) return { refusedBecause: 'invalid-value', message: 'this deployment is written as an engine command line: change its arguments instead' };
  if (entry.parsed.syntaxProblems.some((problem) => problem.severity === 'error')) {
    return { refusedBecause: 'invalid-value', message: 'the document has syntax errors: fix them before applying a candidate' };
  }
  const syntax = syntaxOfUri(entry.uri);
  let text = entry.text;
  for (const field of params.fields) {
    const key = JSON.stringify(field.path);
    if (!isCandidatePath(field.path) && !EDITABLE_PATHS.some((path) => JSON.stringify(path) === key)) {
      return { refusedBecause: 'invalid-value', message: `the panel does not edit ${field.path.join('.') || 'the whole document'}` };
    }
    const written = hasPath(entry.parsed.value, field.path);
    if (field.value === null && isCandidatePath(field.path)) {
      // A field the candidate does not have (co-located: no pools) comes out of the file.
      if (!written) continue;
      const removal = removeValueEdits(text, syntax, field.path);
      if (!removal) return { refusedBecause: 'invalid-value', message: `cannot take ${field.path.join('.')} out of this document` };
      text = applyOffsetEdits(text, removal);
      continue;
    }
    const reason = invalidReason(field.path, field.value);
    if (reason) return { refusedBecause: 'invalid-value', message: reason };
    // Only what changes is written: a value the file already has, or the default it leaves implied, stays as it is.
    const current = written ? valueAt(entry.parsed.value, field.path) : effectiveValue(input, field.path);
    if (JSON.stringify(current) === JSON.stringify(field.value)) continue;
    const edits = setValueEdits(text, syntax, field.path, field.value);
    if (!edits) return { refusedBecause: 'invalid-value', message: `cannot write ${field.path.join('.')} into this document` };
    text = applyOffsetEdits(text, edits);
  }
  const edit = singleSpanEdit(entry.text, text);
  return {
    edits: edit ? [{ range: { start: entry.lines.positionAt(edit.start), end: entry.lines.positionAt(edit.end) }, newText: edit.newText }] : [],
  };
}
