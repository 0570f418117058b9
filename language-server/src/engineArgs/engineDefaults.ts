/**
 * The defaults vLLM and SGLang choose for what a command leaves out, once the model and the
 * hardware are known. Each is set on the deployment as if written, on the `vllm:` value (the
 * longest context on the model argument), so its consequences are reported there.
 */
import type { HardwareSpec, HfConfig, ServingSpec } from '../engine/types';
import type { EngineArgsResolution } from './applyEngineArgs';
import type { EngineName } from './mapArgs';

const GIB = 1024 ** 3;

const ENGINE_LABELS: Readonly<Record<EngineName, string>> = { vllm: 'vLLM', sglang: 'SGLang', trtllm: 'TensorRT-LLM' };
const CONTEXT_ARGUMENTS: Readonly<Record<EngineName, string>> = { vllm: '--max-model-len', sglang: '--context-length', trtllm: '--max_seq_len' };
/** BuildConfig's defaults, which trtllm-serve takes for --max_num_tokens and --max_batch_size (tensorrt_llm/builder.py). */
const TRTLLM_MAX_NUM_TOKENS = 8192;
const TRTLLM_MAX_BATCH_SIZE = 2048;
const MIB = 1024 ** 2;

/** The model's context as the engines derive it without an argument: max_position_embeddings (also in text_config). */
export function modelContextLength(model: HfConfig): number | undefined {
  const fields = model as Record<string, unknown>;
  const text = fields.text_config;
  for (const source of [fields, text !== null && typeof text === 'object' ? (text as Record<string, unknown>) : {}]) {
    for (const key of ['max_position_embeddings', 'n_positions', 'max_seq_len', 'seq_length']) {
      const value = source[key];
      if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
    }
  }
  return undefined;
}

/**
 * vLLM V1's defaults for its OpenAI-compatible server (vllm/engine/arg_utils.py,
 * `_set_default_args`): on GPUs of at least 70 GiB other than the A100, 8192 tokens per step and
 * 1024 running requests; elsewhere 2048 and 256. max_num_seqs is at most max_num_batched_tokens.
 */
export function vllmSchedulerDefaults(hardware: HardwareSpec): { maxBatchedTokens: number; maxRunningRequests: number } {
  const large = (hardware.memoryCapacityBytes ?? 0) >= 70 * GIB && !/a100/i.test(hardware.name);
  const maxBatchedTokens = large ? 8192 : 2048;
  return { maxBatchedTokens, maxRunningRequests: Math.min(large ? 1024 : 256, maxBatchedTokens) };
}

/**
 * SGLang's defaults (python/sglang/srt/server_args.py, `__post_init__`): mem_fraction_static leaves
 * a reserve that grows with the GPU class and tensor × pipeline parallelism, and the chunked
 * prefill size follows the GPU's memory.
 */
export function sglangMemoryDefaults(hardware: HardwareSpec, gpusPerInstance: number): { memFractionStatic: number; chunkedPrefillSize: number } | undefined {
  if (hardware.memoryCapacityBytes === undefined) return undefined;
  const gpuMemMib = hardware.memoryCapacityBytes / MIB;
  let reservedMib: number;
  if (gpuMemMib < 35 * 1024) reservedMib = (2.8 + gpusPerInstance / 10) * 1024;
  else if (gpuMemMib < 90 * 1024) reservedMib = (9.5 + gpusPerInstance / 2) * 1024;
  else if (gpuMemMib < 160 * 1024) reservedMib = (12 + gpusPerInstance / 2) * 1024;
  else reservedMib = 32 * 1024;
  const memFractionStatic = Math.round(((gpuMemMib - reservedMib) / gpuMemMib) * 1000) / 1000;
  const chunkedPrefillSize = gpuMemMib < 35 * 1024 ? 2048 : gpuMemMib < 160 * 1024 ? 8192 : 16384;
  return { memFractionStatic, chunkedPrefillSize };
}

/**
 * Fills in what the command left to the engine. Returns the memory share to use (SGLang's default
 * mem_fraction_static when neither the command nor memory.utilization gives one).
 */
export function completeEngineDefaults(
  resolution: EngineArgsResolution,
  serving: ServingSpec,
  written: { maxBatchedTokens: boolean; maxRunningRequests: boolean; maxModelLen: boolean; memoryUtilization: boolean },
  model: HfConfig | undefined,
  hardware: HardwareSpec | undefined,
  gpusPerInstance: number,
): number | undefined {
  const vllm = resolution.engine === 'vllm';
  const engine = ENGINE_LABELS[resolution.engine];
  const contextLength = model ? modelContextLength(model) : undefined;
  if (!written.maxModelLen && contextLength !== undefined) {
    serving.maxModelLen = contextLength;
    resolution.setDefault(['serving', 'max_model_len'], contextLength, `${engine}'s default without ${CONTEXT_ARGUMENTS[resolution.engine]}: the model's max_position_embeddings`);
  }
  if (resolution.engine === 'trtllm') {
    // trtllm-serve's defaults (tensorrt_llm/commands/serve.py from BuildConfig): max_num_tokens 8192, max_batch_size 2048.
    if (!written.maxBatchedTokens) {
      serving.maxBatchedTokens = TRTLLM_MAX_NUM_TOKENS;
      resolution.setDefault(['serving', 'max_batched_tokens'], TRTLLM_MAX_NUM_TOKENS, "TensorRT-LLM's default --max_num_tokens");
    }
    if (!written.maxRunningRequests) {
      serving.maxRunningRequests = TRTLLM_MAX_BATCH_SIZE;
      resolution.setDefault(['serving', 'max_running_requests'], TRTLLM_MAX_BATCH_SIZE, "TensorRT-LLM's default --max_batch_size");
    }
    return undefined;
  }
  if (!hardware) return undefined;
  if (vllm) {
    const defaults = vllmSchedulerDefaults(hardware);
    if (!written.maxBatchedTokens) {
      serving.maxBatchedTokens = defaults.maxBatchedTokens;
      resolution.setDefault(['serving', 'max_batched_tokens'], defaults.maxBatchedTokens, "vLLM's default --max-num-batched-tokens on this GPU");
    }
    if (!written.maxRunningRequests) {
      const cap = Math.min(defaults.maxRunningRequests, serving.maxBatchedTokens);
      serving.maxRunningRequests = cap;
      resolution.setDefault(['serving', 'max_running_requests'], cap, "vLLM's default --max-num-seqs on this GPU");
    }
    return undefined;
  }
  const defaults = sglangMemoryDefaults(hardware, gpusPerInstance);
  if (!defaults) return undefined;
  if (!written.maxBatchedTokens) {
    serving.maxBatchedTokens = defaults.chunkedPrefillSize;
    resolution.setDefault(['serving', 'max_batched_tokens'], defaults.chunkedPrefillSize, "SGLang's default --chunked-prefill-size on this GPU");
  }
  if (written.memoryUtilization) return undefined;
  resolution.setDefault(['memory', 'utilization'], defaults.memFractionStatic, "SGLang's default --mem-fraction-static on this GPU");
  return defaults.memFractionStatic;
}
