/**
 * The smallest text edits that set a value or rename a key in a YAML or JSON config file, made
 * through the syntax tree so comments, key order, quoting and indentation survive. YAML goes
 * through `yaml`'s document with source tokens kept (node ranges are offsets in the text);
 * JSON through `jsonc-parser`'s `modify`.
 */
import { findNodeAtLocation, modify, parseTree, type FormattingOptions, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { isMap, isPair, isScalar, parseDocument, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { JsonPath } from './types';

/** Replace `text.slice(start, end)` with `newText`. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

export type ConfigSyntax = 'yaml' | 'json';

export function syntaxOfUri(uri: string): ConfigSyntax {
  return /\.json$/i.test(uri) ? 'json' : 'yaml';
}

/** Applies edits (non-overlapping, any order) to a text. */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/**
 * Edits that make the value at `path` equal to `value`, creating missing parent maps. Undefined
 * when the document cannot take the value there (unparseable, or a parent is a scalar or list).
 */
export function setValueEdits(text: string, syntax: ConfigSyntax, path: JsonPath, value: unknown): OffsetEdit[] | undefined {
  if (path.length === 0) return undefined;
  return syntax === 'json' ? setJsonValue(text, path, value) : setYamlValue(text, path, value);
}

/**
 * Edits that take the key at `path` out of its map, with its value and the comment on its line.
 * No edits when the key is not there; undefined when the document cannot be edited (unparseable)
 * or the key is the only one of a block map (that would leave its parent without a value).
 */
export function removeValueEdits(text: string, syntax: ConfigSyntax, path: JsonPath): OffsetEdit[] | undefined {
  if (path.length === 0) return undefined;
  return syntax === 'json' ? removeJsonValue(text, path) : removeYamlValue(text, path);
}

/** Edits that rename the key at `path` (its last segment) to `newKey`, leaving its value alone. */
export function renameKeyEdits(text: string, syntax: ConfigSyntax, path: JsonPath, newKey: string): OffsetEdit[] | undefined {
  if (path.length === 0 || typeof path[path.length - 1] !== 'string') return undefined;
  return syntax === 'json' ? renameJsonKey(text, path, newKey) : renameYamlKey(text, path, newKey);
}

// ---------------------------------------------------------------- JSON

function detectJsonFormatting(text: string): FormattingOptions {
  const indented = /\n([ \t]+)\S/.exec(text);
  const indent = indented?.[1] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (indent.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent.length, eol };
}

/** The syntax tree of JSON that parses cleanly (comments and trailing commas allowed), else undefined. */
function parseJsonTree(text: string): JsonNode | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length > 0 ? undefined : root;
}

function setJsonValue(text: string, path: JsonPath, value: unknown): OffsetEdit[] | undefined {
  if (text.trim() === '') return [{ start: 0, end: text.length, newText: JSON.stringify(nest(path, value), null, 2) + '\n' }];
  // Text that does not parse gets no edit: `modify` would append after the closing brace.
  const root = parseJsonTree(text);
  if (!root || root.type !== 'object') return undefined;
  // Walk down to the deepest existing object; a parent that is not an object cannot take a key.
  let parent: JsonNode = root;
  for (let depth = 0; depth < path.length; depth++) {
    const child = findNodeAtLocation(parent, [path[depth]!]);
    const remaining = path.slice(depth + 1);
    if (!child) {
      if (parent.type !== 'object' || typeof path[depth] !== 'string') return undefined;
      return insertIntoJsonObject(text, parent, path[depth] as string, nest(remaining, value));
    }
    if (remaining.length === 0) break;
    if (child.type !== 'object') return undefined;
    parent = child;
  }
  try {
    // The value exists: `modify` replaces exactly its range.
    const edits = modify(text, path as (string | number)[], value, { formattingOptions: detectJsonFormatting(text) });
    return edits.map((edit) => ({ start: edit.offset, end: edit.offset + edit.length, newText: edit.content }));
  } catch {
    return undefined;
  }
}

function removeJsonValue(text: string, path: JsonPath): OffsetEdit[] | undefined {
  const root = parseJsonTree(text);
  if (!root) return undefined;
  if (!findNodeAtLocation(root, path as (string | number)[])) return [];
  try {
    const edits = modify(text, path as (string | number)[], undefined, { formattingOptions: detectJsonFormatting(text) });
    return edits.map((edit) => ({ start: edit.offset, end: edit.offset + edit.length, newText: edit.content }));
  } catch {
    return undefined;
  }
}

/** One-line JSON with spaces, as people write small objects by hand: `{ "weights": "int4" }`. */
function jsonInlineText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonInlineText).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${jsonInlineText(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Adds `"key": value` as the last property of `object`, on its own line when the object is multi-line. */
function insertIntoJsonObject(text: string, object: JsonNode, key: string, value: unknown): OffsetEdit[] {
  const entry = `${JSON.stringify(key)}: ${jsonInlineText(value)}`;
  const properties = object.children ?? [];
  const last = properties[properties.length - 1];
  const objectText = text.slice(object.offset, object.offset + object.length);
  const multiLine = objectText.includes('\n');
  if (!last) {
    const insertAt = object.offset + 1;
    if (!multiLine) return [{ start: insertAt, end: insertAt, newText: ` ${entry} ` }];
    const indent = ' '.repeat(columnOf(text, object.offset)) + (detectJsonFormatting(text).insertSpaces ? ' '.repeat(detectJsonFormatting(text).tabSize ?? 2) : '\t');
    return [{ start: insertAt, end: insertAt, newText: `\n${indent}${entry}` }];
  }
  const lastEnd = last.offset + last.length;
  if (!multiLine) return [{ start: lastEnd, end: lastEnd, newText: `, ${entry}` }];
  const lineStart = lineStartOf(text, last.offset);
  const indent = text.slice(lineStart, last.offset).match(/^[ \t]*/)?.[0] ?? '';
  return [{ start: lastEnd, end: lastEnd, newText: `,\n${indent}${entry}` }];
}

function renameJsonKey(text: string, path: JsonPath, newKey: string): OffsetEdit[] | undefined {
  const root = parseJsonTree(text);
  if (!root) return undefined;
  const valueNode = findNodeAtLocation(root, path as (string | number)[]);
  const keyNode = valueNode?.parent?.type === 'property' ? valueNode.parent.children?.[0] : undefined;
  if (!keyNode) return undefined;
  return [{ start: keyNode.offset, end: keyNode.offset + keyNode.length, newText: JSON.stringify(newKey) }];
}

function nest(path: JsonPath, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => (typeof key === 'number' ? [inner] : { [key]: inner }), value);
}

// ---------------------------------------------------------------- YAML

const PLAIN_SAFE = /^[A-Za-z_./][A-Za-z0-9_./ -]*[A-Za-z0-9_./]$|^[A-Za-z_]$/;
const PLAIN_AMBIGUOUS = /^(true|false|yes|no|on|off|null|~|y|n|[-+]?(\.inf|\.nan))$/i;

/** A scalar as YAML flow text: plain where unambiguous, else double-quoted (JSON strings are valid YAML). */
function yamlScalarText(value: unknown, preferredQuote?: 'single' | 'double'): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (typeof value === 'string') {
    if (preferredQuote === 'single' && !value.includes('\n')) return `'${value.replace(/'/g, "''")}'`;
    if (preferredQuote === 'double') return JSON.stringify(value);
    const plain = PLAIN_SAFE.test(value) && !PLAIN_AMBIGUOUS.test(value) && !/: | #/.test(value) && Number.isNaN(Number(value));
    return plain ? value : JSON.stringify(value);
  }
  return yamlFlowText(value);
}

/** Objects and lists as one-line flow YAML (used when a whole new map is written into a flow map). */
function yamlFlowText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => yamlFlowText(item)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([key, item]) => `${yamlScalarText(key)}: ${yamlFlowText(item)}`).join(', ')} }`;
  }
  return yamlScalarText(value);
}

/** Block YAML lines for `key: value` at `indent`, nesting objects one level deeper each. */
function yamlBlockLines(key: string | number, value: unknown, indent: string, step: string): string[] {
  const keyText = yamlScalarText(String(key));
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [`${indent}${keyText}: {}`];
    return [`${indent}${keyText}:`, ...entries.flatMap(([k, v]) => yamlBlockLines(k, v, indent + step, step))];
  }
  return [`${indent}${keyText}: ${yamlFlowText(value)}`];
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

function detectYamlIndentStep(text: string): string {
  const indented = /\n( +)[^\s#]/.exec(text);
  return indented?.[1] ?? '  ';
}

function parseYaml(text: string) {
  const doc = parseDocument(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
  return doc.errors.length > 0 ? undefined : doc;
}

function findPair(map: YAMLMap, key: string | number): Pair | undefined {
  return map.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key)) as
    | Pair
    | undefined;
}

function setYamlValue(text: string, path: JsonPath, value: unknown): OffsetEdit[] | undefined {
  if (text.trim() === '' || /^\s*(#.*(\n|$)\s*)*$/.test(text)) {
    const separator = text.length > 0 && !text.endsWith('\n') ? '\n' : '';
    const [head, ...rest] = path;
    const lines = yamlBlockLines(head as string, nest(rest, value), '', '  ');
    return [{ start: text.length, end: text.length, newText: `${separator}${lines.join('\n')}\n` }];
  }
  const doc = parseYaml(text);
  if (!doc || !isMap(doc.contents)) return undefined;
  let map: YAMLMap = doc.contents;
  for (let depth = 0; depth < path.length; depth++) {
    const key = path[depth]!;
    const pair = findPair(map, key);
    const remaining = path.slice(depth + 1);
    if (!pair) return insertIntoYamlMap(text, map, key, nest(remaining, value));
    const node = pair.value as YamlNode | null;
    if (remaining.length === 0) return replaceYamlValue(text, pair, node, value);
    if (!isMap(node)) {
      // `key:` with nothing after it is an empty map waiting to be filled.
      if (node === null || (isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1])) {
        return fillEmptyYamlValue(text, pair, nest(remaining, value));
      }
      return undefined;
    }
    map = node;
  }
  return undefined;
}

function replaceYamlValue(text: string, pair: Pair, node: YamlNode | null, value: unknown): OffsetEdit[] | undefined {
  if (node === null || !node.range || (isScalar(node) && node.value === null && node.range[0] === node.range[1])) {
    return fillEmptyYamlValue(text, pair, value);
  }
  const [start, end] = node.range;
  if (isScalar(node) && (value === null || typeof value !== 'object')) {
    const quote = node.type === 'QUOTE_SINGLE' ? 'single' : node.type === 'QUOTE_DOUBLE' ? 'double' : undefined;
    const newText = yamlScalarText(value, typeof value === 'string' ? quote : undefined);
    if (text.slice(start, end) === newText) return [];
    return [{ start, end, newText }];
  }
  if (isMap(node) && node.flow) return [{ start, end, newText: yamlFlowText(value) }];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // A block value replaced by another map: rewrite the block under the key at the key's indent.
    const keyStart = (pair.key as YamlNode).range![0];
    const indent = ' '.repeat(columnOf(text, keyStart));
    const step = detectYamlIndentStep(text);
    const lines = yamlBlockLines(String((pair.key as { value: unknown }).value), value, indent, step);
    const blockEnd = end > 0 && text[end - 1] === '\n' ? end - 1 : end;
    return [{ start: keyStart, end: blockEnd, newText: lines.join('\n').slice(indent.length) }];
  }
  return [{ start, end: end > start && text[end - 1] === '\n' ? end - 1 : end, newText: yamlFlowText(value) }];
}

/** `key:` with no value yet: write the value after the colon (a scalar inline, a map as a block). */
function fillEmptyYamlValue(text: string, pair: Pair, value: unknown): OffsetEdit[] | undefined {
  const keyNode = pair.key as YamlNode;
  if (!keyNode.range) return undefined;
  const colon = text.indexOf(':', keyNode.range[1]);
  if (colon === -1) return undefined;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const indent = ' '.repeat(columnOf(text, keyNode.range[0])) + detectYamlIndentStep(text);
    const lines = Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      yamlBlockLines(k, v, indent, detectYamlIndentStep(text)),
    );
    const lineEnd = endOfLine(text, colon);
    return [{ start: lineEnd, end: lineEnd, newText: `\n${lines.join('\n')}` }];
  }
  return [{ start: colon + 1, end: colon + 1, newText: ` ${yamlScalarText(value)}` }];
}

function insertIntoYamlMap(text: string, map: YAMLMap, key: string | number, value: unknown): OffsetEdit[] | undefined {
  const pairs = map.items.filter((item) => isPair(item)) as Pair[];
  const last = pairs[pairs.length - 1];
  if (map.flow) {
    if (!map.range) return undefined;
    const close = text.lastIndexOf('}', map.range[1]);
    if (close === -1) return undefined;
    const entry = `${yamlScalarText(String(key))}: ${yamlFlowText(value)}`;
    if (!last) return [{ start: close, end: close, newText: ` ${entry} ` }];
    const lastEnd = ((last.value as YamlNode | null)?.range ?? (last.key as YamlNode).range)![1];
    return [{ start: lastEnd, end: lastEnd, newText: `, ${entry}` }];
  }
  if (!last) return undefined;
  const keyStart = (last.key as YamlNode).range![0];
  const indent = ' '.repeat(columnOf(text, keyStart));
  const lastValue = last.value as YamlNode | null;
  // Insert on a new line right after the last entry's content (its trailing comment stays on its line).
  const contentEnd = lastValue?.range ? lastValue.range[1] : (last.key as YamlNode).range![1];
  const insertAt = contentEnd > keyStart && text[contentEnd - 1] === '\n' ? contentEnd - 1 : endOfLine(text, contentEnd);
  const lines = yamlBlockLines(key, value, indent, detectYamlIndentStep(text));
  return [{ start: insertAt, end: insertAt, newText: `\n${lines.join('\n')}` }];
}

function removeYamlValue(text: string, path: JsonPath): OffsetEdit[] | undefined {
  const doc = parseYaml(text);
  if (!doc) return undefined;
  let map: unknown = doc.contents;
  for (const key of path.slice(0, -1)) {
    if (!isMap(map)) return [];
    map = findPair(map, key)?.value;
  }
  if (!isMap(map)) return [];
  const pair = findPair(map, path[path.length - 1]!);
  if (!pair) return [];
  const keyRange = (pair.key as YamlNode).range;
  const valueEnd = (pair.value as YamlNode | null)?.range?.[1] ?? keyRange?.[1];
  if (!keyRange || valueEnd === undefined) return undefined;
  const pairs = map.items.filter((item) => isPair(item)) as Pair[];
  const index = pairs.indexOf(pair);
  if (map.flow) {
    // `{ a: 1, b: 2 }`: take the pair with the comma before it, or the one after it when it is first.
    const previous = pairs[index - 1];
    if (previous) {
      const previousEnd = ((previous.value as YamlNode | null)?.range ?? (previous.key as YamlNode).range)![1];
      return [{ start: previousEnd, end: valueEnd, newText: '' }];
    }
    const next = pairs[index + 1];
    const end = next ? (next.key as YamlNode).range![0] : valueEnd;
    return [{ start: keyRange[0], end, newText: '' }];
  }
  if (pairs.length === 1) return undefined;
  // A block pair: its whole lines, from the key's line to the end of its value (and that line's comment).
  const start = lineStartOf(text, keyRange[0]);
  const end = valueEnd > 0 && text[valueEnd - 1] === '\n' ? valueEnd : Math.min(text.length, endOfLine(text, valueEnd) + 1);
  return [{ start, end, newText: '' }];
}

function renameYamlKey(text: string, path: JsonPath, newKey: string): OffsetEdit[] | undefined {
  const doc = parseYaml(text);
  if (!doc) return undefined;
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const key of path) {
    if (!isMap(node)) return undefined;
    pair = findPair(node, key);
    if (!pair) return undefined;
    node = pair.value;
  }
  const keyNode = pair?.key as YamlNode | undefined;
  if (!keyNode?.range) return undefined;
  const quote = isScalar(keyNode) && keyNode.type === 'QUOTE_DOUBLE' ? 'double' : isScalar(keyNode) && keyNode.type === 'QUOTE_SINGLE' ? 'single' : undefined;
  return [{ start: keyNode.range[0], end: keyNode.range[1], newText: yamlScalarText(newKey, quote) }];
}
