/**
 * YAML documents with positions, through `yaml`'s document API (node ranges are offsets into the
 * text). Hostile input is reported, not executed: aliases are expanded at most `MAX_ALIAS_COUNT`
 * times (a "billion laughs" file stops there), nesting is measured on the parser's tokens before
 * any tree is built, keys that are collections are left out, and input too large or too deep gives
 * a positioned problem instead of a crash or a stall.
 */
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Lexer, Parser, YAMLParseError, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { CST } from 'yaml';
import type { ConfigProblem, DocumentKind, JsonPath, NodeLocation, OffsetRange, ParsedDocument } from './types';
import { firstLineRange } from './problems';
import { checkStoppedProblem, CheckStopped, unmetered, type WorkMeter } from './checkBudget';
import { runToEnd } from './steps';

/** Alias expansions allowed when building the plain value (the `yaml` library's own default). */
export const MAX_ALIAS_COUNT = 100;
/**
 * JSON is checked only below this size. Config files are a few KB (the largest Hugging Face
 * config.json files, with label maps, some tens of KB); a JSON file of 1 MB took over half a second
 * to parse, and one of 256 KB of dense syntax (40,000 nested objects, 60,000 syntax errors) up to
 * 250 ms of CPU on a busy 2-core machine, over the 100 ms a document check may take.
 */
export const MAX_TEXT_LENGTH = 128 * 1024;
/**
 * YAML is checked only below this size. The parser takes about 1 ms per 1,000 entries on a
 * loaded 2-core machine, so a 1 MB YAML list would stall every keystroke for a second (32 KB takes about 50 ms); a real
 * deployment, hardware or model file is a few KB (JSON, whose parser is far faster, keeps the
 * larger limit above).
 */
export const MAX_YAML_TEXT_LENGTH = 32 * 1024;
/**
 * Nesting deeper than this is refused before the tree is built (the composer and everything after
 * it recurse per level). Config files nest a handful of levels; Hugging Face configs at most four.
 */
export const MAX_NESTING_DEPTH = 64;

/** One character at `offset` (clamped to the text), for problems found at one point of the text. */
export function pointRange(text: string, offset: number): OffsetRange {
  const start = Math.min(Math.max(offset, 0), text.length);
  return { start, end: Math.min(start + 1, text.length) };
}

export function tooDeepMessage(syntax: 'YAML' | 'JSON'): string {
  return `the ${syntax} is nested too deeply to read (more than ${MAX_NESTING_DEPTH} levels; config files need a few)`;
}

/** One block indicator or node property, and the blanks after it. */
const INDICATOR = `(?:[-?:](?=[ \\t]|$)|[&!][^\\s,[\\]{}]*)[ \\t]*`;
/**
 * A run of more than `MAX_NESTING_DEPTH` block indicators and node properties, separated by blanks
 * only, at the start of a line or after a plain key: `- - - …`, `? ? …`, `a: : : …`, `&a &b …`,
 * `!t !t …` (not inside quotes or a comment). The `yaml` lexer reads such a run through one nested
 * generator per indicator, so its time grows with the square of the run (4,000 took 4 s) whether
 * or not the parser nests with it; where the YAML is valid each opens a level, so a longer run is
 * nesting too deep. Flow brackets are counted by the parser's own stack.
 */
const INDICATOR_RUN = new RegExp(
  `^[ \\t]*(?:[^\\s#"'][^#"'\\n]*?)??(?:${INDICATOR}){${MAX_NESTING_DEPTH}}(${INDICATOR})`,
  'm',
);

/**
 * Words and symbols (the lexer's tokens: scalars, indicators, brackets, blanks, newlines) read
 * before a YAML file is refused. A config file has a few hundred (the largest example, 600); the
 * lexer, parser and composer take time in proportion to them, about 3 µs each on a quiet machine,
 * so this keeps any YAML under the 100 ms a check may take, whatever its 32 KB hold (`[]` 16,000
 * times took 0.3 s).
 */
export const MAX_YAML_LEXEMES = 12_000;
/** Tokens lexed between two chances for the caller to give the event loop back or stop. */
export const YAML_LEXEMES_PER_STEP = 1_000;

/**
 * A parse in steps: the generator yields between slices of work, and the caller answers each
 * yield with whether to stop (the check's time budget is spent), in which case the parse ends at
 * once with a `check-stopped` problem where it stopped. `parseDocument` runs the steps through.
 */
export type ParseSteps = Generator<ParsePause | undefined, ParsedDocument, boolean | undefined>;

/**
 * A yield with nothing is a pause the caller takes (a slice of lexing done); `'if-long'` is one it
 * takes only when the step running has been long, so an ordinary document is not kept waiting.
 */
export type ParsePause = 'if-long';

type Lexed = { tokens: CST.Token[] } | { tooDeepAt: number } | { tooLongAt: number } | { stoppedAt: number };

/**
 * The concrete syntax tokens of the text, or where nesting first goes deeper than the limit, or
 * where the text passed the lexeme limit, or where the caller stopped. The depth is the parser's
 * own stack (one entry for the document and one per open collection, block or flow, explicit keys
 * included), so quotes, comments and indentation count as they should.
 */
function* yamlTokens(text: string, meter: WorkMeter): Generator<undefined, Lexed, boolean | undefined> {
  const run = INDICATOR_RUN.exec(text);
  // At the indicator past the limit, where the parser's own count would stop.
  if (run) return { tooDeepAt: run.index + run[0].length - run[1]!.length };
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  let lexemes = 0;
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length - 1 > MAX_NESTING_DEPTH) return { tooDeepAt: parser.offset };
    if (++lexemes > MAX_YAML_LEXEMES) return { tooLongAt: parser.offset };
    if (lexemes % YAML_LEXEMES_PER_STEP === 0 && (yield)) return { stoppedAt: parser.offset };
    // A lexeme can cost 30 µs (the lexer nests a generator per block indicator): the budget is
    // looked at inside the step too.
    try {
      meter.unit();
    } catch (error) {
      if (error instanceof CheckStopped) return { stoppedAt: parser.offset };
      throw error;
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return { tokens };
}

/** Steps through aliases when locating a path, so alias cycles cannot loop. */
const MAX_ALIAS_HOPS = 16;

function syntaxProblem(uri: string, range: OffsetRange, message: string, code = 'yaml-syntax'): ConfigProblem {
  return { uri, range, path: [], message, code, severity: 'error' };
}

/** `yaml` appends " at line L, column C" (and a code frame when pretty); the range already says where. */
function plainMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+[\s\S]*$/, '').trim();
}

/** A range without trailing blank lines and spaces (block collections end after their last newline). */
function trimmedRange(text: string, start: number, end: number): OffsetRange {
  let trimmedEnd = end;
  while (trimmedEnd > start && /\s/.test(text[trimmedEnd - 1]!)) trimmedEnd--;
  return { start, end: trimmedEnd };
}

function nodeRange(text: string, node: YamlNode): OffsetRange | undefined {
  return node.range ? trimmedRange(text, node.range[0], node.range[1]) : undefined;
}

function keyOf(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  return value === null ? 'null' : typeof value === 'object' ? undefined : String(value);
}

function follow(doc: Document, node: unknown): unknown {
  let current = node;
  for (let hops = 0; isAlias(current) && hops < MAX_ALIAS_HOPS; hops++) current = current.resolve(doc);
  return current;
}

/** The pairs of each map by key, made once per map (the first occurrence, as `find` gave). */
const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairNamed(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items) {
      const name = isPair(item) ? keyOf(item.key) : undefined;
      if (name !== undefined && !index.has(name)) index.set(name, item);
    }
    pairIndexes.set(map, index);
  }
  return index.get(key);
}

function within(offset: number, range: OffsetRange | undefined): boolean {
  return range !== undefined && offset >= range.start && offset <= range.end;
}

export function parseYaml(uri: string, text: string, kind: DocumentKind): ParsedDocument {
  return runToEnd(parseYamlSteps(uri, text, kind), false);
}

export function* parseYamlSteps(uri: string, text: string, kind: DocumentKind, meter: WorkMeter = unmetered()): ParseSteps {
  const base = { uri, kind, text };
  if (text.length > MAX_YAML_TEXT_LENGTH) {
    return emptyDocument(base, [
      syntaxProblem(
        uri,
        firstLineRange(text),
        `the file is too large to be a config file (${Math.round(text.length / 1024)} KB; YAML config files are checked up to ${MAX_YAML_TEXT_LENGTH / 1024} KB)`,
        'too-large',
      ),
    ]);
  }
  const lexed = yield* yamlTokens(text, meter);
  if ('tooDeepAt' in lexed) return emptyDocument(base, [syntaxProblem(uri, pointRange(text, lexed.tooDeepAt), tooDeepMessage('YAML'), 'too-deep')]);
  if ('tooLongAt' in lexed) {
    const message = `the YAML is too long to check: more than ${MAX_YAML_LEXEMES.toLocaleString('en-US')} words and symbols (config files have a few hundred); reading stopped here`;
    return emptyDocument(base, [syntaxProblem(uri, pointRange(text, lexed.tooLongAt), message, 'too-large')]);
  }
  if ('stoppedAt' in lexed) return emptyDocument(base, [checkStoppedProblem(uri, pointRange(text, lexed.stoppedAt))]);
  // The composer's work is bounded by MAX_YAML_LEXEMES: it runs whatever the answer, in one call,
  // looking at the budget as it reads the items of each collection (up to 50 ms on a loaded machine).
  yield;
  let doc: Document.Parsed;
  let syntaxProblems: ConfigProblem[];
  try {
    for (const token of lexed.tokens) meterCollectionItems(token, meter);
    doc = withoutStackTraces(() => composeOne(lexed.tokens, text.length));
    syntaxProblems = doc.errors.map((error) => syntaxProblem(uri, { start: error.pos[0], end: Math.max(error.pos[0], error.pos[1]) }, plainMessage(error.message)));
    meter.lookNow();
  } catch (error) {
    if (error instanceof CheckStopped) return emptyDocument(base, [checkStoppedProblem(uri, firstLineRange(text))]);
    throw error;
  }
  if (yield 'if-long') return emptyDocument(base, [checkStoppedProblem(uri, firstLineRange(text))]);
  try {
    syntaxProblems.push(...duplicateKeyProblems(uri, text, doc.contents, meter));
    syntaxProblems.push(...dropComplexKeys(uri, text, doc.contents, meter));
    meter.lookNow();
  } catch (error) {
    if (error instanceof CheckStopped) return emptyDocument(base, [checkStoppedProblem(uri, firstLineRange(text))]);
    throw error;
  }
  // Reading the value is not metered inside (the library's toJS); it is bounded by the lexemes and aliases.
  if (yield 'if-long') return emptyDocument(base, [checkStoppedProblem(uri, firstLineRange(text))]);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message =
      error instanceof ReferenceError
        ? `too many alias expansions (more than ${MAX_ALIAS_COUNT}); a config file does not need this many`
        : error instanceof RangeError
          ? 'the YAML is nested too deeply to read'
          : `the YAML could not be read: ${error instanceof Error ? error.message : String(error)}`;
    syntaxProblems.push(syntaxProblem(uri, firstLineRange(text), message, error instanceof ReferenceError ? 'yaml-alias-limit' : 'yaml-syntax'));
    value = undefined;
  }

  function locate(path: JsonPath): NodeLocation | undefined {
    const root = follow(doc, doc.contents) as YamlNode | null;
    if (!root) return undefined;
    const rootRange = nodeRange(text, root);
    if (!rootRange) return undefined;
    let location: NodeLocation = { valueRange: rootRange };
    let node: unknown = root;
    for (const segment of path) {
      node = follow(doc, node);
      let next: NodeLocation | undefined;
      let child: unknown;
      if (isMap(node)) {
        const pair = pairNamed(node, String(segment));
        if (pair) {
          const keyRange = isScalar(pair.key) || isMap(pair.key) || isSeq(pair.key) ? nodeRange(text, pair.key as YamlNode) : undefined;
          const target = follow(doc, pair.value) as YamlNode | null;
          const valueRange = target ? nodeRange(text, pair.value as YamlNode) : undefined;
          // `key:` with nothing after it: the value is empty, so point at the key.
          const usableValue = valueRange && valueRange.end > valueRange.start ? valueRange : keyRange;
          if (usableValue) {
            next = { ...(keyRange ? { keyRange } : {}), valueRange: usableValue };
            child = pair.value;
          }
        }
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        const range = item ? nodeRange(text, item as YamlNode) : undefined;
        if (range) {
          next = { valueRange: range };
          child = item;
        }
      }
      if (!next) return location;
      location = next;
      node = child;
    }
    return location;
  }

  function pathAt(offset: number): { path: JsonPath; onKey: boolean } | undefined {
    const root = doc.contents as YamlNode | null;
    if (!root) return undefined;
    const path: (string | number)[] = [];
    let node: unknown = root;
    for (let depth = 0; depth < 1000; depth++) {
      let descended = false;
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          const key = keyOf(pair.key);
          if (key === undefined) continue;
          const keyRange = nodeRange(text, pair.key as YamlNode);
          if (within(offset, keyRange)) return { path: [...path, key], onKey: true };
          const valueRange = pair.value ? nodeRange(text, pair.value as YamlNode) : undefined;
          if (within(offset, valueRange) && valueRange!.end > valueRange!.start) {
            path.push(key);
            node = pair.value;
            descended = true;
            break;
          }
        }
      } else if (isSeq(node)) {
        for (let index = 0; index < node.items.length; index++) {
          const item = node.items[index] as YamlNode | null;
          if (item && within(offset, nodeRange(text, item))) {
            path.push(index);
            node = item;
            descended = true;
            break;
          }
        }
      }
      if (!descended) break;
    }
    return { path, onKey: false };
  }

  return { ...base, value, syntaxProblems, locate, pathAt };
}

/**
 * Runs `action` with errors capturing no stack trace. The `yaml` library makes an `Error` per
 * syntax problem, and capturing its stack was most of the time on a 32 KB file of 16,000 errors
 * (`[][][]…`: a second per check); the messages and positions are all we use.
 */
function withoutStackTraces<T>(action: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return action();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * Makes the composer's reading of each collection's items a unit of `meter`'s work: the `yaml`
 * library composes a document in one call, and 12,000 lexemes of nested explicit keys took it up
 * to 50 ms. Each block map, block sequence and flow collection of the syntax tokens gets its items
 * behind a read-only view that counts the items read; the composer reads them by index or iterator.
 */
function meterCollectionItems(root: CST.Token, meter: WorkMeter): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const token = pending.pop() as { type?: string; value?: unknown; items?: { key?: unknown; value?: unknown }[] } | undefined;
    if (!token || typeof token !== 'object') continue;
    if (token.type === 'document') pending.push(token.value);
    else if ((token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') && Array.isArray(token.items)) {
      for (const item of token.items) pending.push(item.key, item.value);
      token.items = new Proxy(token.items, {
        get(items, property, receiver) {
          // An index (not `length` or the iterator): one item read.
          if (typeof property === 'string' && property.charCodeAt(0) >= 48 && property.charCodeAt(0) <= 57) meter.unit();
          return Reflect.get(items, property, receiver) as unknown;
        },
      });
    }
  }
}

/** The first document of the stream; a second one is an error (a config file is one document). */
function composeOne(tokens: readonly CST.Token[], length: number): Document.Parsed {
  // `uniqueKeys` is off because the library's check compares every pair of keys of a map (a 60,000-key
  // flow map took a minute); duplicateKeyProblems finds them in one pass instead.
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false, strict: true });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'the file holds multiple documents (a config file is one document)'));
      break;
    }
  }
  // `compose(…, forceDoc)` always ends with a document.
  return doc!;
}

/**
 * Keys that are collections or aliases (`? [a, b]: c`, `? ? ? a`) are reported and left out of the
 * value. No config key is one, and turning them into object keys means printing the whole
 * collection as text at every level: `'? ' * 400` took minutes.
 */
function dropComplexKeys(uri: string, text: string, root: unknown, meter: WorkMeter): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    meter.unit();
    const node = pending.pop();
    if (isMap(node)) {
      node.items = node.items.filter((pair) => {
        if (pair.key === null || isScalar(pair.key)) {
          pending.push(pair.value);
          return true;
        }
        const range = nodeRange(text, pair.key as YamlNode) ?? firstLineRange(text);
        problems.push(syntaxProblem(uri, range, 'a key must be a plain name, not a list, map or alias; this entry is ignored', 'complex-key'));
        return false;
      });
    } else if (isSeq(node)) {
      pending.push(...node.items);
    }
  }
  return problems;
}

function emptyDocument(base: { uri: string; kind: DocumentKind; text: string }, syntaxProblems: ConfigProblem[]): ParsedDocument {
  return { ...base, value: undefined, syntaxProblems, locate: () => undefined, pathAt: () => undefined };
}

/** Keys repeated within one mapping, in one pass over the tree (aliases are not followed). */
function duplicateKeyProblems(uri: string, text: string, root: unknown, meter: WorkMeter): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    meter.unit();
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = keyOf(pair.key);
        if (key !== undefined) {
          if (seen.has(key)) {
            const range = nodeRange(text, pair.key as YamlNode) ?? firstLineRange(text);
            problems.push(syntaxProblem(uri, range, 'Map keys must be unique', 'yaml-syntax'));
          }
          seen.add(key);
        }
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      pending.push(...node.items);
    }
  }
  return problems;
}
