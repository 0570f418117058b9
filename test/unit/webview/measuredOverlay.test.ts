import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DocumentAnalysis } from '../../../language-server/src/protocol/lsp';
import { measuredData, measuredTooltipLines } from '../../../webview/src/charts/servingCurve';
import { formatSignedPercent, measuredTableRows } from '../../../language-server/src/format/measured';

const fixture = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/analysis/llama-3.2-3b-l40s-measured.json'), 'utf8')) as DocumentAnalysis;

describe('measured points in words and on the serving chart', () => {
  it('places a rate run at its requests in flight by Little\'s law', () => {
    const point = fixture.measured!.points[0]!;
    // 2.5 req/s × (54.6 ms + 269 × 13.7 ms).
    const ttft = point.metrics.find((m) => m.metric === 'ttft_ms')!.measured;
    const tpot = point.metrics.find((m) => m.metric === 'tpot_ms')!.measured;
    assert.ok(Math.abs(point.inFlight! - (2.5 * (ttft + 269 * tpot)) / 1e3) < 1e-9, String(point.inFlight));
    assert.equal(fixture.measured!.points[2]!.inFlight, 225);
    const ttfts = measuredData(fixture.measured, 'ttft_ms');
    assert.equal(ttfts.length, 4);
    assert.equal(ttfts[0]!.y, ttft / 1e3, 'times in seconds on the latency axis');
  });

  it('says measured against predicted with the signed error in the tooltip and the table', () => {
    const [datum] = measuredData(fixture.measured, 'tpot_ms');
    const metric = datum!.measured.metric;
    const lines = measuredTooltipLines(datum!);
    assert.match(lines[0]!, /^Measured TPOT 13\.7 ms, predicted \d+(\.\d+)? ms \([+−]\d/);
    assert.equal(lines[1], '2.5 req/s, 999 → 270 tokens');
    assert.equal(formatSignedPercent(-0.399), '−39.9%');
    assert.equal(formatSignedPercent(0.0234), '+2.34%');
    assert.equal(formatSignedPercent(0), '0%');
    const row = measuredTableRows(fixture.measured!)[1]!;
    assert.deepEqual(row.slice(3, 5), ['TPOT', '13.7 ms']);
    assert.equal(row[6], formatSignedPercent(metric.error));
  });
});
