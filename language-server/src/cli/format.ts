/** Numbers as people read them in a terminal: bytes in GiB/GB, times in ms, rates per second. */

const GIB = 1024 ** 3;

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** Three significant figures, without exponent notation. */
export function significant(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value === 0) return '0';
  // Round first, so 0.99996 prints as 1.00 rather than 1.000.
  const rounded = Number(value.toPrecision(3));
  const magnitude = Math.floor(Math.log10(Math.abs(rounded)));
  const digits = Math.max(0, 2 - magnitude);
  return rounded.toFixed(Math.min(digits, 6));
}

/** A figure as a datasheet prints it: at most `decimals` decimals, no trailing zeros (3350, 989.5, 154.8). */
export function compact(value: number, decimals = 1): string {
  if (!Number.isFinite(value)) return 'n/a';
  return String(Number(value.toFixed(decimals)));
}

const SI_PREFIXES: readonly [number, string][] = [
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** `12.3 G` style: a count with a decimal prefix. */
export function withPrefix(value: number, unit = ''): string {
  const absolute = Math.abs(value);
  for (const [factor, prefix] of SI_PREFIXES) {
    if (absolute >= factor) return `${significant(value / factor)} ${prefix}${unit}`;
  }
  return `${significant(value)}${unit ? ` ${unit}` : ''}`;
}

/** Memory as capacity is quoted: GiB (binary), with decimal GB alongside. */
export function formatGiB(bytes: number): string {
  return `${fixed(bytes / GIB, 2)} GiB (${fixed(bytes / 1e9, 2)} GB)`;
}

/** Traffic per layer: decimal bytes (B, kB, MB, GB). */
export function formatBytes(bytes: number): string {
  return withPrefix(bytes, 'B');
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'n/a';
  if (seconds >= 1) return `${fixed(seconds, 2)} s`;
  if (seconds >= 1e-3) return `${significant(seconds * 1e3)} ms`;
  return `${significant(seconds * 1e6)} µs`;
}

export function formatMilliseconds(seconds: number): string {
  return `${significant(seconds * 1e3)} ms`;
}

export function formatRate(perSecond: number, unit: string): string {
  return `${significant(perSecond)} ${unit}`;
}

export function formatPercent(ratio: number): string {
  return `${fixed(ratio * 100, ratio < 0.1 ? 1 : 0)}%`;
}

/** Parameter counts: `8.03 B`, `405 M`. */
export function formatParameters(count: number): string {
  if (count >= 1e9) return `${significant(count / 1e9)} B`;
  if (count >= 1e6) return `${significant(count / 1e6)} M`;
  return String(count);
}

/** A plain-text table with columns aligned (numbers right-aligned). */
export function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (rightAligned[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
