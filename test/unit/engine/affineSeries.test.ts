import assert from 'node:assert/strict';
import { affineThrough, sumOfMaxAffine } from '../../../language-server/src/engine/affineSeries';

function bruteForce(fns: { intercept: number; slope: number }[], first: number, last: number): number {
  let total = 0;
  for (let x = first; x <= last; x++) total += Math.max(...fns.map((fn) => fn.intercept + fn.slope * x));
  return total;
}

describe('closed-form sums of a max of affine functions', () => {
  it('sums one affine function as an arithmetic series', () => {
    // Σ_{x=1}^{100} (2 + 3x) = 100·2 + 3·(100·101/2) = 200 + 15150 = 15350
    assert.equal(sumOfMaxAffine([{ intercept: 2, slope: 3 }], 1, 100), 15350);
  });

  it('switches function at the crossing', () => {
    // max(100, x) over x = 1..200: 100 for x ≤ 100 (100 terms: 10,000), then x for 101..200
    // (Σ = (101 + 200)·100/2 = 15,050): 25,050 in all.
    const fns = [
      { intercept: 100, slope: 0 },
      { intercept: 0, slope: 1 },
    ];
    assert.equal(sumOfMaxAffine(fns, 1, 200), 25050);
    assert.equal(sumOfMaxAffine(fns, 1, 200), bruteForce(fns, 1, 200));
  });

  it('matches a step-by-step sum for three functions with fractional crossings', () => {
    const fns = [
      { intercept: 5.5e-5, slope: 0 },
      { intercept: 1.2e-6, slope: 3.3e-8 },
      { intercept: -2e-5, slope: 5.1e-8 },
    ];
    for (const [first, last] of [
      [1, 10],
      [1024, 5119],
      [0, 100000],
      [3000, 3001],
    ] as const) {
      const expected = bruteForce(fns, first, last);
      assert.ok(Math.abs(sumOfMaxAffine(fns, first, last) - expected) <= 1e-12 * expected, `${first}..${last}`);
    }
  });

  it('is zero for an empty range', () => {
    assert.equal(sumOfMaxAffine([{ intercept: 1, slope: 1 }], 5, 4), 0);
  });

  it('fits a line through two points and rejects a third point off it', () => {
    // Through (10, 25) and (30, 65): slope 2, intercept 5; the middle (20, 45) is on it.
    assert.deepEqual(affineThrough(10, 25, 20, 45, 30, 65), { intercept: 5, slope: 2 });
    assert.equal(affineThrough(10, 25, 20, 46, 30, 65), undefined);
  });
});
