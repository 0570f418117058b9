import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DocumentAnalysis } from '../../../language-server/src/protocol/lsp';
import { measuredData, measuredTooltipLines } from '../../../webview/src/charts/measuredMarkers';
import { formatSignedPercent, measuredTableRows } from '../../../language-server/src/format/measured';
import type { SweepData } from '../../../language-server/src/protocol/webview';
import { MEASURED_STEP_SERIES, measuredStepRows, stepTooltipLines, type StepDatum } from '../../../webview/src/charts/measuredMarkers';
import { DEFAULT_DARK_PALETTE, DEFAULT_LIGHT_PALETTE } from '../../../webview/src/charts/palette';
import { buildRooflineChart, rooflineTable } from '../../../webview/src/charts/roofline';
import { buildSweepChart, sweepTable, SWEEP_MEASURED_NOTE } from '../../../webview/src/charts/sweep';
import { analyzeDocument } from '../../../language-server/src/config/analyze';
import { parseDocument } from '../../../language-server/src/config/parse';
import { compareMeasured } from '../../../language-server/src/measured/compare';
import { pathToFileURL } from 'node:url';
import { DEPLOYMENT_FILE, diskHost } from '../measured/helpers';

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

describe('measured steps on the roofline and measured points on the sweep', () => {
  const measured = fixture.measured!;
  const result = fixture.result!;

  it('draws each measured decode step hollow beside its predicted step, at one intensity', () => {
    const config = buildRooflineChart(result, { palette: DEFAULT_DARK_PALETTE, hiddenSeries: [], measured });
    const labels = config.data.datasets.map((dataset) => dataset.label);
    assert.deepEqual(labels.slice(-2), [MEASURED_STEP_SERIES.decodeMeasured, MEASURED_STEP_SERIES.decodePredicted], 'no point at concurrency 1: no prefill step');
    const measuredSet = config.data.datasets.find((dataset) => dataset.label === MEASURED_STEP_SERIES.decodeMeasured)!;
    const predictedSet = config.data.datasets.find((dataset) => dataset.label === MEASURED_STEP_SERIES.decodePredicted)!;
    const steps = measured.points.map((point) => point.roofline!.steps[0]!);
    assert.deepEqual(measuredSet.data.map((datum) => [datum.x, datum.y]), steps.map((step) => [step.intensity, step.measuredFlopsPerSecond]));
    assert.deepEqual(predictedSet.data.map((datum) => [datum.x, datum.y]), steps.map((step) => [step.intensity, step.predictedFlopsPerSecond]));
    // Hollow: the panel's background inside the theme's colour; the predicted step filled.
    assert.equal((measuredSet as { pointBackgroundColor?: unknown }).pointBackgroundColor, DEFAULT_DARK_PALETTE.background);
    assert.notEqual((predictedSet as { pointBackgroundColor?: unknown }).pointBackgroundColor, DEFAULT_DARK_PALETTE.background, 'the predicted step filled');
    assert.equal((predictedSet as { pointBorderColor?: unknown }).pointBorderColor, DEFAULT_DARK_PALETTE.activations);
    const light = buildRooflineChart(result, { palette: DEFAULT_LIGHT_PALETTE, hiddenSeries: [MEASURED_STEP_SERIES.decodePredicted], measured });
    const lightMeasured = light.data.datasets.find((dataset) => dataset.label === MEASURED_STEP_SERIES.decodeMeasured)!;
    assert.equal((lightMeasured as { pointBorderColor?: unknown }).pointBorderColor, DEFAULT_LIGHT_PALETTE.activations);
    assert.equal(light.data.datasets.find((dataset) => dataset.label === MEASURED_STEP_SERIES.decodePredicted)!.hidden, true);
    // The axes reach every step.
    const x = config.options!.scales!.x as { min: number; max: number };
    const y = config.options!.scales!.y as { min: number; max: number };
    for (const step of steps) {
      assert.ok(step.intensity > x.min && step.intensity < x.max);
      assert.ok(step.measuredFlopsPerSecond > y.min && step.measuredFlopsPerSecond < y.max);
    }
  });

  it('says the step, both times with the rate each implies, and the error in the tooltip and the table', () => {
    const point = measured.points[0]!;
    const step = point.roofline!.steps[0]!;
    const datum: StepDatum = { x: step.intensity, y: step.measuredFlopsPerSecond, step: { point, placement: step, role: 'measured' } };
    const tpot = point.metrics.find((metric) => metric.metric === 'tpot_ms')!;
    const lines = stepTooltipLines(datum);
    assert.equal(lines[0], 'llama-3.2-3b-4xl40s-no-features.json line 1');
    assert.equal(lines[1], 'Decode step: 9 requests decoding at 1.13k cached tokens, with 33.4 prompt tokens');
    assert.match(lines[2]!, /^Measured TPOT 13\.7 ms → 18\.6 TFLOP\/s$/);
    assert.match(lines[3]!, new RegExp(`^Predicted TPOT 14\\.2 ms → 18(\\.0)? TFLOP/s \\(${formatSignedPercent(tpot.error).replace('+', '\\+')}\\)$`));
    assert.match(lines[4]!, /^Intensity 32\.5 FLOP\/B: 256 GFLOP, 7\.34 GiB per step$/);
    const rows = measuredStepRows(measured);
    assert.equal(rows.length, 6);
    assert.equal(rows[0]![0], 'Measured decode step (TPOT)');
    assert.equal(rows[0]![4], `predicted ${lines[3]!.split('→ ')[1]!.split(' (')[0]} (${formatSignedPercent(tpot.error)})`);
    const table = rooflineTable(result, measured);
    assert.deepEqual(table.columns, ['Stage', 'Layer or step', 'Arithmetic intensity', 'Performance', 'Bound, or predicted']);
    assert.deepEqual(table.rows.slice(-6), rows);
    assert.match(table.caption, /Measured figures not on the roofline: llama-3\.2-3b-4xl40s-no-features\.json line 1, TTFT: with 9\.36 requests in flight/);
    assert.deepEqual(rooflineTable(result).columns, ['Stage', 'Layer', 'Arithmetic intensity', 'Performance', 'Bound'], 'without measured results, the table is as before');
  });

  it('draws the measured figures on the batch-size sweep at their requests in flight, not on the prompt-length sweep', () => {
    const sweep = (fixture as DocumentAnalysis & { sweep: SweepData }).sweep;
    const config = buildSweepChart(sweep, { palette: DEFAULT_DARK_PALETTE, axis: 'batch_size', hiddenSeries: [], measured })!;
    assert.deepEqual(config.data.datasets.map((dataset) => dataset.label), ['TPOT', 'TTFT', 'Tokens/s', 'Measured tokens/s', 'Measured TPOT', 'Measured TTFT']);
    const tpots = config.data.datasets[4]!.data;
    assert.deepEqual(tpots.map((datum) => datum.x), measured.points.map((point) => point.inFlight));
    assert.deepEqual(tpots.map((datum) => datum.y), measured.points.map((point) => point.metrics.find((metric) => metric.metric === 'tpot_ms')!.measured / 1e3));
    assert.equal((config.data.datasets[4] as { yAxisID?: string }).yAxisID, 'yTime');
    assert.equal((config.data.datasets[3] as { yAxisID?: string }).yAxisID, 'yRate');
    assert.match(sweepTable(sweep, 'batch_size', measured)!.caption, /16 measured figures are drawn as hollow markers at their requests in flight/);
    const byPrompt = buildSweepChart(sweep, { palette: DEFAULT_DARK_PALETTE, axis: 'prompt_tokens', hiddenSeries: [], measured })!;
    assert.deepEqual(byPrompt.data.datasets.map((dataset) => dataset.label), ['TPOT', 'TTFT', 'Tokens/s']);
    assert.match(sweepTable(sweep, 'prompt_tokens', measured)!.caption, /Measured points are drawn on the batch-size sweep/);
    assert.ok(SWEEP_MEASURED_NOTE.startsWith('Predicted under load'));
  });

  it('draws a TTFT at one request in flight as a prefill circle beside its predicted prefill', () => {
    const doc = parseDocument(pathToFileURL(DEPLOYMENT_FILE).toString(), readFileSync(DEPLOYMENT_FILE, 'utf8'), 'deployment');
    const input = analyzeDocument(doc, diskHost()).resolved.input!;
    const single = compareMeasured(input, [
      { point: { label: 'sweep.csv row 1', concurrency: 1, promptTokens: 1000, outputTokens: 200, measured: { ttft_ms: 80, tpot_ms: 9 } }, file: 'file:///sweep.csv', format: 'csv' },
    ]);
    const config = buildRooflineChart(result, { palette: DEFAULT_DARK_PALETTE, hiddenSeries: [], measured: single });
    const labels = config.data.datasets.map((dataset) => dataset.label);
    assert.deepEqual(labels.slice(-4), [MEASURED_STEP_SERIES.decodeMeasured, MEASURED_STEP_SERIES.decodePredicted, MEASURED_STEP_SERIES.prefillMeasured, MEASURED_STEP_SERIES.prefillPredicted]);
    const prefill = config.data.datasets.find((dataset) => dataset.label === MEASURED_STEP_SERIES.prefillMeasured)!;
    assert.equal((prefill as { pointStyle?: unknown }).pointStyle, 'circle');
    const placement = single.points[0]!.roofline!.steps.find((step) => step.step === 'prefill')!;
    assert.deepEqual(prefill.data.map((datum) => [datum.x, datum.y]), [[placement.intensity, placement.flops / 0.08]]);
    const lines = stepTooltipLines(prefill.data[0] as StepDatum);
    assert.equal(lines[1], 'Prefill of one 1k-token prompt');
    assert.match(lines[2]!, /^Measured TTFT 80(\.0)? ms → /);
  });
});
