/**
 * The software that runs the model (`engine:` in a deployment), for `efficiency: expected`: how it
 * puts kernels on the GPU and what the host does between steps, and whether its decode attention
 * kernel shares a KV head's loads among the query heads of a group. The hardware family's
 * constants (constants.ts) describe a serving engine; the other profiles replace the host-side
 * ones with what their own path costs. Each figure with its source.
 */
import type { ServingEngine } from '../types';

export interface EngineProfile {
  id: ServingEngine;
  label: string;
  /** Fixed cost of one kernel in the engine's launch path; absent: the hardware family's (a serving engine's CUDA graphs). */
  kernelSeconds?: number;
  /**
   * Host time to launch one kernel when the engine launches each from the host (no captured
   * graph): a kernel then takes at least this long, as the GPU waits for the next launch.
   */
  hostLaunchSeconds?: number;
  /** Host time per forward step; absent: the hardware family's. */
  stepSeconds?: number;
  /** Time per request before its first token; absent: the hardware family's. */
  requestSeconds?: number;
  /** Decode attention reads each KV head once for every query head sharing it (no grouped-query kernel). */
  kvReadPerQueryHead: boolean;
  /** The engine runs its own one-shot all-reduce over NVLink and xGMI for small messages; false: NCCL's ring for every all-reduce. */
  oneShotAllReduce: boolean;
  /**
   * Time each collective costs beyond the library's own, when the engine calls it through a
   * framework's process group (torch.distributed) rather than running its own kernel; absent: none.
   */
  collectiveCallSeconds?: number;
  source: string;
}

/**
 * - `serving` (default): vLLM, SGLang, TensorRT-LLM from v0.8, LMDeploy TurboMind, NVIDIA NIM:
 *   a scheduler on the host and CUDA graphs (or a C++ runtime) for decode; the hardware family's
 *   constants.
 * - `tensorrt-llm-before-xqa`: TensorRT-LLM up to v0.7. Its masked multi-head attention kernel
 *   runs one thread block per query head, so with grouped-query attention each KV head is read
 *   once per query head of its group; the XQA kernel (TensorRT-LLM v0.8) loads it once for the
 *   group with tensor cores: "New XQA-kernel provides 2.4x more Llama-70B throughput within the
 *   same latency budget", 1,227 → 2,941 output tok/s per GPU on one H200, 128 in / 2048 out
 *   (TensorRT-LLM blog, docs/source/blogs/XQA-kernel.md, January 2024). Its custom all-reduce
 *   was a build option, off by default ("--use_custom_all_reduce: Activates latency-optimized
 *   algorithm for all-reduce instead of NCCL", examples/llama/build.py in v0.6.1), and the
 *   performance tables' engines were built without it (docs/source/performance.md, "Benchmarking
 *   per Model": the Llama-2-70B build command has no such flag): every all-reduce is NCCL's.
 *   Host figures: the family's.
 * - `compiled`: one user's decode loop over a step captured whole in a CUDA graph, sampling on the
 *   GPU, no scheduler: gpt-fast (torch.compile, mode "reduce-overhead"), MLC LLM with CUDA graphs.
 *   Kernels follow each other ~0.5 µs apart in a graph (NVIDIA Technical Blog, "Getting Started
 *   with CUDA Graphs", 2019: 3.4 µs per 2.9 µs kernel) plus a memory-bound kernel's ramp and tail
 *   of about a DRAM latency (0.5–1 µs): 1–2 µs, 1.5 taken. The host launches one graph and reads
 *   one token per step: 50–200 µs (a graph launch is ~10 µs; the Python loop and the token's copy
 *   back the rest), 100 taken. Their benchmarks time tokens after the prompt, no request path.
 *   Collectives are torch.distributed's: gpt-fast's tensor parallelism calls its functional
 *   all_reduce (pytorch-labs/gpt-fast tp.py), not a kernel of its own; NCCL's ring stands for the
 *   kernel's time. (The README runs it with ENABLE_INTRA_NODE_COMM=1, PyTorch's one-shot and
 *   two-shot kernels for small messages, PyTorch PR 114001, whose plots show 6–15 µs, about what
 *   NCCL's LL latency gives here: 7.8 µs on 2 GPUs, 15 µs on 8.) Called through the process group,
 *   each all-reduce costs about 8 µs more than the kernel: the work object, the events ordering
 *   the compute stream and the communicator's, and the host nodes NCCL adds to a captured graph
 *   ("NCCL requires inserting more nodes per invocation. For example, NCCL requires a few host
 *   nodes", vLLM PR 2192). Measured: SGLang PR 2185 (Llama-3.1-8B, TP 8, torch.compile) went from
 *   315.02 to 457.22 output tok/s by replacing torch's built-in all-reduce ("even with
 *   ENABLE_INTRA_NODE_COMM=1") by its own kernel: 0.99 ms less per step over 65 all-reduces,
 *   15 µs per call; that kernel's 8 KB one-shot on 8 GPUs is ~8 µs in this model
 *   (collectives.ts), so torch's call took ~23 µs where NCCL's LL latency gives 15 µs: 8 µs
 *   more. PyTorch issue 131739 measures ~17 µs for torch.distributed's one-shot on 8 GPUs
 *   against the PR's 6–15 µs. On the tune points 6 / 8 / 10 / 12 / 16 µs give 13.3 / 13.1 /
 *   13.1 / 13.1 / 13.2% (flat from 8); the measured 8 is taken.
 * - `eager`: every kernel launched from the host, one by one: Hugging Face transformers (TinyChat's
 *   fp16 baseline), TinyChat, ExLlama, llama.cpp's CUDA backend before CUDA graphs (PR #6766, May
 *   2024). Launching a PyTorch op costs the host 5–20 µs (dispatcher, Python; Horace He, "Making
 *   Deep Learning Go Brrrr From First Principles", 2022, measures ~10 µs of overhead per op), a C
 *   ++ cudaLaunchKernel 3–5 µs (the CUDA Graphs blog above: 3.8 µs per launch from a stream);
 *   launches run ahead of the GPU, so a kernel waits for its launch only when the kernels before it
 *   were shorter: each kernel takes max(its GPU time, the launch), 8 µs taken (a mix of Python and
 *   C++ launch paths). Host time per step: sampling and the loop, 300 µs. No request path. Their
 *   tensor parallelism, where they have one, goes through NCCL.
 */
export const ENGINE_PROFILES: Readonly<Record<ServingEngine, EngineProfile>> = {
  serving: { id: 'serving', label: 'serving engine', kvReadPerQueryHead: false, oneShotAllReduce: true, source: 'hardware family constants (engine/expected/constants.ts)' },
  'tensorrt-llm-before-xqa': {
    id: 'tensorrt-llm-before-xqa',
    label: 'TensorRT-LLM before XQA (up to v0.7)',
    kvReadPerQueryHead: true,
    oneShotAllReduce: false,
    source:
      'TensorRT-LLM blog, "New XQA-kernel provides 2.4x more Llama-70B throughput within the same latency budget" (January 2024); examples/llama/build.py and docs/source/performance.md of v0.6.1 (NCCL all-reduce)',
  },
  compiled: {
    id: 'compiled',
    label: 'decode step in one CUDA graph (gpt-fast, MLC LLM)',
    kernelSeconds: 1.5e-6,
    stepSeconds: 0.1e-3,
    requestSeconds: 0,
    kvReadPerQueryHead: false,
    oneShotAllReduce: false,
    collectiveCallSeconds: 8e-6,
    source: 'NVIDIA Technical Blog, "Getting Started with CUDA Graphs" (2019); gpt-fast, MLC LLM; SGLang PR 2185 (torch.distributed all-reduce per call)',
  },
  eager: {
    id: 'eager',
    label: 'kernels launched one by one (transformers, TinyChat, ExLlama, llama.cpp before graphs)',
    kernelSeconds: 1.5e-6,
    hostLaunchSeconds: 8e-6,
    stepSeconds: 0.3e-3,
    requestSeconds: 0,
    kvReadPerQueryHead: false,
    oneShotAllReduce: false,
    source: 'H. He, "Making Deep Learning Go Brrrr From First Principles" (2022); NVIDIA, "Getting Started with CUDA Graphs" (2019)',
  },
};

export const DEFAULT_SERVING_ENGINE: ServingEngine = 'serving';
export const SERVING_ENGINES = Object.keys(ENGINE_PROFILES) as ServingEngine[];
