import assert from 'node:assert/strict';
import type { AnalysisResult } from '../../../language-server/src/engine/types';
import { compactHeadline, compactMemoryVerdict, headline } from '../../../language-server/src/report/headline';

const GIB = 1024 ** 3;

/** Only the fields the verdicts read. */
function resultWith(totalBytes: number, capacityBytes: number | undefined, fits: boolean): AnalysisResult {
  return {
    memory: { total_bytes: totalBytes, capacity_bytes: capacityBytes, memory_utilization: 0.9, fits },
    metrics: { ttft_seconds: 5.4, tpot_seconds: 0.00779 },
  } as unknown as AnalysisResult;
}

describe('verdict lines', () => {
  it('shortens the code lens verdict without changing its figures or its definition of fits', () => {
    const fits = resultWith(30.4 * GIB, 80 * GIB, true);
    assert.equal(compactHeadline(fits), 'TTFT 5.40 s · TPOT 7.79 ms · fits 30.4 of 72.0 GiB usable');
    assert.equal(headline(fits), 'TTFT 5.40 s · TPOT 7.79 ms · fits: 30.4 GiB of 72.0 GiB (90% of 80.0 GiB)');
    assert.equal(compactMemoryVerdict(resultWith(75 * GIB, 80 * GIB, false)), 'does not fit: 75.0 of 72.0 GiB usable');
    // Different units stay with their numbers.
    assert.equal(compactMemoryVerdict(resultWith(900 * 1024 ** 2, 24 * GIB, true)), 'fits 900 MiB of 21.6 GiB usable');
    assert.equal(compactMemoryVerdict(resultWith(9 * GIB, undefined, true)), '9.00 GiB, capacity unknown');
  });

  it('judges a deployment with serving: under load, as its targets are', () => {
    const serving = { concurrency: 32, ttft_seconds: 1.138, tpot_seconds: 0.0707, output_tokens_per_second: 439.3 };
    const fits = { ...resultWith(15.2 * GIB, 24 * GIB, true), serving } as unknown as AnalysisResult;
    assert.equal(compactHeadline(fits), '439 tok/s · TTFT 1.14 s · TPOT 70.7 ms under load');
    assert.equal(headline(fits), '439 tok/s · TTFT 1.14 s · TPOT 70.7 ms under load, 32 requests in flight · fits: 15.2 GiB of 21.6 GiB (90% of 24.0 GiB)');
    const tooBig = { ...resultWith(30 * GIB, 24 * GIB, false), serving } as unknown as AnalysisResult;
    assert.equal(compactHeadline(tooBig), 'does not fit: 30.0 of 21.6 GiB usable · 439 tok/s · TTFT 1.14 s · TPOT 70.7 ms under load');
  });
});
