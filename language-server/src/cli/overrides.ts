/**
 * `--set workload.batch_size=32`: the dotted key is set in the document's text through its syntax
 * tree (the same edit the editor's quick fixes make), so the problems of the edited document still
 * point at the right lines. The value is read as a YAML scalar (`32` → number, `true` → boolean,
 * `int4` → text).
 */
import { parse as parseYaml } from 'yaml';
import { applyOffsetEdits, setValueEdits } from '../config/edit';
import { syntaxOf } from '../config/detect';

export class UsageError extends Error {}

export interface Override {
  path: string[];
  value: unknown;
  /** As written, for messages. */
  text: string;
}

export function parseOverride(text: string): Override {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new UsageError(`--set expects key=value (e.g. workload.batch_size=32), got "${text}"`);
  const key = text.slice(0, equals).trim();
  const path = key.split('.');
  if (path.some((segment) => segment.length === 0)) throw new UsageError(`--set: "${key}" is not a dotted key such as workload.batch_size`);
  const raw = text.slice(equals + 1);
  let value: unknown = raw;
  try {
    value = parseYaml(raw);
  } catch {
    value = raw;
  }
  // An empty value or `~` reads as null, which no field takes; keep what was written.
  if (value === null || value === undefined) value = raw;
  return { path, value, text };
}

export function applyOverrides(uri: string, text: string, overrides: readonly Override[]): string {
  let current = text;
  for (const override of overrides) {
    const edits = setValueEdits(current, syntaxOf(uri), override.path, override.value);
    if (!edits) throw new UsageError(`--set ${override.text}: cannot set ${override.path.join('.')} in this file (its parent is not a map, or the file does not parse)`);
    current = applyOffsetEdits(current, edits);
  }
  return current;
}
