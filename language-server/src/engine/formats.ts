import { RooflineInputError } from './errors';
import type { ComputePrecision, NumberFormat } from './types';

/**
 * Named number formats. Plain formats only here; formats with block or group scales (nvfp4,
 * mxfp4, int4 with group 128) carry the amortised scale bits in `bitsPerElement`.
 */
export const NAMED_FORMATS: Readonly<Record<string, NumberFormat>> = {
  fp32: { name: 'fp32', bitsPerElement: 32, computePrecision: 'fp32' },
  tf32: { name: 'tf32', bitsPerElement: 32, computePrecision: 'tf32' },
  fp16: { name: 'fp16', bitsPerElement: 16, computePrecision: 'fp16' },
  bf16: { name: 'bf16', bitsPerElement: 16, computePrecision: 'bf16' },
  fp8: { name: 'fp8', bitsPerElement: 8, computePrecision: 'fp8' },
  int8: { name: 'int8', bitsPerElement: 8, computePrecision: 'int8' },
  fp6: { name: 'fp6', bitsPerElement: 6, computePrecision: 'fp6' },
  fp4: { name: 'fp4', bitsPerElement: 4, computePrecision: 'fp4' },
  int4: { name: 'int4', bitsPerElement: 4, computePrecision: 'int4' },
};

/** Bit counts LLM-Viewer offers (16, 8, 4, 2, 1); they behave like fp16, int8 and int4. */
export const ALLOWED_BIT_COUNTS = [32, 16, 8, 4, 2, 1] as const;

function precisionForBits(bits: number): ComputePrecision {
  if (bits >= 32) return 'fp32';
  if (bits > 8) return 'fp16';
  if (bits > 4) return 'int8';
  return 'int4';
}

/**
 * Reads a format as users write it: a name (`int4`, `FP16`), or a bit count (`4`, `"4-bit"`).
 * `at` is the field's path, for the error.
 */
export function parseNumberFormat(value: unknown, at: readonly (string | number)[]): NumberFormat {
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+(\s*-?\s*bits?)?\s*$/i.test(value))) {
    const bits = typeof value === 'number' ? value : Number.parseInt(value, 10);
    if (!(ALLOWED_BIT_COUNTS as readonly number[]).includes(bits)) {
      throw new RooflineInputError(
        at,
        `${JSON.stringify(value)} is not a supported bit width; use one of ${ALLOWED_BIT_COUNTS.join(', ')} or a named format (${Object.keys(NAMED_FORMATS).join(', ')})`,
        'unsupported-bits',
      );
    }
    return { name: `${bits}-bit`, bitsPerElement: bits, computePrecision: precisionForBits(bits) };
  }
  if (typeof value === 'string') {
    const named = NAMED_FORMATS[value.trim().toLowerCase()];
    if (named) return named;
    throw new RooflineInputError(
      at,
      `unknown number format ${JSON.stringify(value)}; use one of ${Object.keys(NAMED_FORMATS).join(', ')} or a bit count (${ALLOWED_BIT_COUNTS.join(', ')})`,
      'unknown-format',
    );
  }
  throw new RooflineInputError(at, `expected a format name or a bit count, got ${JSON.stringify(value)}`, 'invalid-type');
}

export function bytesPerElement(format: NumberFormat): number {
  return format.bitsPerElement / 8;
}
