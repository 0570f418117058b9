import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../language-server/src/api';
import { RooflineInputError } from '../../../language-server/src/engine/errors';
import { activationPeakBytes } from '../../../language-server/src/engine/default/capacityModel';
import { prepareDefault } from '../../../language-server/src/engine/default/prepare';
import { layerClockSeconds } from '../../../language-server/src/engine/default/clock';
import { mixedStepSeconds, prefillShareOf } from '../../../language-server/src/engine/default/serving';
import { admissionWaitSeconds } from '../../../language-server/src/engine/default/admissionWait';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import type { EngineInput, ServingResult, ServingSpec } from '../../../language-server/src/engine/types';
import { assertClose, engineInput, H100, hfConfig } from './default/helpers';

const LLAMA_8B = hfConfig('llama-3.1-8b');
const GIB = 1024 ** 3;

function serving(spec: Partial<ServingSpec>, overrides: Parameters<typeof engineInput>[0] = {}, gpuHourUsd?: number): { input: EngineInput; result: ServingResult } {
  const input: EngineInput = {
    ...engineInput({ model: LLAMA_8B, hardware: H100, ...overrides }),
    serving: { maxBatchedTokens: 8192, kvBlockTokens: 16, ...spec },
    ...(gpuHourUsd !== undefined ? { gpuHourUsd } : {}),
  };
  const result = analyzeResolved(input).serving;
  assert.ok(result, 'a serving result');
  return { input, result };
}

describe('serving under load (docs/serving.md)', () => {
  it('sizes the KV pool as vLLM does and pages each request in whole blocks', () => {
    const { input, result } = serving({ concurrency: 'max' });
    const prepared = prepareDefault(input);
    // usable 0.9 × 80 GiB − weights − activations of one 8192-token step − 0.13 GiB outside torch.
    const activations = activationPeakBytes(prepared.prefillLayers, prepared.prefillPlan, { batchSize: 1, queryTokens: 8192, cachedTokens: 0, logitTokensPerSequence: 1 }, 2);
    const pool = 0.9 * 80 * GIB - prepared.weightsBytes - activations - 0.13 * GIB;
    assertClose(result.kv_pool_bytes_per_gpu, pool, 1e-12, 'KV pool');
    // Llama 3.1 8B: 32 layers × (K + V) × 8 KV heads × 128 × 2 bytes = 131,072 bytes per token;
    // 1024 + 256 = 1280 tokens = 80 blocks of 16 → 167,772,160 bytes per request.
    assert.equal(result.max_concurrency, Math.floor(pool / 167_772_160));
    assert.equal(result.concurrency, result.max_concurrency);
    assert.equal(result.gpus, 1);
  });

  it('rounds a request up to whole KV blocks', () => {
    // 1000 + 9 = 1009 tokens: 64 blocks of 16 (1024 tokens) but 8 blocks of 128 (1024) or 1 of 1024.
    const small = serving({ concurrency: 'max', kvBlockTokens: 1 }, { promptTokens: 1000, outputTokens: 9 }).result;
    const paged = serving({ concurrency: 'max', kvBlockTokens: 512 }, { promptTokens: 1000, outputTokens: 9 }).result;
    // Per request 1009 × 131,072 bytes unpaged, 1024 × 131,072 with 512-token blocks.
    assert.equal(small.max_concurrency, Math.floor(small.kv_pool_bytes_per_gpu / (1009 * 131_072)));
    assert.equal(paged.max_concurrency, Math.floor(paged.kv_pool_bytes_per_gpu / (1024 * 131_072)));
  });

  it('bounds the decoding requests by the step token budget: n + p·n/(o−1) ≤ max_batched_tokens', () => {
    // 4096 × 127 / (127 + 2048) = 239.2 → 239 decode, and the prompts that keep pace fill the rest
    // (fp8 KV cache: 2176 tokens × 65,536 bytes per request; with fp8 weights and the embedding
    // and lm_head in bf16, about 470 requests fit).
    const { result } = serving({ concurrency: 'max', maxBatchedTokens: 4096 }, { promptTokens: 2048, outputTokens: 128, weights: 'fp8', kvCache: 'fp8' });
    assert.ok(result.max_concurrency > 239, `${result.max_concurrency} requests fit`);
    assert.equal(result.decode_batch_per_instance, 239);
    // With fewer in flight than the budget allows, all of them decode.
    assert.equal(serving({ concurrency: 100 }, { promptTokens: 2048, outputTokens: 128, weights: 'fp8', kvCache: 'fp8' }).result.decode_batch_per_instance, 100);
  });

  describe('prompts in the steady state: whole, in some steps, or spread over every step', () => {
    // 16 requests of 1024 + 1025 tokens: one finishes every 1024 / 16 = 64 steps, so 16 prompt
    // tokens per step on average. An engine prefills the next 1024-token prompt whole (the budget
    // left by decoding, 8192 − 16, has room): one step in 64 carries it, 63 only decode.
    const workload = { promptTokens: 1024, outputTokens: 1025 };
    const context = 1024 + 1025 / 2;
    const steps = (input: EngineInput): { whole: number; decodeOnly: number; spread: number } => {
      const prepared = prepareDefault(input);
      return {
        whole: mixedStepSeconds(prepared, 16, context, prefillShareOf(1024, 1024)),
        decodeOnly: mixedStepSeconds(prepared, 16, context, prefillShareOf(0, 1024)),
        spread: mixedStepSeconds(prepared, 16, context, prefillShareOf(16, 1024)),
      };
    };

    it('a new prompt waits for the steps that carry its own chunks, not for the average step', () => {
      const { input, result } = serving({ concurrency: 16 }, workload);
      const prepared = prepareDefault(input);
      // The 1024-token prompt fits the 8192 − 16 budget left by decoding: one step carries it whole
      // beside the 16 decoding requests. The average step carries only 16 prompt tokens.
      assertClose(result.ttft_seconds, mixedStepSeconds(prepared, 16, context, prefillShareOf(1024, 1024)), 1e-12, 'TTFT');
      // An 8,000-token prompt with 20 output tokens: the step that carries it does 8,000 tokens of
      // prefill (~16 GFLOP each on Llama 3.1 8B, ~65 ms at 989 TFLOP/s), however short the average
      // step; so under load it is never faster than the same prompt alone on an idle GPU.
      for (const efficiency of ['ideal', 'achievable', 'expected'] as const) {
        const long = serving({ concurrency: 4 }, { promptTokens: 8000, outputTokens: 20 });
        const underLoad = analyzeResolved({ ...long.input, efficiency }).serving!;
        const alone = analyzeResolved({ ...long.input, efficiency, serving: undefined }).metrics.ttft_seconds;
        assert.ok(alone > 0.06, `${efficiency}: one 8,000-token prefill alone takes ${alone} s`);
        // The bounds hold exactly; `expected` charges a fixed batch per-request costs a serving step
        // spreads, so there it is within 1% (216.1 ms under load, 217.9 ms alone; the old average step gave 52.8 ms).
        const floor = efficiency === 'expected' ? alone * 0.99 : alone * (1 - 1e-9);
        assert.ok(underLoad.ttft_seconds >= floor, `${efficiency}: TTFT under load ${underLoad.ttft_seconds} s ≥ alone ${alone} s`);
        assert.ok(underLoad.tpot_seconds < underLoad.ttft_seconds / 4, `${efficiency}: the average step (${underLoad.tpot_seconds} s) is far shorter`);
      }
    });

    it('efficiency: expected times the schedule engines run: 1/64 of the steps with the whole prompt, 63/64 decode only', () => {
      const { input } = serving({ concurrency: 16 }, workload);
      const expectedInput = { ...input, efficiency: 'expected' as const };
      const { whole, decodeOnly } = steps(expectedInput);
      assertClose(analyzeResolved(expectedInput).serving!.tpot_seconds, whole / 64 + (decodeOnly * 63) / 64, 1e-12, 'TPOT');
    });

    it('the ideal bound of a dense model spreads the prompt over every step (never slower: its step time is convex in tokens)', () => {
      const { input, result } = serving({ concurrency: 16 }, workload);
      const { whole, decodeOnly, spread } = steps(input);
      assertClose(result.tpot_seconds, spread, 1e-12, 'TPOT');
      assert.ok(spread <= whole / 64 + (decodeOnly * 63) / 64);
    });

    it('the ideal bound of a mixture of experts takes the faster schedule: Mixtral-8x7B decode-only steps read fewer experts, so whole prompts in 1 step of 64 are faster than 16 tokens in every step', () => {
      const { input, result } = serving({ concurrency: 16 }, { ...workload, model: hfConfig('mixtral-8x7b'), tensor: 2 });
      const { whole, decodeOnly, spread } = steps(input);
      const concentrated = whole / 64 + (decodeOnly * 63) / 64;
      // 16 decode tokens route to 1 − (6/8)^16 = 99.0% of the experts, 32 to 99.99%: the spread
      // step reads nearly every expert every time, the decode-only step a little less.
      assert.ok(concentrated < spread, `${concentrated} < ${spread}`);
      assertClose(result.tpot_seconds, concentrated, 1e-12, 'TPOT');
    });
  });

  it('ties throughput, latency and cost together', () => {
    const { result } = serving({ concurrency: 64 }, { promptTokens: 512, outputTokens: 512 }, 3.6);
    assertClose(result.output_tokens_per_second, result.requests_per_second * 512, 1e-12, 'output = requests/s × o');
    assertClose(result.input_tokens_per_second, result.requests_per_second * 512, 1e-12, 'input = requests/s × p');
    assertClose(result.output_tokens_per_second_per_user, 1 / result.tpot_seconds, 1e-12, 'per user = 1 / TPOT');
    assertClose(result.e2e_seconds, result.queue_seconds + result.ttft_seconds + 511 * result.tpot_seconds, 1e-12, 'e2e');
    // 64 requests fit and decode together: no waiting.
    assert.equal(result.queue_seconds, 0);
    assert.equal(result.decode_batch_per_instance, 64);
    // 1 GPU at 3.60 $/h = 0.001 $/s; per million output tokens: 0.001 / tokens/s × 1e6.
    assertClose(result.cost_per_million_output_tokens_usd!, (0.001 / result.output_tokens_per_second) * 1e6, 1e-12, '$ per M output');
    assertClose(result.cost_per_million_input_tokens_usd!, (0.001 / result.input_tokens_per_second) * 1e6, 1e-12, '$ per M input');
  });

  it('grows throughput with concurrency up to the KV pool, then makes the rest wait (Little’s law)', () => {
    const low = serving({ concurrency: 8 }).result;
    const full = serving({ concurrency: 'max' }).result;
    const over = serving({ concurrency: full.max_concurrency * 2 }).result;
    assert.ok(full.output_tokens_per_second > 4 * low.output_tokens_per_second);
    assert.ok(full.tpot_seconds > low.tpot_seconds);
    assert.equal(over.requests_per_second, full.requests_per_second);
    // Closed loop: a request's whole time is concurrency / throughput.
    assertClose(over.e2e_seconds, over.concurrency / over.requests_per_second, 1e-12, 'e2e = N / X');
    assert.ok(over.queue_seconds > 0);
  });

  it('serves an open loop at its arrival rate, and makes arrivals wait only when every KV slot is taken (M/D/c)', () => {
    const saturation = serving({ concurrency: 'max' }).result.saturation_requests_per_second;
    const { result } = serving({ requestRatePerSecond: saturation / 2 });
    // Below saturation, what arrives is served: output tokens/s = λ × 256.
    assertClose(result.requests_per_second, saturation / 2, 1e-12, 'served = arrivals');
    assertClose(result.output_tokens_per_second, (saturation / 2) * 256, 1e-12, 'output tokens/s');
    assertClose(result.utilization, 0.5, 1e-12, 'utilization');
    assert.ok(result.concurrency < result.max_concurrency);
    // Half the slots busy on average with dozens of slots: waiting for one is vanishingly rare.
    assert.ok(result.max_concurrency > 30);
    assert.equal(result.queue_seconds, admissionWaitSeconds(result.max_concurrency, saturation / 2, saturation));
    assert.ok(result.queue_seconds < 1e-6 / saturation, `${result.queue_seconds} s`);
    // Near saturation the wait grows without bound.
    const near = serving({ requestRatePerSecond: saturation * 0.999 }).result;
    assert.ok(near.queue_seconds > 10 / saturation, `${near.queue_seconds} s`);
    assert.throws(
      () => serving({ requestRatePerSecond: saturation * 1.01 }),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'serving.request_rate' && error.code === 'saturated',
    );
  });

  it('waits for admission as M/D/c: half the Erlang C wait of M/M/c', () => {
    // One slot: M/D/1, ρ / (2μ(1 − ρ)); μ = 4/s, λ = 2/s: 0.5 / (2 × 4 × 0.5) = 0.125 s.
    assertClose(admissionWaitSeconds(1, 2, 4), 0.125, 1e-12, 'M/D/1');
    // Two slots of 1 request/s each (saturation 2/s), λ = 1/s: a = 1, Erlang B = (1/2) / (1 + 1 + 1/2) = 0.2,
    // Erlang C = 2 × 0.2 / (2 − 0.8) = 1/3; M/M/2 waits C / (cμ − λ) = 1/3 s; M/D/2 half of it.
    assertClose(admissionWaitSeconds(2, 1, 2), 1 / 6, 1e-12, 'M/D/2');
    // 200 slots each holding a request for 1 s: at 90% busy a request waits 2.4 ms on average (a
    // tenth of what one server as fast as all of them, M/D/1, would make it wait: 22.5 ms); at 99.9%, seconds.
    assertClose(admissionWaitSeconds(200, 180, 200), 0.002361780454, 1e-9, '200 slots, 90%');
    assert.ok(admissionWaitSeconds(200, 0.999 * 200, 200) > 1);
    // Half busy: nothing measurable.
    assert.ok(admissionWaitSeconds(200, 100, 200) < 1e-15);
  });

  it('splits prefill and decode into pools of whole instances, moving each prompt’s KV cache once', () => {
    const { result } = serving({ concurrency: 'max', disaggregated: { prefillGpus: 2, decodeGpus: 6 } }, { tensor: 2 });
    assert.equal(result.gpus, 8);
    assert.equal(result.instances, 4);
    const split = result.disaggregated!;
    assert.equal(split.prefill_gpus, 2);
    assert.equal(split.decode_gpus, 6);
    assertClose(result.requests_per_second, Math.min(split.prefill_requests_per_second, split.decode_requests_per_second), 1e-12, 'the slower pool');
    // 1024 prompt tokens × 131,072 bytes / 2 GPUs over a 450 GB/s link, plus 2 µs.
    assertClose(split.kv_transfer_seconds, (1024 * 131_072) / 2 / 450e9 + 2e-6, 1e-9, 'KV transfer');
    assert.throws(
      () => serving({ concurrency: 'max', disaggregated: { prefillGpus: 3, decodeGpus: 6 } }, { tensor: 2 }),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'serving.disaggregated.prefill_gpus',
    );
  });

  it('refuses serving where it cannot be modelled, naming the key', () => {
    const input = { ...engineInput({ model: LLAMA_8B, hardware: H100 }), serving: { concurrency: 'max' as const, maxBatchedTokens: 8192, kvBlockTokens: 16 } };
    assert.throws(() => analyzeResolved({ ...input, conventions: 'llm-viewer' }), (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'serving');
    assert.throws(
      () => analyzeResolved({ ...input, serving: { ...input.serving, concurrency: 4, requestRatePerSecond: 1 } }),
      (error: unknown) => error instanceof RooflineInputError && error.path.join('.') === 'serving.request_rate',
    );
    // Llama 3.1 405B in fp16 on one 80 GiB device: no room for any KV cache.
    assert.throws(
      () => analyzeResolved({ ...input, model: hfConfig('llama-3.1-405b') }),
      (error: unknown) => error instanceof RooflineInputError && error.code === 'does-not-fit',
    );
  });

  it('reads serving: and cost: from a deployment, with defaults', () => {
    const result = analyze({ model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-h100-sxm', serving: {}, cost: { gpu_hour_usd: 2 } });
    assert.equal(result.serving?.concurrency, result.serving?.max_concurrency);
    assert.ok(result.serving?.cost_per_million_output_tokens_usd !== undefined);
    assert.throws(() => analyze({ model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-h100-sxm', serving: { concurrency: 0 } }), /serving\.concurrency/);
  });
});

interface PublishedRun {
  model: string;
  hardware: string;
  tensor_parallelism: number;
  format: string;
  prompt_tokens: number;
  output_tokens: number;
  output_tokens_per_second: number;
}

describe('serving: { concurrency: max } against published max-throughput runs', () => {
  // test/fixtures/serving/tensorrt-llm-h100-max-throughput.json: TensorRT-LLM's performance
  // overview (its source and settings are in the file).
  const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/serving/tensorrt-llm-h100-max-throughput.json'), 'utf8')) as { runs: PublishedRun[] };
  const predict = (run: PublishedRun, efficiency: 'ideal' | 'expected'): number =>
    analyze({
      model: run.model,
      hardware: run.hardware,
      parallelism: { tensor: run.tensor_parallelism },
      quantization: { weights: run.format, activations: run.format, kv_cache: run.format },
      workload: { prompt_tokens: run.prompt_tokens, output_tokens: run.output_tokens },
      efficiency,
      serving: { concurrency: 'max' },
    }).serving!.output_tokens_per_second;

  for (const run of fixture.runs) {
    const label = `${run.model} TP${run.tensor_parallelism} ${run.prompt_tokens}/${run.output_tokens}: ${run.output_tokens_per_second} tokens/s`;
    it(`ideal is an upper bound: ${label}`, () => {
      assert.ok(predict(run, 'ideal') >= run.output_tokens_per_second, `${predict(run, 'ideal')} below the published ${run.output_tokens_per_second}`);
    });
  }

  // efficiency: expected (launches, collectives as libraries run them, host time per step, the
  // 16-bit residual stream around fp8 matmuls, the fixed work of each fp8 matmul tile, lm_head at the
  // bf16 peak): the mean error over the 13 runs is under 10% (7.28% measured) and no run is off by
  // more than 20% (15.6% measured; docs/serving.md lists each run's error).
  it('expected: mean absolute error under 10%, every run within 20%', () => {
    const errors = fixture.runs.map((run) => ({ run, error: predict(run, 'expected') / run.output_tokens_per_second - 1 }));
    const mean = errors.reduce((sum, { error }) => sum + Math.abs(error), 0) / errors.length;
    assert.ok(mean < 0.1, `mean absolute error ${(mean * 100).toFixed(1)}%`);
    for (const { run, error } of errors) {
      assert.ok(Math.abs(error) <= 0.2, `${run.model} TP${run.tensor_parallelism} ${run.prompt_tokens}/${run.output_tokens}: ${(error * 100).toFixed(1)}%`);
    }
  });

  it('with latent attention a mixed step reads the shared layers\' weights once: decode (absorbed) and prompt (decompressed) attention apart, everything both plans share as one batch', () => {
    const input = engineInput({ model: hfConfig('deepseek-v3'), hardware: H100, weights: 'fp8', activations: 'fp8' });
    const prepared = prepareDefault({ ...input, parallelism: { tensor: 8 } });
    const decoding = 16;
    const context = 1024;
    const share = prefillShareOf(16, 1024);
    const mixed = mixedStepSeconds(prepared, decoding, context, share);
    const decodeOnly = mixedStepSeconds(prepared, decoding, context, prefillShareOf(0, 1024));
    const prefillOnly = mixedStepSeconds(prepared, 0, 0, share);
    // Hand-summed: shared layers once at 16 + 16 tokens, the rest per part.
    const time = (template: (typeof prepared.layers)[number]['template'], step: Parameters<(typeof prepared.layers)[number]['template']['cost']>[0]): number => layerClockSeconds(prepared.clock, template, template.cost(step));
    const inPrefill = new Set(prepared.prefillLayers.filter(({ template }) => !template.contextDependent).map(({ template }) => template.name));
    const inDecode = new Set(prepared.layers.filter(({ template }) => !template.contextDependent).map(({ template }) => template.name));
    let expected = 0;
    for (const { template, count } of prepared.layers) {
      const shared = !template.contextDependent && inPrefill.has(template.name);
      expected += count * (shared ? time(template, { batchSize: 1, queryTokens: 32, cachedTokens: 0, logitTokensPerSequence: 17 }) : time(template, { batchSize: 16, queryTokens: 1, cachedTokens: context, logitTokensPerSequence: 1 }));
    }
    for (const { template, count } of prepared.prefillLayers) {
      if (template.contextDependent || !inDecode.has(template.name)) expected += count * time(template, { batchSize: share.sequences, queryTokens: share.tokens, cachedTokens: share.cachedTokens, logitTokensPerSequence: 1 });
    }
    assertClose(mixed, expected);
    // Reading the shared weights once: less than the two parts run apart, more than either alone.
    assert.ok(mixed < decodeOnly + prefillOnly, `${mixed} < ${decodeOnly} + ${prefillOnly}`);
    assert.ok(mixed > Math.max(decodeOnly, prefillOnly));
  });

  it('a preparation keeps the steps it timed: the same step at any time gives its own figure, never another step\'s', () => {
    const input = engineInput({ model: LLAMA_8B, hardware: H100 });
    const prepared = prepareDefault(input);
    // Steps whose numbers differ in one place only, and more of them than a preparation keeps.
    const steps: [number, number, number][] = [];
    for (let decoding = 0; decoding < 40; decoding++) {
      for (const prompt of [0, 1, 12, 123, 8192]) steps.push([decoding, 1024 + decoding / 2, prompt]);
    }
    const first = steps.map(([decoding, context, prompt]) => mixedStepSeconds(prepared, decoding, context, prefillShareOf(prompt, 1024)));
    // A new model object is a new preparation, with nothing kept: its figures, asked in reverse order, are the reference.
    const fresh = prepareDefault({ ...input, model: structuredClone(LLAMA_8B) });
    assert.notEqual(fresh, prepared);
    const reference = steps
      .slice()
      .reverse()
      .map(([decoding, context, prompt]) => mixedStepSeconds(fresh, decoding, context, prefillShareOf(prompt, 1024)))
      .reverse();
    const again = steps.map(([decoding, context, prompt]) => mixedStepSeconds(prepared, decoding, context, prefillShareOf(prompt, 1024)));
    assert.deepEqual(first, reference);
    assert.deepEqual(again, reference);
    assert.equal(new Set(reference).size, steps.length, 'each step its own time');
  });
});
