/**
 * JSON text → a value, or a `MeasuredFileError` at the line and column of the first syntax error
 * (jsonc-parser, which reports offsets where `JSON.parse` gives only a message).
 */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { MeasuredFileError } from './types';

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function readJson(text: string, name: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineAndColumn(text, first.offset);
    throw new MeasuredFileError('malformed-json', `${name} is not valid JSON: ${printParseErrorCode(first.error)} at line ${line}, column ${column}`, line, column);
  }
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A positive finite number, or undefined for anything else (null, "inf", 0 for a run with no tokens). */
export function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
}
