/**
 * The last line of defence for "never show NaN or Infinity": walks a result and throws if any
 * number in it is not finite. Input validation should make this unreachable; if it is reached,
 * the caller reports an internal error rather than showing a wrong figure. The path is built only
 * on failure: this runs on every analysis, and string building would dominate its cost.
 */
export function assertAllFinite(value: unknown): void {
  if (!allFinite(value)) throw new Error(`internal error: ${findNonFinite(value, 'result')}`);
}

function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value !== null && typeof value === 'object') {
    for (const key in value) if (!allFinite((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function findNonFinite(value: unknown, path: string): string {
  if (typeof value === 'number') return `${path} is ${value}`;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [`${path}[${index}]`, item])
    : Object.entries(value as Record<string, unknown>).map(([key, item]) => [`${path}.${key}`, item]);
  const bad = entries.find(([, item]) => !allFinite(item));
  return bad ? findNonFinite(bad[1], bad[0]) : path;
}
