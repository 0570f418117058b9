import * as assert from 'node:assert/strict';
import { checkTargets, meetsTargets, targetsOf } from '../../../language-server/src/engine/index';
import { sampleResult } from '../extension/fixtures';

describe('targets: one definition of met', () => {
  // The sample: TTFT 3.2 ms, TPOT 0.96 ms, 1041.7 output tokens/s.
  it('checks latencies as at most and throughput as at least, in the units the keys name', () => {
    const checks = checkTargets({ ttftMs: 5, tpotMs: 0.5, minTokensPerSecond: 1000 }, sampleResult());
    assert.deepEqual(
      checks.map((check) => [check.key, Number(check.actual.toPrecision(6)), check.met]),
      [
        ['ttft_ms', 3.2, true],
        ['tpot_ms', 0.96, false],
        ['min_tokens_per_second', 1041.7, true],
      ],
    );
    assert.equal(meetsTargets({ ttftMs: 5 }, sampleResult()), true);
    assert.equal(meetsTargets({ ttftMs: 5, tpotMs: 0.5 }, sampleResult()), false);
  });

  it('reads only positive finite numbers from the targets mapping', () => {
    assert.deepEqual(targetsOf({ targets: { ttft_ms: 200, tpot_ms: 'fast', min_tokens_per_second: -1, other: 3 } }), { ttftMs: 200 });
    assert.deepEqual(targetsOf(null), {});
    assert.deepEqual(targetsOf({ targets: [1] }), {});
  });
});
