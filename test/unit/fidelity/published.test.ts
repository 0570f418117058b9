import * as assert from 'node:assert/strict';
import { fitsInMemory } from '../../../language-server/src/engine/index';
import {
  analyzePoint,
  compare,
  devicesOf,
  geometricMeanAbsoluteError,
  isNoSlower,
  loadPublishedMeasurements,
  problemsOf,
  splitOf,
  SPEED_METRICS,
} from './measurements';

const points = loadPublishedMeasurements();

describe('published measurements: the validation set', () => {
  it('holds at least 100 points with unique ids', () => {
    assert.ok(points.length >= 100, `${points.length} points`);
    assert.equal(new Set(points.map((point) => point.id)).size, points.length);
  });

  it('every point has a source with its quote, settings and measured figures', () => {
    const problems = points.flatMap((point, index) => problemsOf(point).map((problem) => `${point.id ?? `#${index}`}: ${problem}`));
    assert.deepEqual(problems, []);
  });

  it('holds out about one point in three, on one GPU and on several', () => {
    for (const several of [false, true]) {
      const group = points.filter((point) => devicesOf(point) > 1 === several);
      const holdout = group.filter((point) => point.split === 'holdout').length;
      assert.ok(group.length > 0);
      assert.ok(holdout / group.length > 0.2 && holdout / group.length < 0.45, `${several ? 'several' : 'one'} GPU: ${holdout} of ${group.length} held out`);
    }
  });
});

describe('published measurements: the ideal roofline is a bound on every point', () => {
  for (const point of points) {
    it(point.id, () => {
      const result = analyzePoint(point, 'ideal');
      // It ran, so it fits the device's whole memory; `fits` asks for the usable 90% a serving
      // engine leaves itself by default, which TensorRT-LLM's tuned runs exceed (up to 96% here).
      assert.ok(fitsInMemory(result.memory.total_bytes, result.memory.capacity_bytes, 1), 'the deployment ran on this hardware, so it fits in its memory');
      const speed = compare(point, result).filter((comparison) => SPEED_METRICS.includes(comparison.metric));
      for (const comparison of speed) {
        assert.ok(isNoSlower(comparison), `${comparison.metric}: ideal ${comparison.predicted.toPrecision(4)} is slower than measured ${comparison.measured} (${point.source.url})`);
      }
    });
  }
});

describe('published measurements: the comparison helpers', () => {
  it('the split rule: SHA-256 of the id, first 32 bits, divisible by 3', () => {
    // sha256("a") = ca978112…: 0xca978112 = 3398926610 = 3 × 1132975536 + 2 → tune.
    assert.equal(splitOf('a'), 'tune');
    // sha256("b") = 3e23e816…: 0x3e23e816 = 1042540566 = 3 × 347513522 → holdout.
    assert.equal(splitOf('b'), 'holdout');
  });

  it('geometric mean |error|: twice too fast and twice too slow both count 100%', () => {
    const twiceFast = { metric: 'tpot_ms' as const, measured: 10, predicted: 5, error: -0.5 };
    const twiceSlow = { metric: 'tpot_ms' as const, measured: 10, predicted: 20, error: 1 };
    assert.ok(Math.abs(geometricMeanAbsoluteError([twiceFast, twiceSlow]) - 1) < 1e-12);
    // exp((ln 1.1 + ln 1.1) / 2) − 1 = 0.1.
    assert.ok(Math.abs(geometricMeanAbsoluteError([{ ...twiceFast, predicted: 11 }, { ...twiceFast, predicted: 10 / 1.1 }]) - 0.1) < 1e-12);
  });

  it('tokens/s bound the other way from times', () => {
    assert.equal(isNoSlower({ metric: 'output_tokens_per_second', measured: 100, predicted: 120, error: 0.2 }), true);
    assert.equal(isNoSlower({ metric: 'ttft_ms', measured: 100, predicted: 120, error: 0.2 }), false);
  });
});
