/**
 * Human units for hovers, diagnostics and inlay hints. Every formatter refuses to print a
 * non-finite number (it prints `n/a`), so NaN or Infinity can never reach the user.
 */
const NOT_AVAILABLE = 'n/a';

function significant(value: number, digits = 3): string {
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, Math.min(6, digits - 1 - magnitude));
  const fixed = value.toFixed(decimals);
  // 2 B, not 2.00 B: trailing zeros suggest a precision the figure does not have.
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** Decimal units (1 GB = 1e9 B), as datasheets quote memory sizes for roofline work. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return NOT_AVAILABLE;
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${significant(value)} ${units[unit]}`;
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return NOT_AVAILABLE;
  const abs = Math.abs(seconds);
  if (abs >= 1) return `${significant(seconds)} s`;
  if (abs >= 1e-3) return `${significant(seconds * 1e3)} ms`;
  if (abs >= 1e-6) return `${significant(seconds * 1e6)} µs`;
  return `${significant(seconds * 1e9)} ns`;
}

export function formatMilliseconds(milliseconds: number): string {
  return formatSeconds(milliseconds / 1e3);
}

/** FLOP counts and rates with SI prefixes: `1.23 TFLOP`, `989 TFLOP/s`. */
export function formatCount(value: number, unit: string): string {
  if (!Number.isFinite(value)) return NOT_AVAILABLE;
  const prefixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  let scaled = value;
  let prefix = 0;
  while (Math.abs(scaled) >= 1000 && prefix < prefixes.length - 1) {
    scaled /= 1000;
    prefix++;
  }
  return `${significant(scaled)} ${prefixes[prefix]}${unit}`;
}

/** Parameter counts as people say them: `6.74 B`, `125 M`. */
export function formatParameters(parameters: number): string {
  if (!Number.isFinite(parameters)) return NOT_AVAILABLE;
  if (parameters >= 1e9) return `${significant(parameters / 1e9)} B`;
  if (parameters >= 1e6) return `${significant(parameters / 1e6)} M`;
  return formatInteger(parameters);
}

export function formatInteger(value: number): string {
  if (!Number.isFinite(value)) return NOT_AVAILABLE;
  return Math.round(value).toLocaleString('en-US');
}

export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return NOT_AVAILABLE;
  return significant(value, digits);
}

export function formatRatio(value: number): string {
  if (!Number.isFinite(value)) return NOT_AVAILABLE;
  return `${significant(value, 3)}×`;
}

/** True when every number in the text is printable: used as a guard before anything is sent. */
export function hasNonFiniteWord(text: string): boolean {
  return /\b(NaN|Infinity)\b/.test(text);
}
