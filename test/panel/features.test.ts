/**
 * Hardware comparison, exports, theming, saved view state, CSP and narrow layouts.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { decodeExportData } from '../../extension/src/panel/exportData';
import type { ComparisonRow } from '../../language-server/src/protocol/webview';
import { LIGHT_THEME_VARIABLES, loadFixture, panelSuite, SCREENSHOT_DIR, type PanelPage, type PanelWindow } from './harness';

const ROWS: ComparisonRow[] = [
  { hardware: 'nvidia-l4', fits: true, ttft_seconds: 2.3, tpot_seconds: 0.0587, output_tokens_per_second: 237, total_memory_bytes: 19.1e9, capacity_bytes: 25.8e9 },
  { hardware: 'nvidia-h100-sxm', fits: true, ttft_seconds: 0.28, tpot_seconds: 0.0061, output_tokens_per_second: 2270, total_memory_bytes: 19.1e9, capacity_bytes: 85.9e9 },
  { hardware: 'nvidia-t4', fits: false, ttft_seconds: 4.5, tpot_seconds: 0.0551, output_tokens_per_second: 252, total_memory_bytes: 19.1e9, capacity_bytes: 17.2e9 },
  { hardware: 'custom-board', fits: false, ttft_seconds: 0, tpot_seconds: 0, output_tokens_per_second: 0, total_memory_bytes: 0, error: 'no fp16 rate given' },
];

describe('roofline panel: comparison, export, theme, state', function () {
  this.timeout(60_000);
  const suite = panelSuite();
  let panel: PanelPage;

  it('asks for a comparison and sorts its table by any column, by mouse and keyboard', async () => {
    panel = await suite.open();
    const analysis = loadFixture('llama-3.1-8b-l4');
    await panel.showAnalysis(analysis);
    const page = panel.page;
    await page.locator('[data-action="compare"]').click();
    assert.deepEqual(await panel.postedOfType('requestComparison'), [{ type: 'requestComparison', uri: analysis.uri }]);
    await panel.post({ type: 'comparison', rows: ROWS });
    const order = () => page.locator('#card-comparison tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-hardware')));
    await page.locator('#card-comparison tbody tr').first().waitFor();
    // Default: TPOT ascending, rows with errors last.
    assert.deepEqual(await order(), ['nvidia-h100-sxm', 'nvidia-t4', 'nvidia-l4', 'custom-board']);
    await page.locator('button[data-sort="tpot"]').click();
    assert.deepEqual(await order(), ['nvidia-l4', 'nvidia-t4', 'nvidia-h100-sxm', 'custom-board']);
    assert.equal(await page.locator('th:has(button[data-sort="tpot"])').getAttribute('aria-sort'), 'descending');
    await page.locator('button[data-sort="hardware"]').focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await order(), ['nvidia-h100-sxm', 'nvidia-l4', 'nvidia-t4', 'custom-board']);
    assert.equal(await page.locator('th:has(button[data-sort="hardware"])').getAttribute('aria-sort'), 'ascending');
    const focused = await page.evaluate(() => (globalThis as unknown as PanelWindow).document.activeElement?.getAttribute('data-sort'));
    assert.equal(focused, 'hardware', 'focus stays on the header after sorting');
    await page.locator('tr[data-hardware="custom-board"]', { hasText: 'no fp16 rate given' }).waitFor();
    await page.locator('#card-comparison').screenshot({ path: join(SCREENSHOT_DIR, 'comparison.png') });
  });

  it('asks the extension to copy the shown deployment as a vllm serve or SGLang command', async () => {
    panel = await suite.open();
    const analysis = loadFixture('llama-3.1-8b-l4');
    await panel.showAnalysis(analysis);
    await panel.page.locator('[data-action="copy-vllm-command"]').click();
    await panel.page.locator('[data-action="copy-sglang-command"]').click();
    const copies = await panel.postedOfType('copyCommand');
    assert.deepEqual(copies, [
      { type: 'copyCommand', uri: analysis.uri, engine: 'vllm' },
      { type: 'copyCommand', uri: analysis.uri, engine: 'sglang' },
    ]);
  });

  it('exports each chart as PNG, the layers as CSV and a Markdown report', async () => {
    panel = await suite.open();
    const analysis = loadFixture('llama-3.1-8b-l4');
    await panel.showAnalysis(analysis);
    const page = panel.page;
    for (const chart of ['roofline', 'bottleneck', 'memory', 'sweep']) await page.locator(`[data-action="png-${chart}"]`).click();
    await page.locator('[data-action="export-csv"]').click();
    await page.locator('[data-action="export-markdown"]').click();
    const exports = await panel.postedOfType('exportFile');
    assert.deepEqual(exports.map((e) => [e.suggestedName, e.mime]), [
      ['llama-3.1-8b-l4-roofline.png', 'image/png'],
      ['llama-3.1-8b-l4-bottleneck.png', 'image/png'],
      ['llama-3.1-8b-l4-memory.png', 'image/png'],
      ['llama-3.1-8b-l4-sweep.png', 'image/png'],
      ['llama-3.1-8b-l4-layers.csv', 'text/csv'],
      ['llama-3.1-8b-l4-report.md', 'text/markdown'],
    ]);
    for (const png of exports.slice(0, 4)) {
      // What the extension host does with it before it writes the file.
      const decoded = decodeExportData('image/png', png.data);
      assert.ok('bytes' in decoded, `${png.suggestedName}: ${'error' in decoded ? decoded.error : ''}`);
      assert.equal(Buffer.from(decoded.bytes).subarray(1, 4).toString('latin1'), 'PNG');
      assert.ok(decoded.bytes.length > 5000, `${png.suggestedName} has content`);
    }
    const csvLines = exports[4].data.trim().split('\r\n');
    const result = analysis.result;
    assert.ok(result);
    assert.equal(csvLines.length, 1 + result.stages.prefill.layers.length + result.stages.decode.layers.length);
    assert.match(csvLines[0], /^stage,layer,count,flops,/);
    // The example names its model by its config file's folder and its hardware by the preset id.
    assert.match(exports[5].data, /^# LLM Roofline report: llama-3\.1-8b on nvidia-l4/);
    assert.match(exports[5].data, /From llama-3\.1-8b-l4\.roofline\.yaml,/);
    assert.match(exports[5].data, /## Decode \(one output token\)/);
    assert.match(exports[5].data, /\| batch size \| 8 \|/);
  });

  it('follows the theme: colours change with the body class and the theme variables', async () => {
    panel = await suite.open();
    await panel.showAnalysis(loadFixture('llama-3.1-8b-l4'));
    const page = panel.page;
    const dark = await panel.snapshot('memory');
    const darkRoof = (await panel.snapshot('roofline')).datasets[0].borderColor;
    await panel.switchToLightTheme();
    const light = await panel.snapshot('memory');
    assert.equal(dark.datasets[0].borderColor, '#3794ff');
    assert.equal(light.datasets[0].borderColor, LIGHT_THEME_VARIABLES['--vscode-charts-blue']);
    assert.equal((await panel.snapshot('roofline')).datasets[0].borderColor, LIGHT_THEME_VARIABLES['--vscode-editor-foreground']);
    assert.notEqual(darkRoof, LIGHT_THEME_VARIABLES['--vscode-editor-foreground']);
    await panel.screenshot('theme-light');

    // High contrast: opaque fills and thicker lines.
    await panel.afterRender(() =>
      page.evaluate(() => {
        const w = globalThis as unknown as PanelWindow;
        w.document.documentElement.style.setProperty('--vscode-editor-background', '#000000');
        w.document.documentElement.style.setProperty('--vscode-editor-foreground', '#ffffff');
        w.document.documentElement.style.setProperty('--vscode-contrastBorder', '#6fc3df');
        w.document.body.className = 'vscode-high-contrast';
      }),
    );
    const contrast = await panel.snapshot('memory');
    assert.equal(contrast.datasets[0].backgroundColor, contrast.datasets[0].borderColor, 'no translucent fills');
    const palette = await page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.palette());
    assert.equal(palette.highContrast, true);
    assert.equal(palette.grid, '#6fc3df');
    await panel.screenshot('theme-high-contrast');
  });

  it('keeps the stage, the bar mode, hidden series and the table view across a reload', async () => {
    panel = await suite.open();
    const analysis = loadFixture('llama-3.1-8b-l4');
    await panel.showAnalysis(analysis);
    const page = panel.page;
    await panel.afterRender(() => page.locator('[role="tab"][data-tab="decode"]').press('ArrowLeft'));
    assert.equal(await page.locator('[role="tab"][data-tab="prefill"]').getAttribute('aria-selected'), 'true');
    await panel.afterRender(() => page.locator('input[data-choice="breakdown"]').check());
    await panel.afterRender(() => page.locator('#card-roofline input[data-series="Decode layers"]').uncheck());
    let roofline = await panel.snapshot('roofline');
    assert.equal(roofline.datasets.find((d) => d.label === 'Decode layers')?.visible, false);
    await page.locator('[data-action="show-tables"]').check();
    assert.equal(await page.locator('#card-roofline .chart-table table').isVisible(), true);

    await panel.reload();
    // The deployment shown is in the saved state, so VS Code's serializer can reopen it after a restart.
    const saved = JSON.parse((await page.evaluate<string | null>("sessionStorage.getItem('llm-roofline-test-state')")) ?? '{}') as { uri?: string };
    assert.equal(saved.uri, analysis.uri);
    await panel.showAnalysis(analysis);
    assert.equal(await page.locator('[role="tab"][data-tab="prefill"]').getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('input[data-choice="breakdown"]').isChecked(), true);
    assert.equal((await panel.snapshot('bottleneck')).datasets.length, 4);
    roofline = await panel.snapshot('roofline');
    assert.equal(roofline.datasets.find((d) => d.label === 'Decode layers')?.visible, false);
    assert.equal(roofline.datasets.find((d) => d.label === 'Prefill layers')?.visible, true);
    assert.equal(await page.locator('#card-roofline input[data-series="Decode layers"]').isChecked(), false);
    assert.equal(await page.locator('[data-action="show-tables"]').isChecked(), true);
    assert.equal(await page.locator('#card-roofline .chart-table table').isVisible(), true);
    await panel.screenshot('tables-shown');
  });

  it('stays readable in a narrow panel (one column, no sideways scrolling)', async () => {
    panel = await suite.open({ width: 380, height: 800 });
    await panel.showAnalysis(loadFixture('llama-3.1-8b-l4-int4'));
    const widths = await panel.page.evaluate(() => {
      const w = globalThis as unknown as PanelWindow;
      return { scroll: w.document.documentElement.scrollWidth, viewport: w.innerWidth };
    });
    assert.ok(widths.scroll <= widths.viewport, `no horizontal overflow (${widths.scroll} > ${widths.viewport})`);
    const roofline = await panel.snapshot('roofline');
    assert.ok(roofline.canvasWidth > 0 && roofline.canvasHeight > 0);
    await panel.screenshot('narrow');
  });

  it('redraws on resize', async () => {
    panel = await suite.open({ width: 1200, height: 900 });
    await panel.showAnalysis(loadFixture('llama-3.1-8b-l4'));
    const wide = (await panel.snapshot('roofline')).canvasWidth;
    await panel.page.setViewportSize({ width: 600, height: 900 });
    await panel.page.waitForFunction((width) => {
      const snapshot = (globalThis as unknown as PanelWindow).llmRooflinePanel.snapshot('roofline');
      return snapshot !== undefined && snapshot.canvasWidth < width;
    }, wide);
  });
});
