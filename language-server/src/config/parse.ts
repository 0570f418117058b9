/** Parses a config document (YAML or JSON, by the uri's extension) keeping positions. */
import { syntaxOf } from './detect';
import { parseJson } from './parseJson';
import { parseYaml } from './parseYaml';
import type { DocumentKind, ParsedDocument } from './types';

export function parseDocument(uri: string, text: string, kind: DocumentKind): ParsedDocument {
  // Hugging Face configs are always JSON, whatever the uri says.
  return kind === 'hf-config' || syntaxOf(uri) === 'json' ? parseJson(uri, text, kind) : parseYaml(uri, text, kind);
}

/** Whether the plain value has something at `path` (so `locate(path)` points at it, not at an ancestor). */
export function hasPath(value: unknown, path: readonly (string | number)[]): boolean {
  let current: unknown = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') {
      if (segment < 0 || segment >= current.length) return false;
      current = current[segment];
    } else if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
      if (!Object.prototype.hasOwnProperty.call(current, String(segment))) return false;
      current = (current as Record<string, unknown>)[String(segment)];
    } else {
      return false;
    }
  }
  return true;
}

/** The value at `path`, or undefined. */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}
