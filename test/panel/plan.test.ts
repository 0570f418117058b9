/**
 * The serving view (throughput and latency against requests in flight) and the Plan view (the
 * Pareto front, the candidates table, apply) in a real browser, in dark and light themes.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { DocumentAnalysis, PlanOutcome, ServingCurve } from '../../language-server/src/protocol/lsp';
import type { ChartSnapshot } from '../../webview/src/testHooks';
import { LIGHT_THEME_VARIABLES, loadFixture, panelSuite, SCREENSHOT_DIR, type PanelPage, type PanelWindow } from './harness';

type PlanFixture = DocumentAnalysis & { serving_curve: ServingCurve; plan: Extract<PlanOutcome, { candidates: unknown[] }> };

function planFixture(): PlanFixture {
  return loadFixture('llama-3.1-8b-l4-plan') as PlanFixture;
}


describe('roofline panel: serving and plan views', function () {
  this.timeout(60_000);
  const suite = panelSuite({ openEach: true });
  let panel: PanelPage;
  beforeEach(() => {
    panel = suite.panel;
  });

  it('draws throughput and latency against requests in flight, with the saturation point and the target', async () => {
    const fixture = planFixture();
    const { serving_curve: curve, plan: _plan, ...analysis } = fixture;
    await panel.showAnalysis(analysis);
    const card = panel.page.locator('#card-serving');
    assert.equal(await card.isVisible(), true);
    await card.locator('p.empty', { hasText: 'Computing throughput and latency under load' }).waitFor();
    // A curve for another version is not drawn.
    await panel.post({ type: 'servingCurve', uri: analysis.uri, version: analysis.version + 1, curve });
    await panel.send({ type: 'servingCurve', uri: analysis.uri, version: analysis.version, curve });
    const snapshot = await panel.snapshot('serving');
    assert.deepEqual(snapshot.datasets.map((d) => d.label), ['Output tokens/s', 'TPOT', 'TTFT']);
    assert.deepEqual(snapshot.datasets[0]!.data.map((d) => (d as { x: number }).x), curve.points.map((p) => p.concurrency));
    assert.deepEqual(snapshot.referenceLines.map((line) => line.label), ['Current: 32 · Saturation: 31 in flight (KV pool full)', 'TPOT target 60.0 ms']);
    assert.equal(snapshot.scales.x!.type, 'logarithmic');
    // The target's label is not struck through by the current point's line where its line's
    // other end is clear.
    const area = snapshot.chartArea;
    const verticals = snapshot.lineLabels.filter((label) => label.axis === 'x').map((label) => label.pixel);
    const target = snapshot.lineLabels.find((label) => label.axis === 'y')!;
    const crossedFrom = (left: number): boolean => verticals.some((pixel) => pixel >= left && pixel <= left + target.width);
    const atRight = area.right - 4 - target.width;
    const bothEndsCrossed = crossedFrom(atRight) && crossedFrom(area.left + 4);
    assert.ok(bothEndsCrossed || !crossedFrom(target.left), `"${target.text}" at ${target.left} px, lines at ${verticals.join(', ')}`);
    assert.ok(target.left >= area.left && target.left + target.width <= area.right);
    const rows = await card.locator('.chart-table tbody tr').count();
    assert.equal(rows, curve.points.length);
    await card.screenshot({ path: join(SCREENSHOT_DIR, 'serving-dark.png') });
    await panel.switchToLightTheme();
    const light = await panel.snapshot('serving');
    assert.equal(light.datasets[1]!.borderColor, LIGHT_THEME_VARIABLES['--vscode-charts-blue']);
    await card.screenshot({ path: join(SCREENSHOT_DIR, 'serving-light.png') });
  });

  it('leads with the figures under load that the targets judge, and names the fixed batch of the charts', async () => {
    const { serving_curve: _curve, plan: _plan, ...analysis } = planFixture();
    await panel.showAnalysis(analysis);
    const value = (key: string): Promise<string> => panel.page.locator(`[data-metric="${key}"] dd:not(.hint)`).innerText();
    const hint = (key: string): Promise<string> => panel.page.locator(`[data-metric="${key}"] dd.hint`).innerText();
    // serving: 32 requests in flight on an L4: TTFT 1.14 s, TPOT 70.7 ms, 439 tok/s, 14.1 tok/s per user.
    assert.equal(await value('ttft'), '1.14 s');
    assert.equal(await hint('ttft'), 'time to first token under load');
    assert.equal(await value('tpot'), '70.7 ms');
    // The TPOT target (60 ms) is missed under load, though one batch of 1 alone would meet it.
    assert.equal(await panel.page.locator('[data-metric="tpot"]').getAttribute('class'), 'metric danger');
    assert.equal(await value('tokensPerSecond'), '439 tok/s');
    assert.equal(await hint('tokensPerSecond'), 'output tokens, 32 requests in flight; 14.1 tok/s per user');
    assert.equal(await value('cost'), '$0.506');
    assert.equal(
      await panel.page.locator('[data-fixed-batch]').innerText(),
      'The charts below analyse one batch of 1: TTFT 139 ms, TPOT 50.6 ms, 19.7 tok/s.',
    );
  });

  it('hides the serving view for a fixed batch', async () => {
    await panel.showAnalysis(loadFixture('mixtral-a100-pipeline-speculative'));
    assert.equal(await panel.page.locator('#card-serving').isVisible(), false);
    assert.equal(await panel.page.locator('[data-fixed-batch]').count(), 0);
    assert.equal(await panel.page.locator('[data-metric="cost"]').count(), 0);
    // No targets: nothing to plan for.
    assert.equal(await panel.page.locator('[data-action="plan"]').isDisabled(), true);
  });

  it('asks for a plan, draws the Pareto front and the candidates, marks a selected one and applies it', async () => {
    const fixture = planFixture();
    const { serving_curve: _curve, plan, ...analysis } = fixture;
    await panel.showAnalysis(analysis);
    const page = panel.page;
    const button = page.locator('[data-action="plan"]');
    assert.equal(await button.isDisabled(), false);
    await button.click();
    assert.deepEqual(await panel.postedOfType('requestPlan'), [{ type: 'requestPlan', uri: analysis.uri, version: analysis.version }]);
    await page.locator('#plan-view[aria-busy="true"]').getByText('Searching hardware, parallelism, formats and concurrency').waitFor();
    await panel.send({ type: 'plan', outcome: plan });
    assert.equal(await page.locator('#plan-view').getAttribute('aria-busy'), null);
    await page.locator('#plan-view .plan-status', { hasText: `${plan.meeting} of ${plan.evaluated} deployments analysed meet every target` }).waitFor();
    const rows = page.locator('#plan-view .plan-table tbody tr');
    assert.equal(await rows.count(), plan.candidates.length);
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-rank')))), plan.candidates.map((row) => row.rank));
    const firstCells = await rows.first().locator('td').allInnerTexts();
    assert.deepEqual(firstCells.slice(0, 3), ['Apply', '$0.0615', plan.candidates[0]!.deployment.hardware]);

    const chart = await panel.snapshot('plan');
    assert.deepEqual(chart.datasets.map((d) => d.label), ['Cheapest', 'Pareto front', 'Prefill and decode pools', 'Other candidates']);
    // Disaggregated candidates are framed on the chart and read "4 (1P+3D)" in the GPUs column.
    const pooled = plan.candidates.filter((row) => (row.deployment.serving as { disaggregated?: unknown }).disaggregated !== undefined);
    assert.equal(chart.datasets[2]!.data.length, pooled.length);
    const pooledSplit = (pooled[0]!.deployment.serving as { disaggregated: { prefill_gpus: number; decode_gpus: number } }).disaggregated;
    const pooledCells = await page.locator(`#plan-view .plan-table tbody tr[data-rank="${pooled[0]!.rank}"] td`).allInnerTexts();
    assert.equal(pooledCells[3], `${pooled[0]!.gpus} (${pooledSplit.prefill_gpus}P+${pooledSplit.decode_gpus}D)`);
    assert.equal(chart.datasets[1]!.data.length, plan.candidates.filter((row) => row.on_front).length);
    assert.deepEqual(chart.referenceLines.map((line) => line.label), ['TPOT target 60.0 ms: ≥ 16.7 tok/s per user']);
    // The target's label sits above the plot, clear of the cheapest candidates at its top.
    const targetLabel = chart.lineLabels[0]!;
    assert.ok(targetLabel.top >= 0 && targetLabel.top + targetLabel.height <= chart.chartArea.top, `label at ${targetLabel.top} px, plot from ${chart.chartArea.top} px`);
    assert.ok(targetLabel.left >= chart.chartArea.left && targetLabel.left + targetLabel.width <= chart.chartArea.right);
    assert.equal(chart.scales.x!.title, 'Output tokens/s per user');
    assert.equal(chart.scales.y!.title, 'Output tokens/s per GPU');

    // Selecting a row marks it on the chart.
    await panel.afterRender(() => rows.nth(3).click());
    assert.equal(await rows.nth(3).getAttribute('class'), 'choosable selected');
    const selected = await panel.snapshot('plan');
    assert.deepEqual(selected.datasets.map((d) => d.label), ['Cheapest', 'Selected', 'Pareto front', 'Prefill and decode pools', 'Other candidates']);
    assert.equal((selected.datasets[1]!.data[0] as { x: number }).x, plan.candidates[3]!.metrics.output_tokens_per_second_per_user);
    await page.locator('#plan-view').screenshot({ path: join(SCREENSHOT_DIR, 'plan-dark.png') });

    // Apply names the candidate by its rank, for the document version the panel shows.
    await rows.nth(1).locator('button[data-apply]').click();
    assert.deepEqual(await panel.postedOfType('applyCandidate'), [{ type: 'applyCandidate', uri: analysis.uri, version: analysis.version, index: plan.candidates[1]!.rank }]);
    assert.equal(await rows.nth(1).locator('button[data-apply]').innerText(), 'Applied');
    // The edit comes back as a new version: the plan stays, saying it was made for the file before.
    assert.equal(await page.locator('#plan-view .plan-stale').isVisible(), false);
    await panel.showAnalysis({ ...analysis, version: analysis.version + 1 });
    await page.locator('#plan-view .plan-stale', { hasText: 'The file changed since this plan was made' }).waitFor();
    assert.equal(await rows.count(), plan.candidates.length);

    await panel.switchToLightTheme();
    const light = await panel.snapshot('plan');
    assert.equal(light.datasets.find((d) => d.label === 'Pareto front')!.borderColor, LIGHT_THEME_VARIABLES['--vscode-charts-green']);
    await page.locator('#plan-view').screenshot({ path: join(SCREENSHOT_DIR, 'plan-light.png') });
  });

  it('draws every marker of the Pareto chart whole inside the plot, the cheapest at its top too, wide and narrow, dark and light', async () => {
    const { serving_curve: _curve, plan, ...analysis } = planFixture();
    const page = panel.page;
    /** Points whose marker (radius or hover radius, and half the border) reaches past chart.js's own chart area. */
    const outside = (chart: ChartSnapshot): string[] =>
      chart.datasets
        .filter((dataset) => dataset.visible)
        .flatMap((dataset) =>
          dataset.elements.flatMap((element, index) => {
            const reach = Math.max(element.radius, element.hoverRadius) + element.borderWidth / 2;
            const area = chart.chartArea;
            const inside = element.x - reach >= area.left && element.x + reach <= area.right && element.y - reach >= area.top && element.y + reach <= area.bottom;
            return inside ? [] : [`${dataset.label} #${index} at (${element.x.toFixed(1)}, ${element.y.toFixed(1)}) ± ${reach} px, plot ${area.left}–${area.right} × ${area.top}–${area.bottom}`];
          }),
        );
    const cheapestTop = (chart: ChartSnapshot): number => {
      const cheapest = chart.datasets.find((dataset) => dataset.label === 'Cheapest')!.elements[0]!;
      return cheapest.y - Math.max(cheapest.radius, cheapest.hoverRadius) - cheapest.borderWidth / 2;
    };

    // The fixture's cheapest candidate is its highest point (13,514 tok/s per GPU), which a nicely
    // rounded axis (to 14,000) leaves a few pixels below the top edge: less than its marker.
    await panel.showAnalysis(analysis);
    await panel.send({ type: 'plan', outcome: plan });
    const highest = Math.max(...plan.candidates.map((row) => row.metrics.output_tokens_per_second_per_gpu), ...plan.others.map(([, y]) => y));
    assert.equal(plan.candidates.find((row) => row.rank === 0)!.metrics.output_tokens_per_second_per_gpu, highest);
    const wide = await panel.snapshot('plan');
    assert.deepEqual(outside(wide), []);
    assert.ok(cheapestTop(wide) >= wide.chartArea.top, `the cheapest marker's top at ${cheapestTop(wide)} px, the plot's at ${wide.chartArea.top} px`);
    // The target's label keeps its band above the plot, clear of the marker.
    const label = wide.lineLabels[0]!;
    assert.ok(label.top + label.height <= wide.chartArea.top);
    // The per-user axis keeps its decades (no marker near its ends); the per-GPU axis gets room above the highest point.
    assert.equal(wide.scales.x!.min, 10);
    assert.equal(wide.scales.x!.max, 10_000);
    assert.ok(wide.scales.y!.max > highest, `per-GPU axis up to ${wide.scales.y!.max}`);
    await page.locator('.canvas-plan').screenshot({ path: join(SCREENSHOT_DIR, 'plan-markers-dark.png') });

    // The worst case at every edge: the cheapest exactly on a round top (14,000) and on the per-user
    // axis' first decade, a front point on its last decade; in a narrow panel, then in light theme.
    const cheapest = plan.candidates.find((row) => row.rank === 0)!;
    const atEnd = plan.candidates.find((row) => row.on_front && row.rank !== 0)!;
    const edges = {
      ...plan,
      candidates: plan.candidates.map((row) =>
        row === cheapest
          ? { ...row, metrics: { ...row.metrics, output_tokens_per_second_per_gpu: 14_000, output_tokens_per_second_per_user: 10 } }
          : row === atEnd
            ? { ...row, metrics: { ...row.metrics, output_tokens_per_second_per_user: 10_000 } }
            : row,
      ),
    };
    await page.setViewportSize({ width: 520, height: 900 });
    await panel.send({ type: 'plan', outcome: edges });
    const narrow = await panel.snapshot('plan');
    assert.equal((narrow.datasets.find((dataset) => dataset.label === 'Cheapest')!.data[0] as { y: number }).y, 14_000);
    assert.deepEqual(outside(narrow), []);
    assert.ok(narrow.scales.x!.min < 10 && narrow.scales.x!.max > 10_000, `per-user axis ${narrow.scales.x!.min}–${narrow.scales.x!.max}`);
    await page.locator('.canvas-plan').screenshot({ path: join(SCREENSHOT_DIR, 'plan-markers-narrow-dark.png') });
    await panel.switchToLightTheme();
    const light = await panel.snapshot('plan');
    assert.deepEqual(outside(light), []);
    await page.locator('.canvas-plan').screenshot({ path: join(SCREENSHOT_DIR, 'plan-markers-narrow-light.png') });
  });

  it('sorts the candidates by any numeric column from header buttons, by keyboard too, and keeps the sort for the next plan and a reload', async () => {
    const { serving_curve: _curve, plan, ...analysis } = planFixture();
    const page = panel.page;
    await panel.showAnalysis(analysis);
    await panel.send({ type: 'plan', outcome: plan });
    const table = page.locator('#plan-view .plan-table table');
    const ranks = () => table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-rank'))));
    const sortedBy = () => table.locator('thead th[aria-sort="ascending"], thead th[aria-sort="descending"]').evaluateAll((ths) => ths.map((th) => `${th.querySelector('button')!.getAttribute('data-sort')} ${th.getAttribute('aria-sort')}`));
    /** The fixture's ranks ordered by one figure (ties by rank), as the table should show them. */
    const expected = (figure: (row: (typeof plan.candidates)[number]) => number, descending: boolean, rows = plan.candidates) =>
      [...rows].sort((a, b) => (descending ? figure(b) - figure(a) : figure(a) - figure(b)) || a.rank - b.rank).map((row) => row.rank);

    // Every numeric column has a sort button; hardware, parallelism and formats do not. Cheapest first to begin with.
    assert.deepEqual(await table.locator('thead button.sort').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-sort'))), ['rank', 'cost', 'gpus', 'inFlight', 'perGpu', 'perUser', 'ttft', 'tpot']);
    assert.equal(await table.locator('thead th', { hasText: 'Hardware' }).locator('button').count(), 0);
    assert.equal(await table.locator('thead th[aria-sort="none"]').count(), 7);
    assert.deepEqual(await sortedBy(), ['cost ascending']);
    assert.deepEqual(await ranks(), expected((row) => row.cost_per_million_output_tokens_usd!, false));

    // A click on tok/s per user sorts the fastest for each user first.
    await table.locator('button[data-sort="perUser"]').click();
    await table.locator('th[aria-sort="descending"] button[data-sort="perUser"]').waitFor();
    assert.deepEqual(await ranks(), expected((row) => row.metrics.output_tokens_per_second_per_user, true));

    // From the keyboard: Enter on TPOT sorts shortest first, Space flips it; focus stays on the button.
    await table.locator('button[data-sort="tpot"]').focus();
    await page.keyboard.press('Enter');
    await table.locator('th[aria-sort="ascending"] button[data-sort="tpot"]').waitFor();
    assert.deepEqual(await ranks(), expected((row) => row.metrics.tpot_ms, false));
    await page.keyboard.press('Space');
    await table.locator('th[aria-sort="descending"] button[data-sort="tpot"]').waitFor();
    assert.deepEqual(await ranks(), expected((row) => row.metrics.tpot_ms, true));
    assert.equal(await page.evaluate(() => (globalThis as unknown as PanelWindow).document.activeElement?.getAttribute('data-sort')), 'tpot');
    assert.deepEqual(await sortedBy(), ['tpot descending']);
    await page.locator('#plan-view').screenshot({ path: join(SCREENSHOT_DIR, 'plan-sorted-dark.png') });

    // A new plan keeps the sort; so does the panel reopened (the sort is in its state).
    const fewer = plan.candidates.slice(0, 10);
    await panel.send({ type: 'plan', outcome: { ...plan, candidates: fewer } });
    assert.deepEqual(await sortedBy(), ['tpot descending']);
    assert.deepEqual(await ranks(), expected((row) => row.metrics.tpot_ms, true, fewer));
    assert.deepEqual(await page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.state().planSort), { column: 'tpot', descending: true });
    await panel.reload();
    await panel.showAnalysis(analysis);
    await panel.send({ type: 'plan', outcome: plan });
    assert.deepEqual(await sortedBy(), ['tpot descending']);
    assert.deepEqual(await ranks(), expected((row) => row.metrics.tpot_ms, true));
  });

  it('scrolls the candidates sideways in a narrow panel, the rank and Apply staying in sight', async () => {
    const { serving_curve: _curve, plan, ...analysis } = planFixture();
    const page = panel.page;
    await page.setViewportSize({ width: 520, height: 900 });
    await panel.showAnalysis(analysis);
    await panel.send({ type: 'plan', outcome: plan });
    const box = page.locator('#plan-view .plan-table');
    await box.locator('tbody tr').first().waitFor();
    const page520 = await page.evaluate(() => {
      const w = globalThis as unknown as PanelWindow;
      return { scroll: w.document.documentElement.scrollWidth, viewport: w.innerWidth };
    });
    assert.ok(page520.scroll <= page520.viewport, `the page itself does not scroll sideways (${page520.scroll} > ${page520.viewport})`);
    const overflow = await box.evaluate((element) => element.scrollWidth - element.clientWidth);
    assert.ok(overflow > 0, 'the table is wider than a 520 px panel and scrolls in its box');
    await box.evaluate((element) => {
      element.scrollLeft = element.scrollWidth;
    });
    const firstRow = box.locator('tbody tr').first();
    const boxRect = (await box.boundingBox())!;
    const rank = (await firstRow.locator('th').boundingBox())!;
    const apply = (await firstRow.locator('button[data-apply]').boundingBox())!;
    const tpot = (await firstRow.locator('td').last().boundingBox())!;
    assert.ok(rank.x >= boxRect.x - 1 && apply.x >= rank.x + rank.width - 1, `rank at ${rank.x} px and Apply at ${apply.x} px stay at the box's left (${boxRect.x} px)`);
    assert.ok(tpot.x + tpot.width <= boxRect.x + boxRect.width + 1 && tpot.x >= apply.x + apply.width, 'TPOT scrolled into view, beside Apply');
    // The cells scrolled under the rank and Apply do not show through them.
    const background = await firstRow.locator('th').evaluate((cell) => (globalThis as unknown as PanelWindow).getComputedStyle(cell).backgroundColor);
    assert.notEqual(background, 'rgba(0, 0, 0, 0)');
    await box.screenshot({ path: join(SCREENSHOT_DIR, 'plan-narrow-scrolled.png') });
    await firstRow.locator('button[data-apply]').click();
    assert.deepEqual(await panel.postedOfType('applyCandidate'), [{ type: 'applyCandidate', uri: analysis.uri, version: analysis.version, index: plan.candidates[0]!.rank }]);
  });

  it('shows why there is no plan, and a plan started from the editor', async () => {
    const { serving_curve: _curve, plan: _plan, ...analysis } = planFixture();
    await panel.showAnalysis(analysis);
    await panel.post({ type: 'planStarted', uri: analysis.uri });
    await panel.page.locator('#plan-view').getByText('Searching hardware').waitFor();
    await panel.post({ type: 'plan', outcome: { uri: analysis.uri, version: analysis.version, error: 'plan.hardware[0]: unknown hardware preset "nvidia-l5"' } });
    await panel.page.locator('#plan-view').getByText('No plan: plan.hardware[0]: unknown hardware preset "nvidia-l5"').waitFor();
    assert.equal(await panel.page.locator('#plan-view .plan-table tbody tr').count(), 0);
    // A plan for another document is not shown.
    await panel.post({ type: 'plan', outcome: { ...planFixture().plan, uri: 'file:///elsewhere.roofline.yaml' } });
    assert.equal(await panel.page.locator('#plan-view .plan-table tbody tr').count(), 0);
  });
});
