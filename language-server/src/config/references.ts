/**
 * Files a config refers to (`model: ./models/x/config.json`, `hardware: ./h100.hardware.yaml`):
 * resolved against the referring document's uri with the URL class (no `fs` or `path`, so this
 * works in a browser too), read through the injected host, parsed and schema-checked. Every
 * problem found carries the referenced file's uri.
 */
import { detectKind, fileNameOf } from './detect';
import { parseDocument } from './parse';
import { problemAt } from './problems';
import type { ConfigHost, ConfigProblem, DocumentKind, JsonPath, ParsedDocument } from './types';
import { validateDocument } from './validate';

/** What one resolution collects as it goes. */
export interface ResolutionContext {
  host: ConfigHost;
  problems: ConfigProblem[];
  /** Every file read or looked for (a missing file is listed too: creating it should re-check). */
  dependencies: string[];
  /** Parsed referenced files by uri, to place engine errors in them later. */
  documents: Map<string, ParsedDocument>;
}

export function newContext(host: ConfigHost): ResolutionContext {
  return { host, problems: [], dependencies: [], documents: new Map() };
}

const CONFIG_EXTENSION = /\.(json|ya?ml)$/i;

/** A value meant as a path rather than a preset id: `./x`, `../x`, `/x`, `C:\x`, or a config file name. */
export function isPathLike(value: string): boolean {
  return /^(\.{1,2}[\\/]|[\\/]|[A-Za-z]:[\\/]|file:)/.test(value) || CONFIG_EXTENSION.test(value);
}

/** The uri of `reference` relative to the document at `baseUri`; undefined when the base is not a folder-based uri. */
export function resolveReferenceUri(baseUri: string, reference: string): string | undefined {
  const normalized = reference.replace(/\\/g, '/');
  try {
    if (/^[A-Za-z]:\//.test(normalized)) return new URL(`file:///${normalized}`).toString();
    return new URL(normalized, baseUri).toString();
  } catch {
    return undefined;
  }
}

/** A file name without its config extensions: `h100-capped.hardware.yaml` → `h100-capped`; `x/config.json` → `x`. */
export function displayNameOfFile(uri: string): string {
  const name = fileNameOf(uri);
  if (name.toLowerCase() === 'config.json') {
    const folder = uri.replace(/[?#].*$/, '').split('/').slice(-2, -1)[0];
    return folder ? decodeURIComponent(folder) : name;
  }
  return name.replace(/\.(roofline|hardware|model)\.(json|ya?ml)$/i, '').replace(CONFIG_EXTENSION, '');
}

export type LoadedFile = { doc: ParsedDocument; ok: boolean } | undefined;

/**
 * Reads the file `reference` (written at `at` in `referrer`) as one of `kinds`. A folder reference
 * (no config extension) reads the `config.json` inside it. Reports missing files and wrong kinds
 * on the referring value; reports the file's own syntax and schema problems in the file.
 */
export function loadReferencedFile(
  context: ResolutionContext,
  referrer: ParsedDocument,
  at: JsonPath,
  reference: string,
  what: 'model' | 'hardware',
): LoadedFile {
  const target = CONFIG_EXTENSION.test(reference) ? reference : `${reference.replace(/[\\/]+$/, '')}/config.json`;
  const uri = resolveReferenceUri(referrer.uri, target);
  if (!uri) {
    context.problems.push(problemAt(referrer, at, 'missing-file', `cannot resolve the relative path ${JSON.stringify(reference)} against ${referrer.uri} (save the file first)`));
    return undefined;
  }
  if (!context.dependencies.includes(uri)) context.dependencies.push(uri);
  const text = context.host.readFile(uri);
  if (text === undefined) {
    const shown = target === reference ? reference : `${reference} (looked for ${target})`;
    context.problems.push(problemAt(referrer, at, 'missing-file', `${what} file not found: ${shown}, relative to this file's folder`));
    return undefined;
  }
  const detected = detectKind(uri, text);
  const expected: readonly DocumentKind[] = what === 'model' ? ['model', 'hf-config'] : ['hardware'];
  if (detected !== undefined && !expected.includes(detected)) {
    context.problems.push(problemAt(referrer, at, 'wrong-kind', `${fileNameOf(uri)} is a ${detected === 'hf-config' ? 'model' : detected} file, not a ${what} file`));
    return undefined;
  }
  // An explicitly referenced config.json is read as a Hugging Face config even without model_type.
  const kind: DocumentKind = detected ?? (what === 'hardware' ? 'hardware' : /\.json$/i.test(uri) && !/\.model\.json$/i.test(uri) ? 'hf-config' : 'model');
  const doc = parseDocument(uri, text, kind);
  context.documents.set(uri, doc);
  const fileProblems = validateDocument(doc);
  context.problems.push(...fileProblems);
  const ok = !fileProblems.some((problem) => problem.severity === 'error') && doc.value !== null && typeof doc.value === 'object';
  return { doc, ok };
}
