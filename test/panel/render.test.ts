/**
 * The panel draws what an analysis says: roofline points per layer and stage, roofs and ridge,
 * bars per layer coloured by bound, memory against capacity, sweeps; and it ignores what it
 * cannot read.
 */
import { strict as assert } from 'node:assert';
import type { AnalysisResult, LayerResult } from '../../language-server/src/engine/types';
import { loadFixture, panelSuite, type PanelPage, type PanelWindow } from './harness';

function requireResult(result: AnalysisResult | undefined): AnalysisResult {
  if (!result) throw new Error('fixture has no result');
  return result;
}

/**
 * The layers a roofline can place: on log axes, with a positive intensity and a positive rate.
 * Communication entries cross the interconnect, not memory, so they are not under the memory roof.
 */
function plottable(layers: readonly LayerResult[]): LayerResult[] {
  return layers.filter((layer) => layer.bound !== 'network' && layer.arithmetic_intensity > 0 && layer.flops > 0 && layer.seconds > 0);
}

function closeTo(actual: number, expected: number, relative = 1e-9): boolean {
  return Math.abs(actual - expected) <= Math.abs(expected) * relative;
}

describe('roofline panel: drawing analyses', function () {
  this.timeout(60_000);
  const suite = panelSuite();
  let panel: PanelPage;

  beforeEach(async () => {
    panel = await suite.open();
  });

  it('says ready once and acquires the VS Code API once', async () => {
    const posted = await panel.posted();
    assert.deepEqual(posted, [{ type: 'ready' }]);
    const acquireCalls = await panel.page.evaluate(() => (globalThis as unknown as PanelWindow).__panelTest.acquireCalls);
    assert.equal(acquireCalls, 1);
    await panel.page.getByText('Waiting for an analysis').waitFor();
    assert.equal(await panel.page.locator('.analysis-body').isVisible(), false);
  });

  it('draws one roofline point per layer and stage at (intensity, FLOPs / seconds), coloured by bound', async () => {
    const analysis = loadFixture('llama-3.1-8b-l4');
    const result = requireResult(analysis.result);
    await panel.showAnalysis(analysis);
    const chart = await panel.snapshot('roofline');
    const palette = await panel.page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.palette());
    assert.equal(chart.scales.x.type, 'logarithmic');
    assert.equal(chart.scales.y.type, 'logarithmic');

    for (const stage of ['prefill', 'decode'] as const) {
      const label = stage === 'prefill' ? 'Prefill layers' : 'Decode layers';
      const dataset = chart.datasets.find((d) => d.label === label);
      assert.ok(dataset, `${label} dataset`);
      const layers = plottable(result.stages[stage].layers);
      // The embedding is a table lookup: no FLOPs, so no point on log axes.
      assert.ok(result.stages[stage].layers.some((layer) => layer.name === 'embedding' && layer.flops === 0));
      assert.equal(layers.length, result.stages[stage].layers.length - 1);
      assert.equal(dataset.data.length, layers.length);
      assert.equal(dataset.pointStyle, stage === 'prefill' ? 'circle' : 'triangle');
      layers.forEach((layer, index) => {
        const point = dataset.data[index] as { x: number; y: number; layer: { layer: string } };
        assert.equal(point.layer.layer, layer.name);
        assert.ok(closeTo(point.x, layer.arithmetic_intensity), `${layer.name} x`);
        assert.ok(closeTo(point.y, layer.flops / layer.seconds), `${layer.name} y`);
        const expectedColor = layer.bound === 'memory' ? palette.memoryBound : palette.computeBound;
        assert.equal((dataset.pointBorderColor as string[])[index], expectedColor, `${layer.name} colour`);
      });
    }
    // Both bounds occur in this fixture, so both colours must be drawn.
    const decodeColors = new Set(chart.datasets.find((d) => d.label === 'Decode layers')?.pointBorderColor as string[]);
    const prefillColors = new Set(chart.datasets.find((d) => d.label === 'Prefill layers')?.pointBorderColor as string[]);
    assert.ok(prefillColors.has(palette.computeBound) && decodeColors.has(palette.memoryBound));

    // The example runs bf16 weights and activations, so the peak roof is the bf16 one.
    assert.equal(result.hardware.compute_precision, 'bf16');
    const roof = chart.datasets.find((d) => d.label.startsWith('Roof: Peak BF16'));
    assert.ok(roof, 'peak roof drawn');
    const roofPoints = roof.data as { x: number; y: number }[];
    const ridge = result.hardware.peak_ops_per_second / result.hardware.memory_bandwidth_bytes_per_second;
    assert.ok(roofPoints.some((p) => closeTo(p.x, ridge) && closeTo(p.y, result.hardware.peak_ops_per_second)), 'roof bends at the ridge point');
    const first = roofPoints[0];
    assert.ok(closeTo(first.y, first.x * result.hardware.memory_bandwidth_bytes_per_second), 'slope is the bandwidth');
    const ridgeMarker = chart.datasets.find((d) => d.label === 'Ridge point');
    assert.ok(ridgeMarker && closeTo((ridgeMarker.data[0] as { x: number }).x, result.hardware.ridge_point, 1e-6));
    assert.ok(chart.scales.x.min <= Math.min(...plottable(result.stages.decode.layers).map((l) => l.arithmetic_intensity)), 'every drawn point is within the x axis');
    assert.ok(chart.scales.y.max >= result.hardware.peak_ops_per_second);
    await panel.screenshot('roofline-llama-3.1-8b-l4');
  });

  it('shows a tooltip describing a layer', async () => {
    const analysis = loadFixture('llama-3.1-8b-l4');
    await panel.showAnalysis(analysis);
    const result = requireResult(analysis.result);
    const index = plottable(result.stages.decode.layers).findIndex((layer) => layer.name === 'lm_head');
    const position = await panel.page.evaluate((i) => (globalThis as unknown as PanelWindow).llmRooflinePanel.pointPosition('roofline', 'Decode layers', i), index);
    assert.ok(position, 'the lm_head decode point is drawn');
    await panel.page.locator('canvas[data-chart="roofline"]').hover({ position });
    await panel.page.waitForFunction(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.tooltipLines('roofline').length > 0);
    const lines = await panel.page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.tooltipLines('roofline'));
    assert.equal(lines[0], 'lm_head (Decode, ×1)');
    assert.ok(lines.some((line) => /^FLOPs: \d/.test(line)));
    assert.ok(lines.some((line) => /^Bytes: .*(GiB|MiB)/.test(line)));
    assert.ok(lines.some((line) => line === 'Bound: memory'));
    assert.ok(lines.some((line) => /^Time: .* each/.test(line)));
    await panel.screenshot('roofline-tooltip');
  });

  it('draws the time per layer as seconds × count, coloured by bound, and a stacked breakdown', async () => {
    const analysis = loadFixture('llama-3.1-8b-l4');
    const result = requireResult(analysis.result);
    await panel.showAnalysis(analysis);
    await panel.afterRender(() => panel.page.locator('[role="tab"][data-tab="prefill"]').click());
    let chart = await panel.snapshot('bottleneck');
    const palette = await panel.page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.palette());
    // Largest time first (ties in the model's order), each label with its time and share.
    const layers = result.stages.prefill.layers
      .map((layer, index) => ({ layer, index }))
      .sort((a, b) => b.layer.seconds * b.layer.count - a.layer.seconds * a.layer.count || a.index - b.index)
      .map(({ layer }) => layer);
    assert.equal(chart.labels.length, layers.length);
    assert.deepEqual(chart.datasets[0].data, layers.map((l) => l.seconds * l.count));
    assert.match(String(chart.labels[0]), new RegExp(`^${layers[0]!.name}( ×\\d+)?  [\\d.]+ [mµ]?s \\([\\d.]+%\\)$`));
    assert.deepEqual(chart.datasets[0].borderColor, layers.map((l) => (l.bound === 'memory' ? palette.memoryBound : palette.computeBound)));

    await panel.afterRender(() => panel.page.locator('input[data-choice="breakdown"]').check());
    chart = await panel.snapshot('bottleneck');
    assert.deepEqual(chart.datasets.map((d) => d.label), ['Weights (memory)', 'Activations (memory)', 'KV cache (memory)', 'Compute']);
    assert.deepEqual(chart.datasets.map((d) => d.stack), ['memory', 'memory', 'memory', 'compute']);
    const bandwidth = result.hardware.memory_bandwidth_bytes_per_second;
    const qProj = layers.findIndex((l) => l.name === 'q_proj');
    assert.ok(closeTo((chart.datasets[0].data as number[])[qProj], (layers[qProj].bytes.weights * layers[qProj].count) / bandwidth));
    assert.ok(closeTo((chart.datasets[3].data as number[])[qProj], (layers[qProj].flops * layers[qProj].count) / result.hardware.peak_ops_per_second));
    await panel.screenshot('bottleneck-breakdown');
  });

  it('shows memory against capacity, and says when it does not fit and which targets are missed', async () => {
    const analysis = loadFixture('llama-3.1-8b-l4-does-not-fit');
    const result = requireResult(analysis.result);
    assert.equal(result.memory.fits, false);
    await panel.showAnalysis(analysis);
    const chart = await panel.snapshot('memory');
    const palette = await panel.page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.palette());
    assert.deepEqual(chart.datasets.map((d) => [d.label, (d.data as number[])[0]]), [
      ['Weights', result.memory.weights_bytes],
      ['KV cache', result.memory.kv_cache_bytes],
      ['Activations', result.memory.activations_bytes],
    ]);
    // The capacity, and the usable 90% of it that the verdict is measured against.
    assert.deepEqual(chart.referenceLines.map((line) => line.value), [result.memory.capacity_bytes, result.memory.capacity_bytes! * result.memory.memory_utilization]);
    assert.equal(chart.referenceLines[1].color, palette.danger);
    assert.match(chart.title, /^Does not fit/);
    assert.equal(chart.titleColor, palette.danger);
    assert.ok(chart.scales.x.max > result.memory.total_bytes, 'the whole bar is visible');
    await panel.page.locator('[data-status="does-not-fit"]').waitFor();
    const missed = await panel.page.locator('.targets li.missed').allTextContents();
    assert.equal(missed.length, 3, missed.join('\n'));
    assert.match(missed.join('\n'), /TTFT.*missed/);
    await panel.screenshot('does-not-fit');
  });

  it('draws the sweep with the current point and the memory limit, over batch sizes and prompt lengths', async () => {
    const analysis = loadFixture('llama-3.1-8b-l4');
    const sweep = (analysis as unknown as { sweep: { batch_size: { points: { x: number; tpot_seconds: number; output_tokens_per_second: number }[]; current: number; memory_limit: number } } }).sweep;
    await panel.showAnalysis(analysis);
    let chart = await panel.snapshot('sweep');
    assert.deepEqual(chart.datasets.map((d) => d.label), ['TPOT', 'TTFT', 'Tokens/s']);
    const tpot = chart.datasets[0];
    assert.deepEqual((tpot.data as { x: number; y: number }[]).map((p) => [p.x, p.y]), sweep.batch_size.points.map((p) => [p.x, p.tpot_seconds]));
    assert.equal(tpot.yAxisID, 'yTime');
    assert.equal(chart.datasets[2].yAxisID, 'yRate');
    const currentIndex = sweep.batch_size.points.findIndex((p) => p.x === sweep.batch_size.current);
    const radii = tpot.pointRadius as number[];
    assert.ok(radii[currentIndex] > Math.max(...radii.filter((_, i) => i !== currentIndex)), 'current point is larger');
    // The current batch, the memory limit (the capacity answer, 26), and the file's targets (TPOT 60 ms, TTFT 1.5 s).
    assert.deepEqual(chart.referenceLines.map((l) => l.value), [sweep.batch_size.current, sweep.batch_size.memory_limit, 0.06, 1.5]);
    assert.deepEqual(chart.referenceLines.map((l) => l.label), ['Current: 8', 'Memory limit: 26', 'TPOT target 60.0 ms', 'TTFT target 1.50 s']);
    assert.match(chart.scales.x.title, /Batch size/);

    await panel.afterRender(() => panel.page.locator('input[data-choice="prompt_tokens"]').check());
    chart = await panel.snapshot('sweep');
    assert.match(chart.scales.x.title, /Prompt tokens/);
    await panel.screenshot('sweep-prompt-tokens');
  });

  it('takes a sweep from a sweep message for the same document version', async () => {
    const analysis = loadFixture('llama-3.1-8b-l4-does-not-fit');
    await panel.showAnalysis(analysis);
    assert.equal(await panel.page.locator('#card-sweep canvas').isVisible(), false);
    await panel.page.locator('#card-sweep .empty', { hasText: 'No sweep' }).waitFor();
    const sweep = {
      batch_size: {
        current: 64,
        memory_limit: 16,
        points: [16, 32, 64].map((x) => ({ x, ttft_seconds: x / 10, tpot_seconds: x / 1000, output_tokens_per_second: 1000 * x, total_memory_bytes: 1e9 * x, fits: x <= 16 })),
      },
    };
    // A sweep for another version is kept back; the matching one is drawn.
    await panel.post({ type: 'sweep', uri: analysis.uri, version: analysis.version + 1, sweep });
    await panel.send({ type: 'sweep', uri: analysis.uri, version: analysis.version, sweep });
    const chart = await panel.snapshot('sweep');
    assert.deepEqual((chart.datasets[0].data as { x: number }[]).map((p) => p.x), [16, 32, 64]);
    const fills = chart.datasets[0].pointBackgroundColor as string[];
    assert.notEqual(fills[0], fills[2], 'points that do not fit are hollow');
  });

  it('summarises capacity and the ceilings of a dense deployment', async () => {
    const analysis = loadFixture('llama-3.1-8b-l4');
    const result = requireResult(analysis.result);
    await panel.showAnalysis(analysis);
    // Usable memory 0.9 × 24 GiB = 21.6 GiB; bf16 weights take 16.1 GB of it.
    assert.equal(result.capacity?.usable_bytes, 0.9 * 24 * 1024 ** 3);
    const facts = panel.page.getByRole('list', { name: 'Serving' });
    assert.deepEqual(await facts.locator('li').allTextContents(), [
      'Capacity: largest batch that fits: 26; longest context: 4,064 tokens at this batch; usable memory 21.6 GiB of 24.0 GiB at 90% utilization.',
      'Ceilings: ideal (datasheet peaks).',
    ]);
    const identity = await panel.page.locator('.identity').innerText();
    assert.match(identity, /^llama-3\.1-8b \(8\.03 B parameters\) on nvidia-l4: /);
    // The memory card measures against the same usable memory as the status line, hover and CLI.
    const card = panel.page.locator('[data-metric="memory"]');
    assert.deepEqual(await card.locator('dd').allTextContents(), ['16.9\u00a0GiB of 21.6\u00a0GiB', 'fits: usable 90% of 24.0\u00a0GiB']);
    assert.match(await panel.page.locator('[data-status]').innerText(), /^Fits: 16\.9 GiB of 21\.6 GiB \(90% of 24\.0 GiB\)$/);
  });

  it('summarises active parameters, speculative decoding, pipeline stages and achievable ceilings', async () => {
    const analysis = loadFixture('mixtral-a100-pipeline-speculative');
    const result = requireResult(analysis.result);
    // γ = 4 drafted tokens accepted with α = 0.7 each: (1 − α^(γ+1)) / (1 − α) = 2.7731 tokens per step.
    assert.ok(closeTo(result.metrics.speculative?.expected_tokens_per_step ?? 0, (1 - 0.7 ** 5) / 0.3));
    assert.equal(result.metrics.pipeline?.bubble_fraction, 0.5);
    await panel.showAnalysis(analysis);
    const facts = panel.page.getByRole('list', { name: 'Serving' });
    assert.deepEqual(await facts.locator('li').allTextContents(), [
      'Capacity: largest batch that fits: 190; longest context: 9,783 tokens at this batch; usable memory 72.0 GiB of 80.0 GiB at 90% utilization.',
      'Speculative decoding: 2.77 tokens per verification step of 51.9 ms; TPOT 18.7 ms against 29.4 ms plain, 1.57× faster.',
      'Pipeline: 2 stages; one batch leaves each device idle 50% of the time; with 2 batches in flight decoding reaches 1702 tok/s.',
      'Ceilings: achievable (86.9% of peak compute, 80% of peak bandwidth).',
    ]);
    const identity = await panel.page.locator('.identity').innerText();
    assert.match(identity, /^mistralai\/Mixtral-8x7B-v0\.1 \(46\.7 B parameters, 12\.9 B active per token\) on nvidia-a100-80gb-sxm4: /);
    const text = await panel.page.locator('body').innerText();
    assert.doesNotMatch(text, /NaN|Infinity/);
    await panel.screenshot('summary-mixtral-pipeline-speculative');
  });

  it('says which blocks of a hybrid keep a constant state and which a KV cache (Qwen3-Next)', async () => {
    const analysis = loadFixture('qwen3-next-h100-tp2');
    const result = requireResult(analysis.result);
    // Per device (tp 2), for 16 sequences of 8192 + 1024 tokens: the DeltaNet state 36 × (16 × 128 × 128
    // + 4096 × 4) × 2 B and the KV cache of the 12 attention blocks, 12 × 2 × 256 × 2 B per token.
    assert.equal(result.memory.kv_cache_bytes, 16 * (36 * (16 * 128 * 128 + 4096 * 4) * 2 + 12 * 2 * 256 * 2 * 9216));
    await panel.showAnalysis(analysis);
    assert.equal(
      await panel.page.locator('[data-block-kinds]').innerText(),
      'Blocks: 36 gated DeltaNet (blocks 0–2, 4–6, 8–10, 12–14, 16–18, 20–22, …) · 12 full attention (blocks 3, 7, 11, 15, 19, 23, …)',
    );
    // The notes start folded below the headline, so the charts stay in sight; opened, they stay
    // open when the next analysis arrives.
    assert.equal(await panel.page.getByRole('list', { name: 'Notes' }).count(), 0);
    await panel.page.getByText(`How these figures were counted (${result.notes.length} notes)`).click();
    const notes = await panel.page.getByRole('list', { name: 'Notes' }).innerText();
    assert.match(notes, /36 of 48 blocks are gated DeltaNet .* grows only in the 12 attention blocks/);
    await panel.showAnalysis({ ...analysis, version: analysis.version + 1 });
    assert.equal(await panel.page.locator('details.notes-fold').getAttribute('open'), '');
    const text = await panel.page.locator('body').innerText();
    assert.doesNotMatch(text, /NaN|Infinity/);
    await panel.screenshot('summary-qwen3-next-hybrid');
  });

  it('shows no block line for a model whose blocks are all alike', async () => {
    await panel.showAnalysis(loadFixture('llama-3.1-8b-l4'));
    await panel.page.locator('.identity').waitFor();
    assert.equal(await panel.page.locator('[data-block-kinds]').count(), 0);
  });

  it('lists the errors of a document that cannot be analysed and hides the charts', async () => {
    await panel.showAnalysis(loadFixture('deployment-with-errors'));
    await panel.page.getByRole('alert').filter({ hasText: 'unknown hardware preset "nvidia-l5"; did you mean "nvidia-l4"' }).waitFor();
    assert.equal(await panel.page.locator('canvas[data-chart="roofline"]').isVisible(), false);
  });

  it('ignores messages that fail validation and results it cannot read', async () => {
    const analysis = loadFixture('llama-3.1-8b-l4');
    await panel.showAnalysis(analysis);
    const before = await panel.snapshot('roofline');
    for (const junk of [null, 'analysis', { type: 'analysis' }, { type: 'analysis', analysis: { uri: 5, version: 1 } }, { type: 'bogus' }, { type: 'comparison', rows: 'x' }, { type: 'sweep', uri: analysis.uri, version: 1, sweep: { batch_size: { points: [{ x: 'a' }], current: 1 } } }]) {
      await panel.post(junk);
    }
    // A message round-trip later, nothing has been redrawn.
    await panel.send({ type: 'analysis', analysis });
    const after = await panel.snapshot('roofline');
    assert.equal(after.updates, before.updates + 1);

    const broken = structuredClone(analysis);
    (broken.result as unknown as { stages: { decode: { layers: unknown[] } } }).stages.decode.layers[0] = { name: 'x', seconds: 'NaN' };
    broken.version += 1;
    await panel.showAnalysis(broken);
    await panel.page.getByText('could not be read').waitFor();
    const text = await panel.page.locator('body').innerText();
    assert.doesNotMatch(text, /NaN|Infinity/);
  });

  it('shows the no-document message', async () => {
    await panel.showAnalysis(loadFixture('llama-3.1-8b-l4'));
    await panel.send({ type: 'noDocument' });
    await panel.page.getByText('Open a deployment file').waitFor();
    assert.equal(await panel.page.locator('.analysis-body').isVisible(), false);
  });

  it('describes each chart with a data table for screen readers', async () => {
    await panel.showAnalysis(loadFixture('llama-3.1-8b-l4'));
    for (const id of ['roofline', 'bottleneck', 'memory', 'sweep']) {
      const tableId = await panel.page.locator(`canvas[data-chart="${id}"]`).getAttribute('aria-describedby');
      assert.ok(tableId, `${id} canvas is described`);
      const rows = await panel.page.locator(`[id="${tableId}"] tbody tr`).count();
      assert.ok(rows > 0, `${id} table has rows`);
    }
  });
});
