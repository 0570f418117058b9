import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { analyzeDocument } from '../../../language-server/src/config/analyze';
import { parseDocument } from '../../../language-server/src/config/parse';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import type { EngineInput } from '../../../language-server/src/engine/types';
import { compareMeasured, type SourcedPoint } from '../../../language-server/src/measured/compare';
import { decodingShare, placeStep, stepWork, withPromptShare } from '../../../language-server/src/measured/rooflinePlacement';
import { DEPLOYMENT_FILE, diskHost } from './helpers';

function fixtureAnalysis() {
  const doc = parseDocument(pathToFileURL(DEPLOYMENT_FILE).toString(), readFileSync(DEPLOYMENT_FILE, 'utf8'), 'deployment');
  const analysis = analyzeDocument(doc, diskHost());
  return { input: analysis.resolved.input!, points: analysis.measuredPoints! };
}

/** The deployment with no serving section, at a batch and prompt length: the step the placement analyses. */
function plain(input: EngineInput, batchSize: number, promptTokens: number, outputTokens: number): EngineInput {
  const { serving: _serving, variants: _variants, ...rest } = input;
  return { ...rest, workload: { batchSize, promptTokens, outputTokens } };
}

describe('measured figures on the roofline: placement math', () => {
  it('the share of a request\'s time spent decoding is (o − 1)·TPOT / (TTFT + (o − 1)·TPOT)', () => {
    // 100 tokens after the first at 10 ms each, 50 ms to the first: 1000 / 1050.
    assert.equal(decodingShare(101, 50, 10), 1000 / 1050);
    assert.equal(decodingShare(1, 50, 10), 0, 'one output token: no decoding');
  });

  it('adds a share of one prompt\'s prefill to a decode step, reading its weights once', () => {
    const decode = { flops: 100, bytes: 50, weightBytes: 40 };
    const prefill = { flops: 1000, bytes: 60, weightBytes: 40 };
    // 25 prompt tokens of a 100-token prompt: a quarter of its FLOPs, a quarter of its non-weight bytes (20).
    assert.deepEqual(withPromptShare(decode, prefill, 25, 100), { flops: 350, bytes: 55, weightBytes: 40 });
    assert.equal(withPromptShare(decode, prefill, 0, 100), decode);
  });

  it('sets the measured and predicted step at one intensity, at the FLOP/s each time implies', () => {
    const placed = placeStep('decode', { metric: 'tpot_ms', measured: 20, predicted: 25, error: 0.25 }, { flops: 2e12, bytes: 1e10 }, 64, 1500, 40)!;
    assert.equal(placed.intensity, 200);
    assert.equal(placed.measuredFlopsPerSecond, 2e12 / 0.02); // 100 TFLOP/s
    assert.equal(placed.predictedFlopsPerSecond, 2e12 / 0.025); // 80 TFLOP/s
    assert.equal(placed.error, 0.25, 'the error of the time, as in the table');
    assert.equal(placeStep('prefill', { metric: 'ttft_ms', measured: 20, predicted: 25, error: 0.25 }, { flops: 0, bytes: 1e10 }, 1, 100, 0), undefined, 'nothing to place on log axes');
  });

  it('leaves layers on the interconnect out of a step\'s work', () => {
    const layer = (bound: 'memory' | 'network', flops: number, weights: number) => ({
      name: bound,
      count: 2,
      flops,
      bytes: { weights, activations_in: 1, activations_out: 1, kv_read: 0, kv_write: 0 },
      arithmetic_intensity: 1,
      bound,
      seconds: 1,
    });
    const stage = { layers: [layer('memory', 10, 8), layer('network', 0, 1000)], totals: { flops: 20, bytes: 2040, seconds: 4 }, memory: { weights_bytes: 0, kv_cache_bytes: 0, activations_bytes: 0, total_bytes: 0 } };
    assert.deepEqual(stepWork(stage), { flops: 20, bytes: 20, weightBytes: 16 });
  });
});

describe('measured figures on the roofline: real vllm bench serve runs', () => {
  const { input, points } = fixtureAnalysis();
  const comparison = compareMeasured(input, points);

  it('places an open-loop run\'s TPOT as the average step: its decoding requests and their prompt chunks', () => {
    const point = comparison.points[0]!;
    const tpot = point.metrics.find((metric) => metric.metric === 'tpot_ms')!;
    const ttft = point.metrics.find((metric) => metric.metric === 'ttft_ms')!;
    // 2.5 req/s per replica, 999 → 270 tokens, TTFT 54.6 ms, TPOT 13.71 ms measured.
    assert.equal(point.requestRatePerSecond, 2.5);
    const inFlight = 2.5 * (ttft.measured + 269 * tpot.measured) / 1e3;
    assert.ok(Math.abs(point.inFlight! - inFlight) < 1e-9);
    // 9.36 in flight, 98.5% of their time decoding: 9 decode per step, at 999 + 135 cached tokens,
    // beside 999 · 9 / 269 = 33.4 prompt tokens.
    const decoding = Math.round(inFlight * (269 * tpot.measured) / (ttft.measured + 269 * tpot.measured));
    assert.equal(decoding, 9);
    const [step] = point.roofline!.steps;
    assert.equal(step!.step, 'decode');
    assert.deepEqual([step!.sequences, step!.contextTokens], [9, 1134]);
    assert.equal(step!.promptTokensPerStep, (999 * 9) / 269);
    // The same work from two direct analyses: the decode step, and 33.4/999 of one prompt's prefill.
    const decode = analyzeResolved(plain(input, 9, 1134, 270)).stages.decode.totals;
    const prefill = analyzeResolved(plain(input, 1, 999, 270)).stages.prefill;
    const prefillWeights = prefill.layers.reduce((sum, layer) => sum + layer.count * layer.bytes.weights, 0);
    const share = 9 / 269;
    assert.ok(Math.abs(step!.flops / (decode.flops + share * prefill.totals.flops) - 1) < 1e-12);
    assert.ok(Math.abs(step!.bytes / (decode.bytes + share * (prefill.totals.bytes - prefillWeights)) - 1) < 1e-12);
    // Llama-3.2-3B at bf16 on one L40S: 2 FLOPs per weight per token for 9 + 33.4 tokens, at least the
    // 2.8 B weights outside the embedding and the tied lm_head, at most all 3.2 B plus attention; the weights (6.4 GB) once.
    assert.ok(step!.flops > 2 * 2.8e9 * 42.4 && step!.flops < 2 * 3.2e9 * 42.4 * 1.1, `${step!.flops}`);
    assert.ok(step!.bytes > 6.4e9 && step!.bytes < 8.5e9, `${step!.bytes}`);
    // Measured above predicted exactly by the ratio of the times.
    assert.equal(step!.measuredFlopsPerSecond, step!.flops / (tpot.measured / 1e3));
    assert.ok(Math.abs(step!.measuredFlopsPerSecond / step!.predictedFlopsPerSecond - tpot.predicted / tpot.measured) < 1e-12);
    assert.equal(step!.error, tpot.error);
    // Under the L40S roof: 864 GB/s × intensity, below the 181 TFLOP/s bf16 peak.
    assert.ok(step!.measuredFlopsPerSecond < Math.min(864e9 * step!.intensity, 181e12));
  });

  it('does not place TTFT under load, and says why', () => {
    const { unplaced } = comparison.points[0]!.roofline!;
    assert.equal(unplaced.length, 1);
    assert.match(unplaced[0]!, /llama-3\.2-3b-4xl40s-no-features\.json line 1, TTFT: with 9\.36 requests in flight the time to first token includes waiting for other requests' steps/);
  });

  it('decodes a burst\'s requests together, with no prompt beside them', () => {
    const burst = comparison.points[2]!;
    assert.equal(burst.burst, true);
    const [step] = burst.roofline!.steps;
    assert.deepEqual([step!.sequences, step!.promptTokensPerStep], [225, 0]);
    const decode = analyzeResolved(plain(input, 225, step!.contextTokens, burst.outputTokens)).stages.decode.totals;
    assert.equal(step!.flops, decode.flops);
    assert.equal(step!.bytes, decode.bytes);
  });

  it('places TTFT at concurrency 1 as one prompt\'s prefill', () => {
    const single: SourcedPoint = {
      point: { label: 'sweep.csv row 1', concurrency: 1, promptTokens: 1000, outputTokens: 200, measured: { ttft_ms: 80, tpot_ms: 9 } },
      file: 'file:///sweep.csv',
      format: 'csv',
    };
    const [point] = compareMeasured(input, [single]).points;
    const prefillStep = point!.roofline!.steps.find((step) => step.step === 'prefill')!;
    const prefill = analyzeResolved(plain(input, 1, 1000, 200)).stages.prefill.totals;
    assert.deepEqual([prefillStep.sequences, prefillStep.contextTokens, prefillStep.promptTokensPerStep], [1, 1000, 0]);
    assert.equal(prefillStep.flops, prefill.flops);
    assert.equal(prefillStep.measuredFlopsPerSecond, prefill.flops / 0.08);
    assert.deepEqual(point!.roofline!.unplaced, []);
    // One request in flight, 199 × 9 ms of its 1871 ms decoding: one sequence per decode step.
    assert.equal(point!.roofline!.steps.find((step) => step.step === 'decode')!.sequences, 1);
  });

  it('says why a throughput without TPOT is not placed', () => {
    const onlyRate: SourcedPoint = { point: { label: 'rates.csv row 2', concurrency: 8, measured: { output_tokens_per_second: 900 } }, file: 'file:///rates.csv', format: 'csv' };
    const [point] = compareMeasured(input, [onlyRate]).points;
    assert.deepEqual(point!.roofline!.steps, []);
    assert.deepEqual(point!.roofline!.unplaced, ['rates.csv row 2, throughput: without TPOT the time of one step is not known (throughput counts prompt work and idle time too)']);
  });
});
