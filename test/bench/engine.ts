/**
 * Engine speed: one full default-conventions analysis (both stages, memory, and the end-to-end
 * estimate with its per-step decode loop) of a 70B deployment, and the e2e figure of a long
 * generation. Called by the bench main.
 */
import { performance } from 'node:perf_hooks';
import { parseNumberFormat } from '../../language-server/src/engine/formats';
import { analyzeResolved } from '../../language-server/src/engine/index';
import type { EngineInput, HardwareSpec } from '../../language-server/src/engine/types';
import llama2_70b from '../fixtures/hf/llama-2-70b/config.json';

const WARM_UP_RUNS = 200;
const TIMED_RUNS = 2000;

/** H100 SXM dense figures from the shared reference: 3.35 TB/s, 989 TFLOPS fp16, NVLink 450 GB/s. */
const H100_SXM: HardwareSpec = {
  name: 'nvidia-h100-sxm',
  memoryBandwidthBytesPerSecond: 3350e9,
  memoryCapacityBytes: 80 * 1024 ** 3,
  peakOpsPerSecond: { fp16: 989e12, bf16: 989e12, fp8: 1979e12, int8: 1979e12 },
  interconnect: { bandwidthBytesPerSecond: 450e9, latencySeconds: 2e-6 },
};

function deployment(outputTokens: number): EngineInput {
  return {
    model: llama2_70b,
    modelName: 'meta-llama/Llama-2-70b-hf',
    hardware: H100_SXM,
    workload: { batchSize: 16, promptTokens: 1024, outputTokens },
    quantization: {
      weights: parseNumberFormat('fp16', ['quantization', 'weights']),
      activations: parseNumberFormat('fp16', ['quantization', 'activations']),
      kvCache: parseNumberFormat('fp16', ['quantization', 'kv_cache']),
    },
    flashAttention: true,
    parallelism: { tensor: 4 },
    conventions: 'default',
  };
}

function medianMicroseconds(run: () => void): number {
  for (let index = 0; index < WARM_UP_RUNS; index++) run();
  const samples: number[] = [];
  for (let index = 0; index < TIMED_RUNS; index++) {
    const started = performance.now();
    run();
    samples.push((performance.now() - started) * 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export async function benchEngine(): Promise<string[]> {
  const typical = deployment(256);
  const long = deployment(4096);
  const label = 'Llama-2-70b, H100 SXM, TP 4, batch 16, 1024 prompt';
  const typicalMicroseconds = medianMicroseconds(() => analyzeResolved(typical));
  const longMicroseconds = medianMicroseconds(() => analyzeResolved(long));
  const estimatedSeconds = analyzeResolved(long).metrics.e2e_seconds;
  const llmViewerMicroseconds = medianMicroseconds(() => analyzeResolved({ ...long, conventions: 'llm-viewer' }));
  return [
    'Engine (conventions: default):',
    `  analysis: ${typicalMicroseconds.toFixed(1)} µs per full analysis (${label}, 256 output tokens; median of ${TIMED_RUNS})`,
    `  analysis: ${longMicroseconds.toFixed(1)} µs per full analysis (same, 4096 output tokens)`,
    // The end-to-end estimate is part of every analysis: prefill plus every decode step, summed in
    // closed form over the growing context.
    `  e2e estimate: ${(longMicroseconds / 1000).toFixed(3)} ms to estimate a 4096-output-token request (estimated end to end: ${estimatedSeconds.toFixed(2)} s)`,
    `  analysis: ${llmViewerMicroseconds.toFixed(1)} µs per full analysis with conventions: llm-viewer (same, 4096 output tokens)`,
  ];
}
