/**
 * LLM-Viewer multiplies Python integers, which are exact at any size, and only turns them into
 * floats when a byte factor or a division comes in. Doubles are exact up to 2^53; above that a
 * chain of double multiplications can round more than once. This gives the product rounded once,
 * as Python's int -> float conversion does (spec §13).
 */
export function integerProduct(...factors: readonly number[]): number {
  let product = 1;
  for (const factor of factors) product *= factor;
  // With every factor a whole number >= 1, the partial products never exceed the final one, so a
  // result at or below 2^53 - 1 means no step rounded.
  if (product <= Number.MAX_SAFE_INTEGER) return product;
  let exact = 1n;
  for (const factor of factors) exact *= BigInt(factor);
  return Number(exact);
}
