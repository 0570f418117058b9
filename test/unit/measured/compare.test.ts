import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { analyzeDocument } from '../../../language-server/src/config/analyze';
import { parseDocument } from '../../../language-server/src/config/parse';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import { compareMeasured, geoMeanAbsError } from '../../../language-server/src/measured/compare';
import { DEPLOYMENT_FILE, diskHost, fixtureUri } from './helpers';

const DEPLOYMENT_URI = pathToFileURL(DEPLOYMENT_FILE).toString();
const DEPLOYMENT_TEXT = readFileSync(DEPLOYMENT_FILE, 'utf8');

function analyzeText(text: string, overrides: Record<string, string> = {}) {
  const doc = parseDocument(DEPLOYMENT_URI, text, 'deployment');
  return { doc, analysis: analyzeDocument(doc, diskHost(overrides)) };
}

describe('measured: results under a deployment', () => {
  it('reads every entry, as one replica saw it, and lists the files as dependencies', () => {
    const { analysis } = analyzeText(DEPLOYMENT_TEXT);
    assert.deepEqual(analysis.problems, []);
    const points = analysis.measuredPoints!;
    assert.equal(points.length, 6);
    // Four replicas behind the gateway: each served a quarter of the rate and of the throughput.
    assert.deepEqual(
      points.map(({ point }) => [point.requestRatePerSecond, point.concurrency]),
      [[2.5, undefined], [7.5, undefined], [undefined, 225], [2.5, undefined], [7.5, undefined], [undefined, 225]],
    );
    assert.equal(points[0]!.point.measured.output_tokens_per_second, 2258.212337970085 / 4);
    assert.equal(points[0]!.point.measured.tpot_ms, 13.710971568239172, 'latencies are each request\'s own');
    assert.ok(analysis.resolved.dependencies.includes(fixtureUri('llama-3.2-3b-4xl40s-base.json')));
  });

  it('predicts each point at its own load and lengths, with the deployment\'s efficiency', () => {
    const { analysis } = analyzeText(DEPLOYMENT_TEXT);
    const input = analysis.resolved.input!;
    const comparison = compareMeasured(input, analysis.measuredPoints!);
    assert.equal(comparison.efficiency, 'expected');
    const first = comparison.points[0]!;
    assert.deepEqual([first.requestRatePerSecond, first.promptTokens, first.outputTokens], [2.5, 999, 270]);
    // The same deployment written with the point's settings, analysed directly.
    const { concurrency: _max, ...limits } = input.serving!;
    const direct = analyzeResolved({
      ...input,
      workload: { batchSize: 1, promptTokens: 999, outputTokens: 270 },
      serving: { ...limits, requestRatePerSecond: 2.5 },
    }).serving!;
    const ttft = first.metrics.find((metric) => metric.metric === 'ttft_ms')!;
    assert.equal(ttft.predicted, direct.ttft_seconds * 1e3);
    assert.equal(ttft.measured, 54.59561144333596);
    assert.equal(ttft.error, (ttft.predicted - ttft.measured) / ttft.measured);
    const burst = comparison.points[2]!;
    assert.equal(burst.concurrency, 225);
    assert.deepEqual(burst.metrics.map((metric) => metric.metric), ['tpot_ms', 'output_tokens_per_second']);
    const all = comparison.points.flatMap((point) => point.metrics);
    assert.equal(all.length, 16);
    const hand = Math.expm1(all.reduce((sum, metric) => sum + Math.abs(Math.log(metric.predicted / metric.measured)), 0) / all.length);
    assert.equal(comparison.geoMeanAbsError, hand);
    assert.equal(geoMeanAbsError([{ measured: 100, predicted: 200 }, { measured: 100, predicted: 50 }]), 1, 'twice too slow and twice too fast count the same');
    for (const point of comparison.points) for (const metric of point.metrics) assert.ok(Number.isFinite(metric.predicted) && metric.predicted > 0);
  });

  it('puts a missing, unknown or malformed file on its entry as an error, and the analysis stands', () => {
    const text = `${DEPLOYMENT_TEXT.replace(/measured:[\s\S]*$/, '')}measured:\n  - ./nowhere.json\n  - ./notes.txt\n  - ./broken.json\n  - ./sweep.csv\n`;
    const { doc, analysis } = analyzeText(text, {
      [fixtureUri('broken.json')]: '{\n  "completed": 3,\n  "mean_ttft_ms": 5,,\n}',
      [fixtureUri('sweep.csv')]: 'concurrency,ttft_s\n8,0.1\n',
    });
    assert.ok(analysis.result, 'the deployment is still analysed');
    const shown = analysis.problems.map((problem) => [problem.code, problem.severity, doc.text.slice(problem.range.start, problem.range.end), problem.message]);
    assert.deepEqual(shown.map(([code, severity, at]) => [code, severity, at]), [
      ['missing-file', 'error', './nowhere.json'],
      ['unknown-format', 'error', './notes.txt'],
      ['malformed-json', 'error', './broken.json'],
      ['malformed-csv', 'error', './sweep.csv'],
    ]);
    assert.match(String(shown[0]![3]), /measured results not found: \.\/nowhere\.json/);
    assert.match(String(shown[2]![3]), /broken\.json is not valid JSON: PropertyNameExpected at line 3, column 21/);
    assert.equal(analysis.measuredPoints, undefined);
  });

  it('warns when the results were measured on another model or at other lengths than the deployment writes', () => {
    const text = DEPLOYMENT_TEXT.replace('model: ./llama-3.2-3b-instruct/config.json', 'model: meta-llama/Llama-3.1-8B').replace('efficiency: expected', 'efficiency: expected\nworkload:\n  prompt_tokens: 2048\n  output_tokens: 270');
    const { doc, analysis } = analyzeText(text);
    const warnings = analysis.problems.filter((problem) => problem.severity === 'warning');
    assert.deepEqual(
      warnings.map((problem) => [problem.code, doc.text.slice(problem.range.start, problem.range.end)]),
      [
        ['measured-model-mismatch', './llama-3.2-3b-4xl40s-no-features.json'],
        ['measured-length-mismatch', './llama-3.2-3b-4xl40s-no-features.json'],
        ['measured-model-mismatch', './llama-3.2-3b-4xl40s-base.json'],
        ['measured-length-mismatch', './llama-3.2-3b-4xl40s-base.json'],
      ],
    );
    assert.match(warnings[0]!.message, /measured on meta-llama\/Llama-3\.2-3B-Instruct, and this deployment analyses meta-llama\/Llama-3\.1-8B/);
    assert.match(warnings[1]!.message, /averages 999 prompt tokens, the deployment says 2048: each point is predicted at its own lengths/);
    assert.equal(analysis.measuredPoints!.length, 6, 'warnings do not drop the points');
  });

  it('checks the shape of measured: with the schema', () => {
    const text = `${DEPLOYMENT_TEXT.replace(/measured:[\s\S]*$/, '')}measured:\n  - path: ./x.json\n    replicas: 0\n`;
    const { analysis } = analyzeText(text);
    assert.ok(analysis.problems.some((problem) => problem.path.join('.') === 'measured.0.replicas' && problem.severity === 'error'), JSON.stringify(analysis.problems.map((p) => [p.path, p.message])));
  });
});
