/**
 * JSON-valued arguments (`--speculative-config '{"method": "eagle3", ...}'`): parsed with
 * jsonc-parser so a mistake is reported where it is inside the string, and each member's value can
 * be found again by its key. Offsets inside the JSON map onto the document only when the word is
 * written as it reads (bare, or in one pair of quotes with no escapes); otherwise problems fall
 * back to the whole value.
 */
import { getNodeValue, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { TextRange } from './parseArgs';

export interface JsonArgument {
  /** The parsed value, when the JSON is well formed. */
  value?: unknown;
  /** The first syntax mistake, placed inside the value when the mapping allows. */
  error?: { message: string; range: TextRange };
  /** Where a top-level member's value is, by key. */
  memberRange(key: string): TextRange | undefined;
}

/** The document offset of the JSON text's first character, when offsets map one to one. */
function jsonStart(source: string | undefined, valueRange: TextRange, value: string): number | undefined {
  if (source === undefined) return undefined;
  const raw = source.slice(valueRange.start, valueRange.end);
  if (raw === value) return valueRange.start;
  const quote = raw[0];
  if ((quote === "'" || quote === '"') && raw.length === value.length + 2 && raw.endsWith(quote) && raw.slice(1, -1) === value) return valueRange.start + 1;
  return undefined;
}

export function readJsonArgument(value: string, valueRange: TextRange, source: string | undefined): JsonArgument {
  const start = jsonStart(source, valueRange, value);
  const place = (offset: number, length: number): TextRange =>
    start === undefined ? valueRange : { start: Math.min(start + offset, valueRange.end), end: Math.min(start + offset + Math.max(1, length), valueRange.end) };
  const errors: ParseError[] = [];
  const root: JsonNode | undefined = parseTree(value, errors, { allowTrailingComma: false, disallowComments: true });
  const memberRange = (key: string): TextRange | undefined => {
    const property = root?.type === 'object' ? root.children?.find((child) => child.children?.[0]?.value === key) : undefined;
    const node = property?.children?.[1];
    return node ? place(node.offset, node.length) : undefined;
  };
  const first = errors[0];
  if (first || !root) {
    const at = first ?? { error: 0, offset: 0, length: value.length };
    const what = first ? printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : 'no JSON value';
    return { error: { message: `${what} at character ${at.offset + 1} of the JSON`, range: place(at.offset, at.length) }, memberRange };
  }
  return { value: getNodeValue(root), memberRange };
}
