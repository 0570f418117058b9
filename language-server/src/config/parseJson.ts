/**
 * JSON documents (comments and trailing commas allowed, as in VS Code's settings files) with
 * positions, through `jsonc-parser`'s syntax tree.
 */
import { printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { jsonTooDeepAt } from './jsonTokens';
import { nodeValueMetered, parseTreeMetered } from './jsonTree';
import { checkStoppedProblem, CheckStopped, unmetered, type WorkMeter } from './checkBudget';
import { pointRange, MAX_NESTING_DEPTH, MAX_TEXT_LENGTH, tooDeepMessage, type ParseSteps } from './parseYaml';
import { firstLineRange } from './problems';
import type { ConfigProblem, DocumentKind, JsonPath, NodeLocation, OffsetRange, ParsedDocument } from './types';
import { runToEnd } from './steps';

const ERROR_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'not a valid number',
  PropertyNameExpected: 'a property name in double quotes is expected here',
  ValueExpected: 'a value is expected here',
  ColonExpected: 'a colon ":" is expected after the property name',
  CommaExpected: 'a comma "," is expected between entries',
  CloseBraceExpected: 'a closing brace "}" is expected',
  CloseBracketExpected: 'a closing bracket "]" is expected',
  EndOfFileExpected: 'the document should end here (only one top-level value is allowed)',
  InvalidCommentToken: 'unfinished comment',
  UnexpectedEndOfComment: 'unfinished comment',
  UnexpectedEndOfString: 'unfinished string: a closing double quote is missing',
  UnexpectedEndOfNumber: 'unfinished number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character in a string',
  InvalidCharacter: 'invalid character in a string',
};

/** Syntax problems made into messages; past the 100 a check reports, they are only counted. */
const MAX_LISTED_SYNTAX_PROBLEMS = 200;

function syntaxProblem(uri: string, range: OffsetRange, message: string, code = 'json-syntax'): ConfigProblem {
  return { uri, range, path: [], message, code, severity: 'error' };
}

function rangeOf(node: JsonNode): OffsetRange {
  return { start: node.offset, end: node.offset + node.length };
}

function within(offset: number, node: JsonNode): boolean {
  return offset >= node.offset && offset <= node.offset + node.length;
}

/**
 * The properties of each object by name, made once per object: placing each problem scanned every
 * key of its object, so a file of 15,000 keys and 100 problems took a tenth of a second.
 */
const propertyIndexes = new WeakMap<JsonNode, Map<unknown, JsonNode>>();

function propertyNamed(object: JsonNode, key: string): JsonNode | undefined {
  let index = propertyIndexes.get(object);
  if (!index) {
    index = new Map();
    // The last occurrence wins, as in the parsed value.
    for (const property of object.children ?? []) index.set(property.children?.[0]?.value, property);
    propertyIndexes.set(object, index);
  }
  return index.get(key);
}

function duplicateKeyProblems(uri: string, node: JsonNode | undefined, problems: ConfigProblem[], meter: WorkMeter, depth = 0): void {
  if (!node || depth > 500) return;
  meter.unit();
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const keyNode = property.children?.[0];
      const key = keyNode?.value;
      if (typeof key === 'string') {
        if (seen.has(key)) problems.push(syntaxProblem(uri, rangeOf(keyNode!), `duplicate key "${key}" (the last one wins)`, 'duplicate-key'));
        seen.add(key);
      }
      duplicateKeyProblems(uri, property.children?.[1], problems, meter, depth + 1);
    }
  } else if (node.type === 'array') {
    for (const item of node.children ?? []) duplicateKeyProblems(uri, item, problems, meter, depth + 1);
  }
}

export function parseJson(uri: string, text: string, kind: DocumentKind): ParsedDocument {
  return runToEnd(parseJsonSteps(uri, text, kind), false);
}

/**
 * The parse in steps (see `ParseSteps` in parseYaml.ts): the depth scan, the syntax tree, then the
 * value, each a slice of its own; told to stop at a step, or by `meter` inside one (every few
 * hundred tokens or nodes), it ends with a `check-stopped` problem.
 */
export function* parseJsonSteps(uri: string, text: string, kind: DocumentKind, meter: WorkMeter = unmetered()): ParseSteps {
  const base = { uri, kind, text };
  const unreadable = (message: string, code: string, range = firstLineRange(text), severity: 'error' | 'warning' = 'error'): ParsedDocument => ({
    ...base,
    value: undefined,
    syntaxProblems: [{ ...syntaxProblem(uri, range, message, code), severity }],
    locate: () => undefined,
    pathAt: () => undefined,
  });
  if (text.length > MAX_TEXT_LENGTH) return unreadable(`the file is too large to be a config file (${Math.round(text.length / 1024)} KB; JSON config files are checked up to ${MAX_TEXT_LENGTH / 1024} KB)`, 'too-large');
  const stopped = (): ParsedDocument => unreadable(checkStoppedProblem(uri, firstLineRange(text)).message, 'check-stopped', firstLineRange(text), 'warning');
  let tooDeepAt: number | undefined;
  try {
    tooDeepAt = jsonTooDeepAt(text, MAX_NESTING_DEPTH, meter);
  } catch (error) {
    if (error instanceof CheckStopped) return stopped();
    throw error;
  }
  if (tooDeepAt !== undefined) return unreadable(tooDeepMessage('JSON'), 'too-deep', pointRange(text, tooDeepAt));
  if (yield) return stopped();
  const errors: ParseError[] = [];
  let root: JsonNode | undefined;
  let value: unknown;
  try {
    root = parseTreeMetered(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true }, meter);
    if (yield) return stopped();
    value = root ? nodeValueMetered(root, meter) : undefined;
  } catch (error) {
    if (error instanceof CheckStopped) return stopped();
    return unreadable(error instanceof RangeError ? 'the JSON is nested too deeply to read' : 'the JSON could not be read', 'too-deep');
  }
  // Only as many as can be shown: the rest are counted (making each one was most of the time of a
  // file of 60,000 stray commas).
  const listed = errors.slice(0, MAX_LISTED_SYNTAX_PROBLEMS);
  const syntaxProblems = listed.map((error) => {
    const name = printParseErrorCode(error.error);
    return syntaxProblem(uri, { start: error.offset, end: error.offset + error.length }, ERROR_MESSAGES[name] ?? name);
  });
  if (yield 'if-long') return stopped();
  try {
    duplicateKeyProblems(uri, root, syntaxProblems, meter);
  } catch (error) {
    if (error instanceof CheckStopped) return stopped();
    throw error;
  }

  function locate(path: JsonPath): NodeLocation | undefined {
    if (!root) return undefined;
    let location: NodeLocation = { valueRange: rangeOf(root) };
    let node: JsonNode = root;
    for (const segment of path) {
      let next: NodeLocation | undefined;
      let child: JsonNode | undefined;
      if (node.type === 'object') {
        const property = propertyNamed(node, String(segment));
        const keyNode = property?.children?.[0];
        child = property?.children?.[1];
        if (keyNode) next = { keyRange: rangeOf(keyNode), valueRange: child ? rangeOf(child) : rangeOf(keyNode) };
      } else if (node.type === 'array' && typeof segment === 'number') {
        child = node.children?.[segment];
        if (child) next = { valueRange: rangeOf(child) };
      }
      if (!next) return location;
      location = next;
      if (!child) return location;
      node = child;
    }
    return location;
  }

  function pathAt(offset: number): { path: JsonPath; onKey: boolean } | undefined {
    if (!root) return undefined;
    const path: (string | number)[] = [];
    let node: JsonNode = root;
    for (let depth = 0; depth < 1000; depth++) {
      let next: JsonNode | undefined;
      if (node.type === 'object') {
        for (const property of node.children ?? []) {
          const [keyNode, valueNode] = property.children ?? [];
          if (!keyNode || typeof keyNode.value !== 'string') continue;
          if (within(offset, keyNode)) return { path: [...path, keyNode.value], onKey: true };
          if (valueNode && within(offset, valueNode)) {
            path.push(keyNode.value);
            next = valueNode;
            break;
          }
        }
      } else if (node.type === 'array') {
        const items = node.children ?? [];
        const index = items.findIndex((item) => within(offset, item));
        if (index !== -1) {
          path.push(index);
          next = items[index];
        }
      }
      if (!next) break;
      node = next;
    }
    return { path, onKey: false };
  }

  const unlisted = errors.length - listed.length;
  return { ...base, value, syntaxProblems, ...(unlisted > 0 ? { unlistedSyntaxProblems: unlisted } : {}), locate, pathAt };
}
