import { RooflineInputError } from './errors';
import type { EngineInput } from './types';

function requirePositiveInteger(value: number, path: readonly string[], what: string): void {
  if (!Number.isFinite(value) || !Number.isInteger(value) || value <= 0) {
    throw new RooflineInputError(path, `${what} must be a positive whole number, got ${value}`);
  }
}

/**
 * Upper limits that keep every figure finite: past them products such as batch × tokens² ×
 * hidden overflow a double. Both are far beyond real deployments (the longest context windows
 * are around 10 M tokens).
 */
export const MAX_BATCH_SIZE = 2 ** 20;
export const MAX_TOKENS_PER_SEQUENCE = 2 ** 24;

function requireAtMost(value: number, limit: number, path: readonly string[], what: string): void {
  if (value > limit) {
    const shown = value >= 1e15 ? value.toExponential(2) : value.toLocaleString('en-US');
    throw new RooflineInputError(path, `${what} must be at most ${limit.toLocaleString('en-US')}, got ${shown}`, 'out-of-range');
  }
}

function requirePositive(value: number, path: readonly string[], what: string): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RooflineInputError(path, `${what} must be a positive number, got ${value}`);
  }
}

/**
 * Checks what every convention needs before any arithmetic, so bad input gets a named error
 * instead of a NaN or Infinity further down.
 */
export function validateEngineInput(input: EngineInput): void {
  const { workload, hardware, parallelism } = input;
  requirePositiveInteger(workload.batchSize, ['workload', 'batch_size'], 'batch_size');
  requirePositiveInteger(workload.promptTokens, ['workload', 'prompt_tokens'], 'prompt_tokens');
  requirePositiveInteger(workload.outputTokens, ['workload', 'output_tokens'], 'output_tokens');
  requireAtMost(workload.batchSize, MAX_BATCH_SIZE, ['workload', 'batch_size'], 'batch_size');
  requireAtMost(workload.promptTokens, MAX_TOKENS_PER_SEQUENCE, ['workload', 'prompt_tokens'], 'prompt_tokens');
  requireAtMost(
    workload.promptTokens + workload.outputTokens,
    MAX_TOKENS_PER_SEQUENCE,
    ['workload', 'output_tokens'],
    'prompt_tokens + output_tokens',
  );
  requirePositiveInteger(parallelism.tensor, ['parallelism', 'tensor'], 'parallelism.tensor');
  requirePositive(hardware.memoryBandwidthBytesPerSecond, ['hardware', 'memory_bandwidth_gb_s'], 'memory bandwidth');
  if (hardware.memoryCapacityBytes !== undefined) {
    requirePositive(hardware.memoryCapacityBytes, ['hardware', 'memory_gib'], 'memory capacity');
  }
  const peaks = Object.entries(hardware.peakOpsPerSecond);
  if (peaks.length === 0) {
    throw new RooflineInputError(['hardware', 'peak_tflops'], 'the hardware gives no compute peak for any precision', 'missing-field');
  }
  for (const [precision, opsPerSecond] of peaks) {
    requirePositive(opsPerSecond as number, ['hardware', 'peak_tflops', precision], `peak_tflops.${precision}`);
  }
}
