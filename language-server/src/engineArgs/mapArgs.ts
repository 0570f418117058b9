/**
 * The options of a vLLM or SGLang command → the deployment keys that mean the same thing, each
 * with the range of the argument it came from. Arguments that change the analysis but have no key
 * here are said in an information note on the argument, never dropped silently; the rest change
 * nothing we compute (ports, logging, tokenizer) and are accepted as they are.
 */
import type { JsonPath } from '../config/types';
import type { ArgProblem, ParsedArgs, ParsedOption, TextRange } from './parseArgs';
import { readHumanInteger } from './parseArgs';
import { readSglangSpeculative, readVllmSpeculative } from './speculativeArgs';

export type EngineName = 'vllm' | 'sglang' | 'trtllm';

/** One deployment key set by an argument. */
export interface DerivedEntry {
  path: JsonPath;
  value: unknown;
  /** The argument (name and value) in the text. */
  range: TextRange;
  /** The argument as people know it: `--max-model-len`. */
  argument: string;
  /** The argument's value alone, for fixes that change it. */
  valueRange?: TextRange;
}

export interface MappedArgs {
  entries: DerivedEntry[];
  problems: ArgProblem[];
  /** Which of the engine's defaults the command leaves to the engine (set once the model and hardware are known). */
  given: ReadonlySet<string>;
}

type Formats = { weights?: unknown; activations?: string };

/** --quantization methods whose formats we can name; the others are read from the checkpoint's quantization_config. */
const QUANTIZATION_FORMATS: Readonly<Record<string, Formats>> = {
  // Online or checkpoint fp8: e4m3 weights, and activations quantized per token on the fly (W8A8).
  fp8: { weights: 'fp8', activations: 'fp8' },
  fbgemm_fp8: { weights: 'fp8', activations: 'fp8' },
  ptpc_fp8: { weights: 'fp8', activations: 'fp8' },
  modelopt: { weights: 'fp8', activations: 'fp8' },
  modelopt_fp8: { weights: 'fp8', activations: 'fp8' },
  w8a8_fp8: { weights: 'fp8', activations: 'fp8' },
  w8a8_int8: { weights: 'int8', activations: 'int8' },
  mxfp8: { weights: 'mxfp8', activations: 'fp8' },
  awq: { weights: 'awq' },
  awq_marlin: { weights: 'awq' },
  awq_triton: { weights: 'awq' },
  gptq: { weights: 'gptq' },
  gptq_marlin: { weights: 'gptq' },
  gptq_marlin_24: { weights: 'gptq' },
  gptq_bitblas: { weights: 'gptq' },
  marlin: { weights: 'gptq' },
  modelopt_fp4: { weights: 'nvfp4', activations: 'fp4' },
  petit_nvfp4: { weights: 'nvfp4' },
  mxfp4: { weights: 'mxfp4' },
  experts_int8: { weights: { experts: 'int8' } },
  // bitsandbytes NF4: 4-bit elements with a scale per 64.
  bitsandbytes: { weights: 'int4-g64' },
};

const DTYPE_FORMATS: Readonly<Record<string, string>> = { half: 'fp16', float16: 'fp16', bfloat16: 'bf16', float: 'fp32', float32: 'fp32' };

const KV_FORMATS: Readonly<Record<string, string>> = {
  bfloat16: 'bf16',
  bf16: 'bf16',
  fp8: 'fp8',
  fp8_e4m3: 'fp8',
  fp8_e5m2: 'fp8',
  fp8_inc: 'fp8',
  fp8_ds_mla: 'fp8',
  fp4_e2m1: 'fp4',
};

/** The arguments each engine maps, by deployment key. */
const KEYS: Readonly<Record<EngineName, Readonly<Record<string, { path: JsonPath; kind: 'int' | 'float' }>>>> = {
  vllm: {
    '--tensor-parallel-size': { path: ['parallelism', 'tensor'], kind: 'int' },
    '--pipeline-parallel-size': { path: ['parallelism', 'pipeline'], kind: 'int' },
    '--max-model-len': { path: ['serving', 'max_model_len'], kind: 'int' },
    '--max-num-seqs': { path: ['serving', 'max_running_requests'], kind: 'int' },
    '--max-num-batched-tokens': { path: ['serving', 'max_batched_tokens'], kind: 'int' },
    '--gpu-memory-utilization': { path: ['memory', 'utilization'], kind: 'float' },
    '--block-size': { path: ['serving', 'kv_block_tokens'], kind: 'int' },
  },
  sglang: {
    '--tensor-parallel-size': { path: ['parallelism', 'tensor'], kind: 'int' },
    '--pipeline-parallel-size': { path: ['parallelism', 'pipeline'], kind: 'int' },
    '--expert-parallel-size': { path: ['parallelism', 'expert'], kind: 'int' },
    '--context-length': { path: ['serving', 'max_model_len'], kind: 'int' },
    '--max-running-requests': { path: ['serving', 'max_running_requests'], kind: 'int' },
    '--chunked-prefill-size': { path: ['serving', 'max_batched_tokens'], kind: 'int' },
    '--mem-fraction-static': { path: ['memory', 'utilization'], kind: 'float' },
    '--page-size': { path: ['serving', 'kv_block_tokens'], kind: 'int' },
  },
  trtllm: {
    '--tensor_parallel_size': { path: ['parallelism', 'tensor'], kind: 'int' },
    '--pipeline_parallel_size': { path: ['parallelism', 'pipeline'], kind: 'int' },
    '--moe_expert_parallel_size': { path: ['parallelism', 'expert'], kind: 'int' },
    '--max_seq_len': { path: ['serving', 'max_model_len'], kind: 'int' },
    '--max_batch_size': { path: ['serving', 'max_running_requests'], kind: 'int' },
    '--max_num_tokens': { path: ['serving', 'max_batched_tokens'], kind: 'int' },
    '--free_gpu_memory_fraction': { path: ['memory', 'utilization'], kind: 'float' },
  },
};

/** Arguments that change what the engine does in ways these formulas do not follow. */
const NOT_MODELLED: Readonly<Record<EngineName, Readonly<Record<string, string>>>> = {
  vllm: {
    '--cpu-offload-gb': 'weights offloaded to the CPU are not modelled: the analysis holds all weights on the GPUs',
    '--kv-cache-memory-bytes': 'a fixed KV cache size is not modelled: the pool is sized from --gpu-memory-utilization',
    '--num-gpu-blocks-override': 'a fixed number of KV blocks is not modelled: the pool is sized from --gpu-memory-utilization',
    '--decode-context-parallel-size': 'decode context parallelism is not modelled',
    '--hf-overrides': 'config overrides are not applied: write the changed fields in a model file',
    '--disable-sliding-window': 'sliding-window layers are analysed with their window',
  },
  sglang: {
    '--cpu-offload-gb': 'weights offloaded to the CPU are not modelled: the analysis holds all weights on the GPUs',
    '--max-total-tokens': 'a fixed KV pool size is not modelled: the pool is sized from --mem-fraction-static',
    '--enable-dp-attention': 'data-parallel attention is not modelled: attention is analysed tensor-parallel',
    '--enable-hierarchical-cache': 'the host-memory KV cache is not modelled',
  },
  trtllm: {
    '--config': 'the LLM API options in this YAML (kv_cache_config, speculative_config, quantization, ...) are not read: write the ones that matter as keys beside trtllm:',
    '--context_parallel_size': 'context parallelism is not modelled',
    '--moe_cluster_parallel_size': 'expert cluster parallelism is not modelled: experts are split by the expert-parallel size',
  },
};

function note(range: TextRange, message: string): ArgProblem {
  return { ...range, message, code: 'engine-arg-not-modelled', severity: 'information' };
}

function numberOf(option: ParsedOption, kind: 'int' | 'float'): number {
  const text = option.value ?? '';
  return kind === 'int' ? (readHumanInteger(text) ?? Number(text)) : Number(text);
}

/** `source`: the text the options' offsets point into, to place problems inside a JSON value. */
export function mapEngineArgs(engine: EngineName, parsed: ParsedArgs, source?: string): MappedArgs {
  const entries: DerivedEntry[] = [];
  const problems: ArgProblem[] = [];
  // argparse keeps the last occurrence of an option.
  const last = new Map<string, ParsedOption>();
  for (const option of parsed.options) last.set(option.name, option);
  const given = new Set(last.keys());
  const add = (option: ParsedOption, path: JsonPath, value: unknown): void => {
    entries.push({ path, value, range: option.range, argument: option.name, ...(option.valueRange ? { valueRange: option.valueRange } : {}) });
  };
  for (const [name, target] of Object.entries(KEYS[engine])) {
    const option = last.get(name);
    if (option) add(option, target.path, numberOf(option, target.kind));
  }
  // vLLM's expert parallelism runs on the tensor-parallel GPUs (times data parallelism, below).
  const expertParallel = last.get('--enable-expert-parallel');
  if (engine === 'vllm' && expertParallel?.enabled) {
    const tensor = last.get('--tensor-parallel-size');
    add(expertParallel, ['parallelism', 'expert'], tensor ? numberOf(tensor, 'int') : 1);
  }
  const dataParallel = last.get('--data-parallel-size');
  if (dataParallel && numberOf(dataParallel, 'int') > 1) {
    problems.push(note(dataParallel.range, `analysed per replica: each of the ${numberOf(dataParallel, 'int')} data-parallel replicas serves as computed here, and the deployment ${numberOf(dataParallel, 'int')} times as much`));
  }
  const quantization = last.get('--quantization');
  const formats = quantization?.value ? QUANTIZATION_FORMATS[quantization.value] : undefined;
  if (quantization && formats) {
    if (formats.weights !== undefined) add(quantization, ['quantization', 'weights'], formats.weights);
    if (formats.activations !== undefined) add(quantization, ['quantization', 'activations'], formats.activations);
  } else if (quantization?.value && quantization.value !== 'None' && quantization.value !== 'unquant') {
    problems.push(note(quantization.range, `${quantization.value}: the weight formats are read from the checkpoint's quantization_config`));
  }
  const dtype = last.get('--dtype');
  const dtypeFormat = dtype?.value ? DTYPE_FORMATS[dtype.value] : undefined;
  if (dtype && dtypeFormat) {
    if (!formats?.activations) add(dtype, ['quantization', 'activations'], dtypeFormat);
    if (!quantization) add(dtype, ['quantization', 'weights'], dtypeFormat);
  }
  const kvDtype = last.get('--kv-cache-dtype');
  if (kvDtype?.value) {
    // auto: the model's dtype (the --dtype format when given).
    const kvFormat = kvDtype.value === 'auto' ? dtypeFormat : KV_FORMATS[kvDtype.value];
    if (kvFormat) add(kvDtype, ['quantization', 'kv_cache'], kvFormat);
  }
  for (const [name, message] of Object.entries(NOT_MODELLED[engine])) {
    const option = last.get(name);
    // A parallel size of 1 is no parallelism at all.
    const trivial = option?.value === '0' || (name.endsWith('parallel_size') && option?.value === '1');
    if (option && !(option.spec.kind === 'flag' && !option.enabled) && !trivial) problems.push(note(option.range, message));
  }
  // trtllm-serve takes its speculative config in the --config YAML only.
  const speculative = engine === 'vllm' ? readVllmSpeculative(parsed.options, source) : engine === 'sglang' ? readSglangSpeculative(parsed.options) : undefined;
  if (speculative) problems.push(...speculative.problems);
  return { entries, problems, given };
}
