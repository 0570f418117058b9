import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDefault } from '../../../../language-server/src/engine/default/analyze';
import { parseNumberFormat } from '../../../../language-server/src/engine/formats';
import { analyzeResolved } from '../../../../language-server/src/engine/index';
import type {
  AnalysisResult,
  EngineInput,
  HardwareSpec,
  HfConfig,
  LayerResult,
  StageName,
} from '../../../../language-server/src/engine/types';

const FIXTURES = path.resolve(__dirname, '../../../fixtures/hf');

/** A real config.json from test/fixtures/hf/<folder>. */
export function hfConfig(folder: string): HfConfig {
  return JSON.parse(readFileSync(path.join(FIXTURES, folder, 'config.json'), 'utf8')) as HfConfig;
}

/**
 * A checkpoint's config without its quantization_config: the same model as a 16-bit checkpoint
 * (DeepSeek-V3 ships fp8_cast_bf16.py for this; gpt-oss has a bf16 release), so the deployment's
 * weight format applies to every kind of layer as the test chooses.
 */
export function sixteenBitCheckpoint(config: HfConfig): HfConfig {
  const { quantization_config: _dropped, ...rest } = config;
  return rest;
}

/** RTX A6000 as LLM-Viewer and the paper give it: 768 GB/s, 154.8 TFLOPS fp16, 309.7 TOPS int8. */
export const A6000: HardwareSpec = {
  name: 'a6000-like',
  memoryBandwidthBytesPerSecond: 768e9,
  memoryCapacityBytes: 48 * 1024 ** 3,
  peakOpsPerSecond: { fp16: 154.8e12, int8: 309.7e12, int4: 619.4e12 },
};

/** H100 SXM dense figures from the shared reference (3.35 TB/s, 989 bf16/fp16, 1979 fp8/int8). */
export const H100: HardwareSpec = {
  name: 'h100-like',
  memoryBandwidthBytesPerSecond: 3350e9,
  memoryCapacityBytes: 80 * 1024 ** 3,
  peakOpsPerSecond: { fp32: 67e12, tf32: 494.5e12, fp16: 989e12, bf16: 989e12, fp8: 1979e12, int8: 1979e12 },
  interconnect: { bandwidthBytesPerSecond: 450e9, latencySeconds: 2e-6 },
};

/** A100: no fp8 rate, so fp8 matmuls must be upcast. */
export const A100: HardwareSpec = {
  name: 'a100-like',
  memoryBandwidthBytesPerSecond: 2039e9,
  memoryCapacityBytes: 80 * 1024 ** 3,
  peakOpsPerSecond: { fp32: 19.5e12, tf32: 156e12, fp16: 312e12, bf16: 312e12, int8: 624e12, int4: 1248e12 },
};

export interface InputOverrides {
  model?: HfConfig;
  hardware?: HardwareSpec;
  batchSize?: number;
  promptTokens?: number;
  outputTokens?: number;
  weights?: string | number;
  activations?: string | number;
  kvCache?: string | number;
  flashAttention?: boolean;
  tensor?: number;
}

export function engineInput(overrides: InputOverrides = {}): EngineInput {
  return {
    model: overrides.model ?? hfConfig('llama-2-7b'),
    modelName: 'test-model',
    hardware: overrides.hardware ?? A6000,
    workload: {
      batchSize: overrides.batchSize ?? 1,
      promptTokens: overrides.promptTokens ?? 1024,
      outputTokens: overrides.outputTokens ?? 256,
    },
    quantization: {
      weights: parseNumberFormat(overrides.weights ?? 'fp16', ['quantization', 'weights']),
      activations: parseNumberFormat(overrides.activations ?? 'fp16', ['quantization', 'activations']),
      kvCache: parseNumberFormat(overrides.kvCache ?? 'fp16', ['quantization', 'kv_cache']),
    },
    flashAttention: overrides.flashAttention ?? true,
    parallelism: { tensor: overrides.tensor ?? 1 },
    conventions: 'default',
  };
}

/** Through the engine's front door, so input validation and the finiteness check run too. */
export function analyze(overrides: InputOverrides = {}): AnalysisResult {
  return analyzeResolved(engineInput(overrides));
}

export { analyzeDefault };

export function layer(result: AnalysisResult, stage: StageName, name: string): LayerResult {
  const found = result.stages[stage].layers.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no layer ${name} in ${stage}: ${result.stages[stage].layers.map((l) => l.name).join(', ')}`);
  return found;
}

export function layerNames(result: AnalysisResult, stage: StageName): string[] {
  return result.stages[stage].layers.map((candidate) => candidate.name);
}

export function assertClose(actual: number, expected: number, relative = 1e-12, what = 'value'): void {
  const scale = Math.max(Math.abs(expected), Number.MIN_VALUE);
  assert.ok(
    Math.abs(actual - expected) <= relative * scale,
    `${what}: expected ${expected}, got ${actual} (relative error ${Math.abs(actual - expected) / scale})`,
  );
}

export function totalBytes(result: LayerResult): number {
  const { weights, activations_in, activations_out, kv_read, kv_write } = result.bytes;
  return weights + activations_in + activations_out + kv_read + kv_write;
}
