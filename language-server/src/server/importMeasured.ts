/**
 * The "Import Measured Results..." edit: result files appended to `measured:` (a single path
 * becomes a list), none twice, written through the syntax tree as one edit.
 */
import { applyOffsetEdits, setValueEdits, syntaxOfUri } from '../config/edit';
import { valueAt } from '../config/parse';
import type { ImportMeasuredParams, SetFieldResult } from '../protocol/lsp';
import type { ParsedEntry } from './checker';
import { singleSpanEdit } from './setFields';

function entryPath(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (entry !== null && typeof entry === 'object' && typeof (entry as { path?: unknown }).path === 'string') return (entry as { path: string }).path;
  return undefined;
}

export function importMeasured(entry: ParsedEntry | undefined, openVersion: number | undefined, params: ImportMeasuredParams): SetFieldResult {
  if (!entry || openVersion === undefined) return { refusedBecause: 'unknown-document', message: `${params.uri} is not open` };
  if (params.version !== openVersion) return { refusedBecause: 'stale-version', message: `the document is at version ${openVersion}, the edit was made against ${params.version}` };
  if (entry.kind !== 'deployment') return { refusedBecause: 'invalid-value', message: 'measured results belong in a deployment file' };
  if (entry.parsed.syntaxProblems.some((problem) => problem.severity === 'error')) return { refusedBecause: 'invalid-value', message: 'the document has syntax errors: fix them before importing' };
  const paths = params.paths.filter((path) => typeof path === 'string' && path.trim() !== '');
  if (paths.length === 0) return { refusedBecause: 'invalid-value', message: 'no result file to import' };
  const current = valueAt(entry.parsed.value, ['measured']);
  const existing: unknown[] = typeof current === 'string' ? [current] : Array.isArray(current) ? current : [];
  const known = new Set(existing.map(entryPath).filter((path): path is string => path !== undefined));
  const added = paths.filter((path, index) => !known.has(path) && paths.indexOf(path) === index);
  if (added.length === 0) return { edits: [] };
  const edits = setValueEdits(entry.text, syntaxOfUri(entry.uri), ['measured'], [...existing, ...added]);
  if (!edits) return { refusedBecause: 'invalid-value', message: 'cannot write measured: into this document' };
  const edit = singleSpanEdit(entry.text, applyOffsetEdits(entry.text, edits));
  return { edits: edit ? [{ range: { start: entry.lines.positionAt(edit.start), end: entry.lines.positionAt(edit.end) }, newText: edit.newText }] : [] };
}
