/**
 * Puts an engine error (a `RooflineInputError` with a field path from the deployment's root) on
 * the text the field came from: a `model.*` field in the model file when the model came from a
 * file, on the inline key otherwise, on the `model:` value for a preset (and likewise for
 * `hardware.*`); a field inherited through `extends:` lands on the `extends:` value.
 */
import type { RooflineInputError } from '../engine/errors';
import { CheckStopped } from './checkBudget';
import { hasPath } from './parse';
import { firstLineRange, formatPath, problemAt, rangeOf } from './problems';
import type { HardwareOrigin } from './resolveHardware';
import type { ModelOrigin } from './resolveModel';
import type { ConfigProblem, JsonPath, ParsedDocument } from './types';

/** The most precise place for `path` in `doc`: the field when written there, else `fallback`, else the first line. */
function placeIn(doc: ParsedDocument, path: JsonPath, fallback: JsonPath | undefined): { path: JsonPath; range: ConfigProblem['range'] } {
  if (path.length > 0 && hasPath(doc.value, path)) return { path, range: rangeOf(doc, path) };
  if (fallback && hasPath(doc.value, fallback)) return { path: fallback, range: rangeOf(doc, fallback) };
  // The closest written ancestor, unless that is the whole document.
  for (let length = path.length - 1; length > 0; length--) {
    const ancestor = path.slice(0, length);
    if (hasPath(doc.value, ancestor)) return { path: ancestor, range: rangeOf(doc, ancestor, true) };
  }
  return { path: [], range: firstLineRange(doc.text) };
}

export function placeEngineError(
  error: RooflineInputError,
  deployment: ParsedDocument,
  origins: { model?: ModelOrigin; hardware?: HardwareOrigin },
): ConfigProblem {
  const [head, ...rest] = error.path;
  const origin = head === 'model' ? origins.model : head === 'hardware' ? origins.hardware : undefined;
  const message = `${formatPath(error.path)}: ${error.detail}`;
  if (origin && origin.source.origin !== 'preset') {
    const fieldPath = [...origin.at, ...rest];
    const extendsPath = origin.extendsId ? [...origin.at, 'extends'] : undefined;
    const placed = placeIn(origin.doc, fieldPath, extendsPath);
    const fromPreset = origin.extendsId && placed.path === extendsPath ? ` (from preset ${origin.extendsId})` : '';
    return problemAt(origin.doc, placed.path, error.code, `${message}${fromPreset}`, { range: placed.range });
  }
  if (origin) {
    return problemAt(deployment, [head!], error.code, `${message} (in preset ${origin.source.id})`);
  }
  const placed = placeIn(deployment, error.path, undefined);
  return problemAt(deployment, placed.path.length > 0 ? placed.path : error.path, error.code, message, { range: placed.range });
}

/** An error the engine did not expect: reported, never thrown, never a stack trace. */
export function internalProblem(doc: ParsedDocument, error: unknown): ConfigProblem {
  // A check stopped over its budget is not a failure: it goes on up to the check, which says where it stopped.
  if (error instanceof CheckStopped) throw error;
  const detail = error instanceof Error ? error.message : String(error);
  return problemAt(doc, [], 'internal-error', `the analysis failed unexpectedly: ${detail}`, { range: firstLineRange(doc.text) });
}
