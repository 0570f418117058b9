/**
 * Files a config refers to (`model: ./models/x/config.json`, `hardware: ./h100.hardware.yaml`):
 * resolved as paths against the referring document's uri with the URL class (no `fs` or `path`,
 * so this works in a browser too), read through the injected host (which enforces the read
 * policy: regular files, a byte limit, Restricted Mode), parsed and schema-checked. Every problem
 * found carries the referenced file's uri.
 */
import { fileNameOf, kindOfFileName, looksLikeHfConfig } from './detect';
import { parseDocument } from './parse';
import { problemAt } from './problems';
import { describeUnreadable } from './readPolicy';
import type { ConfigHost, ConfigProblem, DocumentKind, JsonPath, ParsedDocument, UnreadableFile } from './types';
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

/**
 * The uri of `reference` relative to the document at `baseUri`; undefined when the base is not a
 * folder-based uri. A reference is a path, not a URL: `#`, `?` and `%` are characters of the file
 * name (`/dev/zero#.json` names a file called `zero#.json`, it does not read /dev/zero). A
 * `file:` URL is taken as written, without its query and fragment.
 */
export function resolveReferenceUri(baseUri: string, reference: string): string | undefined {
  const normalized = reference.replace(/\\/g, '/');
  try {
    if (/^file:/i.test(normalized)) {
      const url = new URL(normalized);
      url.search = '';
      url.hash = '';
      return url.toString();
    }
    const encoded = normalized.replace(/[%?#]/g, (character) => encodeURIComponent(character));
    if (/^[A-Za-z]:\//.test(encoded)) return new URL(`file:///${encoded}`).toString();
    return new URL(encoded, baseUri).toString();
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

/**
 * The uri of the file `reference` makes `referrerUri` read: the path itself, or for a model whose
 * path has no config extension (a Hugging Face checkout), the `config.json` inside it. The
 * extension that counts is the one of the path actually read.
 */
export function referencedFileUri(referrerUri: string, reference: string, what: 'model' | 'hardware'): string | undefined {
  const referenced = resolveReferenceUri(referrerUri, reference);
  if (!referenced) return undefined;
  const isFolder = what === 'model' && !CONFIG_EXTENSION.test(fileNameOf(referenced));
  return isFolder ? `${referenced.replace(/\/+$/, '')}/config.json` : referenced;
}

export type LoadedFile = { doc: ParsedDocument; ok: boolean } | undefined;

/** Why a referenced file was not read, said on the reference. Never quotes the file. */
function unreadableMessage(what: 'model' | 'hardware', shown: string, file: UnreadableFile): string {
  if (file.unreadable === 'outside-workspace') {
    return `Not read in Restricted Mode: ${shown} is outside the workspace folders. Trust the workspace to read it.`;
  }
  return `${what} file ${shown} was not read: ${describeUnreadable(file)}`;
}

/** Why a file that is none of our kinds is not read as one (its name, never its content). */
function notOurKindMessage(what: 'model' | 'hardware', name: string, isJson: boolean): string {
  if (what === 'hardware') return `${name} is not a hardware file: hardware files are named *.hardware.yaml (or .yml, .json)`;
  if (isJson) return `${name} is not a model file: a Hugging Face config.json has model_type or architectures at the top level`;
  return `${name} is not a model file: model files are named *.model.yaml (or .yml, .json), or are a Hugging Face config.json`;
}

/**
 * Reads the file `reference` (written at `at` in `referrer`) as one of `kinds`. A folder reference
 * (no config extension) reads the `config.json` inside it. Reports missing, unreadable and
 * wrong-kind files on the referring value; reports the file's own syntax and schema problems in
 * the file. Only files of our kinds are parsed (decided by name, and for JSON models by shape), so
 * no message ever quotes another file's content (`/etc/passwd`, `/proc/self/environ`).
 */
export function loadReferencedFile(
  context: ResolutionContext,
  referrer: ParsedDocument,
  at: JsonPath,
  reference: string,
  what: 'model' | 'hardware',
): LoadedFile {
  const uri = referencedFileUri(referrer.uri, reference, what);
  if (!uri) {
    context.problems.push(problemAt(referrer, at, 'missing-file', `cannot resolve the relative path ${JSON.stringify(reference)} against ${referrer.uri} (save the file first)`));
    return undefined;
  }
  const isFolder = uri !== resolveReferenceUri(referrer.uri, reference);
  const lookedFor = /^file:/i.test(reference) ? decodeURIComponent(new URL(uri).pathname) : `${reference.replace(/[\\/]+$/, '')}/config.json`;
  const shown = isFolder ? `${reference} (looked for ${lookedFor})` : reference;
  const name = fileNameOf(uri);
  const named = kindOfFileName(name);
  const expected: readonly DocumentKind[] = what === 'model' ? ['model', 'hf-config'] : ['hardware'];
  if (named !== undefined && !expected.includes(named)) {
    context.problems.push(problemAt(referrer, at, 'wrong-kind', `${name} is a ${named} file, not a ${what} file`));
    return undefined;
  }
  const isJson = /\.json$/i.test(name);
  // Hardware files are known by name alone; a model may also be a Hugging Face config, known by its shape.
  if (named === undefined && (what === 'hardware' || !isJson)) {
    context.problems.push(problemAt(referrer, at, 'wrong-kind', notOurKindMessage(what, name, isJson)));
    return undefined;
  }
  if (!context.dependencies.includes(uri)) context.dependencies.push(uri);
  const read = context.host.readFile(uri);
  if (read === undefined) {
    context.problems.push(problemAt(referrer, at, 'missing-file', `${what} file not found: ${shown}, relative to this file's folder`));
    return undefined;
  }
  if (typeof read !== 'string') {
    context.problems.push(problemAt(referrer, at, 'unreadable-file', unreadableMessage(what, shown, read)));
    return undefined;
  }
  if (named === undefined && !looksLikeHfConfig(read)) {
    context.problems.push(problemAt(referrer, at, 'wrong-kind', notOurKindMessage(what, name, isJson)));
    return undefined;
  }
  const kind: DocumentKind = named ?? 'hf-config';
  const doc = context.host.parse?.(uri, read, kind) ?? parseDocument(uri, read, kind);
  context.documents.set(uri, doc);
  const fileProblems = validateDocument(doc);
  context.problems.push(...fileProblems);
  const ok = !fileProblems.some((problem) => problem.severity === 'error') && doc.value !== null && typeof doc.value === 'object';
  return { doc, ok };
}
