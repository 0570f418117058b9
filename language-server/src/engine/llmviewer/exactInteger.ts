/**
 * LLM-Viewer multiplies Python integers, which are exact at any size, and only turns them into
 * floats when a byte factor or a division comes in. Doubles are exact up to 2^53; above that a
 * chain of double multiplications can round more than once. This gives the product rounded once,
 * as Python's int -> float conversion does (spec §13). Up to six factors, as named parameters
 * rather than a rest list, which would make an array on each of the many calls per analysis;
 * factors left out are 1.
 */
export function integerProduct(a: number, b: number, c = 1, d = 1, e = 1, f = 1): number {
  const product = a * b * c * d * e * f;
  // With every factor a whole number >= 1, the partial products never exceed the final one, so a
  // result at or below 2^53 - 1 means no step rounded.
  return product <= Number.MAX_SAFE_INTEGER ? product : bigIntegerProduct(a, b, c, d, e, f);
}

/** The rare large product, apart: the common path stays small enough for V8 to inline into every op's cost. */
function bigIntegerProduct(a: number, b: number, c: number, d: number, e: number, f: number): number {
  return Number(BigInt(a) * BigInt(b) * BigInt(c) * BigInt(d) * BigInt(e) * BigInt(f));
}
