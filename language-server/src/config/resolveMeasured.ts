/**
 * `measured:` in a deployment: benchmark results to set beside the analysis. Each entry is a path
 * relative to the deployment (or `{ path, replicas }` when the benchmark ran against several
 * replicas behind a load balancer), read through the host like every referenced file, and parsed
 * by measured/readMeasured.ts. A file that is missing, unreadable or not a result is an error on
 * its entry; a result run against another model, or at other lengths than the deployment writes,
 * is a warning there. The points are returned for measured/compare.ts.
 */
import type { SourcedPoint } from '../measured/compare';
import { MEASURED_FILE_EXTENSION, readMeasuredText } from '../measured/readMeasured';
import { MeasuredFileError, perReplica, type MeasuredRun } from '../measured/types';
import { fileNameOf } from './detect';
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
  const error = (at: JsonPath, code: string, message: string): void => {
    loaded.problems.push(problemAt(doc, at, code, message));
  };
  for (const entry of measuredEntries(doc.value)) {
    const uri = resolveReferenceUri(doc.uri, entry.reference);
    if (!uri) {
      error(entry.at, 'missing-file', `cannot resolve the relative path ${JSON.stringify(entry.reference)} against ${doc.uri} (save the file first)`);
      continue;
    }
    const name = decodeURIComponent(fileNameOf(uri));
    if (!MEASURED_FILE_EXTENSION.test(name)) {
      error(entry.at, 'unknown-format', `${name}: measured results are read from .json (vllm bench serve --save-result, GuideLLM's report) or .csv files`);
      continue;
    }
    if (!loaded.dependencies.includes(uri)) loaded.dependencies.push(uri);
    const read = host.readFile(uri);
    if (read === undefined) {
      error(entry.at, 'missing-file', `measured results not found: ${entry.reference}, relative to this file's folder`);
      continue;
    }
    if (typeof read !== 'string') {
      // A result saved with --save-detailed lists every request's text and token times: megabytes.
      const why = read.unreadable === 'too-large' ? `${describeUnreadable(read).replace(/ \(.*\)$/, '')}; save the run without --save-detailed, whose summary is what is compared` : describeUnreadable(read);
      error(entry.at, 'unreadable-file', `measured results ${entry.reference} were not read: ${why}`);
      continue;
    }
    let run: MeasuredRun;
    try {
      run = readMeasuredText(read, name);
    } catch (failure) {
      if (!(failure instanceof MeasuredFileError)) throw failure;
      error(entry.at, failure.code, failure.message);
      continue;
    }
    loaded.problems.push(...agreementProblems(doc, entry.at, name, run, expected));
    for (const point of run.points) loaded.points.push({ point: perReplica(point, entry.replicas), file: uri, format: run.format });
  }
  return loaded;
}
