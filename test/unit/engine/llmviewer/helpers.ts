import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseNumberFormat } from '../../../../language-server/src/engine/formats';
import type { EngineInput, HardwareSpec, HfConfig } from '../../../../language-server/src/engine/types';
import { LLM_VIEWER_HARDWARE } from '../../../../language-server/src/presets/llmViewerHardware';

/** LLM-Viewer's hardware entry as a HardwareSpec: FP16 → fp16, INT8 → int8, INT4 → int4, onchip_buffer → onChipBufferBytes. */
export function llmViewerHardwareSpec(key: string): HardwareSpec {
  const entry = LLM_VIEWER_HARDWARE[key];
  if (!entry) throw new Error(`no LLM-Viewer hardware ${key}`);
  return {
    name: key,
    memoryBandwidthBytesPerSecond: entry.bandwidth,
    memoryCapacityBytes: entry.memory_capacity,
    peakOpsPerSecond: {
      fp16: entry.FP16,
      ...(entry.INT8 !== undefined ? { int8: entry.INT8 } : {}),
      ...(entry.INT4 !== undefined ? { int4: entry.INT4 } : {}),
    },
    onChipBufferBytes: entry.onchip_buffer,
  };
}

/** Published Llama-2 configs (shared reference models.json), as a config.json would give them. */
export const LLAMA_2: Readonly<Record<'7b' | '13b' | '70b', HfConfig>> = {
  '7b': {
    model_type: 'llama',
    hidden_size: 4096,
    intermediate_size: 11008,
    num_hidden_layers: 32,
    num_attention_heads: 32,
    num_key_value_heads: 32,
    vocab_size: 32000,
  },
  '13b': {
    model_type: 'llama',
    hidden_size: 5120,
    intermediate_size: 13824,
    num_hidden_layers: 40,
    num_attention_heads: 40,
    num_key_value_heads: 40,
    vocab_size: 32000,
  },
  '70b': {
    model_type: 'llama',
    hidden_size: 8192,
    intermediate_size: 28672,
    num_hidden_layers: 80,
    num_attention_heads: 64,
    num_key_value_heads: 8,
    vocab_size: 32000,
  },
};

export interface LlmViewerCall {
  model?: HfConfig;
  hardware?: string | HardwareSpec;
  seqlen?: number;
  batchsize?: number;
  outputTokens?: number;
  wBit?: number;
  aBit?: number;
  kvBit?: number;
  flash?: boolean;
  tp?: number;
}

/** An EngineInput for the arguments of LLM-Viewer's `analyze()`. */
export function llmViewerInput(call: LlmViewerCall = {}): EngineInput {
  const bits = (value: number, role: string) => parseNumberFormat(value, ['quantization', role]);
  return {
    model: call.model ?? LLAMA_2['7b'],
    modelName: 'meta-llama/Llama-2-7b-hf',
    hardware: typeof call.hardware === 'object' ? call.hardware : llmViewerHardwareSpec(call.hardware ?? 'nvidia_A6000'),
    workload: { batchSize: call.batchsize ?? 1, promptTokens: call.seqlen ?? 1024, outputTokens: call.outputTokens ?? 1 },
    quantization: {
      weights: bits(call.wBit ?? 16, 'weights'),
      activations: bits(call.aBit ?? 16, 'activations'),
      kvCache: bits(call.kvBit ?? call.aBit ?? 16, 'kv_cache'),
    },
    flashAttention: call.flash ?? false,
    parallelism: { tensor: call.tp ?? 1 },
    conventions: 'llm-viewer',
  };
}

export function assertRelative(actual: number, expected: number, label: string, tolerance = 1e-9): void {
  if (expected === 0) {
    assert.equal(actual, 0, `${label}: expected 0, got ${actual}`);
    return;
  }
  const relative = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(relative <= tolerance, `${label}: expected ${expected}, got ${actual} (relative error ${relative})`);
}

/** LLM-Viewer's own output for one configuration (test/fixtures/llm-viewer/public_cases.json). */
export interface PublicCase {
  id: string;
  params: {
    model_id: string;
    hardware: string;
    seqlen: number;
    batchsize: number;
    w_bit: number;
    a_bit: number;
    kv_bit: number;
    use_flashattention: boolean;
    tp_size: number;
  };
  hardware_info: { bandwidth: number; max_OPS: number; onchip_buffer: number };
  layer_order: Record<'decode' | 'prefill', string[]>;
  decode: Record<string, (number | string)[]>;
  prefill: Record<string, (number | string)[]>;
  total_results: Record<'decode' | 'prefill', Record<string, number>>;
}

export interface PublicCases {
  meta: { variant: string; layer_fields: string[] };
  cases: PublicCase[];
}

export function loadPublicCases(): PublicCases {
  const file = path.join(__dirname, '../../../fixtures/llm-viewer/public_cases.json');
  return JSON.parse(readFileSync(file, 'utf8')) as PublicCases;
}

export const MODEL_BY_ID: Readonly<Record<string, HfConfig>> = {
  'meta-llama/Llama-2-7b-hf': LLAMA_2['7b'],
  'meta-llama/Llama-2-13b-hf': LLAMA_2['13b'],
  'meta-llama/Llama-2-70b-hf': LLAMA_2['70b'],
};
