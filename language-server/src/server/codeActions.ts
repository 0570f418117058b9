/**
 * Quick fixes attached to our diagnostics: replace an unknown id or key with a suggestion, set
 * batch_size to the largest that fits, switch weights or the KV cache to a format that fits, add a
 * missing required key. Every edit goes through config/edit.ts (smallest edit, comments kept).
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import { renameKeyEdits, setValueEdits, syntaxOfUri, type OffsetEdit } from '../config/edit';
import type { DocumentKind, JsonPath } from '../config/types';
import { SOURCE } from './advice';
import type { ParsedEntry } from './checker';
import type { DiagnosticData } from './diagnostics';
import { schemasAt } from './schemaInfo';
import { valueAt } from '../config/parse';

const MAX_SUGGESTIONS = 3;

function toTextEdits(entry: ParsedEntry, edits: OffsetEdit[]): TextEdit[] {
  return edits.map((edit) => ({
    range: { start: entry.lines.positionAt(edit.start), end: entry.lines.positionAt(edit.end) },
    newText: edit.newText,
  }));
}

function action(entry: ParsedEntry, title: string, diagnostic: Diagnostic, edits: OffsetEdit[] | undefined, preferred: boolean): CodeAction | undefined {
  if (!edits || edits.length === 0) return undefined;
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    ...(preferred ? { isPreferred: true } : {}),
    edit: { changes: { [entry.uri]: toTextEdits(entry, edits) } },
  };
}

function isData(value: unknown): value is DiagnosticData {
  return value !== null && typeof value === 'object' && Array.isArray((value as DiagnosticData).path);
}

/** A value to start a newly added key with: the schema's default, first example or first enum value. */
export function placeholderFor(kind: DocumentKind, path: JsonPath): unknown {
  for (const schema of schemasAt(kind, path)) {
    if (schema.default !== undefined) return schema.default;
    if (schema.examples && schema.examples.length > 0) return schema.examples[0];
    if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  }
  for (const schema of schemasAt(kind, path)) {
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (type === 'object') return {};
    if (type === 'number' || type === 'integer') return 1;
    if (type === 'boolean') return true;
    if (type === 'string') return '';
  }
  return '';
}

function fixesFor(entry: ParsedEntry, diagnostic: Diagnostic): CodeAction[] {
  if (diagnostic.source !== SOURCE || !isData(diagnostic.data)) return [];
  const data = diagnostic.data;
  const syntax = syntaxOfUri(entry.uri);
  const code = String(diagnostic.code ?? '');
  const actions: (CodeAction | undefined)[] = [];
  if (code === 'target-missed' && data.change) {
    const change = data.change;
    return [action(entry, `Apply the cheapest change that meets the targets: ${change.label}`, diagnostic, setValueEdits(entry.text, syntax, change.path, change.value), true)].filter(
      (a): a is CodeAction => a !== undefined,
    );
  }
  if (data.fixes && data.fixes.length > 0) {
    return data.fixes
      .map((fix, index) => action(entry, fix.title, diagnostic, fix.edits, fix.preferred ?? index === 0))
      .filter((a): a is CodeAction => a !== undefined);
  }
  if (code === 'does-not-fit' && data.fit) {
    const fit = data.fit;
    if (fit.largestBatch !== undefined) {
      actions.push(action(entry, `Set batch_size to ${fit.largestBatch} (the largest that fits)`, diagnostic, setValueEdits(entry.text, syntax, ['workload', 'batch_size'], fit.largestBatch), true));
    }
    if (fit.weights !== undefined) {
      const value = /^\d+$/.test(fit.weights) ? Number(fit.weights) : fit.weights;
      actions.push(action(entry, `Quantize weights to ${fit.weights} (fits)`, diagnostic, setValueEdits(entry.text, syntax, ['quantization', 'weights'], value), fit.largestBatch === undefined));
    }
    if (fit.kvCache !== undefined) {
      const value = /^\d+$/.test(fit.kvCache) ? Number(fit.kvCache) : fit.kvCache;
      actions.push(action(entry, `Store the KV cache in ${fit.kvCache} (fits)`, diagnostic, setValueEdits(entry.text, syntax, ['quantization', 'kv_cache'], value), false));
    }
    return actions.filter((a): a is CodeAction => a !== undefined);
  }
  const suggestions = (data.suggestions ?? []).slice(0, MAX_SUGGESTIONS);
  if (code === 'missing-key') {
    const missing = /missing required key "([^"]+)"/.exec(String(diagnostic.message))?.[1];
    for (const [index, key] of (missing ? [missing] : suggestions).entries()) {
      const path = [...data.path, key];
      actions.push(action(entry, `Add ${path.join('.')}`, diagnostic, setValueEdits(entry.text, syntax, path, placeholderFor(entry.kind, path)), index === 0));
    }
    return actions.filter((a): a is CodeAction => a !== undefined);
  }
  // Renaming onto a key the map already has would write it twice: that suggestion is not offered.
  const siblings = data.onKey ? valueAt(entry.parsed.value, data.path.slice(0, -1)) : undefined;
  const taken = (key: string): boolean => siblings !== null && typeof siblings === 'object' && !Array.isArray(siblings) && Object.prototype.hasOwnProperty.call(siblings, key);
  for (const [index, suggestion] of suggestions.filter((candidate) => !taken(candidate)).entries()) {
    if (data.onKey) {
      actions.push(action(entry, `Rename to '${suggestion}'`, diagnostic, renameKeyEdits(entry.text, syntax, data.path, suggestion), index === 0));
    } else {
      const current = valueAt(entry.parsed.value, data.path);
      const value = typeof current === 'number' && /^-?\d+(\.\d+)?$/.test(suggestion) ? Number(suggestion) : suggestion;
      actions.push(action(entry, `Change to '${suggestion}'`, diagnostic, setValueEdits(entry.text, syntax, data.path, value), index === 0));
    }
  }
  return actions.filter((a): a is CodeAction => a !== undefined);
}

/** The client command that opens the panel's Plan view for a document (extension/src/commands.ts). */
export const PLAN_COMMAND = 'llmRoofline.planDeployment';

/** "Find the cheapest deployment that meets the targets" wherever the range touches `targets:`. */
function planAction(entry: ParsedEntry, range: { start: number; end: number }, diagnostics: Diagnostic[]): CodeAction | undefined {
  if (entry.kind !== 'deployment') return undefined;
  const targets = valueAt(entry.parsed.value, ['targets']);
  if (targets === null || typeof targets !== 'object' || Array.isArray(targets)) return undefined;
  const location = entry.parsed.locate(['targets']);
  if (!location) return undefined;
  const start = location.keyRange?.start ?? location.valueRange.start;
  const end = location.valueRange.end;
  if (range.end < start || range.start > end) return undefined;
  const missed = diagnostics.filter((diagnostic) => diagnostic.source === SOURCE && diagnostic.code === 'target-missed');
  return {
    title: 'Find the cheapest deployment that meets the targets',
    // A missed target makes it a fix; otherwise it rewrites a deployment that already meets them.
    kind: missed.length > 0 ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite,
    ...(missed.length > 0 ? { diagnostics: missed } : {}),
    command: { title: 'Find the cheapest deployment that meets the targets', command: PLAN_COMMAND, arguments: [entry.uri] },
  };
}

/** The client command that fits the hardware's efficiency terms to `measured:` (extension/src/commands.ts). */
export const FIT_MEASURED_COMMAND = 'llmRoofline.fitMeasured';

/** "Fit the hardware's efficiency terms to these measurements" wherever the range touches `measured:`. */
function fitAction(entry: ParsedEntry, range: { start: number; end: number }): CodeAction | undefined {
  if (entry.kind !== 'deployment' || valueAt(entry.parsed.value, ['measured']) === undefined) return undefined;
  const location = entry.parsed.locate(['measured']);
  if (!location) return undefined;
  const start = location.keyRange?.start ?? location.valueRange.start;
  if (range.end < start || range.start > location.valueRange.end) return undefined;
  const title = "Fit the hardware's efficiency terms to these measurements";
  return { title, kind: CodeActionKind.RefactorRewrite, command: { title, command: FIT_MEASURED_COMMAND, arguments: [entry.uri] } };
}

export function codeActionsFor(entry: ParsedEntry, diagnostics: Diagnostic[], range?: { start: number; end: number }): CodeAction[] {
  const fixes = diagnostics.flatMap((diagnostic) => fixesFor(entry, diagnostic));
  const plan = range ? planAction(entry, range, diagnostics) : undefined;
  const fit = range ? fitAction(entry, range) : undefined;
  return [...fixes, ...(plan ? [plan] : []), ...(fit ? [fit] : [])];
}
