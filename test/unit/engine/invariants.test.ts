/**
 * Properties every analysis must have, checked over a grid of models, hardware, bit widths,
 * batches, attention kernels and tensor, pipeline and expert parallelism, through the engine's front door
 * (`analyzeResolved`), for the default conventions.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseNumberFormat } from '../../../language-server/src/engine/formats';
import { analyzeResolved } from '../../../language-server/src/engine/index';
import type { AnalysisResult, EngineInput, HardwareSpec, HfConfig } from '../../../language-server/src/engine/types';

// Dense models, mixtures of experts (Mixtral; gpt-oss, with sliding windows) and latent attention
// with experts (DeepSeek-V3).
const MODELS = [
  'llama-2-7b',
  'llama-2-70b',
  'llama-3.1-8b',
  'qwen2.5-7b',
  'opt-6.7b',
  'gemma-2-9b',
  'phi-3-mini',
  'mixtral-8x7b',
  'gpt-oss-20b',
  'deepseek-v3',
];

const configs = new Map<string, HfConfig>();

function hfConfig(folder: string): HfConfig {
  let config = configs.get(folder);
  if (!config) {
    config = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/hf', folder, 'config.json'), 'utf8')) as HfConfig;
    configs.set(folder, config);
  }
  return config;
}

const HARDWARE: HardwareSpec[] = [
  { name: 'a6000-like', memoryBandwidthBytesPerSecond: 768e9, memoryCapacityBytes: 48 * 1024 ** 3, peakOpsPerSecond: { fp16: 154.8e12, int8: 309.7e12, int4: 619.4e12 } },
  {
    name: 'h100-like',
    memoryBandwidthBytesPerSecond: 3350e9,
    memoryCapacityBytes: 80 * 1024 ** 3,
    peakOpsPerSecond: { fp16: 989e12, bf16: 989e12, fp8: 1979e12, int8: 1979e12 },
    interconnect: { bandwidthBytesPerSecond: 450e9, latencySeconds: 2e-6 },
  },
  { name: 'fp16-only', memoryBandwidthBytesPerSecond: 300e9, peakOpsPerSecond: { fp16: 121e12 } },
];
const WEIGHT_BITS = [4, 8, 16] as const;
const BATCHES = [1, 3, 16, 64];

function input(model: string, hardware: HardwareSpec, weightBits: number, batchSize: number, flashAttention: boolean, tensor: number): EngineInput {
  return {
    model: hfConfig(model),
    modelName: model,
    hardware,
    workload: { batchSize, promptTokens: 512, outputTokens: 32 },
    quantization: {
      weights: parseNumberFormat(weightBits, ['quantization', 'weights']),
      activations: parseNumberFormat('fp16', ['quantization', 'activations']),
      kvCache: parseNumberFormat(weightBits === 4 ? 8 : 16, ['quantization', 'kv_cache']),
    },
    flashAttention,
    parallelism: { tensor },
    conventions: 'default',
  };
}

function everyNumberIsFinite(value: unknown, at: string): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${at} is ${value}`);
  else if (Array.isArray(value)) value.forEach((item, index) => everyNumberIsFinite(item, `${at}[${index}]`));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) everyNumberIsFinite(item, `${at}.${key}`);
  }
}

function checkLayerRoofline(result: AnalysisResult, hardware: HardwareSpec, label: string): void {
  // No layer may run faster than its bytes at full bandwidth or its FLOPs at the peak in use (the
  // grid keeps activations in fp16, so every layer runs at the reported precision).
  const peak = result.hardware.peak_ops_per_second;
  for (const stage of ['prefill', 'decode'] as const) {
    for (const layer of result.stages[stage].layers) {
      const bytes = layer.bytes.weights + layer.bytes.activations_in + layer.bytes.activations_out + layer.bytes.kv_read + layer.bytes.kv_write;
      const memorySeconds = bytes / hardware.memoryBandwidthBytesPerSecond;
      const computeSeconds = layer.flops / peak;
      assert.ok(layer.seconds >= memorySeconds * (1 - 1e-12), `${label} ${stage} ${layer.name}: faster than its bytes`);
      assert.ok(layer.seconds >= computeSeconds * (1 - 1e-12), `${label} ${stage} ${layer.name}: faster than its FLOPs`);
      assert.ok(layer.seconds > 0, `${label} ${stage} ${layer.name}: takes no time`);
      assert.ok(Object.values(layer.bytes).every((part) => part >= 0), `${label} ${stage} ${layer.name}: negative bytes`);
    }
  }
  const ridge = result.hardware.peak_ops_per_second / result.hardware.memory_bandwidth_bytes_per_second;
  assert.ok(Math.abs(result.hardware.ridge_point - ridge) <= 1e-12 * ridge, `${label}: ridge point`);
}

describe('engine invariants (default conventions)', () => {
  for (const model of MODELS) {
    it(`${model}: monotone in batch and weight bits, within the roofline, finite everywhere`, () => {
      for (const hardware of HARDWARE) {
        for (const flash of [true, false]) {
          for (const tensor of model === 'llama-2-70b' ? [1, 2, 8] : [1, 2]) {
            const byBits = new Map<number, AnalysisResult>();
            for (const bits of WEIGHT_BITS) {
              let previousDecodeSeconds = 0;
              let previousE2eSeconds = 0;
              for (const batch of BATCHES) {
                const label = `${model} on ${hardware.name}, w${bits}, b${batch}, flash ${flash}, tp ${tensor}`;
                const result = analyzeResolved(input(model, hardware, bits, batch, flash, tensor));
                everyNumberIsFinite(result, label);
                checkLayerRoofline(result, hardware, label);
                assert.ok(result.stages.decode.totals.seconds >= previousDecodeSeconds, `${label}: more batch lowered decode time`);
                assert.ok(result.metrics.e2e_seconds >= previousE2eSeconds * (1 - 1e-12), `${label}: more batch lowered e2e time`);
                previousDecodeSeconds = result.stages.decode.totals.seconds;
                previousE2eSeconds = result.metrics.e2e_seconds;
                if (batch === 1) byBits.set(bits, result);
              }
            }
            for (let index = 1; index < WEIGHT_BITS.length; index++) {
              const fewer = byBits.get(WEIGHT_BITS[index - 1]!)!;
              const more = byBits.get(WEIGHT_BITS[index]!)!;
              assert.ok(more.memory.weights_bytes >= fewer.memory.weights_bytes, `${model}: more weight bits lowered weight memory`);
              const weightBytesRead = (result: AnalysisResult): number =>
                result.stages.decode.layers.reduce((sum, layer) => sum + layer.count * layer.bytes.weights, 0);
              assert.ok(weightBytesRead(more) >= weightBytesRead(fewer), `${model}: more weight bits lowered weight bytes read`);
            }
          }
        }
      }
    });
  }
});

/** Pipeline and expert parallelism (with tensor parallelism), on the H100-like part with its NVLink. */
const PARALLEL_CASES: { model: string; tensor: number; pipeline?: number; expert?: number }[] = [
  { model: 'llama-2-70b', tensor: 1, pipeline: 3 },
  { model: 'llama-2-70b', tensor: 8, pipeline: 4 },
  { model: 'gemma-2-9b', tensor: 2, pipeline: 3 },
  { model: 'mixtral-8x7b', tensor: 2, expert: 2 },
  { model: 'mixtral-8x7b', tensor: 8, expert: 8, pipeline: 2 },
  { model: 'gpt-oss-20b', tensor: 4, expert: 4, pipeline: 2 },
  { model: 'deepseek-v3', tensor: 8, expert: 8, pipeline: 2 },
];

describe('engine invariants under pipeline and expert parallelism (default conventions)', () => {
  const hardware = HARDWARE.find((candidate) => candidate.interconnect)!;
  for (const { model, tensor, pipeline, expert } of PARALLEL_CASES) {
    const split = `tp ${tensor}${pipeline ? `, pp ${pipeline}` : ''}${expert ? `, ep ${expert}` : ''}`;
    it(`${model} at ${split}: monotone in batch, within the roofline, no more memory per device than tensor parallelism alone`, () => {
      for (const bits of [4, 16]) {
        let previousDecodeSeconds = 0;
        let previousE2eSeconds = 0;
        for (const batch of BATCHES) {
          const label = `${model} at ${split}, w${bits}, b${batch}`;
          const parallelInput = input(model, hardware, bits, batch, true, tensor);
          parallelInput.parallelism = { tensor, ...(pipeline ? { pipeline } : {}), ...(expert ? { expert } : {}) };
          const result = analyzeResolved(parallelInput);
          everyNumberIsFinite(result, label);
          checkLayerRoofline(result, hardware, label);
          assert.ok(result.stages.decode.totals.seconds >= previousDecodeSeconds, `${label}: more batch lowered decode time`);
          assert.ok(result.metrics.e2e_seconds >= previousE2eSeconds * (1 - 1e-12), `${label}: more batch lowered e2e time`);
          previousDecodeSeconds = result.stages.decode.totals.seconds;
          previousE2eSeconds = result.metrics.e2e_seconds;
          const tensorOnly = analyzeResolved(input(model, hardware, bits, batch, true, tensor));
          assert.ok(result.memory.kv_cache_bytes <= tensorOnly.memory.kv_cache_bytes, `${label}: more KV cache per device`);
          if (pipeline) {
            const onePipelineStage = input(model, hardware, bits, batch, true, tensor);
            onePipelineStage.parallelism = { tensor, ...(expert ? { expert } : {}) };
            const unpipelined = analyzeResolved(onePipelineStage);
            assert.ok(result.memory.weights_bytes < unpipelined.memory.weights_bytes, `${label}: pipeline stages hold no fewer weights`);
            assert.ok(result.metrics.ttft_seconds > unpipelined.metrics.ttft_seconds, `${label}: sends between stages cost nothing`);
            assert.ok(result.metrics.tpot_seconds > unpipelined.metrics.tpot_seconds, `${label}: sends between stages cost nothing in decode`);
            assert.ok(result.metrics.pipeline!.in_flight_decode_tokens_per_second > batch / result.metrics.tpot_seconds, `${label}: batches in flight add no throughput`);
          }
          assert.equal(result.model.parameters, tensorOnly.model.parameters, `${label}: parameter count changed`);
        }
      }
    });
  }
});
