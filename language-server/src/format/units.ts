/**
 * The one number formatter of the product: hovers, inlay hints, diagnostics, the panel, the
 * Markdown report and the CLI all print through it. Three significant digits; memory in binary
 * units (GiB), the way vendors name capacities (an "80GB" H100 holds 80 GiB, 85.9e9 bytes);
 * bandwidth and rates in decimal units, as datasheets quote them. Never `NaN` or `Infinity`: a
 * value that is not a finite number shows as an em dash. Imports nothing (the webview bundles it).
 */

const NOT_A_NUMBER = '—';

function isShowable(value: number): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Three significant digits without exponent notation for the ranges the units below leave. */
export function formatSignificant(value: number, digits = 3): string {
  if (!isShowable(value)) return NOT_A_NUMBER;
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(Math.min(decimals, 6));
}

interface Unit {
  factor: number;
  suffix: string;
}

function withUnits(value: number, units: readonly Unit[], fallbackSuffix: string): string {
  if (!isShowable(value)) return NOT_A_NUMBER;
  if (value === 0) return `0 ${fallbackSuffix}`;
  const magnitude = Math.abs(value);
  const unit = units.find((u) => magnitude >= u.factor * 0.9995) ?? units[units.length - 1];
  return `${formatSignificant(value / unit.factor)} ${unit.suffix}`;
}

/** Memory sizes in binary units: vendors' "80GB" and "192GB" are 80 and 192 GiB. */
const BYTE_UNITS: readonly Unit[] = [
  { factor: 1024 ** 4, suffix: 'TiB' },
  { factor: 1024 ** 3, suffix: 'GiB' },
  { factor: 1024 ** 2, suffix: 'MiB' },
  { factor: 1024, suffix: 'KiB' },
  { factor: 1, suffix: 'B' },
];

export function formatBytes(bytes: number): string {
  return withUnits(bytes, BYTE_UNITS, 'B');
}

const DECIMAL_PREFIXES: readonly { factor: number; prefix: string }[] = [
  { factor: 1e18, prefix: 'E' },
  { factor: 1e15, prefix: 'P' },
  { factor: 1e12, prefix: 'T' },
  { factor: 1e9, prefix: 'G' },
  { factor: 1e6, prefix: 'M' },
  { factor: 1e3, prefix: 'k' },
  { factor: 1, prefix: '' },
];

function decimalUnits(base: string): Unit[] {
  return DECIMAL_PREFIXES.map(({ factor, prefix }) => ({ factor, suffix: `${prefix}${base}` }));
}

const FLOP_UNITS = decimalUnits('FLOP');
const FLOP_RATE_UNITS = decimalUnits('FLOP/s');
const BANDWIDTH_UNITS = decimalUnits('B/s');

/** An operation count (FLOPs of a layer or stage). */
export function formatFlops(flops: number): string {
  return withUnits(flops, FLOP_UNITS, 'FLOP');
}

/** A rate of operations: TFLOP/s and friends. */
export function formatFlopsPerSecond(flopsPerSecond: number): string {
  return withUnits(flopsPerSecond, FLOP_RATE_UNITS, 'FLOP/s');
}

/** Memory bandwidth in decimal units, as datasheets quote it. */
export function formatBandwidth(bytesPerSecond: number): string {
  return withUnits(bytesPerSecond, BANDWIDTH_UNITS, 'B/s');
}

/** Seconds stay seconds above 1 s (65.3 s, 1270 s): minutes would make axes uneven. */
const SECOND_UNITS: readonly Unit[] = [
  { factor: 1, suffix: 's' },
  { factor: 1e-3, suffix: 'ms' },
  { factor: 1e-6, suffix: 'µs' },
  { factor: 1e-9, suffix: 'ns' },
];

export function formatSeconds(seconds: number): string {
  return withUnits(seconds, SECOND_UNITS, 's');
}

/** Arithmetic intensity, FLOPs per byte moved. */
export function formatIntensity(flopsPerByte: number): string {
  if (!isShowable(flopsPerByte)) return NOT_A_NUMBER;
  return `${formatSignificant(flopsPerByte)} FLOP/B`;
}

export function formatTokensPerSecond(tokensPerSecond: number): string {
  if (!isShowable(tokensPerSecond)) return NOT_A_NUMBER;
  return `${formatSignificant(tokensPerSecond)} tok/s`;
}

const COUNT_UNITS: readonly Unit[] = [
  { factor: 1e12, suffix: 'T' },
  { factor: 1e9, suffix: 'B' },
  { factor: 1e6, suffix: 'M' },
  { factor: 1e3, suffix: 'k' },
  { factor: 1, suffix: '' },
];

/** Parameter counts and other plain counts: 8.03 B. */
export function formatCount(count: number): string {
  return withUnits(count, COUNT_UNITS, '').trim();
}

/**
 * Compact axis numbers: 0.01, 0.5, 16, 256, 1k, 32k, 1.5M (no trailing zeros, no rotation needed).
 */
export function formatAxisNumber(value: number): string {
  if (!isShowable(value)) return NOT_A_NUMBER;
  const magnitude = Math.abs(value);
  const trim = (text: string): string => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);
  if (magnitude >= 1e6) return `${trim(formatSignificant(value / 1e6))}M`;
  if (magnitude >= 1e3) return `${trim(formatSignificant(value / 1e3))}k`;
  return trim(formatSignificant(value));
}

/**
 * Token counts and batch sizes as people say them: powers of two from 1024 up in K (1K, 2K, 8K,
 * 128K), other counts as `formatAxisNumber` writes them (1.5k, 300).
 */
export function formatTokenCount(value: number): string {
  if (!isShowable(value)) return NOT_A_NUMBER;
  if (value >= 1024 && Number.isInteger(value) && value % 1024 === 0 && (value & (value - 1)) === 0) {
    return value >= 1024 ** 2 ? `${value / 1024 ** 2}M` : `${value / 1024}K`;
  }
  return formatAxisNumber(value);
}

/** Axis ticks on log scales: only label 1, 10, 100 … (and the 2, 5 steps when a decade is wide). */
export function isDecade(value: number): boolean {
  if (!isShowable(value) || value <= 0) return false;
  const exponent = Math.log10(value);
  return Math.abs(exponent - Math.round(exponent)) < 1e-9;
}

/** A finite number, or the fallback when the input is not one (used before drawing). */
export function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Whole counts people compare exactly (batch sizes, token counts): 4,064. */
export function formatInteger(value: number): string {
  if (!isShowable(value)) return NOT_A_NUMBER;
  return Math.round(value).toLocaleString('en-US');
}

/** A fraction as a percentage, three significant digits without trailing zeros: 0.869 → 86.9%, 0.9 → 90%. */
export function formatPercent(fraction: number): string {
  if (!isShowable(fraction)) return NOT_A_NUMBER;
  const text = formatSignificant(fraction * 100);
  return `${text.includes('.') ? text.replace(/\.?0+$/, '') : text}%`;
}

/** A speed-up or other ratio: 1.58×. */
export function formatRatio(ratio: number): string {
  if (!isShowable(ratio)) return NOT_A_NUMBER;
  return `${formatNumber(ratio)}×`;
}

/** A plain number, `digits` significant digits without trailing zeros: 2 (not 2.00), 0.75, 1.31. */
export function formatNumber(value: number, digits = 3): string {
  if (!isShowable(value)) return NOT_A_NUMBER;
  const text = formatSignificant(value, digits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

export function formatMilliseconds(milliseconds: number): string {
  return formatSeconds(milliseconds / 1e3);
}

/** Parameter counts as people say them: 6.74 B, 125 M, 4,096. */
export function formatParameters(parameters: number): string {
  if (!isShowable(parameters)) return NOT_A_NUMBER;
  if (Math.abs(parameters) >= 1e9) return `${formatNumber(parameters / 1e9)} B`;
  if (Math.abs(parameters) >= 1e6) return `${formatNumber(parameters / 1e6)} M`;
  return formatInteger(parameters);
}

/**
 * The memory a serving engine may use, with the rule stated: "72.0 GiB (90% of 80.0 GiB)". Every
 * "fits" and "largest batch" answer is measured against it (engine/capacity.ts `fitsInMemory`).
 */
export function formatUsableMemory(capacityBytes: number, memoryUtilization: number): string {
  return `${formatBytes(capacityBytes * memoryUtilization)} (${formatPercent(memoryUtilization)} of ${formatBytes(capacityBytes)})`;
}

/** True when the text shows a number that is not one: a guard before anything reaches the user. */
export function hasNonFiniteWord(text: string): boolean {
  return /\b(NaN|Infinity)\b/.test(text);
}
