/**
 * The last line of defence for "never show NaN or Infinity": walks a result and throws if any
 * number in it is not finite. Input validation should make this unreachable; if it is reached,
 * the caller reports an internal error rather than showing a wrong figure.
 */
export function assertAllFinite(value: unknown, path = 'result'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`internal error: ${path} is ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => assertAllFinite(item, `${path}[${index}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) assertAllFinite(item, `${path}.${key}`);
  }
}
