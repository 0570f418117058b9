import { RooflineInputError } from './errors';
import type { EngineInput, HardwareSpec, ServingSpec } from './types';
import { isFrozenDeep } from './unchanged';

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
/**
 * The largest count a model config may give (hidden size, layers, heads, experts, vocabulary,
 * positions): 2^24 = 16,777,216, above every real one (vocabularies reach about 260 K, context
 * windows 10 M) and small enough that a product of a few of them stays exact and finite.
 */
export const MAX_MODEL_COUNT = 2 ** 24;

function requireAtMost(value: number, limit: number, path: readonly string[], what: string): void {
  if (value > limit) {
    const shown = value >= 1e15 ? value.toExponential(2) : value.toLocaleString('en-US');
    throw new RooflineInputError(path, `${what} must be at most ${limit.toLocaleString('en-US')}, got ${shown}`, 'out-of-range');
  }
}

/**
 * The range of a hardware figure, in the unit the user writes, and that unit in the engine's own
 * (bytes, operations, seconds). The bounds lie far outside any real accelerator (HBM3e reaches
 * about 8 TB/s and wafer-scale SRAM about 21 PB/s; the largest dense peaks are a few PFLOPS) and
 * keep every derived figure finite: with model counts at most 2^24 and the workload bounds above,
 * bytes and operations stay below about 1e45, and dividing them by a rate of at least 1e6 per
 * second, or adding latencies of at most 1e3 s per step, stays far below the 1.8e308 a double holds.
 */
export interface FigureRange {
  min: number;
  max: number;
  /** Engine units per user unit (1e9 bytes/s per GB/s). */
  scale: number;
  unit: string;
  /** Whether `min` itself is allowed (zero latency is). */
  minInclusive?: boolean;
}

export const HARDWARE_RANGES = {
  memory_bandwidth_gb_s: { min: 1e-3, max: 1e9, scale: 1e9, unit: 'GB/s' },
  peak_tflops: { min: 1e-6, max: 1e9, scale: 1e12, unit: 'TFLOPS' },
  memory_gib: { min: 1e-6, max: 1e9, scale: 2 ** 30, unit: 'GiB' },
  on_chip_buffer_kb: { min: 1e-3, max: 1e12, scale: 1e3, unit: 'KB' },
  interconnect_bandwidth_gb_s: { min: 1e-3, max: 1e9, scale: 1e9, unit: 'GB/s' },
  interconnect_latency_us: { min: 0, max: 1e9, scale: 1e-6, unit: 'µs', minInclusive: true },
  domain_devices: { min: 1, max: 2 ** 20, scale: 1, unit: 'devices', minInclusive: true },
  compute_units: { min: 1, max: 2 ** 20, scale: 1, unit: 'units', minInclusive: true },
  expected_us: { min: 0, max: 1e9, scale: 1e-6, unit: 'µs', minInclusive: true },
} as const satisfies Record<string, FigureRange>;

function shown(value: number): string {
  return value !== 0 && (Math.abs(value) >= 1e15 || Math.abs(value) < 1e-3) ? value.toExponential(2) : value.toLocaleString('en-US', { maximumSignificantDigits: 6 });
}

/** `engineValue` (in engine units) lies in `range` (in user units), or a positioned error says the range. */
function requireInRange(engineValue: number, range: FigureRange, path: readonly string[], what: string): void {
  const value = engineValue / range.scale;
  const aboveMin = range.minInclusive ? value >= range.min : value > range.min;
  if (Number.isFinite(engineValue) && aboveMin && value <= range.max) return;
  const low = range.minInclusive ? `from ${shown(range.min)}` : `above ${shown(range.min)}`;
  const got = Number.isFinite(value) ? shown(value) : 'a number too large to compute with';
  throw new RooflineInputError(path, `${what} must be ${low} and at most ${shown(range.max)} ${range.unit}, got ${got}`, 'out-of-range');
}

/**
 * A deployment's `serving:` and `cost:` figures, each bounded so every serving figure stays finite;
 * `serving` is the section to check (the input's own, or another load of it, servingLoads.ts).
 */
export function validateServing(input: EngineInput, serving: ServingSpec | undefined = input.serving): void {
  if (input.gpuHourUsd !== undefined) requireInRange(input.gpuHourUsd, { min: 0, max: 1e6, scale: 1, unit: 'US dollars' }, ['cost', 'gpu_hour_usd'], 'gpu_hour_usd');
  if (!serving) return;
  validateConcurrency(serving);
  if (serving.requestRatePerSecond !== undefined) {
    if (serving.concurrency !== undefined) {
      throw new RooflineInputError(['serving', 'request_rate'], 'give either concurrency (requests in flight) or request_rate (arrivals per second), not both', 'conflict');
    }
    requireInRange(serving.requestRatePerSecond, { min: 0, max: 1e9, scale: 1, unit: 'requests per second' }, ['serving', 'request_rate'], 'request_rate');
  }
  requirePositiveInteger(serving.maxBatchedTokens, ['serving', 'max_batched_tokens'], 'max_batched_tokens');
  requireAtMost(serving.maxBatchedTokens, MAX_TOKENS_PER_SEQUENCE, ['serving', 'max_batched_tokens'], 'max_batched_tokens');
  requirePositiveInteger(serving.kvBlockTokens, ['serving', 'kv_block_tokens'], 'kv_block_tokens');
  requireAtMost(serving.kvBlockTokens, 4096, ['serving', 'kv_block_tokens'], 'kv_block_tokens');
  if (serving.maxModelLen !== undefined) {
    requirePositiveInteger(serving.maxModelLen, ['serving', 'max_model_len'], 'max_model_len');
    requireAtMost(serving.maxModelLen, MAX_TOKENS_PER_SEQUENCE, ['serving', 'max_model_len'], 'max_model_len');
  }
  if (serving.maxRunningRequests !== undefined) {
    requirePositiveInteger(serving.maxRunningRequests, ['serving', 'max_running_requests'], 'max_running_requests');
    requireAtMost(serving.maxRunningRequests, MAX_BATCH_SIZE, ['serving', 'max_running_requests'], 'max_running_requests');
  }
  validatePools(serving);
}

function validateConcurrency(serving: ServingSpec): void {
  if (typeof serving.concurrency === 'number') {
    requirePositiveInteger(serving.concurrency, ['serving', 'concurrency'], 'concurrency');
    requireAtMost(serving.concurrency, MAX_BATCH_SIZE, ['serving', 'concurrency'], 'concurrency');
  }
}

function validatePools(serving: ServingSpec): void {
  if (serving.disaggregated) {
    requirePositiveInteger(serving.disaggregated.prefillGpus, ['serving', 'disaggregated', 'prefill_gpus'], 'prefill_gpus');
    requirePositiveInteger(serving.disaggregated.decodeGpus, ['serving', 'disaggregated', 'decode_gpus'], 'decode_gpus');
    requireAtMost(serving.disaggregated.prefillGpus + serving.disaggregated.decodeGpus, 65536, ['serving', 'disaggregated'], 'prefill_gpus + decode_gpus');
  }
}

/**
 * The checks of what one load of a checked serving section sets (requests in flight, the pools),
 * in the order `validateServing` makes them, so the first that fails is the one it names. For
 * sections without `request_rate`, which a set concurrency would conflict with.
 */
export function validateServingLoad(serving: ServingSpec): void {
  validateConcurrency(serving);
  validatePools(serving);
}

/** The checks of the workload and the device counts, which need no hardware figures. */
export function validateWorkload(input: Pick<EngineInput, 'workload' | 'parallelism'>): void {
  const { workload, parallelism } = input;
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
}

/**
 * Checks what every convention needs before any arithmetic, so bad input gets a named error
 * instead of a NaN or Infinity further down.
 */
export function validateEngineInput(input: EngineInput): void {
  validateWorkload(input);
  validateServing(input);
  validateHardware(input.hardware);
}

/** Hardware frozen all the way down (the presets) that passed once: it cannot have changed since. */
const validFrozenHardware = new WeakSet<HardwareSpec>();

function validateHardware(hardware: HardwareSpec): void {
  if (validFrozenHardware.has(hardware)) return;
  checkHardwareFigures(hardware);
  if (isFrozenDeep(hardware)) validFrozenHardware.add(hardware);
}

function checkHardwareFigures(hardware: HardwareSpec): void {
  requireInRange(hardware.memoryBandwidthBytesPerSecond, HARDWARE_RANGES.memory_bandwidth_gb_s, ['hardware', 'memory_bandwidth_gb_s'], 'memory bandwidth');
  if (hardware.memoryCapacityBytes !== undefined) {
    requireInRange(hardware.memoryCapacityBytes, HARDWARE_RANGES.memory_gib, ['hardware', 'memory_gib'], 'memory capacity');
  }
  if (hardware.onChipBufferBytes !== undefined) {
    requireInRange(hardware.onChipBufferBytes, HARDWARE_RANGES.on_chip_buffer_kb, ['hardware', 'on_chip_buffer_kb'], 'on-chip buffer');
  }
  if (hardware.interconnect) {
    const { bandwidthBytesPerSecond, latencySeconds } = hardware.interconnect;
    requireInRange(bandwidthBytesPerSecond, HARDWARE_RANGES.interconnect_bandwidth_gb_s, ['hardware', 'interconnect', 'bandwidth_gb_s'], 'interconnect bandwidth');
    requireInRange(latencySeconds, HARDWARE_RANGES.interconnect_latency_us, ['hardware', 'interconnect', 'latency_us'], 'interconnect latency');
    const { domainDevices, scaleOut } = hardware.interconnect;
    if (domainDevices !== undefined) requireInRange(domainDevices, HARDWARE_RANGES.domain_devices, ['hardware', 'interconnect', 'domain_devices'], 'domain_devices');
    if (scaleOut) {
      requireInRange(scaleOut.bandwidthBytesPerSecond, HARDWARE_RANGES.interconnect_bandwidth_gb_s, ['hardware', 'interconnect', 'scale_out', 'bandwidth_gb_s'], 'scale-out bandwidth');
      requireInRange(scaleOut.latencySeconds, HARDWARE_RANGES.interconnect_latency_us, ['hardware', 'interconnect', 'scale_out', 'latency_us'], 'scale-out latency');
    }
  }
  if (hardware.computeUnits !== undefined) requireInRange(hardware.computeUnits, HARDWARE_RANGES.compute_units, ['hardware', 'compute_units'], 'compute_units');
  if (hardware.expected) {
    requireInRange(hardware.expected.kernelSeconds, HARDWARE_RANGES.expected_us, ['hardware', 'expected', 'kernel_us'], 'expected.kernel_us');
    requireInRange(hardware.expected.stepSeconds, HARDWARE_RANGES.expected_us, ['hardware', 'expected', 'step_us'], 'expected.step_us');
    requireInRange(hardware.expected.requestSeconds, HARDWARE_RANGES.expected_us, ['hardware', 'expected', 'request_us'], 'expected.request_us');
  }
  const peaks = Object.entries(hardware.peakOpsPerSecond);
  if (peaks.length === 0) {
    throw new RooflineInputError(['hardware', 'peak_tflops'], 'the hardware gives no compute peak for any precision', 'missing-field');
  }
  for (const [precision, opsPerSecond] of peaks) {
    requireInRange(opsPerSecond as number, HARDWARE_RANGES.peak_tflops, ['hardware', 'peak_tflops', precision], `peak_tflops.${precision}`);
  }
}
