/**
 * `measured:` in a deployment: benchmark results to set beside the analysis. Each entry is a path
 * relative to the deployment (or `{ path, replicas }` when the benchmark ran against several
 * replicas behind a load balancer), read through the host like every referenced file, and parsed
 * by measured/readMeasured.ts. A file that is missing, unreadable or not a result is an error on
 * its entry; a result run against another model, or at other lengths than the deployment writes,
 * is a warning there. The points are returned for measured/compare.ts.
 */
import { lookAtCheckBudget } from './checkBudget';
import type { SourcedPoint } from '../measured/compare';
import { MEASURED_FILE_EXTENSION, readMeasuredText } from '../measured/readMeasured';
import { MeasuredFileError, perReplica, type MeasuredRun } from '../measured/types';
import { fileNameOf } from './detect';
import { listingKey, matchingFiles, MAX_PATTERN_FILES, measuredPatternOf, type MeasuredPattern } from './measuredPattern';
import { valueAt } from './parse';
import { problemAt } from './problems';
import { describeUnreadable } from './readPolicy';
import { resolveReferenceUri } from './references';
import type { ConfigHost, ConfigProblem, JsonPath, ParsedDocument } from './types';

export interface MeasuredEntry {
  reference: string;
  replicas: number;
  at: JsonPath;
}

/** The entries of `measured:` (a path, or a list of paths and `{ path, replicas }`); wrong shapes are the schema's to report. */
export function measuredEntries(root: unknown): MeasuredEntry[] {
  const value = valueAt(root, ['measured']);
  const items: { item: unknown; at: JsonPath }[] = typeof value === 'string' ? [{ item: value, at: ['measured'] }] : Array.isArray(value) ? value.map((item, index) => ({ item, at: ['measured', index] })) : [];
  const entries: MeasuredEntry[] = [];
  for (const { item, at } of items) {
    if (typeof item === 'string' && item.trim() !== '') entries.push({ reference: item, replicas: 1, at });
    else if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const { path, replicas } = item as { path?: unknown; replicas?: unknown };
      if (typeof path !== 'string' || path.trim() === '') continue;
      entries.push({ reference: path, replicas: typeof replicas === 'number' && Number.isSafeInteger(replicas) && replicas >= 1 ? replicas : 1, at: [...at, 'path'] });
    }
  }
  return entries;
}

/** What the deployment states that a result should agree with. */
export interface MeasuredExpectations {
  modelName: string;
  /** Lengths written in the deployment (not defaults). */
  promptTokens?: number;
  outputTokens?: number;
}

export interface LoadedMeasured {
  points: SourcedPoint[];
  problems: ConfigProblem[];
  dependencies: string[];
}

/** `Meta-Llama/Llama-3.2-3B-Instruct` → `llama-3.2-3b`: the model without its organisation and tuning suffix. */
export function modelKey(id: string): string {
  let key = id.trim().toLowerCase().replace(/\/+$/, '');
  key = key.slice(key.lastIndexOf('/') + 1);
  let previous: string;
  do {
    previous = key;
    key = key.replace(/[-_.](instruct|chat|hf|it|base)$/, '');
  } while (key !== previous);
  return key;
}

function sameModel(a: string, b: string): boolean {
  const [x, y] = [modelKey(a), modelKey(b)];
  return x === y || x.includes(y) || y.includes(x);
}

function differsByTenth(measured: number | undefined, written: number | undefined): boolean {
  return measured !== undefined && written !== undefined && Math.abs(measured - written) > 0.1 * written;
}

function agreementProblems(doc: ParsedDocument, at: JsonPath, name: string, run: MeasuredRun, expected: MeasuredExpectations): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const warn = (code: string, message: string): void => {
    problems.push(problemAt(doc, at, code, message, { severity: 'warning' }));
  };
  if (run.model && !sameModel(run.model, expected.modelName)) {
    warn('measured-model-mismatch', `${name} was measured on ${run.model}, and this deployment analyses ${expected.modelName}: the comparison sets different models side by side`);
  }
  const prompt = run.points.find((point) => differsByTenth(point.promptTokens, expected.promptTokens));
  if (prompt) {
    warn('measured-length-mismatch', `${prompt.label} averages ${prompt.promptTokens} prompt tokens, the deployment says ${expected.promptTokens}: each point is predicted at its own lengths`);
  }
  const output = run.points.find((point) => differsByTenth(point.outputTokens, expected.outputTokens));
  if (output) {
    warn('measured-length-mismatch', `${output.label} averages ${output.outputTokens} output tokens, the deployment says ${expected.outputTokens}: each point is predicted at its own lengths`);
  }
  return problems;
}

export function loadMeasured(doc: ParsedDocument, host: ConfigHost, expected: MeasuredExpectations): LoadedMeasured {
  const loaded: LoadedMeasured = { points: [], problems: [], dependencies: [] };
  const problem = (at: JsonPath, code: string, message: string, severity: 'error' | 'warning' = 'error'): void => {
    loaded.problems.push(problemAt(doc, at, code, message, { severity }));
  };
  const error = (at: JsonPath, code: string, message: string): void => problem(at, code, message);

  /** One result file of an entry: read, parsed, checked against the deployment, its points kept. */
  const read = new Set<string>();
  const loadFile = (entry: MeasuredEntry, reference: string, uri: string): void => {
    const name = decodeURIComponent(fileNameOf(uri));
    // A file named twice (by its path and by a pattern, or by two patterns) would count its points twice.
    if (read.has(uri)) {
      problem(entry.at, 'measured-duplicate', `${reference} is already read by an entry above: its points are counted once`, 'warning');
      return;
    }
    read.add(uri);
    if (!MEASURED_FILE_EXTENSION.test(name)) {
      error(entry.at, 'unknown-format', `${name}: measured results are read from .json (vllm bench serve --save-result, GuideLLM's report) or .csv files`);
      return;
    }
    if (!loaded.dependencies.includes(uri)) loaded.dependencies.push(uri);
    const text = host.readFile(uri);
    if (text === undefined) {
      error(entry.at, 'missing-file', `measured results not found: ${reference}, relative to this file's folder`);
      return;
    }
    if (typeof text !== 'string') {
      // A result saved with --save-detailed lists every request's text and token times: megabytes.
      const why = text.unreadable === 'too-large' ? `${describeUnreadable(text).replace(/ \(.*\)$/, '')}; save the run without --save-detailed, whose summary is what is compared` : describeUnreadable(text);
      error(entry.at, 'unreadable-file', `measured results ${reference} were not read: ${why}`);
      return;
    }
    let run: MeasuredRun;
    // Up to 64 files of up to 1 MiB each: a check while the user types may stop between two.
    lookAtCheckBudget();
    try {
      run = readMeasuredText(text, name);
    } catch (failure) {
      if (!(failure instanceof MeasuredFileError)) throw failure;
      error(entry.at, failure.code, failure.message);
      return;
    }
    loaded.problems.push(...agreementProblems(doc, entry.at, name, run, expected));
    for (const point of run.points) loaded.points.push({ point: perReplica(point, entry.replicas), file: uri, format: run.format });
  };

  /** A pattern entry: its folder listed through the host, each matching result file loaded. */
  const loadPattern = (entry: MeasuredEntry, { folderReference, pattern }: MeasuredPattern): void => {
    const folderUri = resolveReferenceUri(doc.uri, folderReference === '' ? './' : folderReference);
    if (!folderUri) {
      error(entry.at, 'missing-file', `cannot resolve the folder ${JSON.stringify(folderReference)} against ${doc.uri} (save the file first)`);
      return;
    }
    if (!host.listFolder) {
      error(entry.at, 'measured-pattern-unsupported', `${entry.reference}: a pattern needs the folder listed, which this host cannot do; name each file`);
      return;
    }
    const key = listingKey(folderUri);
    if (!loaded.dependencies.includes(key)) loaded.dependencies.push(key);
    const listing = host.listFolder(folderUri);
    // Not listed yet: the host lists the folder and the deployment is checked again.
    if (listing === undefined) return;
    const folderName = folderReference === '' || folderReference === './' ? "this file's folder" : folderReference;
    if (listing === null) {
      error(entry.at, 'missing-file', `no folder ${folderName} for ${entry.reference}, relative to this file's folder`);
      return;
    }
    if (!Array.isArray(listing)) {
      // Worded as for every reference refused in Restricted Mode (references.ts).
      const message = listing.unreadable === 'outside-workspace'
        ? `Not read in Restricted Mode: ${entry.reference} is outside the workspace folders. Trust the workspace to read it.`
        : `the folder of ${entry.reference} was not listed: ${describeUnreadable(listing)}`;
      error(entry.at, 'unreadable-file', message);
      return;
    }
    const names = matchingFiles(listing, pattern).filter((name) => MEASURED_FILE_EXTENSION.test(name));
    if (names.length === 0) {
      problem(entry.at, 'measured-pattern-empty', `no .json or .csv file in ${folderName} matches ${pattern}`, 'warning');
      return;
    }
    if (names.length > MAX_PATTERN_FILES) {
      problem(entry.at, 'measured-pattern-truncated', `${names.length} files match ${entry.reference}: the first ${MAX_PATTERN_FILES} by name are read; name a narrower pattern`, 'warning');
    }
    for (const name of names.slice(0, MAX_PATTERN_FILES)) {
      const uri = new URL(encodeURIComponent(name), folderUri).toString();
      loadFile(entry, `${folderReference}${name}`, uri);
    }
  };

  for (const entry of measuredEntries(doc.value)) {
    let pattern: MeasuredPattern | undefined;
    try {
      pattern = measuredPatternOf(entry.reference);
    } catch (failure) {
      error(entry.at, 'measured-pattern-folder', failure instanceof Error ? failure.message : String(failure));
      continue;
    }
    if (pattern) {
      loadPattern(entry, pattern);
      continue;
    }
    const uri = resolveReferenceUri(doc.uri, entry.reference);
    if (!uri) {
      error(entry.at, 'missing-file', `cannot resolve the relative path ${JSON.stringify(entry.reference)} against ${doc.uri} (save the file first)`);
      continue;
    }
    loadFile(entry, entry.reference, uri);
  }
  return loaded;
}
