/**
 * "Will it start?": the check a serving engine makes once it has sized its KV pool, before it
 * serves a request.
 *
 * vLLM (vllm/v1/core/kv_cache_utils.py, `check_enough_kv_cache_memory`): with no memory left for
 * the pool it raises "No available memory for the cache blocks"; when one request of
 * `max_model_len` tokens needs more KV cache than the pool holds it raises "To serve at least one
 * request with the models's max seq len (L), (X GiB KV cache is needed, which is larger than the
 * available KV cache memory (Y GiB)", with the longest length that fits (`estimate_max_model_len`,
 * a bisection like the one below). Otherwise it logs the pool in tokens and "Maximum concurrency
 * for L tokens per request", the pool's tokens over L (`get_max_concurrency_for_kv_cache_config`).
 *
 * SGLang (sglang/srt/model_executor/model_runner.py, `profile_max_num_token`): a pool of no tokens
 * raises "Not enough memory. Please try to increase --mem-fraction-static"; a context length
 * longer than the pool starts, but its scheduler caps each request at the pool's tokens
 * (`max_req_len = min(context_len - 1, max_total_num_tokens - 1)`), which the result reports.
 *
 * TensorRT-LLM (tensorrt_llm/_torch/pyexecutor/resource_manager.py, KVCacheManager
 * `get_max_atten_window_upper_bound`): a pool without one block asserts "Impossible to fit in any
 * sequence in kvCache"; a max_seq_len longer than the pool starts, with the attention window
 * capped at the pool's tokens, so a longer request attends to its last tokens only. That is a
 * warning (config/startupWarnings.ts), not a refusal.
 */
import { RooflineInputError } from '../errors';
import type { EngineInput, EngineStartup, MemoryBudget, ServingSpec } from '../types';
import { kvCacheBytes, stateBytes } from './memory';
import type { PreparedDefault } from './prepare';

const GIB = 1024 ** 3;

/** The refusal, with the figures a quick fix needs (the longest max_model_len that fits). */
export class EngineStartupError extends RooflineInputError {
  constructor(
    path: readonly (string | number)[],
    message: string,
    readonly startup: Partial<EngineStartup>,
  ) {
    super(path, message, 'engine-would-not-start');
  }
}

/** Longest lengths searched: far beyond any model's positions. */
const LENGTH_SEARCH_CAP_TOKENS = 2 ** 40;

function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(2)} GiB`;
}

function tokens(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** KV cache of one request holding `length` tokens, in whole blocks, per GPU. */
export function kvBytesOfRequest(prepared: PreparedDefault, length: number, blockTokens: number): number {
  const paged = Math.ceil(length / blockTokens) * blockTokens;
  return kvCacheBytes(prepared.memoryLayers, 1, paged, prepared.sizes) + stateBytes(prepared.memoryLayers, 1, prepared.sizes);
}

/** The longest request whose KV cache fits in `poolBytes` (0 when not even one token does). */
function longestFitting(prepared: PreparedDefault, poolBytes: number, blockTokens: number): number {
  const fits = (length: number): boolean => kvBytesOfRequest(prepared, length, blockTokens) <= poolBytes;
  if (!fits(1)) return 0;
  let low = 1;
  let high = 2;
  while (fits(high)) {
    low = high;
    if (high >= LENGTH_SEARCH_CAP_TOKENS) return LENGTH_SEARCH_CAP_TOKENS;
    high *= 2;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/** What makes up the pool, for the messages: the engine's own terms. */
export interface PoolTerms {
  budget: MemoryBudget;
  capacityBytes: number;
  memoryUtilization: number;
  weightsBytes: number;
  activationBytes: number;
  nonTorchBytes: number;
  /** TensorRT-LLM's KvCacheConfig.max_tokens cap, with the KV bytes of one token that turn it into bytes. */
  maxTokens?: number;
  kvBytesPerToken?: number;
}

/** The pool the terms give; TensorRT-LLM's before its max_tokens cap is `uncappedPoolBytesOf`. */
export function poolBytesOf(terms: PoolTerms): number {
  const uncapped = uncappedPoolBytesOf(terms);
  if (terms.maxTokens === undefined || terms.kvBytesPerToken === undefined) return uncapped;
  return Math.min(uncapped, terms.maxTokens * terms.kvBytesPerToken);
}

export function uncappedPoolBytesOf(terms: PoolTerms): number {
  const held = terms.weightsBytes + terms.activationBytes + terms.nonTorchBytes;
  if (terms.budget === 'tensorrt-llm') return (terms.capacityBytes - held) * terms.memoryUtilization;
  return terms.capacityBytes * terms.memoryUtilization - held;
}

/** The engine's name in messages. */
export const ENGINE_NAMES: Readonly<Record<MemoryBudget, string>> = { vllm: 'vLLM', sglang: 'SGLang', 'tensorrt-llm': 'TensorRT-LLM' };

/** The argument that sets memory.utilization, per engine. */
const UTILIZATION_ARGUMENTS: Readonly<Record<MemoryBudget, string>> = {
  vllm: '--gpu-memory-utilization',
  sglang: '--mem-fraction-static',
  'tensorrt-llm': '--kv_cache_free_gpu_memory_fraction',
};

function poolSentence(pool: number, terms: PoolTerms): string {
  const activations = terms.budget === 'sglang' ? '' : ` − ${gib(terms.activationBytes)} activations of a full step`;
  const held = `${gib(terms.weightsBytes)} weights${activations} − ${gib(terms.nonTorchBytes)} outside PyTorch`;
  if (terms.budget === 'tensorrt-llm') {
    const cap =
      terms.maxTokens !== undefined && terms.kvBytesPerToken !== undefined && terms.maxTokens * terms.kvBytesPerToken < uncappedPoolBytesOf(terms)
        ? `, capped at kv_cache_max_tokens ${tokens(terms.maxTokens)}`
        : '';
    return `KV pool ${gib(pool)} per GPU (${terms.memoryUtilization} × (${gib(terms.capacityBytes)} − ${held}) free${cap})`;
  }
  return `KV pool ${gib(pool)} per GPU (${terms.memoryUtilization} × ${gib(terms.capacityBytes)} − ${held})`;
}

/**
 * The start-up figures for `spec.maxModelLen`, or an error on the key that makes the engine refuse
 * to start: `memory.utilization` when the pool is empty, `serving.max_model_len` when one request
 * of that length does not fit (vLLM) or when the workload's requests are longer than it.
 */
export function engineStartupOf(prepared: PreparedDefault, input: EngineInput, spec: ServingSpec, pool: number, terms: PoolTerms): EngineStartup | undefined {
  const maxModelLen = spec.maxModelLen;
  if (maxModelLen === undefined) return undefined;
  const budget = terms.budget;
  const engine = ENGINE_NAMES[budget];
  const poolText = poolSentence(pool, terms);
  if (pool <= 0 || kvBytesOfRequest(prepared, 1, spec.kvBlockTokens) > pool) {
    const hint = `raise memory.utilization (${UTILIZATION_ARGUMENTS[budget]})`;
    throw new EngineStartupError(
      ['memory', 'utilization'],
      `${engine} would refuse to start: no memory is left for the KV cache (${poolText}); ${hint}, use more GPUs or smaller weight formats`,
      { memory_budget: budget, max_model_len: maxModelLen, kv_pool_bytes_per_gpu: pool, longest_fitting_model_len: 0 },
    );
  }
  const { promptTokens, outputTokens } = input.workload;
  if (promptTokens + outputTokens > maxModelLen) {
    throw new RooflineInputError(
      ['serving', 'max_model_len'],
      `the workload's requests hold ${tokens(promptTokens + outputTokens)} tokens (${tokens(promptTokens)} prompt + ${tokens(outputTokens)} output), more than max_model_len ${tokens(maxModelLen)}: ${engine} refuses them`,
      'request-too-long',
    );
  }
  const perMaxLen = kvBytesOfRequest(prepared, maxModelLen, spec.kvBlockTokens);
  const bytesPerBlock = kvCacheBytes(prepared.memoryLayers, 1, spec.kvBlockTokens, prepared.sizes);
  const blocks = bytesPerBlock > 0 ? Math.floor(pool / bytesPerBlock) : 0;
  const longest = longestFitting(prepared, pool, spec.kvBlockTokens);
  const concurrency = pool / perMaxLen;
  const startup: EngineStartup = {
    memory_budget: budget,
    max_model_len: maxModelLen,
    kv_pool_bytes_per_gpu: pool,
    kv_block_tokens: spec.kvBlockTokens,
    kv_blocks_per_gpu: blocks,
    kv_pool_tokens: blocks * spec.kvBlockTokens,
    kv_bytes_per_max_len_request: perMaxLen,
    max_concurrency_at_max_model_len: concurrency,
    longest_fitting_model_len: longest,
  };
  if (budget === 'vllm' && perMaxLen > pool) {
    throw new EngineStartupError(
      ['serving', 'max_model_len'],
      `vLLM would refuse to start: one request of max_model_len ${tokens(maxModelLen)} tokens needs ${gib(perMaxLen)} of KV cache per GPU, more than the ${poolText}; ` +
        `the pool holds ${tokens(startup.kv_pool_tokens)} tokens (${tokens(blocks)} blocks of ${spec.kvBlockTokens}), a maximum concurrency of ${concurrency.toFixed(2)} requests of ${tokens(maxModelLen)} tokens. ` +
        `The longest max_model_len that fits is ${tokens(longest)}; or store the KV cache in fp8, or use more GPUs`,
      startup,
    );
  }
  return startup;
}
