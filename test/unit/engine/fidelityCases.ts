/**
 * Published measurements of real serving runs, each with the deployment that reproduces it, for
 * docs/fidelity.md and the test that the ideal roofline is never slower than physics allows.
 * Every figure is quoted from the page named in `source`.
 */
export interface FidelityCase {
  id: string;
  source: string;
  /** A deployment as the files write it. */
  deployment: Record<string, unknown>;
  /** Measured figures (whichever the source gives), in seconds. */
  measured: { ttft_seconds?: number; tpot_seconds?: number; e2e_seconds?: number };
  /** What the figure includes that a roofline does not (framework, HTTP, scheduling). */
  caveat: string;
}

const NIM = 'NVIDIA NIM LLM benchmarking, Performance (docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance), Llama-3.3-70b-instruct, NIM 1.8.0, 2 x H100 80G, fp8 TP2, concurrency 1';
const VLLM_CI = 'vLLM performance benchmark CI (buildkite.com/vllm/performance-benchmark/builds/9515), latency tests: 32 input, 128 output tokens, batch 8, H200, mean end-to-end latency';
const NEMO = 'NVIDIA NeMo Framework, Llama-2 inference performance (docs.nvidia.com/nemo-framework/user-guide/latest/performance/llama.html), TensorRT-LLM, 128 input / 20 output tokens, average latency';

export const FIDELITY_CASES: readonly FidelityCase[] = [
  {
    id: 'Llama-3.3-70B fp8, 2x H100 SXM TP2, 5000 in / 500 out, 1 request',
    source: NIM,
    deployment: {
      model: 'meta-llama/Llama-3.1-70B',
      hardware: 'nvidia-h100-sxm',
      workload: { batch_size: 1, prompt_tokens: 5000, output_tokens: 500 },
      quantization: { weights: 'fp8', activations: 'fp8', kv_cache: 'fp8' },
      parallelism: { tensor: 2 },
    },
    measured: { ttft_seconds: 0.40677, tpot_seconds: 0.01858 },
    caveat: 'client-side TTFT includes HTTP and scheduling; ITL taken as TPOT',
  },
  {
    id: 'Llama-3.3-70B fp8, 2x H100 SXM TP2, 500 in / 2000 out, 1 request',
    source: NIM,
    deployment: {
      model: 'meta-llama/Llama-3.1-70B',
      hardware: 'nvidia-h100-sxm',
      workload: { batch_size: 1, prompt_tokens: 500, output_tokens: 2000 },
      quantization: { weights: 'fp8', activations: 'fp8', kv_cache: 'fp8' },
      parallelism: { tensor: 2 },
    },
    measured: { ttft_seconds: 0.04777, tpot_seconds: 0.01891 },
    caveat: 'client-side TTFT includes HTTP and scheduling; ITL taken as TPOT',
  },
  {
    id: 'Llama-3.1-8B bf16, H200, batch 8, 32 in / 128 out',
    source: VLLM_CI,
    deployment: {
      model: 'meta-llama/Llama-3.1-8B',
      hardware: 'nvidia-h200-sxm',
      workload: { batch_size: 8, prompt_tokens: 32, output_tokens: 128 },
      quantization: { weights: 'bf16', activations: 'bf16', kv_cache: 'bf16' },
    },
    measured: { e2e_seconds: 0.833421 },
    caveat: 'offline latency benchmark (no HTTP); includes sampling and scheduling per step',
  },
  {
    id: 'Llama-3-70B bf16, 4x H200 TP4, batch 8, 32 in / 128 out',
    source: VLLM_CI,
    deployment: {
      model: 'meta-llama/Llama-3.1-70B',
      hardware: 'nvidia-h200-sxm',
      workload: { batch_size: 8, prompt_tokens: 32, output_tokens: 128 },
      quantization: { weights: 'bf16', activations: 'bf16', kv_cache: 'bf16' },
      parallelism: { tensor: 4 },
    },
    measured: { e2e_seconds: 2.07753 },
    caveat: 'Llama-3-70B has the shapes of Llama-3.1-70B; offline latency benchmark',
  },
  {
    id: 'Mixtral-8x7B bf16, 2x H200 TP2, batch 8, 32 in / 128 out',
    source: VLLM_CI,
    deployment: {
      model: 'mistralai/Mixtral-8x7B-v0.1',
      hardware: 'nvidia-h200-sxm',
      workload: { batch_size: 8, prompt_tokens: 32, output_tokens: 128 },
      quantization: { weights: 'bf16', activations: 'bf16', kv_cache: 'bf16' },
      parallelism: { tensor: 2 },
    },
    measured: { e2e_seconds: 1.91744 },
    caveat: 'offline latency benchmark; real routing is skewed, which the uniform-routing expert count overstates slightly',
  },
  {
    id: 'Llama-2-7B fp16, A100 80GB SXM, batch 1, 128 in / 20 out',
    source: NEMO,
    deployment: {
      model: 'meta-llama/Llama-2-7b-hf',
      hardware: 'nvidia-a100-80gb-sxm4',
      workload: { batch_size: 1, prompt_tokens: 128, output_tokens: 20 },
    },
    measured: { e2e_seconds: 0.234 },
    caveat: 'the same table has Llama-2-13B faster than 7B at batch 1 on A100 (NVIDIA/NeMo discussion 8455): treat as indicative',
  },
  {
    id: 'Llama-2-7B fp16, H100 SXM, batch 1, 128 in / 20 out',
    source: NEMO,
    deployment: {
      model: 'meta-llama/Llama-2-7b-hf',
      hardware: 'nvidia-h100-sxm',
      workload: { batch_size: 1, prompt_tokens: 128, output_tokens: 20 },
    },
    measured: { e2e_seconds: 0.1538 },
    caveat: 'TensorRT-LLM through NeMo; request latency',
  },
  {
    id: 'Llama-2-7B fp16, A100 80GB SXM, batch 8, 128 in / 20 out',
    source: NEMO,
    deployment: {
      model: 'meta-llama/Llama-2-7b-hf',
      hardware: 'nvidia-a100-80gb-sxm4',
      workload: { batch_size: 8, prompt_tokens: 128, output_tokens: 20 },
    },
    measured: { e2e_seconds: 0.3295 },
    caveat: 'TensorRT-LLM through NeMo; request latency',
  },
  {
    id: 'Llama-2-7B fp16, H100 SXM, batch 8, 128 in / 20 out',
    source: NEMO,
    deployment: {
      model: 'meta-llama/Llama-2-7b-hf',
      hardware: 'nvidia-h100-sxm',
      workload: { batch_size: 8, prompt_tokens: 128, output_tokens: 20 },
    },
    measured: { e2e_seconds: 0.1992 },
    caveat: 'TensorRT-LLM through NeMo; request latency',
  },
];
