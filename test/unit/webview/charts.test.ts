import { strict as assert } from 'node:assert';
import type { AnalysisResult } from '../../../language-server/src/engine/types';
import { buildBottleneckChart, bottleneckTable, layersByTime, layerTimeParts } from '../../../webview/src/charts/bottleneck';
import { decadeRange, framingLogRange, withAlpha } from '../../../webview/src/charts/common';
import { clusterPoints, clusterText, placeLabels } from '../../../webview/src/charts/pointLabels';
import { binaryTickStep, buildMemoryChart, memoryHeadline, memoryTable } from '../../../webview/src/charts/memory';
import { DEFAULT_DARK_PALETTE, DEFAULT_LIGHT_PALETTE } from '../../../webview/src/charts/palette';
import { buildRooflineChart, layerPoints, layerTooltipLines, rooflineCeilings, rooflineTable, roofPolyline, type RooflineDatum } from '../../../webview/src/charts/roofline';
import { buildSweepChart, sweepTable } from '../../../webview/src/charts/sweep';
import { sweepOfAnalysis } from '../../../webview/src/sweepData';
import { loadAnalysis, loadResult } from './fixtures';

const palette = DEFAULT_DARK_PALETTE;

describe('webview chart configs', () => {
  describe('roofline', () => {
    const result = loadResult('llama-3.1-8b-l4');

    it('has one point per layer and stage at (intensity, FLOPs / seconds), coloured by bound', () => {
      const config = buildRooflineChart(result, { palette, hiddenSeries: [] });
      const decode = config.data.datasets.find((d) => d.label === 'Decode layers');
      assert.ok(decode);
      // Every layer but the embedding (a table lookup, no FLOPs) has a place on log axes.
      const drawn = result.stages.decode.layers.filter((l) => l.name !== 'embedding');
      assert.equal(drawn.length, result.stages.decode.layers.length - 1);
      assert.equal(decode.data.length, drawn.length);
      const first = decode.data[0] as RooflineDatum;
      const layer = drawn[0];
      assert.equal(first.x, layer.arithmetic_intensity);
      assert.equal(first.y, layer.flops / layer.seconds);
      assert.deepEqual(
        (decode as { pointBorderColor: string[] }).pointBorderColor,
        drawn.map((l) => (l.bound === 'memory' ? palette.memoryBound : palette.computeBound)),
      );
      assert.equal(config.options?.scales?.x?.type, 'logarithmic');
      assert.equal(config.options?.scales?.y?.type, 'logarithmic');
    });

    it('bends the roof at the ridge point and keeps every point inside the axes', () => {
      const [ceiling] = rooflineCeilings(result.hardware);
      const line = roofPolyline(ceiling, 0.01, 10_000);
      assert.deepEqual(line.map((p) => [p.x, p.y]), [
        [0.01, 0.01 * 300e9],
        [121e12 / 300e9, 121e12],
        [10_000, 121e12],
      ]);
      const config = buildRooflineChart(result, { palette, hiddenSeries: [] });
      const x = config.options?.scales?.x as { min: number; max: number };
      const all = [...layerPoints(result, 'prefill').plotted, ...layerPoints(result, 'decode').plotted];
      assert.ok(all.every((p) => p.intensity >= x.min && p.intensity <= x.max));
    });

    it('frames the points and the ridge instead of whole decades, and labels layer points by name and time', () => {
      const config = buildRooflineChart(result, { palette, hiddenSeries: [] });
      const all = [...layerPoints(result, 'prefill').plotted, ...layerPoints(result, 'decode').plotted];
      const x = config.options?.scales?.x as { min: number; max: number };
      const y = config.options?.scales?.y as { min: number; max: number };
      // Lowest intensity 0.167 FLOP/B (residual adds), highest 3424 (prefill MLP), ridge 403: 2.5× margins.
      const lowest = Math.min(...all.map((p) => p.intensity));
      const highest = Math.max(...all.map((p) => p.intensity), result.hardware.ridge_point);
      assert.ok(Math.abs(x.min - lowest / 2.5) < 1e-12 * lowest && Math.abs(x.max - highest * 2.5) < 1e-9 * highest, JSON.stringify(x));
      // The compute ceiling (121 TFLOP/s) with room above it for labels; no empty decades below the lowest point.
      assert.ok(y.max > 2.5 * result.hardware.peak_ops_per_second && y.max < 5 * result.hardware.peak_ops_per_second);
      assert.ok(y.min > Math.min(...all.map((p) => p.performance)) / 10);
      const decode = config.data.datasets.find((d) => d.label === 'Decode layers')!.data as RooflineDatum[];
      const lmHead = decode.find((d) => d.name === 'lm_head')!;
      assert.equal(lmHead.weight, lmHead.layer!.seconds * lmHead.layer!.count);
      assert.deepEqual(config.options?.plugins?.pointLabels?.datasets, ['Prefill layers', 'Decode layers']);
    });

    it('draws more than one ceiling when achievable ceilings are given', () => {
      const withAchievable = structuredClone(result) as AnalysisResult;
      (withAchievable.hardware as unknown as Record<string, unknown>).achievable_ceilings = [
        { label: 'Achievable BF16 (80 %)', peak_ops_per_second: 0.8 * 121e12 },
        { label: 'broken', peak_ops_per_second: Number.NaN },
      ];
      const ceilings = rooflineCeilings(withAchievable.hardware);
      assert.deepEqual(ceilings.map((c) => [c.label, c.primary]), [
        ['Peak BF16', true],
        ['Achievable BF16 (80 %)', false],
      ]);
      const config = buildRooflineChart(withAchievable, { palette, hiddenSeries: [] });
      assert.equal(config.data.datasets.filter((d) => String(d.label).startsWith('Roof:')).length, 2);
    });

    it('leaves out layers that cannot sit on log axes and lists them in the table', () => {
      // The engine's embedding is a lookup: no FLOPs, intensity 0.
      assert.deepEqual(layerPoints(result, 'decode').omitted, ['embedding']);
      assert.deepEqual(layerPoints(result, 'prefill').omitted, ['embedding']);
      const table = rooflineTable(result);
      assert.ok(table.rows.some((row) => row[1] === 'embedding' && row[4].startsWith('not plotted')));
      assert.ok(table.rows.every((row) => row.every((cell) => !/NaN|Infinity/.test(cell))));
    });

    it('hides series listed as hidden and describes a layer in its tooltip', () => {
      const config = buildRooflineChart(result, { palette, hiddenSeries: ['Prefill layers'] });
      assert.equal(config.data.datasets.find((d) => d.label === 'Prefill layers')?.hidden, true);
      assert.equal(config.data.datasets.find((d) => d.label === 'Decode layers')?.hidden, false);
      const point = layerPoints(result, 'decode').plotted.find((p) => p.layer === 'q_proj');
      assert.ok(point);
      const lines = layerTooltipLines(point);
      assert.equal(lines[0], 'q_proj (Decode, ×32)');
      assert.ok(lines.includes('Bound: memory'));
      assert.ok(lines.some((l) => l.startsWith('FLOPs: ')) && lines.some((l) => l.startsWith('Bytes: ')) && lines.some((l) => l.startsWith('Intensity: ')));
    });
  });

  describe('time per layer', () => {
    const result = loadResult('llama-3.1-8b-l4-does-not-fit');

    it('draws seconds × count per layer, coloured by bound', () => {
      const config = buildBottleneckChart(result, { palette, stage: 'decode', mode: 'total', hiddenSeries: [] });
      // Largest time first; each label carries its time and share of the stage.
      const layers = layersByTime(result, 'decode');
      const times = layers.map((l) => l.seconds * l.count);
      assert.deepEqual(times, [...times].sort((a, b) => b - a));
      assert.equal(layers.length, result.stages.decode.layers.length);
      // qk_matmul ×32 reads the whole KV cache: 59.1 ms of the decode step's 174 ms (33.9%).
      assert.equal(config.data.labels?.[0], 'qk_matmul ×32  59.1 ms (33.9%)');
      assert.deepEqual(config.data.datasets[0].data, layers.map((l) => l.seconds * l.count));
      assert.deepEqual(config.data.datasets[0].borderColor, layers.map((l) => (l.bound === 'memory' ? palette.memoryBound : palette.computeBound)));
    });

    it('splits memory time by byte kind next to compute time', () => {
      const layer = result.stages.decode.layers.find((l) => l.name === 'qk_matmul');
      assert.ok(layer);
      const parts = layerTimeParts(layer, result.hardware);
      const bandwidth = result.hardware.memory_bandwidth_bytes_per_second;
      assert.equal(parts.kvCacheSeconds, ((layer.bytes.kv_read + layer.bytes.kv_write) * layer.count) / bandwidth);
      assert.equal(parts.weightsSeconds, 0);
      assert.equal(parts.computeSeconds, (layer.flops * layer.count) / result.hardware.peak_ops_per_second);
      const config = buildBottleneckChart(result, { palette, stage: 'decode', mode: 'breakdown', hiddenSeries: [] });
      assert.deepEqual(config.data.datasets.map((d) => (d as { stack?: string }).stack), ['memory', 'memory', 'memory', 'compute']);
    });

    it('keeps communication entries off the memory roof and shows them as their own part', () => {
      const withNetwork = structuredClone(result) as AnalysisResult;
      withNetwork.stages.decode.layers.push({ name: 'all_reduce', count: 64, flops: 0, bytes: { weights: 0, activations_in: 1048576, activations_out: 1048576, kv_read: 0, kv_write: 0 }, arithmetic_intensity: 0, bound: 'network', seconds: 2e-5 });
      const points = layerPoints(withNetwork, 'decode');
      assert.deepEqual(points.communication, ['all_reduce']);
      assert.ok(points.plotted.every((p) => p.layer !== 'all_reduce'));
      const total = buildBottleneckChart(withNetwork, { palette, stage: 'decode', mode: 'total', hiddenSeries: [] });
      const allReduce = (total.data.labels as string[]).findIndex((label) => label.startsWith('all_reduce'));
      assert.equal((total.data.datasets[0].borderColor as string[])[allReduce], palette.networkBound);
      const breakdown = buildBottleneckChart(withNetwork, { palette, stage: 'decode', mode: 'breakdown', hiddenSeries: [] });
      const communication = breakdown.data.datasets.find((d) => d.label === 'Communication');
      assert.ok(communication);
      assert.equal(communication.data[allReduce], 64 * 2e-5);
      assert.equal(breakdown.data.datasets[0].data[allReduce], 0, 'no memory time for interconnect bytes');
    });

    it('tabulates every layer with its share of the stage', () => {
      const table = bottleneckTable(result, 'prefill');
      assert.equal(table.rows.length, result.stages.prefill.layers.length);
      const shares = table.rows.map((row) => Number.parseFloat(row[8]));
      assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) < 1, 'shares add up to the stage');
    });
  });

  describe('memory', () => {
    it('stacks weights, KV cache and activations against a capacity line', () => {
      const result = loadResult('llama-3.1-8b-l4-does-not-fit');
      const config = buildMemoryChart(result, { palette, hiddenSeries: [] });
      assert.deepEqual(config.data.datasets.map((d) => d.data[0]), [result.memory.weights_bytes, result.memory.kv_cache_bytes, result.memory.activations_bytes]);
      const lines = config.options?.plugins?.referenceLines;
      // The capacity, and the 90% of it that "fits" is measured against, in the colour of the verdict.
      assert.deepEqual(lines?.map((l) => [l.value, l.color]), [
        [result.memory.capacity_bytes, palette.mutedForeground],
        [result.memory.capacity_bytes! * 0.9, palette.danger],
      ]);
      // Unfused attention at batch 64 × 4096 tokens holds the score matrices: 179 GiB in all; 90% of 24 GiB is 21.6 GiB.
      assert.equal(memoryHeadline(result), 'Does not fit: 179 GiB needed, 21.6 GiB (90% of 24.0 GiB) usable');
      assert.equal(memoryTable(result).rows.at(-1)?.[1], '21.6 GiB (90% of 24.0 GiB)');
    });

    it('says capacity is unknown instead of drawing a line', () => {
      const result = structuredClone(loadResult('llama-3.1-8b-l4')) as AnalysisResult;
      delete result.memory.capacity_bytes;
      const config = buildMemoryChart(result, { palette, hiddenSeries: [] });
      assert.deepEqual(config.options?.plugins?.referenceLines, []);
      assert.match(memoryHeadline(result), /capacity unknown/);
    });

    it('ticks in 1, 2, 4, 8 … GiB steps', () => {
      assert.equal(binaryTickStep(27 * 1024 ** 3), 8 * 1024 ** 3);
      assert.equal(binaryTickStep(90 * 1024 ** 3), 32 * 1024 ** 3);
      assert.equal(binaryTickStep(1000), undefined);
    });
  });

  describe('sweep', () => {
    const analysis = loadAnalysis('llama-3.1-8b-l4');
    const sweep = sweepOfAnalysis(analysis);

    it('reads the sweep from the analysis and marks the current point and the memory limit', () => {
      assert.ok(sweep?.batch_size);
      const config = buildSweepChart(sweep, { palette, axis: 'batch_size', hiddenSeries: [] });
      assert.ok(config);
      assert.deepEqual(config.data.datasets.map((d) => d.label), ['TPOT', 'TTFT', 'Tokens/s']);
      const radii = (config.data.datasets[0] as unknown as { pointRadius: number[] }).pointRadius;
      const current = sweep.batch_size.points.findIndex((p) => p.x === sweep.batch_size?.current);
      assert.equal(radii[current], Math.max(...radii));
      assert.deepEqual(config.options?.plugins?.referenceLines?.map((l) => l.value), [sweep.batch_size.current, sweep.batch_size.memory_limit]);
      const fills = (config.data.datasets[0] as unknown as { pointBackgroundColor: string[] }).pointBackgroundColor;
      sweep.batch_size.points.forEach((p, i) => assert.equal(fills[i] === palette.background, !p.fits));
    });

    it('ticks powers of two from 1024 as 1K, 2K, 8K, 128K and draws the targets as lines', () => {
      assert.ok(sweep?.batch_size);
      const config = buildSweepChart(sweep, { palette, axis: 'batch_size', hiddenSeries: [], targets: { ttftSeconds: 1.5, tpotSeconds: 0.06 } });
      const tick = (config?.options?.scales?.x as { ticks: { callback: (value: number) => string } }).ticks.callback;
      assert.deepEqual([1, 8, 512, 1024, 2048, 8192, 131072, 1500].map((value) => tick(value)), ['1', '8', '512', '1K', '2K', '8K', '128K', '1.5k']);
      assert.deepEqual(
        config?.options?.plugins?.referenceLines?.filter((line) => line.axis === 'y').map((line) => [line.scaleId, line.value, line.label]),
        [['yTime', 0.06, 'TPOT target 60.0 ms'], ['yTime', 1.5, 'TTFT target 1.50 s']],
      );
    });

    it('falls back to an available axis and has a table', () => {
      assert.ok(sweep);
      const onlyPrompt = { prompt_tokens: sweep.prompt_tokens };
      const config = buildSweepChart(onlyPrompt, { palette, axis: 'batch_size', hiddenSeries: [] });
      assert.equal((config?.options?.scales?.x as { title: { text: string } }).title.text, 'Prompt tokens');
      const table = sweepTable(sweep, 'batch_size');
      assert.ok(table?.rows.some((row) => row[0].endsWith('(current)')));
      assert.equal(buildSweepChart({}, { palette, axis: 'batch_size', hiddenSeries: [] }), undefined);
    });
  });

  describe('helpers', () => {
    it('frames log ranges with a margin, at least two decades wide', () => {
      const framed = framingLogRange([0.3, 450], 2);
      assert.ok(Math.abs(framed.min - 0.15) < 1e-12 && Math.abs(framed.max - 900) < 1e-9);
      // 10 to 20 is less than two decades even with the margin: widened around its middle.
      const narrow = framingLogRange([10, 20], 1);
      assert.ok(Math.abs(Math.log10(narrow.max / narrow.min) - 2) < 1e-12);
      assert.ok(Math.abs(Math.sqrt(narrow.min * narrow.max) - Math.sqrt(200)) < 1e-9);
      assert.deepEqual(framingLogRange([]), { min: 1, max: 100 });
    });

    it('clusters points that pile up and places one label per cluster, slowest first, without overlaps', () => {
      const points = [
        { x: 100, y: 50, name: 'q_proj', weight: 3 },
        { x: 104, y: 52, name: 'o_proj', weight: 3 },
        { x: 102, y: 49, name: 'gate_proj', weight: 12 },
        { x: 300, y: 150, name: 'lm_head', weight: 1 },
      ];
      const clusters = clusterPoints(points, 9);
      assert.deepEqual(clusters.map(clusterText), ['gate_proj +2', 'lm_head']);
      assert.equal(clusters[0]!.weight, 18);
      const measure = (text: string) => ({ width: 7 * text.length, height: 12 });
      const area = { left: 0, top: 0, right: 400, bottom: 200 };
      const placed = placeLabels(clusters, measure, area, { offset: 8 });
      assert.deepEqual(placed.map((label) => [label.text, label.left > label.anchorX, label.leader]), [['gate_proj +2', true, false], ['lm_head', true, false]]);
      // At the right edge the label goes to the left of its point.
      const [edge] = placeLabels([{ x: 390, y: 100, names: ['down_proj'], weight: 1 }], measure, area, { offset: 8 });
      assert.ok(edge!.left + edge!.width <= 390 - 8);
      // Two points side by side: the second label finds a free place or is left out, never overprints.
      const crowded = placeLabels(clusterPoints([{ x: 200, y: 100, name: 'aaaa', weight: 2 }, { x: 215, y: 100, name: 'bbbb', weight: 1 }], 9), measure, area, { offset: 8, avoid: [{ x: 200, y: 100, radius: 6 }, { x: 215, y: 100, radius: 6 }] });
      for (const label of crowded) {
        for (const other of crowded) if (other !== label) assert.ok(label.left + label.width <= other.left || other.left + other.width <= label.left || label.top + label.height <= other.top || other.top + other.height <= label.top);
      }
      assert.equal(crowded[0]!.text, 'aaaa');
    });

    it('finds decade ranges and makes colours translucent except in high contrast', () => {
      assert.deepEqual(decadeRange([0.3, 450]), { min: 0.1, max: 1000 });
      assert.deepEqual(decadeRange([]), { min: 1, max: 10 });
      assert.equal(withAlpha('#3794ff', 0.5, palette), 'rgba(55, 148, 255, 0.5)');
      assert.equal(withAlpha('#3794ff', 0.5, { ...DEFAULT_LIGHT_PALETTE, highContrast: true }), '#3794ff');
      assert.equal(withAlpha('var(--x)', 0.5, palette), 'var(--x)');
    });
  });
});
