import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePoint, compare, geometricMeanAbsoluteError, loadPublishedMeasurements, SPEED_METRICS, type Comparison } from './measurements';

const points = loadPublishedMeasurements();
const FIDELITY_DOC = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'fidelity.md'), 'utf8');

/** The held-out error docs/fidelity.md promises for `efficiency: expected`, as a fraction. */
function statedBound(what: 'speed' | 'memory'): number {
  const pattern = what === 'speed' ? /within \*\*(\d+)%\*\*\s+geometric-mean \|error\| on speed/ : /within \*\*(\d+)%\*\* on memory/;
  const match = FIDELITY_DOC.match(pattern);
  assert.ok(match, `docs/fidelity.md states the held-out ${what} error of efficiency: expected`);
  return Number(match[1]) / 100;
}

describe('published measurements: efficiency: expected', () => {
  const evaluated = points.map((point) => ({ point, expected: analyzePoint(point, 'expected') }));

  it('is never faster than the ideal bound it reports, on every point', () => {
    for (const { point, expected } of evaluated) {
      const bound = expected.metrics.bound!;
      assert.ok(expected.metrics.ttft_seconds >= bound.ttft_seconds && expected.metrics.tpot_seconds >= bound.tpot_seconds, point.id);
    }
  });

  it('stays within the held-out error docs/fidelity.md states, on speed and on memory', () => {
    const holdout = evaluated.filter(({ point }) => point.split === 'holdout');
    const comparisons: Comparison[] = holdout.flatMap(({ point, expected }) => compare(point, expected));
    const speed = comparisons.filter((comparison) => SPEED_METRICS.includes(comparison.metric));
    const memory = comparisons.filter((comparison) => comparison.metric === 'weights_gib');
    assert.ok(speed.length > 0, 'held-out speed figures');
    const speedError = geometricMeanAbsoluteError(speed);
    assert.ok(speedError <= statedBound('speed'), `held-out speed error ${(speedError * 100).toFixed(1)}%`);
    // Memory is the same in every mode; where the set has memory figures they must hold too.
    for (const comparison of memory) assert.ok(Math.abs(Math.log(comparison.predicted / comparison.measured)) <= Math.log1p(statedBound('memory')), `weights ${comparison.predicted} vs ${comparison.measured}`);
  });

  it('weight memory is within the stated bound on every point that measures it, tuned or held out (no constant is chosen for memory)', () => {
    const memory = evaluated.flatMap(({ point, expected }) => compare(point, expected).filter((comparison) => comparison.metric === 'weights_gib').map((comparison) => ({ point, comparison })));
    assert.ok(memory.length >= 5, `${memory.length} memory figures`);
    for (const { point, comparison } of memory) {
      assert.ok(Math.abs(Math.log(comparison.predicted / comparison.measured)) <= Math.log1p(statedBound('memory')), `${point.id}: weights ${comparison.predicted.toFixed(3)} GiB vs ${comparison.measured} GiB`);
    }
  });
});
