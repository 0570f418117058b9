/**
 * Where the cursor is for completion, also in half-typed documents that do not parse: the path of
 * the map being filled and whether a key or a value is being typed. JSON uses jsonc-parser's
 * `getLocation`; YAML reads indentation upwards (block style) and the current flow map (`{ a: 1, |`).
 */
import { getLocation } from 'jsonc-parser';
import type { JsonPath } from '../config/types';

export interface CursorContext {
  /** The map the cursor is in. */
  parentPath: JsonPath;
  /** When typing a value: the key it belongs to. */
  key?: string;
  /** Offsets of the word being typed (replaced by the completion). */
  replaceStart: number;
  replaceEnd: number;
  /** JSON only: the cursor is inside a string's quotes. */
  insideQuotes: boolean;
}

export function cursorContext(text: string, offset: number, syntax: 'yaml' | 'json'): CursorContext | undefined {
  return syntax === 'json' ? jsonContext(text, offset) : yamlContext(text, offset);
}

function wordAround(text: string, offset: number, pattern: RegExp): { start: number; end: number } {
  let start = offset;
  while (start > 0 && pattern.test(text[start - 1]!)) start--;
  let end = offset;
  while (end < text.length && pattern.test(text[end]!)) end++;
  return { start, end };
}

const WORD_CHAR = /[A-Za-z0-9_.\/\-]/;

function jsonContext(text: string, offset: number): CursorContext | undefined {
  const location = getLocation(text, offset);
  const word = wordAround(text, offset, WORD_CHAR);
  const insideQuotes = text.slice(0, word.start).endsWith('"');
  if (location.isAtPropertyKey) {
    return { parentPath: location.path.slice(0, -1), replaceStart: word.start, replaceEnd: word.end, insideQuotes };
  }
  const last = location.path[location.path.length - 1];
  if (typeof last !== 'string') return undefined;
  return { parentPath: location.path.slice(0, -1), key: last, replaceStart: word.start, replaceEnd: word.end, insideQuotes };
}

const KEY_LINE = /^(\s*)(?:-\s+)?("[^"]*"|'[^']*'|[^\s:#'"{}[\],][^:#{}[\],]*?)\s*:(?:\s+|$)(.*)$/;

function unquote(key: string): string {
  return /^["']/.test(key) ? key.slice(1, -1) : key;
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

/** The keys of the block maps enclosing a line indented by `indent`, outermost first. */
function enclosingKeys(lines: string[], lineIndex: number, indent: number): string[] {
  const path: string[] = [];
  let current = indent;
  for (let index = lineIndex - 1; index >= 0 && current > 0; index--) {
    const line = lines[index]!;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const lineIndent = indentOf(line);
    if (lineIndent >= current) continue;
    const match = KEY_LINE.exec(line);
    if (!match) break;
    path.unshift(unquote(match[2]!));
    current = lineIndent;
  }
  return path;
}

function yamlContext(text: string, offset: number): CursorContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lines = text.slice(0, lineStart).split('\n');
  const lineIndex = lines.length - 1;
  const before = text.slice(lineStart, offset);
  const word = wordAround(text, offset, WORD_CHAR);
  const indent = indentOf(before);
  const match = KEY_LINE.exec(before);
  if (match) {
    const key = unquote(match[2]!);
    const parentPath = enclosingKeys(lines, lineIndex, indent);
    const rest = match[3]!;
    if (rest.trimStart().startsWith('{')) return flowContext(rest, [...parentPath, key], word);
    if (rest.trimStart().startsWith('#')) return undefined;
    return { parentPath, key, replaceStart: word.start, replaceEnd: word.end, insideQuotes: false };
  }
  if (/^\s*(-\s+)?[A-Za-z0-9_.\-]*$/.test(before)) {
    return { parentPath: enclosingKeys(lines, lineIndex, indent), replaceStart: word.start, replaceEnd: word.end, insideQuotes: false };
  }
  return undefined;
}

/** Inside `key: { a: 1, b|` on one line. */
function flowContext(rest: string, mapPath: string[], word: { start: number; end: number }): CursorContext | undefined {
  const inner = rest.slice(rest.lastIndexOf('{') + 1);
  const entry = inner.slice(inner.lastIndexOf(',') + 1);
  const valueMatch = /^\s*([A-Za-z0-9_\-]+)\s*:\s*([^\s,}]*)$/.exec(entry);
  if (valueMatch) {
    return { parentPath: mapPath, key: valueMatch[1]!, replaceStart: word.start, replaceEnd: word.end, insideQuotes: false };
  }
  if (/^\s*[A-Za-z0-9_\-]*$/.test(entry)) return { parentPath: mapPath, replaceStart: word.start, replaceEnd: word.end, insideQuotes: false };
  return undefined;
}
