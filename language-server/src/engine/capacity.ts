/**
 * Capacity answers: the largest batch and the longest context that fit in the usable memory of
 * one device. Usable memory is capacity × memory utilization, as vLLM's
 * `gpu_memory_utilization` (default 0.9) leaves the rest to the CUDA context, the allocator's
 * fragmentation and other processes. Memory is weights (fixed) + KV cache (per sequence, per
 * cached token) + activations (per sequence for a given prompt length), so the largest batch
 * has a closed form; the longest context is found by bisection over a memory-only function that
 * grows with the context, bracketed by the KV cache alone so that only a few evaluations of the
 * plan's activation sizes are needed (no timing).
 */
import { RooflineInputError } from './errors';

export const DEFAULT_MEMORY_UTILIZATION = 0.9;

/** Contexts longer than this are reported as this: far beyond any model's positions. */
export const CONTEXT_SEARCH_CAP_TOKENS = 2 ** 40;

/** What memory a deployment needs, as functions of the workload. */
export interface MemoryModel {
  /** Weights (of every model held: target and draft). */
  fixedBytes: number;
  /** KV cache of one sequence holding `tokens` tokens. */
  kvBytesPerSequence(tokens: number): number;
  /** The activation peak of a batch with this prompt length (largest of prefill and decode). */
  activationBytes(batchSize: number, promptTokens: number): number;
}

export interface CapacityAnswer {
  max_batch_size: number;
  max_context_tokens: number;
  usable_bytes: number;
  memory_utilization: number;
}

export function requireMemoryUtilization(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MEMORY_UTILIZATION;
  if (!Number.isFinite(value) || value <= 0 || value > 1) {
    throw new RooflineInputError(['memory', 'utilization'], `must be a fraction of the device memory above 0 and at most 1, got ${value}`, 'out-of-range');
  }
  return value;
}

/**
 * The one definition of "fits" used by every answer (analysis, sweeps, capacity, comparison,
 * quick fixes): the deployment's memory within the usable share of the device's capacity.
 * Unknown capacity fits (nothing to compare with).
 */
export function usableBytesOf(capacityBytes: number, memoryUtilization: number): number {
  return capacityBytes * memoryUtilization;
}

export function fitsInMemory(totalBytes: number, capacityBytes: number | undefined, memoryUtilization: number): boolean {
  return capacityBytes === undefined || totalBytes <= usableBytesOf(capacityBytes, memoryUtilization);
}

function totalBytes(model: MemoryModel, batchSize: number, promptTokens: number, outputTokens: number): number {
  return model.fixedBytes + batchSize * model.kvBytesPerSequence(promptTokens + outputTokens) + model.activationBytes(batchSize, promptTokens);
}

/**
 * Largest batch: weights + b · (KV per sequence + activations per sequence) ≤ usable, solved for b.
 * Activations grow in proportion to the batch, so the answer is exact; a bounded check on either
 * side guards against rounding.
 */
export function largestBatch(model: MemoryModel, promptTokens: number, outputTokens: number, usableBytes: number): number {
  const room = usableBytes - model.fixedBytes;
  // Weights alone fill the memory: no batch fits, whatever a sequence needs.
  if (room <= 0) return 0;
  const perSequence = model.kvBytesPerSequence(promptTokens + outputTokens) + model.activationBytes(1, promptTokens);
  if (perSequence <= 0) return Number.MAX_SAFE_INTEGER;
  let batch = Math.floor(room / perSequence);
  for (let guard = 0; guard < 4 && batch > 0 && totalBytes(model, batch, promptTokens, outputTokens) > usableBytes; guard++) batch--;
  for (let guard = 0; guard < 4 && totalBytes(model, batch + 1, promptTokens, outputTokens) <= usableBytes; guard++) batch++;
  return batch;
}

/**
 * The largest whole number ≥ `from` that satisfies a predicate which holds at `from` and, once
 * false, stays false: doubling, then bisection. Capped at CONTEXT_SEARCH_CAP_TOKENS.
 */
function largestSatisfying(holds: (value: number) => boolean, from: number): number {
  let low = from;
  let high = Math.max(2, from * 2);
  while (holds(high)) {
    low = high;
    if (high >= CONTEXT_SEARCH_CAP_TOKENS) return CONTEXT_SEARCH_CAP_TOKENS;
    high *= 2;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (holds(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * Longest context (prompt + output tokens per sequence) at this batch and output length: the
 * prompt grows, the output stays. 0 when not even a one-token prompt fits. Memory grows with the
 * prompt (KV cache and prefill activations), so the boundary is found by search; the KV cache is
 * cheap to evaluate and activations only add to it, so the search first brackets the answer with
 * the KV cache alone (above: without activations; below: with the activations of the upper
 * bound) and evaluates activations only inside that bracket.
 */
export function longestContext(model: MemoryModel, batchSize: number, outputTokens: number, usableBytes: number): number {
  // Weights alone fill the memory (the other terms are never negative): nothing fits.
  if (model.fixedBytes > usableBytes) return 0;
  const fits = (promptTokens: number): boolean => totalBytes(model, batchSize, promptTokens, outputTokens) <= usableBytes;
  if (!fits(1)) return 0;
  const kvFits = (promptTokens: number, activationBytes: number): boolean =>
    model.fixedBytes + batchSize * model.kvBytesPerSequence(promptTokens + outputTokens) + activationBytes <= usableBytes;
  const upper = largestSatisfying((promptTokens) => kvFits(promptTokens, 0), 1);
  if (upper >= CONTEXT_SEARCH_CAP_TOKENS && fits(CONTEXT_SEARCH_CAP_TOKENS)) return CONTEXT_SEARCH_CAP_TOKENS + outputTokens;
  if (fits(upper)) return upper + outputTokens;
  const activationsAtUpper = model.activationBytes(batchSize, upper);
  const low = kvFits(1, activationsAtUpper) ? largestSatisfying((promptTokens) => kvFits(promptTokens, activationsAtUpper), 1) : 1;
  return largestFittingBetween((promptTokens) => totalBytes(model, batchSize, promptTokens, outputTokens), usableBytes, low, upper) + outputTokens;
}

/**
 * The largest whole number in [low, high) whose bytes fit in `usableBytes`, given that `low`
 * fits, `high` does not, and bytes grow with the number. Memory grows nearly in proportion to
 * the prompt, so each step guesses where the line through the two ends crosses the limit (a
 * false-position step) and falls back to halving when a guess did not halve the range: a few
 * evaluations of the activation sizes instead of one per bit of the range. The answer is the
 * one boundary of a growing function, so it is the one bisection finds.
 */
function largestFittingBetween(bytesAt: (value: number) => number, usableBytes: number, low: number, high: number): number {
  let lowBytes = bytesAt(low);
  let highBytes = high > low + 1 ? bytesAt(high) : usableBytes;
  let halve = false;
  while (high - low > 1) {
    const range = high - low;
    let middle = Math.floor((low + high) / 2);
    if (!halve && highBytes > lowBytes && Number.isFinite(highBytes)) {
      const guess = low + Math.floor((range * (usableBytes - lowBytes)) / (highBytes - lowBytes));
      middle = Math.min(high - 1, Math.max(low + 1, guess));
    }
    const middleBytes = bytesAt(middle);
    if (middleBytes <= usableBytes) {
      halve = !halve && high - middle > range / 2;
      low = middle;
      lowBytes = middleBytes;
    } else {
      halve = !halve && middle - low > range / 2;
      high = middle;
      highBytes = middleBytes;
    }
  }
  return low;
}

export function capacityAnswer(
  model: MemoryModel,
  workload: { batchSize: number; promptTokens: number; outputTokens: number },
  capacityBytes: number,
  memoryUtilization: number,
): CapacityAnswer {
  const usableBytes = usableBytesOf(capacityBytes, memoryUtilization);
  return {
    max_batch_size: largestBatch(model, workload.promptTokens, workload.outputTokens, usableBytes),
    max_context_tokens: longestContext(model, workload.batchSize, workload.outputTokens, usableBytes),
    usable_bytes: usableBytes,
    memory_utilization: memoryUtilization,
  };
}
