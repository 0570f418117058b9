/**
 * The before/after view of a deployment's techniques in a real browser: baseline roofline points
 * as ghosts, time per layer and memory side by side, the speed-up per stage, in dark and light
 * themes; hidden for a deployment without techniques.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { ChartSnapshot } from '../../webview/src/testHooks';
import { loadFixture, panelSuite, SCREENSHOT_DIR, type PanelPage, type PanelWindow } from './harness';

async function beforeAfterSnapshot(panel: PanelPage, chart: 'time' | 'memory'): Promise<ChartSnapshot> {
  const snapshot = await panel.page.evaluate((id) => (globalThis as unknown as PanelWindow).llmRooflinePanel.beforeAfterSnapshot(id), chart);
  if (!snapshot) throw new Error(`no before/after ${chart} chart drawn`);
  return snapshot;
}

describe('roofline panel: techniques before and after', function () {
  this.timeout(60_000);
  const suite = panelSuite();

  it('shows the baseline as ghost points, time per layer and memory side by side, and the speed-up per stage', async () => {
    const analysis = loadFixture('llama-2-7b-a100-techniques');
    const { result, baseline } = analysis;
    assert.ok(result && baseline);
    const panel = await suite.open();
    await panel.showAnalysis(analysis);
    const page = panel.page;
    const section = page.locator('#before-after');
    await section.waitFor();

    // Speed-up per stage: 2:4 halves the compute-bound prefill projections, eviction to 2,048 tokens cuts decode's KV reads.
    const ttft = section.locator('[data-speedup="ttft"]');
    assert.match(await ttft.innerText(), /Prefill \(TTFT\)\s+416 ms → 238 ms\s+1\.75× faster/);
    assert.match(await section.locator('[data-speedup="tpot"]').innerText(), /Decode \(TPOT\)\s+8\.63 ms → [\d.]+ ms\s+2\.0\d× faster/);
    assert.match(await section.locator('[data-speedup="memory"]').innerText(), /Memory\s+17\.2 GiB → [\d.]+ GiB\s+0\.[3-6]\d*× as much/);
    assert.deepEqual(await section.locator('[data-technique]').evaluateAll((items) => items.map((item) => item.getAttribute('data-technique'))), ['weight_sparsity', 'fusion', 'kv_cache_eviction']);

    // The roofline keeps its own series and adds the baseline's layers as hollow ghosts.
    const roofline = await panel.snapshot('roofline');
    const labels = roofline.datasets.map((dataset) => dataset.label);
    assert.ok(labels.includes('Prefill layers') && labels.includes('Decode layers'), labels.join(', '));
    const ghost = roofline.datasets.find((dataset) => dataset.label === 'Prefill without techniques');
    const ghostDecode = roofline.datasets.find((dataset) => dataset.label === 'Decode without techniques');
    assert.ok(ghost && ghostDecode, labels.join(', '));
    assert.equal(ghost.data.length, baseline.stages.prefill.layers.filter((layer) => layer.bound !== 'network' && layer.flops > 0).length);
    assert.equal(ghost.pointBackgroundColor, 'transparent');
    // Every ghost sits inside the axes (the 2:4 q_proj moved; its ghost is where it was).
    for (const dataset of [ghost, ghostDecode]) {
      for (const point of dataset.data as { x: number; y: number }[]) {
        assert.ok(point.x >= roofline.scales.x!.min && point.x <= roofline.scales.x!.max && point.y >= roofline.scales.y!.min && point.y <= roofline.scales.y!.max);
      }
    }

    // Time per layer, decode first: both series over the union of layers; q_proj reads 0.5625× its weights.
    const time = await beforeAfterSnapshot(panel, 'time');
    assert.deepEqual(time.datasets.map((dataset) => dataset.label), ['Without techniques', 'With techniques']);
    const qProj = (time.labels as string[]).indexOf('q_proj');
    const decodeQ = { before: baseline.stages.decode.layers.find((l) => l.name === 'q_proj')!, after: result.stages.decode.layers.find((l) => l.name === 'q_proj')! };
    assert.equal((time.datasets[0]!.data as number[])[qProj], decodeQ.before.count * decodeQ.before.seconds);
    assert.equal((time.datasets[1]!.data as number[])[qProj], decodeQ.after.count * decodeQ.after.seconds);
    assert.match(time.title, /^Decode step: [\d.]+ ms → [\d.]+ ms \([12]\.\d+× faster\)$/);

    // The stage choice switches the comparison to prefill.
    await page.locator('#card-techniques-time input[name="techniques-stage"][value="prefill"]').check();
    await page.waitForFunction(() => /^Prefill step/.test((globalThis as unknown as PanelWindow).llmRooflinePanel.beforeAfterSnapshot('time')?.title ?? ''));
    const prefill = await beforeAfterSnapshot(panel, 'time');
    assert.match(prefill.title, /^Prefill step: 416 ms → 238 ms \(1\.75× faster\)$/);

    const memory = await beforeAfterSnapshot(panel, 'memory');
    assert.deepEqual(memory.labels, ['Without techniques', 'With techniques']);
    assert.deepEqual(memory.datasets.map((dataset) => dataset.label), ['Weights', 'KV cache', 'Activations']);
    assert.deepEqual(memory.datasets[0]!.data, [baseline.memory.weights_bytes, result.memory.weights_bytes]);
    assert.deepEqual(memory.datasets[1]!.data, [baseline.memory.kv_cache_bytes, result.memory.kv_cache_bytes]);

    await section.screenshot({ path: join(SCREENSHOT_DIR, 'techniques-dark.png') });
    await page.locator('#card-roofline').screenshot({ path: join(SCREENSHOT_DIR, 'techniques-roofline-dark.png') });
  });

  it('draws in the light theme with the light palette', async () => {
    const panel = await suite.open({ theme: 'vscode-light' });
    await panel.showAnalysis(loadFixture('llama-2-7b-a100-techniques'));
    const palette = await panel.page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.palette());
    const memory = await beforeAfterSnapshot(panel, 'memory');
    assert.equal(memory.datasets[0]!.borderColor, palette.weights);
    const time = await beforeAfterSnapshot(panel, 'time');
    assert.equal(time.datasets[1]!.borderColor, palette.current);
    await panel.page.locator('#before-after').screenshot({ path: join(SCREENSHOT_DIR, 'techniques-light.png') });
  });

  it('compares the deployment with its variants in one table and one chart', async () => {
    const analysis = loadFixture('llama-2-7b-a100-techniques');
    const result = analysis.result!;
    const panel = await suite.open();
    await panel.showAnalysis(analysis);
    const section = panel.page.locator('#variants');
    await section.waitFor();
    const rows = await section.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => (cell as unknown as { textContent: string }).textContent)));
    assert.deepEqual(rows.map((row) => row[0]), ['This deployment', 'early exit instead of 2:4', 'a smaller model (Phi-3 mini)']);
    assert.deepEqual(rows[0]!.slice(1, 3), ['meta-llama/Llama-2-7b-hf', '2:4 sparsity, elementwise fusion, KV eviction to 2,048 tokens']);
    assert.equal(rows[0]![8], '1×');
    assert.deepEqual(rows[2]!.slice(1, 3), ['microsoft/Phi-3-mini-4k-instruct', 'none']);
    // Decode speed: this deployment's TPOT over the variant's, through the shared formatter.
    const phi = result.variants![1]!;
    assert.match(rows[2]![8]!, /^\d\.\d+×$/);
    assert.equal(Number(rows[2]![8]!.replace('×', '')).toFixed(2), (result.metrics.tpot_seconds / phi.tpot_seconds).toFixed(2));
    const chart = await panel.page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.variantsSnapshot());
    assert.ok(chart);
    assert.deepEqual(chart.labels, ['This deployment', 'early exit instead of 2:4', 'a smaller model (Phi-3 mini)']);
    assert.deepEqual(chart.datasets.map((dataset) => dataset.label), ['TTFT', 'TPOT']);
    assert.deepEqual(chart.datasets[1]!.data, [result.metrics.tpot_seconds, ...result.variants!.map((variant) => variant.tpot_seconds)]);
    assert.equal(chart.scales.x!.type, 'logarithmic');
    await section.screenshot({ path: join(SCREENSHOT_DIR, 'techniques-variants-dark.png') });
  });

  it('hides the views for a deployment without techniques or variants', async () => {
    const panel = await suite.open();
    await panel.showAnalysis(loadFixture('llama-3.1-8b-l4'));
    assert.equal(await panel.page.locator('#before-after').isHidden(), true);
    assert.equal(await panel.page.locator('#variants').isHidden(), true);
    const roofline = await panel.snapshot('roofline');
    assert.ok(!roofline.datasets.some((dataset) => /without techniques/.test(String(dataset.label))));
  });
});
