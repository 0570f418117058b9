/**
 * The other way: any resolved deployment as the `vllm serve` or SGLang launch command that runs
 * it. Each key becomes the argument that means the same thing (the inverse of mapArgs.ts, so the
 * command read back gives the same analysis); what no argument expresses is listed, never
 * silently dropped.
 */
import { quote } from 'shell-quote';
import { readCheckpointQuantization } from '../engine/checkpointQuantization';
import { NON_TORCH_BYTES_MULTI_GPU, NON_TORCH_BYTES_SINGLE_GPU } from '../engine/default/serving';
import type { AnalysisResult, EngineInput, SpeculativeSpec } from '../engine/types';
import type { EngineName as AnyEngineName } from './mapArgs';

/** The engines a deployment can be copied as (trtllm-serve's formats and budget live in its --config YAML). */
type EngineName = Exclude<AnyEngineName, 'trtllm'>;

export interface EngineCommand {
  engine: EngineName;
  /** One line, quoted for a POSIX shell. */
  command: string;
  /** What the deployment says that the command cannot (each a sentence). */
  notExpressed: string[];
}

/** Weight formats an engine quantizes to at load time, by our format name → its --quantization method. */
const RUNTIME_QUANTIZATION: Readonly<Record<EngineName, Readonly<Record<string, string>>>> = {
  vllm: { fp8: 'fp8', 'int4-g64': 'bitsandbytes' },
  sglang: { fp8: 'fp8', 'int4-g64': 'bitsandbytes', int8: 'w8a8_int8', mxfp8: 'mxfp8' },
};

/** Checkpoint formats the engine reads from a checkpoint made in them. */
const CHECKPOINT_QUANTIZATION: Readonly<Record<string, string>> = { awq: 'awq', gptq: 'gptq', nvfp4: 'modelopt_fp4', mxfp4: 'mxfp4' };

const DTYPES: Readonly<Record<string, string>> = { bf16: 'bfloat16', fp16: 'float16', fp32: 'float32' };

const VLLM_BLOCK_SIZES = new Set([1, 8, 16, 32, 64, 128, 256]);

/** The model as the engine loads it: a Hugging Face id, or the folder of a config.json. */
export function modelReferenceOf(written: unknown, fallback: string): string {
  if (typeof written !== 'string') return fallback;
  return written.replace(/[\\/]config\.json$/i, '') || fallback;
}

function memoryShare(engine: EngineName, input: EngineInput, result: AnalysisResult | undefined): { share?: number; note?: string } {
  const budget = input.serving?.memoryBudget ?? 'vllm';
  const utilization = input.memoryUtilization;
  if (budget === engine) return utilization === undefined || (engine === 'vllm' && utilization === 0.9) ? {} : { share: utilization };
  // The other engine's budget: the share that gives the same KV pool, when the pool is known.
  const pool = result?.serving?.kv_pool_bytes_per_gpu;
  const capacity = input.hardware.memoryCapacityBytes;
  if (engine === 'sglang' && pool !== undefined && capacity !== undefined && result) {
    const gpus = input.parallelism.tensor * (input.parallelism.pipeline ?? 1);
    const nonTorch = gpus > 1 ? NON_TORCH_BYTES_MULTI_GPU : NON_TORCH_BYTES_SINGLE_GPU;
    return { share: Math.round(((pool + result.memory.weights_bytes + nonTorch) / capacity) * 1000) / 1000 };
  }
  const ours = budget === 'tensorrt-llm' ? " (TensorRT-LLM's: a fraction of the memory left free)" : '';
  return { note: `the memory share is left to ${engine === 'vllm' ? 'vLLM' : 'SGLang'}'s default: its budget counts activations ${engine === 'vllm' ? 'inside' : 'outside'} the share, unlike this deployment's${ours}` };
}

/**
 * A draft model as the engine's speculative options: vLLM's --speculative-config with method
 * draft_model (vllm/config/speculative.py), SGLang's STANDALONE algorithm with a chain of γ steps
 * (topk 1, γ + 1 tokens verified; server_args.py). The acceptance rate is measured by the engine,
 * not given to it.
 */
function addSpeculative(engine: EngineName, spec: SpeculativeSpec, add: (name: string, value?: string | number) => void, notExpressed: string[]): void {
  const rate = Array.isArray(spec.acceptanceRate) ? `s ${spec.acceptanceRate.join(', ')}` : ` ${String(spec.acceptanceRate)}`;
  const measured = `the acceptance rate${rate}: no engine argument sets it (the engine measures it)`;
  if (spec.draft === 'mtp') {
    // The model's own MTP module: vLLM's method mtp, SGLang's EAGLE chain over the NextN layer.
    if (engine === 'vllm') add('--speculative-config', JSON.stringify({ method: 'mtp', num_speculative_tokens: spec.draftTokens }));
    else {
      add('--speculative-algorithm', 'EAGLE');
      add('--speculative-num-steps', spec.draftTokens);
      add('--speculative-eagle-topk', 1);
      add('--speculative-num-draft-tokens', spec.draftTokens + 1);
    }
    notExpressed.push(measured);
    return;
  }
  const draft = spec.draftModelName;
  if (/\s/.test(draft) || draft.length === 0) {
    notExpressed.push(`speculative decoding with ${draft}: give the engine the draft model's id or folder`);
    return;
  }
  if (engine === 'vllm') {
    add('--speculative-config', JSON.stringify({ method: 'draft_model', model: draft, num_speculative_tokens: spec.draftTokens }));
  } else {
    add('--speculative-algorithm', 'STANDALONE');
    add('--speculative-draft-model-path', draft);
    add('--speculative-num-steps', spec.draftTokens);
    add('--speculative-eagle-topk', 1);
    add('--speculative-num-draft-tokens', spec.draftTokens + 1);
  }
  notExpressed.push(measured);
}

export function engineCommandOf(engine: EngineName, input: EngineInput, model: string, result?: AnalysisResult): EngineCommand {
  const vllm = engine === 'vllm';
  const args: string[] = vllm ? ['vllm', 'serve', model] : ['python', '-m', 'sglang.launch_server', '--model-path', model];
  const notExpressed: string[] = [];
  const add = (name: string, value?: string | number): void => {
    args.push(name);
    if (value !== undefined) args.push(String(value));
  };
  const { tensor, pipeline = 1, expert = 1 } = input.parallelism;
  if (tensor > 1) add(vllm ? '--tensor-parallel-size' : '--tp-size', tensor);
  if (pipeline > 1) add(vllm ? '--pipeline-parallel-size' : '--pp-size', pipeline);
  if (expert > 1) {
    if (vllm) add('--enable-expert-parallel');
    else add('--ep-size', expert);
  }
  const { weights, activations, kvCache } = input.quantization;
  const checkpoint = readCheckpointQuantization(input.model);
  const dtype = DTYPES[activations.name] ?? DTYPES[weights.name];
  if (input.quantization.weightsByKind && Object.keys(input.quantization.weightsByKind).length > 0 && !checkpoint) {
    notExpressed.push('formats per kind of layer: the engine takes them from a checkpoint quantized that way');
  } else if (!checkpoint && !DTYPES[weights.name]) {
    const runtime = RUNTIME_QUANTIZATION[engine][weights.name];
    const fromCheckpoint = CHECKPOINT_QUANTIZATION[weights.name];
    if (runtime) add('--quantization', runtime);
    else if (fromCheckpoint) {
      add('--quantization', fromCheckpoint);
      notExpressed.push(`${weights.name} weights: the model must be a checkpoint quantized in ${weights.name}`);
    } else {
      notExpressed.push(`${weights.name} weights: neither engine quantizes to it at load time; serve a checkpoint quantized to it`);
    }
  }
  if (dtype && dtype !== 'float16') add('--dtype', dtype);
  if (kvCache.name === 'fp8') add('--kv-cache-dtype', vllm ? 'fp8' : 'fp8_e4m3');
  else if (kvCache.name === 'fp4' && !vllm) add('--kv-cache-dtype', 'fp4_e2m1');
  else if (!DTYPES[kvCache.name]) notExpressed.push(`a ${kvCache.name} KV cache: ${vllm ? 'vLLM stores it in 16 bits or fp8' : 'SGLang stores it in 16 bits, fp8 or fp4'}`);
  const share = memoryShare(engine, input, result);
  if (share.share !== undefined) add(vllm ? '--gpu-memory-utilization' : '--mem-fraction-static', share.share);
  if (share.note) notExpressed.push(share.note);
  const serving = input.serving;
  const { promptTokens, outputTokens, batchSize } = input.workload;
  // The longest request: the deployment's own, else the workload's, so the engine reserves no more.
  add(vllm ? '--max-model-len' : '--context-length', serving?.maxModelLen ?? promptTokens + outputTokens);
  if (serving) {
    add(vllm ? '--max-num-batched-tokens' : '--chunked-prefill-size', serving.maxBatchedTokens);
    if (vllm && serving.kvBlockTokens !== 16) {
      if (VLLM_BLOCK_SIZES.has(serving.kvBlockTokens)) add('--block-size', serving.kvBlockTokens);
      else notExpressed.push(`KV blocks of ${serving.kvBlockTokens} tokens: vLLM's block sizes are ${[...VLLM_BLOCK_SIZES].join(', ')}`);
    }
    if (!vllm && serving.kvBlockTokens !== 1) add('--page-size', serving.kvBlockTokens);
    if (serving.maxRunningRequests !== undefined) add(vllm ? '--max-num-seqs' : '--max-running-requests', serving.maxRunningRequests);
    if (serving.kvCacheMaxTokens !== undefined && serving.memoryBudget === 'tensorrt-llm') {
      notExpressed.push(`kv_cache_max_tokens ${serving.kvCacheMaxTokens}: TensorRT-LLM's cap on the KV pool; ${vllm ? 'vLLM' : 'SGLang'} sizes the pool by its memory share`);
    }
    if (serving.disaggregated) notExpressed.push('disaggregated prefill and decode pools: each pool is its own engine with a KV transfer connector');
  } else {
    // One fixed batch: at most that many requests at once.
    add(vllm ? '--max-num-seqs' : '--max-running-requests', batchSize);
  }
  if (input.speculative) addSpeculative(engine, input.speculative, add, notExpressed);
  return { engine, command: quote(args), notExpressed };
}
