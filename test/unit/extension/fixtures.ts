/** A small hand-made analysis (two layers per stage) for the tests of the pure extension modules. */
import type { AnalysisResult, LayerResult } from '../../../language-server/src/engine/types';
import type { DocumentAnalysis } from '../../../language-server/src/protocol/lsp';

function layer(name: string, count: number, flops: number, weightBytes: number, seconds: number, bound: 'memory' | 'compute'): LayerResult {
  return {
    name,
    count,
    flops,
    bytes: { weights: weightBytes, activations_in: 0, activations_out: 0, kv_read: 0, kv_write: 0 },
    arithmetic_intensity: flops / weightBytes,
    bound,
    seconds,
  };
}

export function sampleResult(overrides: Partial<AnalysisResult> = {}): AnalysisResult {
  return {
    conventions: 'default',
    stages: {
      prefill: {
        layers: [layer('q_proj', 32, 2e9, 32e6, 2e-5, 'compute'), layer('mlp_up', 32, 8e9, 64e6, 8e-5, 'compute')],
        totals: { flops: 3.2e11, bytes: 3.072e9, seconds: 0.0032 },
        memory: { weights_bytes: 13.5e9, kv_cache_bytes: 0.5e9, activations_bytes: 0.1e9, total_bytes: 14.1e9 },
      },
      decode: {
        layers: [layer('q_proj', 32, 3.3e7, 32e6, 1e-5, 'memory'), layer('mlp_up', 32, 1.3e8, 64e6, 2e-5, 'memory')],
        totals: { flops: 5.2e9, bytes: 3.072e9, seconds: 0.00096 },
        memory: { weights_bytes: 13.5e9, kv_cache_bytes: 0.5e9, activations_bytes: 0.01e9, total_bytes: 14.01e9 },
      },
    },
    memory: { weights_bytes: 13.5e9, kv_cache_bytes: 0.5e9, activations_bytes: 0.1e9, total_bytes: 14.1e9, capacity_bytes: 80 * 1024 ** 3, memory_utilization: 0.9, fits: true },
    metrics: { ttft_seconds: 0.0032, tpot_seconds: 0.00096, e2e_seconds: 0.25, output_tokens_per_second: 1041.7 },
    hardware: {
      name: 'nvidia-h100-sxm',
      memory_bandwidth_bytes_per_second: 3.35e12,
      peak_ops_per_second: 989e12,
      compute_precision: 'fp16',
      ridge_point: 295.2,
    },
    model: { name: 'meta-llama/Llama-2-7b-hf', parameters: 6.74e9 },
    notes: ['Attention is counted without the causal mask saving.'],
    ...overrides,
  };
}

export function sampleAnalysis(overrides: Partial<DocumentAnalysis> = {}): DocumentAnalysis {
  return {
    uri: 'file:///work/llama.roofline.yaml',
    version: 4,
    kind: 'deployment',
    result: sampleResult(),
    errors: [],
    editableFields: [],
    modelName: 'meta-llama/Llama-2-7b-hf',
    hardwareName: 'NVIDIA H100 SXM5 80GB',
    ...overrides,
  };
}
