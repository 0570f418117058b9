import { strict as assert } from 'node:assert';
import { finiteOr, formatAxisNumber, formatBandwidth, formatBytes, formatCount, formatFlops, formatFlopsPerSecond, formatInteger, formatIntensity, formatPercent, formatRatio, formatSeconds, formatSignificant, formatTokensPerSecond, isDecade } from '../../../language-server/src/format/units';

describe('webview format helpers', () => {
  it('uses human units with three significant digits', () => {
    assert.equal(formatBytes(16060522496), '15.0 GiB');
    assert.equal(formatBytes(24 * 1024 ** 3), '24.0 GiB');
    assert.equal(formatBytes(1536), '1.50 KiB');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatSeconds(0.0587370222933), '58.7 ms');
    assert.equal(formatSeconds(2.29627430678), '2.30 s');
    assert.equal(formatSeconds(127.2), '127 s');
    assert.equal(formatSeconds(4.2e-6), '4.20 µs');
    assert.equal(formatFlopsPerSecond(121e12), '121 TFLOP/s');
    assert.equal(formatFlops(16.8e9), '16.8 GFLOP');
    assert.equal(formatBandwidth(300e9), '300 GB/s');
    assert.equal(formatIntensity(403.333), '403 FLOP/B');
    assert.equal(formatTokensPerSecond(237.116), '237 tok/s');
    assert.equal(formatCount(8030261248), '8.03 B');
    assert.equal(formatSignificant(0.012345), '0.0123');
    assert.equal(formatInteger(4064), '4,064');
    assert.equal(formatPercent(0.8692307), '86.9%');
    assert.equal(formatPercent(0.9), '90%');
    assert.equal(formatRatio(1.57775), '1.58×');
  });

  it('never shows NaN or Infinity', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (const format of [formatBytes, formatSeconds, formatFlops, formatFlopsPerSecond, formatBandwidth, formatIntensity, formatTokensPerSecond, formatCount, formatSignificant, formatAxisNumber, formatInteger, formatPercent, formatRatio]) {
        assert.equal(format(value), '—', `${format.name}(${value})`);
      }
    }
    assert.equal(formatSeconds(0), '0 s');
    assert.equal(finiteOr(Number.NaN, 3), 3);
    assert.equal(finiteOr(2, 3), 2);
  });

  it('writes compact axis numbers and finds decades', () => {
    assert.deepEqual([0.01, 0.1, 1, 16, 256, 1000, 32768, 1.5e6].map(formatAxisNumber), ['0.01', '0.1', '1', '16', '256', '1k', '32.8k', '1.5M']);
    assert.equal(isDecade(1000), true);
    assert.equal(isDecade(0.001), true);
    assert.equal(isDecade(200), false);
    assert.equal(isDecade(0), false);
  });
});
