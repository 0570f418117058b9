import { RooflineInputError } from './errors';
import { WEIGHT_KINDS, type ComputePrecision, type GroupScaling, type NumberFormat, type WeightKind } from './types';

type FieldPath = readonly (string | number)[];

/**
 * Plain number formats: one element, no scales (a per-tensor scale is one number per matrix and
 * costs nothing measurable). These are also the precisions hardware files quote peaks for.
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

/** Formats a scale (or zero point) can be stored in, with their widths in bits. */
export const SCALE_FORMAT_BITS: Readonly<Record<string, number>> = {
  fp32: 32,
  fp16: 16,
  bf16: 16,
  fp8: 8,
  // OCP FP8 E4M3, the nvfp4 block scale.
  e4m3: 8,
  // OCP E8M0: a power-of-two exponent, the MX block scale (OCP Microscaling spec v1.0 §5.1).
  e8m0: 8,
  int8: 8,
  int4: 4,
};

/**
 * A format whose elements share a scale per group: bits per element = element bits
 * + (scale bits + zero-point bits) / group size.
 */
export function groupedFormat(
  name: string,
  element: NumberFormat,
  groupSize: number,
  scaleFormat: string,
  zeroPointBits: number,
): NumberFormat {
  const scaleBits = SCALE_FORMAT_BITS[scaleFormat]!;
  const scaling: GroupScaling = { elementBits: element.bitsPerElement, groupSize, scaleFormat, scaleBits, zeroPointBits };
  return {
    name,
    bitsPerElement: element.bitsPerElement + (scaleBits + zeroPointBits) / groupSize,
    computePrecision: element.computePrecision,
    scaling,
  };
}

const { int4, fp4, fp6, fp8 } = NAMED_FORMATS as Record<'int4' | 'fp4' | 'fp6' | 'fp8', NumberFormat>;

/**
 * Formats with group or block scales, by the names checkpoints and serving engines use. The
 * bits include the scales (docs/formats.md, "Quantized formats", gives the layouts and sources):
 * - `int4-g32/64/128`: int4 with an fp16 scale and an fp16 zero point per group: 4 + 32/g bits.
 * - `awq`, `gptq`: int4, groups of 128, fp16 scales, zero points packed as 4-bit integers
 *   (AutoAWQ's and AutoGPTQ's `qweight`, `qzeros`, `scales` tensors): 4 + 20/128 = 4.15625 bits.
 * - `nvfp4`: e2m1 with an e4m3 scale per 16 elements: 4.5 bits.
 * - `mxfp4` / `mxfp6` / `mxfp8`: OCP Microscaling, an e8m0 scale per 32 elements: +0.25 bits.
 * - `fp8-block128`: fp8 with an fp32 scale per 128 × 128 block (DeepSeek-V3): 8 + 32/16384 bits.
 */
export const QUANTIZED_FORMATS: Readonly<Record<string, NumberFormat>> = {
  'int4-g32': groupedFormat('int4-g32', int4, 32, 'fp16', 16),
  'int4-g64': groupedFormat('int4-g64', int4, 64, 'fp16', 16),
  'int4-g128': groupedFormat('int4-g128', int4, 128, 'fp16', 16),
  awq: groupedFormat('awq', int4, 128, 'fp16', 4),
  gptq: groupedFormat('gptq', int4, 128, 'fp16', 4),
  nvfp4: groupedFormat('nvfp4', fp4, 16, 'e4m3', 0),
  mxfp4: groupedFormat('mxfp4', fp4, 32, 'e8m0', 0),
  mxfp6: groupedFormat('mxfp6', fp6, 32, 'e8m0', 0),
  mxfp8: groupedFormat('mxfp8', fp8, 32, 'e8m0', 0),
  'fp8-block128': groupedFormat('fp8-block128', fp8, 128 * 128, 'fp32', 0),
};

/** Every name a format may be written as: the plain formats, then the grouped ones. */
export const FORMAT_NAMES: readonly string[] = [...Object.keys(NAMED_FORMATS), ...Object.keys(QUANTIZED_FORMATS)];

/** Bit counts LLM-Viewer offers (16, 8, 4, 2, 1); they behave like fp16, int8 and int4. */
export const ALLOWED_BIT_COUNTS = [32, 16, 8, 4, 2, 1] as const;

/** Keys of the map form `{ format, group_size, scale, zero_point }`. */
const MAP_KEYS = ['format', 'group_size', 'scale', 'zero_point'] as const;

function precisionForBits(bits: number): ComputePrecision {
  if (bits >= 32) return 'fp32';
  if (bits > 8) return 'fp16';
  if (bits > 4) return 'int8';
  return 'int4';
}

function isBitCount(value: unknown): value is number | string {
  return typeof value === 'number' || (typeof value === 'string' && /^\s*\d+(\s*-?\s*bits?)?\s*$/i.test(value));
}

function parseBitCount(value: number | string, at: FieldPath): NumberFormat {
  const bits = typeof value === 'number' ? value : Number.parseInt(value, 10);
  if (!(ALLOWED_BIT_COUNTS as readonly number[]).includes(bits)) {
    throw new RooflineInputError(
      at,
      `${JSON.stringify(value)} is not a supported bit width; use one of ${ALLOWED_BIT_COUNTS.join(', ')} or a named format (${FORMAT_NAMES.join(', ')})`,
      'unsupported-bits',
    );
  }
  return { name: `${bits}-bit`, bitsPerElement: bits, computePrecision: precisionForBits(bits) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `group_size`: a whole number of elements, or `[rows, cols]` for a 2-D block (their product). */
function parseGroupSize(value: unknown, at: FieldPath): number {
  const sizes = Array.isArray(value) ? value : [value];
  const valid = sizes.length >= 1 && sizes.length <= 2 && sizes.every((size) => typeof size === 'number' && Number.isInteger(size) && size >= 1);
  if (!valid) {
    throw new RooflineInputError(at, `group_size must be a positive whole number of elements, or [rows, columns] of a block, got ${JSON.stringify(value)}`, 'invalid-value');
  }
  return (sizes as number[]).reduce((product, size) => product * size, 1);
}

function parseScaleFormat(value: unknown, at: FieldPath, what: string): string {
  const name = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (name === undefined || SCALE_FORMAT_BITS[name] === undefined) {
    throw new RooflineInputError(at, `unknown ${what} format ${JSON.stringify(value)}; use one of ${Object.keys(SCALE_FORMAT_BITS).join(', ')}`, 'unknown-format');
  }
  return name;
}

/**
 * `{ format: int4, group_size: 128, scale: fp16, zero_point: true }`: a plain format (or bit
 * count) with one scale per group. `scale` defaults to fp16; `zero_point` is false (symmetric),
 * true (a zero point in the scale's format) or a format name for its width (`int4` for packed zeros).
 */
function parseGroupedMap(value: Record<string, unknown>, at: FieldPath): NumberFormat {
  const unknownKey = Object.keys(value).find((key) => !(MAP_KEYS as readonly string[]).includes(key));
  if (unknownKey !== undefined) {
    throw new RooflineInputError([...at, unknownKey], `unknown key "${unknownKey}"; a format map has ${MAP_KEYS.join(', ')}`, 'unknown-key');
  }
  if (value.format === undefined) {
    throw new RooflineInputError(at, 'a format map needs `format:` (e.g. int4) and usually `group_size:`', 'missing-key');
  }
  const element = parseNumberFormat(value.format, [...at, 'format']);
  if (element.scaling) {
    throw new RooflineInputError([...at, 'format'], `${element.name} already has its own scales; give a plain format (int4, fp4, fp8, ...) here`, 'invalid-value');
  }
  if (value.group_size === undefined) {
    if (value.scale !== undefined || value.zero_point !== undefined) {
      throw new RooflineInputError([...at, 'group_size'], 'scale and zero_point need group_size: how many elements share one scale', 'missing-key');
    }
    return element;
  }
  const groupSize = parseGroupSize(value.group_size, [...at, 'group_size']);
  const scale = value.scale === undefined ? 'fp16' : parseScaleFormat(value.scale, [...at, 'scale'], 'scale');
  let zeroPointBits = 0;
  if (value.zero_point === true) zeroPointBits = SCALE_FORMAT_BITS[scale]!;
  else if (typeof value.zero_point === 'string') zeroPointBits = SCALE_FORMAT_BITS[parseScaleFormat(value.zero_point, [...at, 'zero_point'], 'zero point')]!;
  else if (value.zero_point !== undefined && value.zero_point !== false) {
    throw new RooflineInputError([...at, 'zero_point'], `zero_point must be true, false or a format name (e.g. int4 for packed zeros), got ${JSON.stringify(value.zero_point)}`, 'invalid-value');
  }
  const zeroName = zeroPointBits > 0 ? `, ${zeroPointBits}-bit zero` : '';
  return groupedFormat(`${element.name}-g${groupSize} (${scale} scale${zeroName})`, element, groupSize, scale, zeroPointBits);
}

/**
 * Reads a format as users write it: a name (`int4`, `FP16`, `nvfp4`, `awq`), a bit count
 * (`4`, `"4-bit"`), or a map `{ format, group_size, scale, zero_point }`. `at` is the field's
 * path, for the error.
 */
export function parseNumberFormat(value: unknown, at: FieldPath): NumberFormat {
  if (isBitCount(value)) return parseBitCount(value, at);
  if (typeof value === 'string') {
    const key = value.trim().toLowerCase();
    const named = NAMED_FORMATS[key] ?? QUANTIZED_FORMATS[key];
    if (named) return named;
    throw new RooflineInputError(
      at,
      `unknown number format ${JSON.stringify(value)}; use one of ${FORMAT_NAMES.join(', ')}, a bit count (${ALLOWED_BIT_COUNTS.join(', ')}), or a map { format, group_size, scale, zero_point }`,
      'unknown-format',
    );
  }
  if (isObject(value)) return parseGroupedMap(value, at);
  throw new RooflineInputError(at, `expected a format name, a bit count or a map { format, group_size, ... }, got ${JSON.stringify(value)}`, 'invalid-type');
}

export function bytesPerElement(format: NumberFormat): number {
  return format.bitsPerElement / 8;
}

/** Keys of the per-kind weight map: the kinds of weight and `default`. */
export const WEIGHT_FORMAT_KEYS: readonly string[] = ['default', ...WEIGHT_KINDS];

/** True for `{ experts: mxfp4, default: bf16 }` (a key of its own), not a grouped-format map. */
export function isPerKindWeights(value: unknown): value is Record<string, unknown> {
  return isObject(value) && Object.keys(value).some((key) => WEIGHT_FORMAT_KEYS.includes(key));
}

/**
 * `quantization.weights` as users write it: one format for every weight, or a map per kind of
 * weight (`{ experts: mxfp4, default: bf16 }`). `fallback` is the format of kinds the map leaves
 * out when it has no `default`.
 */
export function parseWeightFormats(value: unknown, at: FieldPath, fallback: NumberFormat): { weights: NumberFormat; byKind?: Partial<Record<WeightKind, NumberFormat>> } {
  if (!isPerKindWeights(value)) return { weights: parseNumberFormat(value, at) };
  const unknownKey = Object.keys(value).find((key) => !WEIGHT_FORMAT_KEYS.includes(key));
  if (unknownKey !== undefined) {
    throw new RooflineInputError([...at, unknownKey], `unknown kind of weight "${unknownKey}"; a per-kind map has ${WEIGHT_FORMAT_KEYS.join(', ')}`, 'unknown-key');
  }
  const byKind: Partial<Record<WeightKind, NumberFormat>> = {};
  for (const kind of WEIGHT_KINDS) {
    if (value[kind] !== undefined) byKind[kind] = parseNumberFormat(value[kind], [...at, kind]);
  }
  const weights = value.default !== undefined ? parseNumberFormat(value.default, [...at, 'default']) : fallback;
  return { weights, byKind };
}
