/**
 * Charts people can read, in a real browser: roofline points named where they pile up, axes that
 * frame the points and the ridge, tooltips that stay inside the window at any width, sweep ticks
 * as people say token counts, and a typo that dims the last good result instead of blanking it.
 */
import { strict as assert } from 'node:assert';
import type { AnalysisResult } from '../../language-server/src/engine/types';
import type { ChartSnapshot } from '../../webview/src/testHooks';
import { loadFixture, panelSuite, SCREENSHOT_DIR, type PanelPage, type PanelWindow } from './harness';
import { join } from 'node:path';

function requireResult(result: AnalysisResult | undefined): AnalysisResult {
  if (!result) throw new Error('fixture has no result');
  return result;
}

/** An element's computed opacity, evaluated in the page (the test's tsconfig has no DOM types). */
function opacityOf(element: unknown): number {
  const page = globalThis as unknown as { getComputedStyle(element: unknown): { opacity: string } };
  return Number(page.getComputedStyle(element).opacity);
}

/** The share of a log axis that [low, high] covers. */
function logShare(low: number, high: number, scale: { min: number; max: number }): number {
  return Math.log10(high / low) / Math.log10(scale.max / scale.min);
}

function boxesOverlap(a: ChartSnapshot['pointLabels'][number], b: ChartSnapshot['pointLabels'][number]): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

describe('roofline panel: charts people can read', function () {
  this.timeout(60_000);
  const suite = panelSuite();
  let panel: PanelPage;

  for (const { name, width } of [
    { name: 'wide', width: 1200 },
    { name: 'narrow', width: 495 },
  ]) {
    it(`names the roofline's points where they pile up and frames the points and the ridge (${name}, ${width} px)`, async () => {
      panel = await suite.open({ width, height: 900 });
      const analysis = loadFixture('llama-3.1-8b-l4');
      const result = requireResult(analysis.result);
      await panel.showAnalysis(analysis);
      const chart = await panel.snapshot('roofline');

      const plotted = (['prefill', 'decode'] as const).flatMap((stage) =>
        result.stages[stage].layers.filter((layer) => layer.bound !== 'network' && layer.flops > 0 && layer.seconds > 0),
      );
      const names = new Set(plotted.map((layer) => layer.name));
      const labels = chart.pointLabels;
      assert.ok(labels.length >= 3, `several labels drawn: ${JSON.stringify(labels.map((l) => l.text))}`);
      for (const label of labels) {
        const [first, more] = label.text.split(' +');
        assert.ok(names.has(first!), `"${label.text}" names a plotted layer`);
        if (more !== undefined) assert.match(more, /^\d+$/, `"${label.text}" counts the other layers at its spot`);
        const area = chart.chartArea;
        assert.ok(label.left >= area.left && label.top >= area.top && label.left + label.width <= area.right && label.top + label.height <= area.bottom, `"${label.text}" inside the plot`);
      }
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) assert.ok(!boxesOverlap(labels[i]!, labels[j]!), `"${labels[i]!.text}" and "${labels[j]!.text}" do not overprint`);
      }
      // The decode step's slowest layers (gate, up and down projections, 12.6 ms each over 32 blocks) sit
      // at one spot; the label there starts with one of them.
      const slowest = [...result.stages.decode.layers].sort((a, b) => b.seconds * b.count - a.seconds * a.count)[0]!;
      assert.ok(['gate_proj', 'up_proj', 'down_proj'].includes(slowest.name));
      assert.ok(labels.some((label) => /^(gate_proj|up_proj|down_proj)\b/.test(label.text)), `the slowest decode layers are named: ${labels.map((l) => l.text).join(', ')}`);

      // The axes frame the points and the ridge: they hold all of them and most of each axis is used.
      const intensities = plotted.map((layer) => layer.arithmetic_intensity).concat(result.hardware.ridge_point);
      const rates = plotted.map((layer) => layer.flops / layer.seconds).concat(result.hardware.peak_ops_per_second);
      const [xLow, xHigh] = [Math.min(...intensities), Math.max(...intensities)];
      const [yLow, yHigh] = [Math.min(...rates), Math.max(...rates)];
      assert.ok(chart.scales.x.min < xLow && chart.scales.x.max > xHigh, 'every point and the ridge within x');
      assert.ok(chart.scales.y.min < yLow && chart.scales.y.max > yHigh, 'every point and the peak within y');
      assert.ok(logShare(xLow, xHigh, chart.scales.x) > 0.6, `points span most of x (${logShare(xLow, xHigh, chart.scales.x).toFixed(2)})`);
      assert.ok(logShare(yLow, yHigh, chart.scales.y) > 0.6, `points span most of y (${logShare(yLow, yHigh, chart.scales.y).toFixed(2)})`);
      // Decade ticks are labelled on both axes.
      assert.ok(chart.scales.x.ticks.filter(Boolean).length >= 3, `x ticks: ${chart.scales.x.ticks.join('|')}`);
      assert.ok(chart.scales.y.ticks.filter(Boolean).length >= 3, `y ticks: ${chart.scales.y.ticks.join('|')}`);
      await panel.page.locator('#card-roofline').screenshot({ path: join(SCREENSHOT_DIR, `roofline-labels-${name}.png`) });
    });
  }

  it('keeps a layer tooltip whole inside a narrow window, next to a point at the chart edge', async () => {
    panel = await suite.open({ width: 495, height: 700 });
    const analysis = loadFixture('llama-3.1-8b-l4');
    await panel.showAnalysis(analysis);
    const chart = await panel.snapshot('roofline');
    // The rightmost prefill point: a tooltip drawn in the canvas beside it would run past the edge.
    const prefill = chart.datasets.find((dataset) => dataset.label === 'Prefill layers')!;
    const xs = (prefill.data as { x: number }[]).map((point) => point.x);
    const index = xs.indexOf(Math.max(...xs));
    await panel.page.locator('#card-roofline').scrollIntoViewIfNeeded();
    const position = await panel.page.evaluate((i) => (globalThis as unknown as PanelWindow).llmRooflinePanel.pointPosition('roofline', 'Prefill layers', i), index);
    assert.ok(position);
    await panel.page.locator('canvas[data-chart="roofline"]').hover({ position });
    const tooltip = panel.page.locator('.chart-tooltip');
    await tooltip.waitFor({ state: 'visible' });
    const lines = await panel.page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.tooltipLines('roofline'));
    assert.ok(lines.length >= 7, lines.join('\n'));
    const text = await tooltip.innerText();
    for (const line of lines) assert.ok(text.includes(line), `the tooltip shows "${line}"`);
    const box = await tooltip.boundingBox();
    const viewport = panel.page.viewportSize()!;
    assert.ok(box, 'tooltip laid out');
    assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height, `inside the ${viewport.width} × ${viewport.height} window: ${JSON.stringify(box)}`);
    await panel.page.screenshot({ path: join(SCREENSHOT_DIR, 'roofline-tooltip-narrow.png') });
    // It goes when the mouse leaves the chart.
    await panel.page.mouse.move(2, 2);
    await tooltip.waitFor({ state: 'hidden' });
  });

  it('ticks the sweep at 1, 2, 4 … 512, 1K and draws the target lines', async () => {
    panel = await suite.open({ width: 1200, height: 900 });
    await panel.showAnalysis(loadFixture('llama-3.1-8b-l4'));
    const chart = await panel.snapshot('sweep');
    const labelled = chart.scales.x.ticks.filter(Boolean);
    assert.ok(labelled.includes('1K'), `1024 reads 1K: ${labelled.join(' ')}`);
    assert.ok(labelled.every((label) => /^\d+K?$/.test(label)), `no 1.02k-style ticks: ${labelled.join(' ')}`);
    assert.deepEqual(chart.referenceLines.filter((line) => line.axis === 'y').map((line) => line.label), ['TPOT target 60.0 ms', 'TTFT target 1.50 s']);
  });

  it('keeps hardware ids and numbers with their units on one line in a 495 px comparison table, memory against usable memory', async () => {
    panel = await suite.open({ width: 495, height: 800 });
    const analysis = loadFixture('llama-3.1-8b-l4');
    await panel.showAnalysis(analysis);
    const GIB = 1024 ** 3;
    await panel.post({
      type: 'comparison',
      rows: [
        { hardware: 'nvidia-a100-80gb-sxm4', fits: true, ttft_seconds: 0.41, tpot_seconds: 0.0121, output_tokens_per_second: 1190, total_memory_bytes: 17.8 * GIB, capacity_bytes: 80 * GIB, memory_utilization: 0.9, meets_targets: true },
        { hardware: 'amd-instinct-mi300x-oam', fits: true, ttft_seconds: 0.2, tpot_seconds: 0.0052, output_tokens_per_second: 2770, total_memory_bytes: 17.8 * GIB, capacity_bytes: 192 * GIB, memory_utilization: 0.9, meets_targets: true },
        { hardware: 'nvidia-l4', fits: true, ttft_seconds: 2.3, tpot_seconds: 0.0587, output_tokens_per_second: 237, total_memory_bytes: 17.8 * GIB, capacity_bytes: 24 * GIB, memory_utilization: 0.9, meets_targets: false },
      ],
    });
    const cells = panel.page.locator('#card-comparison tbody tr > *');
    await cells.first().waitFor();
    // 0.9 × 80 GiB = 72.0 GiB usable: the figure fits is measured against.
    await panel.page.locator('tr[data-hardware="nvidia-a100-80gb-sxm4"] td', { hasText: /^17\.8 \/ 72\.0 GiB$/ }).waitFor();
    await panel.page.locator('#card-comparison th', { hasText: 'Memory / usable' }).waitFor();
    const heights = await cells.evaluateAll((elements) => elements.map((element) => [element.textContent ?? '', (element as unknown as { getClientRects(): { length: number } }).getClientRects().length, (element as unknown as { offsetHeight: number }).offsetHeight] as const));
    const lineHeight = Math.min(...heights.map(([, , height]) => height));
    for (const [text, , height] of heights) assert.ok(height < 1.5 * lineHeight, `"${text}" is on one line (${height} px, one line ${lineHeight} px)`);
    // The page itself does not scroll sideways: the table does, inside its card.
    const widths = await panel.page.evaluate(() => {
      const w = globalThis as unknown as PanelWindow;
      return { scroll: w.document.documentElement.scrollWidth, viewport: w.innerWidth };
    });
    assert.ok(widths.scroll <= widths.viewport, `no page overflow (${widths.scroll} > ${widths.viewport})`);
    await panel.page.locator('#card-comparison').screenshot({ path: join(SCREENSHOT_DIR, 'comparison-narrow.png') });
  });

  it('shows every layer name and its time whole beside the time-per-layer bars at 495 px', async () => {
    panel = await suite.open({ width: 495, height: 900 });
    await panel.showAnalysis(loadFixture('llama-3.1-8b-l4'));
    const chart = await panel.snapshot('bottleneck');
    const labels = chart.labels.map(String);
    assert.ok(labels.some((label) => label.startsWith('fused_attention ×32')), labels.join('\n'));
    const widest = await panel.page.evaluate((texts) => {
      const w = globalThis as unknown as PanelWindow & { document: { createElement(tag: 'canvas'): { getContext(kind: '2d'): { font: string; measureText(text: string): { width: number } } } } };
      const palette = w.llmRooflinePanel.palette();
      const context = w.document.createElement('canvas').getContext('2d');
      context.font = `${palette.fontSizePixels}px ${palette.fontFamily}`;
      return Math.max(...texts.map((text) => context.measureText(text).width));
    }, labels);
    // The labels are drawn right-aligned against the plot: the space left of it holds the widest.
    assert.ok(chart.chartArea.left >= widest, `labels ${widest.toFixed(0)} px wide, ${chart.chartArea.left.toFixed(0)} px left of the bars`);
    assert.ok(chart.chartArea.right - chart.chartArea.left > 120, 'the bars keep room');
    await panel.page.locator('#card-bottleneck').screenshot({ path: join(SCREENSHOT_DIR, 'bottleneck-narrow.png') });
  });

  it('dims the last good result while the document has an error, and brightens it when fixed', async () => {
    panel = await suite.open({ width: 1200, height: 900 });
    const good = loadFixture('llama-3.1-8b-l4');
    await panel.showAnalysis(good);
    const before = await panel.snapshot('roofline');
    const typo = { uri: good.uri, version: good.version + 1, kind: 'deployment', errors: ['hardware: unknown hardware preset "nvidia-l5"; did you mean "nvidia-l4"?'], editableFields: good.editableFields };
    await panel.send({ type: 'analysis', analysis: typo });
    await panel.page.getByRole('alert').filter({ hasText: 'the charts below are the last good result, dimmed' }).waitFor();
    await panel.page.getByRole('alert').filter({ hasText: 'unknown hardware preset "nvidia-l5"' }).waitFor();
    const body = panel.page.locator('.analysis-body');
    assert.equal(await body.isVisible(), true, 'the charts stay');
    assert.equal(await panel.page.locator('canvas[data-chart="roofline"]').isVisible(), true);
    const dimmed = await body.evaluate(opacityOf);
    assert.ok(dimmed < 0.7, `dimmed (opacity ${dimmed})`);
    const after = await panel.snapshot('roofline');
    assert.deepEqual(after.datasets.map((d) => d.data.length), before.datasets.map((d) => d.data.length), 'the same result is drawn');
    await panel.screenshot('stale-dimmed');

    await panel.showAnalysis({ ...good, version: good.version + 2 });
    assert.equal(await body.evaluate(opacityOf), 1);
    assert.equal(await panel.page.locator('.errors').count(), 0, 'the error list goes');
  });
});
