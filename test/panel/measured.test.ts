/**
 * Measured results in the panel, in a real browser: the table of every figure beside its
 * prediction with the signed error and the geometric mean, the buttons that import results and
 * fit the hardware, and the measured points on the serving, sweep and roofline charts with their
 * own legend entries, tooltips and text alternatives, in dark and light themes.
 * The analysis is the one the server sends for real vllm bench serve runs
 * (test/fixtures/analysis/llama-3.2-3b-l40s-measured.json).
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { DocumentAnalysis, ServingCurve } from '../../language-server/src/protocol/lsp';
import { LIGHT_THEME_VARIABLES, loadFixture, panelSuite, SCREENSHOT_DIR, type PanelPage, type PanelWindow } from './harness';

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

  it('draws each measured decode step on the roofline beside its predicted step, with the error in its tooltip', async () => {
    const { serving_curve: _curve, ...analysis } = loadFixture('llama-3.2-3b-l40s-measured') as MeasuredFixture;
    await panel.showAnalysis(analysis);
    const snapshot = await panel.snapshot('roofline');
    const labels = snapshot.datasets.map((d) => d.label);
    assert.deepEqual(labels.slice(-2), ['Measured decode steps (TPOT)', 'Predicted decode steps']);
    const steps = analysis.measured!.points.map((point) => point.roofline!.steps[0]!);
    const measuredSet = snapshot.datasets.find((d) => d.label === 'Measured decode steps (TPOT)')!;
    const predictedSet = snapshot.datasets.find((d) => d.label === 'Predicted decode steps')!;
    assert.deepEqual((measuredSet.data as { x: number; y: number }[]).map((d) => [d.x, d.y]), steps.map((step) => [step.intensity, step.measuredFlopsPerSecond]));
    assert.deepEqual((predictedSet.data as { x: number; y: number }[]).map((d) => [d.x, d.y]), steps.map((step) => [step.intensity, step.predictedFlopsPerSecond]));
    // Hollow markers in the theme's green, triangles as the decode layers are.
    assert.equal(measuredSet.pointBorderColor, '#89d185');
    assert.equal(measuredSet.pointStyle, 'triangle');
    assert.equal(measuredSet.visible, true);
    // Legend checkboxes for both, keyboard reachable like every series.
    const card = panel.page.locator('#card-roofline');
    assert.equal(await card.locator('input[data-series="Measured decode steps (TPOT)"]').count(), 1);
    assert.equal(await card.locator('input[data-series="Predicted decode steps"]').count(), 1);
    // The measured swatch is an outline, as the marker is; the predicted one filled.
    assert.equal(await card.locator('label.legend-entry', { has: panel.page.locator('input[data-series="Measured decode steps (TPOT)"]') }).locator('.swatch-glyph').innerText(), '△');
    assert.equal(await card.locator('label.legend-entry', { has: panel.page.locator('input[data-series="Predicted decode steps"]') }).locator('.swatch-triangle').count(), 1);
    // The tooltip of the first point's measured step: the step, both times, the error.
    await card.scrollIntoViewIfNeeded();
    const position = await panel.page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.pointPosition('roofline', 'Measured decode steps (TPOT)', 0));
    assert.ok(position);
    await panel.page.locator('canvas[data-chart="roofline"]').hover({ position });
    await panel.page.locator('.chart-tooltip').waitFor({ state: 'visible' });
    const lines = await panel.page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.tooltipLines('roofline'));
    assert.deepEqual(lines.slice(0, 3), [
      'llama-3.2-3b-4xl40s-no-features.json line 1',
      'Decode step: 9 requests decoding at 1.13k cached tokens, with 33.4 prompt tokens',
      'Measured TPOT 13.7 ms → 18.6 TFLOP/s',
    ]);
    assert.match(lines[3]!, /^Predicted TPOT 14\.2 ms → 18(\.0)? TFLOP\/s \(\+3\.34%\)$/);
    // What is not drawn is said: the TTFTs under load, folded under the chart and in the table's caption.
    const note = card.locator('details.chart-note');
    assert.equal(await note.locator('summary').innerText(), '4 measured figures are not on the roofline: why');
    await note.locator('summary').click();
    assert.match(await note.locator('li').first().innerText(), /^llama-3\.2-3b-4xl40s-no-features\.json line 1, TTFT: with 9\.36 requests in flight the time to first token includes waiting/);
    const tableRows = card.locator('.chart-table tbody tr');
    assert.match(await tableRows.last().innerText(), /Measured decode step \(TPOT\)/);
    await card.screenshot({ path: join(SCREENSHOT_DIR, 'measured-roofline-dark.png') });
    await panel.switchToLightTheme();
    const light = await panel.snapshot('roofline');
    assert.equal(light.datasets.find((d) => d.label === 'Measured decode steps (TPOT)')!.pointBorderColor, LIGHT_THEME_VARIABLES['--vscode-charts-green']);
    assert.equal(light.datasets.find((d) => d.label === 'Measured decode steps (TPOT)')!.pointBackgroundColor, LIGHT_THEME_VARIABLES['--vscode-editor-background']);
    await card.screenshot({ path: join(SCREENSHOT_DIR, 'measured-roofline-light.png') });
  });

  it('draws the measured points on the batch-size sweep at their requests in flight, hollow, with the error', async () => {
    const { serving_curve: _curve, ...analysis } = loadFixture('llama-3.2-3b-l40s-measured') as MeasuredFixture;
    await panel.showAnalysis(analysis);
    const snapshot = await panel.snapshot('sweep');
    assert.deepEqual(snapshot.datasets.map((d) => d.label), ['TPOT', 'TTFT', 'Tokens/s', 'Measured tokens/s', 'Measured TPOT', 'Measured TTFT']);
    const measured = analysis.measured!;
    const tpot = snapshot.datasets[4]!;
    assert.deepEqual((tpot.data as { x: number }[]).map((d) => d.x), measured.points.map((point) => point.inFlight));
    assert.deepEqual((tpot.data as { y: number }[]).map((d) => d.y), measured.points.map((point) => point.metrics.find((m) => m.metric === 'tpot_ms')!.measured / 1e3));
    assert.equal(tpot.pointBackgroundColor ?? snapshot.datasets[4]!.backgroundColor, '#1e1e1e');
    const card = panel.page.locator('#card-sweep');
    await card.scrollIntoViewIfNeeded();
    const position = await panel.page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.pointPosition('sweep', 'Measured TPOT', 2));
    assert.ok(position);
    await panel.page.locator('canvas[data-chart="sweep"]').hover({ position });
    await panel.page.locator('.chart-tooltip').waitFor({ state: 'visible' });
    const lines = await panel.page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.tooltipLines('sweep'));
    assert.ok(lines.some((line) => /^Measured TPOT 61\.8 ms, predicted 83\.5 ms \(\+35\.1%\)$/.test(line)), lines.join('\n'));
    assert.ok(lines.includes('Predicted under load (serving); the curve is this batch alone, no prompt beside it'), lines.join('\n'));
    assert.match(await card.locator('.chart-table caption').innerText(), /16 measured figures are drawn as hollow markers/);
    await card.screenshot({ path: join(SCREENSHOT_DIR, 'measured-sweep-dark.png') });
    await panel.switchToLightTheme();
    const light = await panel.snapshot('sweep');
    assert.equal(light.datasets[4]!.borderColor, LIGHT_THEME_VARIABLES['--vscode-charts-blue']);
    await card.screenshot({ path: join(SCREENSHOT_DIR, 'measured-sweep-light.png') });
  });
});

