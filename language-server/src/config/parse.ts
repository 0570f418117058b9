/** Parses a config document (YAML or JSON, by the uri's extension) keeping positions. */
import { unmetered, type WorkMeter } from './checkBudget';
import { syntaxOf } from './detect';
import { parseJsonSteps } from './parseJson';
import { parseYamlSteps, type ParseSteps } from './parseYaml';
import type { DocumentKind, ParsedDocument } from './types';
import { runToEnd } from './steps';

export function parseDocument(uri: string, text: string, kind: DocumentKind): ParsedDocument {
  return runToEnd(parseDocumentSteps(uri, text, kind), false);
}

/**
 * The parse in steps (see `ParseSteps`): YAML yields between slices of its lexing, JSON between
 * its depth scan, its syntax tree and its value. Inside a step, each token or node is a unit of
 * `meter`'s work, so a check over its budget stops there, not at the end of the step.
 */
export function* parseDocumentSteps(uri: string, text: string, kind: DocumentKind, meter: WorkMeter = unmetered()): ParseSteps {
  // Hugging Face configs are always JSON, whatever the uri says.
  if (kind === 'hf-config' || syntaxOf(uri) === 'json') return yield* parseJsonSteps(uri, text, kind, meter);
  return yield* parseYamlSteps(uri, text, kind, meter);
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
