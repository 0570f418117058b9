/**
 * A deployment written with `vllm:` or `sglang:` → the same deployment in our own keys, as a
 * parsed document whose value holds the keys the arguments set and whose `locate` points each of
 * them at its argument. Everything after (schema check, resolution, engine, error placement)
 * then runs unchanged, and every problem about a key an argument set lands on that argument.
 */
import { hasPath, parseDocument, valueAt } from '../config/parse';
import { isPathLike, resolveReferenceUri } from '../config/references';
import type { ConfigHost, ConfigProblem, JsonPath, NodeLocation, OffsetRange, ParsedDocument } from '../config/types';
import { firstLineRange } from '../config/problems';
import type { EngineArgTable } from './argSpecs';
import { mapEngineArgs, type DerivedEntry, type EngineName } from './mapArgs';
import { parseEngineArgs, type ArgItem, type ArgProblem } from './parseArgs';
import { SGLANG_ARGS } from './sglangArgs';
import { shellWords } from './shellWords';
import { TRTLLM_ARGS } from './trtllmArgs';
import { VLLM_ARGS } from './vllmArgs';
import type { MemoryBudget } from '../engine/types';

export const ENGINE_KEYS: readonly EngineName[] = ['vllm', 'sglang', 'trtllm'];

const TABLES: Readonly<Record<EngineName, EngineArgTable>> = { vllm: VLLM_ARGS, sglang: SGLANG_ARGS, trtllm: TRTLLM_ARGS };

/** Whose KV pool budgeting each engine key follows. */
export const ENGINE_BUDGETS: Readonly<Record<EngineName, MemoryBudget>> = { vllm: 'vllm', sglang: 'sglang', trtllm: 'tensorrt-llm' };

/** A `--config` file is a few lines; anything larger is not one. */
const MAX_CONFIG_FILE_BYTES = 64 * 1024;
const CONFIG_FILE_NAME = /\.(ya?ml|json)$/i;

/** The keys engine arguments may imply without writing them (their defaults), placed on the `vllm:` value. */
const ENGINE_PATH_HEADS = new Set(['model', 'parallelism', 'quantization', 'memory', 'serving']);

export interface EngineArgsResolution {
  engine: EngineName;
  /** The deployment with the keys the arguments set. */
  doc: ParsedDocument;
  problems: ConfigProblem[];
  dependencies: string[];
  /** Canonical names of the options the command gives (the rest take the engine's defaults). */
  given: ReadonlySet<string>;
  /** Where the arguments are written: the deployment, or a `--config` file. */
  argsUri: string;
  /** The words of a command line written in the deployment, for fixes that add an argument. */
  commandEnd?: number;
  entries: DerivedEntry[];
  /** The model argument, in the deployment. */
  modelRange?: OffsetRange;
  /** Engine defaults set once the model and hardware are known: path key → what set it. */
  defaults: Map<string, string>;
  /** Sets a default the engine would choose (after resolution), placing it on the `vllm:` value. */
  setDefault(path: JsonPath, value: unknown, why: string): void;
  /** Places `path` in the text the same way the merged document does. */
  rangeOfPath(path: JsonPath): OffsetRange | undefined;
}

function pathKey(path: JsonPath): string {
  return path.join('\u0000');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function setAt(root: Record<string, unknown>, path: JsonPath, value: unknown): void {
  let current = root;
  for (const segment of path.slice(0, -1)) {
    const next = current[String(segment)];
    if (!isObject(next)) current[String(segment)] = {};
    current = current[String(segment)] as Record<string, unknown>;
  }
  current[String(path[path.length - 1])] = value;
}

function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

function toProblem(uri: string, path: JsonPath, problem: ArgProblem): ConfigProblem {
  return {
    uri,
    range: { start: problem.start, end: problem.end },
    path,
    message: problem.message,
    code: problem.code,
    severity: problem.severity,
    ...(problem.replacements ? { suggestions: problem.replacements, fixes: problem.replacements.map((text) => ({ title: `Change to ${text}`, edits: [{ start: problem.start, end: problem.end, newText: text }] })) } : {}),
  };
}

/**
 * A command line's words placed in the document text: each word is looked for, in order, in the
 * source of the YAML or JSON scalar (which may be quoted, folded or a block); a word whose
 * source differs (escapes inside a quoted scalar) takes the whole value's range.
 */
function placedWords(command: string, source: string, sourceStart: number, whole: OffsetRange): { items: ArgItem[]; problems: ArgProblem[] } {
  const { words, problems } = shellWords(command);
  let cursor = 0;
  const place = (start: number, end: number): OffsetRange => {
    const raw = command.slice(start, end);
    const found = source.indexOf(raw, cursor);
    if (found < 0) return whole;
    cursor = found + raw.length;
    return { start: sourceStart + found, end: sourceStart + found + raw.length };
  };
  const items = words.map((word) => ({ value: word.value, ...place(word.start, word.end) }));
  cursor = 0;
  const placedProblems = problems.map((problem) => ({ ...problem, ...place(problem.start, problem.end), code: 'engine-arg-syntax', severity: 'error' as const }));
  return { items, problems: placedProblems };
}

/** The items of a `vllm serve --config` YAML: `key: value` → `--key value` (vLLM's FlexibleArgumentParser._load_config_file). */
function configFileItems(file: ParsedDocument): ArgItem[] {
  const items: ArgItem[] = [];
  if (!isObject(file.value)) return items;
  for (const [key, value] of Object.entries(file.value)) {
    const location = file.locate([key]);
    const keyRange = location?.keyRange ?? location?.valueRange ?? { start: 0, end: 0 };
    const valueRange = location?.valueRange ?? keyRange;
    if (value === false) continue;
    items.push({ value: `--${key}`, ...keyRange });
    if (value === true) continue;
    if (Array.isArray(value)) value.forEach((element, index) => items.push({ value: String(element), ...(file.locate([key, index])?.valueRange ?? valueRange) }));
    else items.push({ value: isObject(value) ? JSON.stringify(value) : String(value), ...valueRange });
  }
  return items;
}

export function withEngineArgs(doc: ParsedDocument, host: ConfigHost): EngineArgsResolution | undefined {
  if (!isObject(doc.value)) return undefined;
  const root = doc.value;
  const present = ENGINE_KEYS.filter((key) => root[key] !== undefined);
  if (present.length === 0) return undefined;
  const engine = present[0]!;
  const problems: ConfigProblem[] = [];
  const dependencies: string[] = [];
  for (const other of present.slice(1)) {
    const location = doc.locate([other]);
    problems.push({ uri: doc.uri, range: location?.keyRange ?? location?.valueRange ?? firstLineRange(doc.text), path: [other], message: `give one of vllm:, sglang: or trtllm:, not several; ${engine}: is analysed`, code: 'engine-args-conflict', severity: 'error' });
  }
  const written = root[engine];
  const valueRange = doc.locate([engine])?.valueRange ?? firstLineRange(doc.text);
  let items: ArgItem[] = [];
  let argsDoc: ParsedDocument = doc;
  let commandEnd: number | undefined;
  // A `--config` file is read only when named as one (.yaml, .yml, .json): no other file's content is ever quoted.
  // trtllm-serve's --config YAML holds LLM API options, not command-line arguments: it is not read as a command.
  if (engine !== 'trtllm' && typeof written === 'string' && !/\s/.test(written.trim()) && isPathLike(written.trim()) && CONFIG_FILE_NAME.test(written.trim())) {
    const uri = resolveReferenceUri(doc.uri, written.trim());
    const read = uri ? host.readFile(uri) : undefined;
    if (uri) dependencies.push(uri);
    if (!uri || read === undefined || typeof read !== 'string' || read.length > MAX_CONFIG_FILE_BYTES) {
      const why = read === undefined ? 'not found' : typeof read !== 'string' ? 'not readable' : 'too large for a --config file';
      problems.push({ uri: doc.uri, range: valueRange, path: [engine], message: `${engine} --config file ${written.trim()}: ${why}, relative to this file's folder`, code: 'missing-file', severity: 'error' });
    } else {
      argsDoc = parseDocument(uri, read, 'deployment');
      problems.push(...argsDoc.syntaxProblems);
      items = configFileItems(argsDoc);
    }
  } else if (typeof written === 'string') {
    const source = doc.text.slice(valueRange.start, valueRange.end);
    const placed = placedWords(written, source, valueRange.start, valueRange);
    items = placed.items;
    problems.push(...placed.problems.map((problem) => toProblem(doc.uri, [engine], problem)));
    commandEnd = items.length > 0 ? items[items.length - 1]!.end : undefined;
  } else if (Array.isArray(written)) {
    items = written.map((element, index) => ({ value: String(element), ...(doc.locate([engine, index])?.valueRange ?? valueRange) }));
  }
  const table = TABLES[engine];
  const source = argsDoc === doc ? doc.text : undefined;
  const parsed = parseEngineArgs(items, table, source);
  const mapped = mapEngineArgs(engine, parsed, source);
  const argsUri = argsDoc.uri;
  problems.push(...[...parsed.problems, ...mapped.problems].map((problem) => toProblem(argsUri, argsUri === doc.uri ? [engine] : [], problem)));

  const merged = structuredClone(root);
  const ranges = new Map<string, OffsetRange>();
  const inDeployment = (range: OffsetRange): OffsetRange => (argsUri === doc.uri ? range : valueRange);
  const entries: DerivedEntry[] = [...mapped.entries];
  const modelOption = parsed.model ?? (() => {
    const option = parsed.options.filter((candidate) => candidate.name === (engine === 'vllm' ? '--model' : '--model-path')).pop();
    return option?.value && option.valueRange ? { value: option.value, range: option.valueRange } : undefined;
  })();
  if (modelOption) entries.unshift({ path: ['model'], value: modelOption.value, range: modelOption.range, argument: 'model' });
  for (const entry of entries) {
    const existing = valueAt(root, entry.path);
    if (existing !== undefined && entry.path[0] !== 'model') {
      if (!sameValue(existing, entry.value)) {
        problems.push({
          uri: argsUri,
          range: entry.range,
          path: argsUri === doc.uri ? [engine] : [],
          message: `${entry.argument} gives ${JSON.stringify(entry.value)} but ${entry.path.join('.')} in this file is ${JSON.stringify(existing)}; remove one`,
          code: 'engine-args-conflict',
          severity: 'error',
        });
      }
      continue;
    }
    if (existing !== undefined) continue;
    setAt(merged, entry.path, entry.value);
    ranges.set(pathKey(entry.path), inDeployment(entry.range));
  }
  if (!isObject(merged.serving) || merged.serving.memory_budget === undefined) {
    setAt(merged, ['serving', 'memory_budget'], ENGINE_BUDGETS[engine]);
    ranges.set(pathKey(['serving', 'memory_budget']), valueRange);
  }
  // SGLang pages its KV cache one token at a time unless --page-size says otherwise.
  if (engine === 'sglang' && valueAt(merged, ['serving', 'kv_block_tokens']) === undefined) {
    setAt(merged, ['serving', 'kv_block_tokens'], 1);
    ranges.set(pathKey(['serving', 'kv_block_tokens']), valueRange);
  }
  const defaults = new Map<string, string>();
  const rangeOfPath = (path: JsonPath): OffsetRange | undefined => {
    for (let length = path.length; length > 0; length--) {
      const range = ranges.get(pathKey(path.slice(0, length)));
      if (range) return range;
      if (length === path.length && hasPath(root, path)) return undefined;
    }
    return undefined;
  };
  const locate = (path: JsonPath): NodeLocation | undefined => {
    const own = ranges.get(pathKey(path));
    if (own) return { valueRange: own };
    if (hasPath(root, path)) return doc.locate(path);
    if (path.length > 0 && ENGINE_PATH_HEADS.has(String(path[0]))) return { valueRange: rangeOfPath(path) ?? valueRange };
    return doc.locate(path);
  };
  const modelRange = modelOption && argsUri === doc.uri ? modelOption.range : undefined;
  const resolution: EngineArgsResolution = {
    engine,
    doc: {
      uri: doc.uri,
      kind: doc.kind,
      // Read through: a document given as a plain value makes its text only when asked.
      get text() {
        return doc.text;
      },
      value: merged,
      syntaxProblems: doc.syntaxProblems,
      ...(doc.unlistedSyntaxProblems !== undefined ? { unlistedSyntaxProblems: doc.unlistedSyntaxProblems } : {}),
      locate,
      pathAt: (offset) => doc.pathAt(offset),
    },
    problems,
    dependencies,
    given: mapped.given,
    argsUri,
    ...(commandEnd !== undefined ? { commandEnd } : {}),
    entries,
    ...(modelRange ? { modelRange } : {}),
    defaults,
    setDefault(path, value, why) {
      if (valueAt(merged, path) !== undefined) return;
      setAt(merged, path, value);
      const range = path[1] === 'max_model_len' && modelRange ? modelRange : valueRange;
      ranges.set(pathKey(path), range);
      defaults.set(pathKey(path), why);
    },
    rangeOfPath,
  };
  return resolution;
}

export { pathKey };
