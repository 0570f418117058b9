/**
 * Measured results in the panel, in a real browser: the table of every figure beside its
 * prediction with the signed error and the geometric mean, the buttons that import results and
 * fit the hardware, and the measured points on the serving chart with their own legend entries.
 * The analysis is the one the server sends for real vllm bench serve runs
 * (test/fixtures/analysis/llama-3.2-3b-l40s-measured.json).
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { DocumentAnalysis, ServingCurve } from '../../language-server/src/protocol/lsp';
import { loadFixture, panelSuite, SCREENSHOT_DIR, type PanelPage } from './harness';

type MeasuredFixture = DocumentAnalysis & { serving_curve: ServingCurve };

describe('roofline panel: measured results', function () {
  this.timeout(60_000);
  const suite = panelSuite({ openEach: true });
  let panel: PanelPage;
  beforeEach(() => {
    panel = suite.panel;
  });

  it('tables every measured figure beside its prediction, with the signed error and the geometric mean', async () => {
    const { serving_curve: _curve, ...analysis } = loadFixture('llama-3.2-3b-l40s-measured') as MeasuredFixture;
    await panel.showAnalysis(analysis);
    const card = panel.page.locator('#measured');
    assert.equal(await card.isVisible(), true);
    const summary = await card.locator('.measured-summary').innerText();
    assert.match(summary, /^Geometric mean of \|error\| with efficiency: expected: 26\.8% over 16 figures \(TTFT 32\.1%, TPOT 25\.9%, throughput 24\.3%\)$/);
    const rows = card.locator('tbody tr');
    assert.equal(await rows.count(), 16);
    // The point heads its three figures once: name, then load and lengths beneath.
    const point = rows.first().locator('th.measured-point');
    assert.equal(await point.getAttribute('rowspan'), '3');
    assert.equal(await point.getAttribute('scope'), 'rowgroup');
    assert.deepEqual(await point.locator('span').allInnerTexts(), ['llama-3.2-3b-4xl40s-no-features.json line 1', '2.5 req/s · 999 → 270 tokens']);
    assert.deepEqual(await rows.first().locator('td').allInnerTexts(), ['TTFT', '54.6 ms', '43.4 ms', '−20.5%']);
    assert.deepEqual(await rows.nth(1).locator('td').allInnerTexts(), ['TPOT', '13.7 ms', '14.2 ms', '+3.34%']);
    assert.equal(await rows.nth(1).locator('th').count(), 0);
    assert.equal(await card.locator('th.measured-point').count(), 6);
    assert.deepEqual(await card.locator('thead th').allInnerTexts(), ['point', 'figure', 'measured', 'predicted', 'error']);
    // In a panel beside the editor the errors are in view, not past a horizontal scroll.
    await panel.page.setViewportSize({ width: 520, height: 800 });
    const table = card.locator('.measured-table');
    assert.equal(await table.evaluate((element) => element.scrollWidth <= element.clientWidth), true, 'no sideways scrolling at 520 px');
    await card.screenshot({ path: join(SCREENSHOT_DIR, 'measured-table-narrow.png') });
    await panel.page.setViewportSize({ width: 1200, height: 900 });
    await card.locator('[data-action="import-measured"]').click();
    await card.locator('[data-action="fit-measured"]').click();
    assert.deepEqual(await panel.postedOfType('importMeasured'), [{ type: 'importMeasured', uri: analysis.uri }]);
    assert.deepEqual(await panel.postedOfType('fitMeasured'), [{ type: 'fitMeasured', uri: analysis.uri }]);
    await card.screenshot({ path: join(SCREENSHOT_DIR, 'measured-table.png') });
  });

  it('offers only the import for a deployment without measured results', async () => {
    await panel.showAnalysis(loadFixture('llama-3.1-8b-l4'));
    const card = panel.page.locator('#measured');
    assert.equal(await card.isVisible(), true);
    assert.equal(await card.locator('[data-action="import-measured"]').isVisible(), true);
    assert.equal(await card.locator('[data-action="fit-measured"]').isVisible(), false);
    assert.equal(await card.locator('table').isVisible(), false);
  });

  it('draws the measured points on the serving chart at their requests in flight, with their own legend entries', async () => {
    const { serving_curve: curve, ...analysis } = loadFixture('llama-3.2-3b-l40s-measured') as MeasuredFixture;
    await panel.showAnalysis(analysis);
    await panel.send({ type: 'servingCurve', uri: analysis.uri, version: analysis.version, curve });
    const snapshot = await panel.snapshot('serving');
    assert.deepEqual(snapshot.datasets.map((d) => d.label), ['Output tokens/s', 'TPOT', 'TTFT', 'Measured tokens/s', 'Measured TPOT', 'Measured TTFT']);
    const measured = analysis.measured!;
    const throughput = snapshot.datasets[3]!.data as { x: number; y: number }[];
    assert.deepEqual(throughput.map((d) => d.x), measured.points.map((point) => point.inFlight));
    assert.deepEqual(throughput.map((d) => d.y), measured.points.map((point) => point.metrics.find((m) => m.metric === 'output_tokens_per_second')!.measured));
    // The bursts (every request at once) have no measured TTFT: four TTFT points of six.
    assert.equal((snapshot.datasets[5]!.data as unknown[]).length, 4);
    assert.equal((snapshot.datasets[4]!.data as { y: number }[])[0]!.y, measured.points[0]!.metrics.find((m) => m.metric === 'tpot_ms')!.measured / 1e3);
    await panel.page.locator('#card-serving').screenshot({ path: join(SCREENSHOT_DIR, 'measured-serving.png') });
  });
});
