/**
 * Closed-form sums for the decode loop. A decode step's cost grows with the context only through
 * its attention layers, whose FLOPs and bytes are affine in the cached tokens; a layer's time is
 * the max of a few affine functions (compute, memory, link), a convex piecewise-linear function.
 * Its sum over a run of steps is then a handful of arithmetic series, so an end-to-end estimate
 * costs the same for 100 output tokens as for 100 million.
 */

/** value(x) = intercept + slope · x */
export interface Affine {
  intercept: number;
  slope: number;
}

function valueAt(fn: Affine, x: number): number {
  return fn.intercept + fn.slope * x;
}

/** Σ_{x=first}^{last} (intercept + slope · x), for whole numbers first ≤ last. */
export function sumAffine(fn: Affine, first: number, last: number): number {
  const n = last - first + 1;
  return n * fn.intercept + fn.slope * ((first + last) * n) / 2;
}

/**
 * Σ_{x=first}^{last} max_i fns[i](x), exactly up to rounding. Between consecutive crossings of
 * two functions one function is the largest, so the range splits at the crossings.
 */
export function sumOfMaxAffine(fns: readonly Affine[], first: number, last: number): number {
  if (last < first || fns.length === 0) return 0;
  // The distinct cuts in increasing order (a handful: one per pair of functions), kept in a plain
  // array because this runs for every context-dependent layer of every analysis.
  const bounds: number[] = [];
  for (let i = 0; i < fns.length; i++) {
    for (let j = i + 1; j < fns.length; j++) {
      const slopeGap = fns[j]!.slope - fns[i]!.slope;
      if (slopeGap === 0) continue;
      const crossing = (fns[i]!.intercept - fns[j]!.intercept) / slopeGap;
      if (crossing >= first && crossing < last) {
        const cut = Math.floor(crossing);
        if (!bounds.includes(cut)) bounds.push(cut);
      }
    }
  }
  bounds.sort((a, b) => a - b);
  bounds.push(last);
  let total = 0;
  let segmentStart = first;
  for (const segmentEnd of bounds) {
    if (segmentEnd < segmentStart) continue;
    const middle = (segmentStart + segmentEnd) / 2;
    let largest = fns[0]!;
    for (const fn of fns) if (valueAt(fn, middle) > valueAt(largest, middle)) largest = fn;
    total += sumAffine(largest, segmentStart, segmentEnd);
    segmentStart = segmentEnd + 1;
  }
  return total;
}

/**
 * The affine function through (first, yFirst) and (last, yLast), or undefined if (middle, yMiddle)
 * is not on it (within rounding): then the quantity is not affine and the caller must not use the
 * closed form. Fitting on the far ends keeps the slope accurate when it is small next to the value.
 */
export function affineThrough(
  first: number,
  yFirst: number,
  middle: number,
  yMiddle: number,
  last: number,
  yLast: number,
): Affine | undefined {
  const slope = last === first ? 0 : (yLast - yFirst) / (last - first);
  const fn = { intercept: yFirst - slope * first, slope };
  const predicted = valueAt(fn, middle);
  const scale = Math.max(Math.abs(yMiddle), Math.abs(predicted), Number.MIN_VALUE);
  return Math.abs(predicted - yMiddle) <= 1e-9 * scale ? fn : undefined;
}
