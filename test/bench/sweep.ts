/**
 * Sweep speed: a 256-point batch sweep (batch 1 … 256) of DeepSeek-V3 at tensor parallelism 8 on
 * H200 SXM, fp8 block-scaled weights, through the engine's sweep (one preparation, 256 cheap
 * points), beside one analysis of the same deployment. Median of repeated runs after warm-up.
 * Called by the bench main.
 */
import { performance } from 'node:perf_hooks';
import { parseNumberFormat } from '../../language-server/src/engine/formats';
import { analyzeResolved } from '../../language-server/src/engine/index';
import { sweepResolved } from '../../language-server/src/engine/sweep';
import type { EngineInput } from '../../language-server/src/engine/types';
import { findHardwarePreset } from '../../language-server/src/presets/index';
import deepseekV3 from '../fixtures/hf/deepseek-v3/config.json';

const WARM_UP_RUNS = 10;
const TIMED_RUNS = 40;
const BATCH_SIZES = Array.from({ length: 256 }, (_, index) => index + 1);

function deployment(): EngineInput {
  const hardware = findHardwarePreset('nvidia-h200-sxm')?.spec;
  if (!hardware) throw new Error('the nvidia-h200-sxm preset is missing');
  return {
    model: deepseekV3,
    modelName: 'deepseek-ai/DeepSeek-V3',
    hardware,
    workload: { batchSize: 1, promptTokens: 1024, outputTokens: 256 },
    quantization: {
      weights: parseNumberFormat('fp8-block128', ['quantization', 'weights']),
      activations: parseNumberFormat('bf16', ['quantization', 'activations']),
      kvCache: parseNumberFormat('bf16', ['quantization', 'kv_cache']),
    },
    flashAttention: true,
    parallelism: { tensor: 8 },
    conventions: 'default',
  };
}

function medianMs(run: () => void): number {
  for (let index = 0; index < WARM_UP_RUNS; index++) run();
  const samples: number[] = [];
  for (let index = 0; index < TIMED_RUNS; index++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export async function benchSweep(): Promise<string[]> {
  const input = deployment();
  const request = { path: 'workload.batch_size' as const, values: BATCH_SIZES };
  const median = medianMs(() => sweepResolved(input, request));
  // The sweep prepares the model once: 256 separate analyses would cost 256 analyses.
  const analysisMedian = medianMs(() => analyzeResolved(input));
  const fitting = sweepResolved(input, request).points.filter((point) => point.fits).length;
  return [
    `sweep: ${median.toFixed(2)} ms for a 256-point batch sweep of DeepSeek-V3 at TP 8 (H200 SXM, fp8 block-scaled weights; ${(median * 1000 / 256).toFixed(1)} µs per point; ${fitting} of 256 batch sizes fit)`,
    `sweep: one analysis of the same deployment ${analysisMedian.toFixed(3)} ms; the sweep costs ${(median / analysisMedian).toFixed(1)} analyses (256 separate ones would cost 256)`,
  ];
}
