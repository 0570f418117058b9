/**
 * The constants of `efficiency: expected`, each a physical effect with where its value comes from.
 * Hardware presets give per-family values (presets/expectedFamilies.ts); a hardware file can
 * override them (`expected:`); these defaults apply to anything else. None is fitted to a single
 * measurement: each sits inside the range its sources give, chosen on the "tune" part of the
 * published measurements (test/fixtures/measurements) and checked on the held-out part
 * (docs/fidelity.md).
 */
import type { ExpectedConstants } from '../types';

/**
 * Defaults for a GPU running a serving engine (vLLM, SGLang, TensorRT-LLM, LMDeploy). The fixed
 * cost per kernel, host time per step, decode attention bandwidth and time per request were chosen
 * inside their sources' ranges on the "tune" points of the published measurements (kernel 2, 4,
 * 6 µs; step 0.3, 0.8, 1.5 ms; attention 0.5–1; request 0–6 ms: docs/fidelity.md).
 *
 * - kernelSeconds 4 µs: a kernel costs time beyond its bytes and FLOPs however little it moves.
 *   Launched from the host, each launch takes 4–6 µs of CPU time, so short kernels leave the GPU
 *   waiting; in a captured CUDA graph kernels follow each other ~0.5 µs apart (NVIDIA Technical
 *   Blog, "Getting Started with CUDA Graphs", 2019: a 2.9 µs kernel costs 3.8 µs per launch from
 *   a stream, 3.4 µs in a graph), and a memory-bound kernel waits about a DRAM latency (0.5–1 µs)
 *   before its loads stream and idles through the tail of its last wave. 2–6 µs per kernel across
 *   engines with and without graphs.
 * - stepSeconds 0.8 ms: scheduling, sampling and detokenisation on the host for each forward
 *   step, where the engine does not overlap them with the GPU: 0.1–0.5 ms in TensorRT-LLM's C++
 *   runtime, several ms in vLLM 0.5 (vLLM blog, "vLLM v0.6.0: 2.7x Throughput Improvement", Sep
 *   2024: the GPU was busy only 38% of a Llama-3-8B step on H100 before it), less in vLLM V1 and
 *   SGLang, which overlap it (SGLang v0.4 "zero-overhead batch scheduler", Dec 2024).
 * - weightOnlyBandwidth 1: weight-only quantized matmuls (int4 / int8 weights with 16-bit
 *   activations) stream their narrow weights at the plain rate; what they lose is the
 *   dequantisation itself, charged on the vector ALUs (DEQUANT_OPS_PER_WEIGHT below). A hardware
 *   file may still give a bandwidth fraction for kernels that stream worse.
 * - attentionCompute 0.5: FlashAttention-2 forward reaches 50–73% of A100 peak, less with causal
 *   masks and short sequences (Dao, arXiv 2307.08691); FlashAttention-3 reaches up to 75% of H100
 *   bf16 peak (Shah et al., arXiv 2407.08608).
 * - attentionBandwidth 0.8: decode attention reads the KV cache in pages of 16–64 tokens per
 *   sequence, head by head, with softmax reductions between; FlashInfer's decode kernels reach
 *   60–90% of bandwidth on long sequences and less on short or ragged ones, vLLM's PagedAttention
 *   and older TensorRT-LLM masked-MHA kernels less (Ye et al., "FlashInfer", arXiv 2501.01005):
 *   a fraction of the sustained stream, 0.5–0.9.
 * - requestSeconds 4 ms: a request is admitted, tokenised and its first token detokenised and
 *   returned once, outside the forward steps; benchmarks that time TTFT from the request include
 *   it (NVIDIA NIM and GenAI-Perf, LMDeploy's profilers): 1–10 ms.
 */
export const DEFAULT_EXPECTED: ExpectedConstants = {
  family: 'gpu',
  kernelSeconds: 4e-6,
  stepSeconds: 0.8e-3,
  weightOnlyBandwidth: 1,
  attentionCompute: 0.5,
  attentionBandwidth: 0.8,
  requestSeconds: 4e-3,
  source: 'documented defaults (engine/expected/constants.ts)',
};

/**
 * Dequantising a weight-only quantized matmul: each stored weight is unpacked, converted to the
 * activation format, offset by its zero point and scaled before the tensor cores use it, about 4
 * vector operations per weight (FasterTransformer's int4 → fp16 conversion with LOP3 and one
 * fused subtract, then the scale's multiply: Kim et al., "Who Says Elephants Can't Run", arXiv
 * 2211.10017). It runs on the CUDA cores (AMD: the vector ALUs) at the fp32 rate, once per weight
 * whatever the batch, and a GEMV cannot hide it behind its loads: it adds to the stream's time.
 * This is why the same int4 decode is near the bandwidth bound on an RTX 4090 (82.6 fp32 TFLOPS
 * for 1 TB/s; MLC LLM 81% of peak) and far from it on an A100 (19.5 TFLOPS for 2 TB/s; gpt-fast's
 * int4 streams 863 GB/s against 1,397 in bf16, pytorch-labs/gpt-fast README), and why Marlin
 * (Frantar et al., arXiv 2408.11743) overlaps it with the loads so carefully. 4 taken; 2, 4, 6 and
 * 8 were tried on the tune points (docs/fidelity.md).
 */
export const DEQUANT_OPS_PER_WEIGHT = 4;

/**
 * Matmul tiles: output tiles of 128 × 128 (the CUTLASS and cuBLAS default for large GEMMs) in waves
 * over the SMs (NVIDIA, "Matrix Multiplication Background User's Guide", Deep Learning
 * Performance docs: tile and wave quantization). Rows of tokens pad to 16: the smallest
 * tensor-core tile has 16 rows (PTX mma.m16n8k16 on Ampere and Ada), and for few rows the
 * libraries swap the operands so the tokens run along the instruction's 8-wide side (Hopper's
 * wgmma has 64 fixed rows but N in steps of 8; vLLM's CUTLASS scaled_mm and TensorRT-LLM's fp8
 * GEMMs take a swap-AB path for small M), so a decode GEMV is not charged as a 64-row tile.
 */
export const MATMUL_TILE = { rows: 128, columns: 128, rowGranularity: 16 } as const;

/**
 * Collectives as NCCL models them (NVIDIA/nccl src/graph/tuning.cc, the ring model of NCCL 2.7:
 * latencies in µs): a ring all-reduce costs a base latency plus one per step, 2(p − 1) steps,
 * with the low-latency protocol (LL: base 3.6 µs, 0.47 µs per NVLink step, 1.0 per PCIe step,
 * 2.7 per network step, a quarter of the bus bandwidth) for small messages and the simple one
 * (base 8.4 µs, 3.4 / 5.7 / 9.6 µs per step, full bandwidth) for large ones.
 *
 * On NVLink and xGMI, serving engines run their own one-shot all-reduce for small messages
 * (TensorRT-LLM's custom all-reduce, vLLM's custom_all_reduce, SGLang's): each device reads the
 * p − 1 peers' buffers directly in one kernel. Measured on 4 × H100 (vLLM PR 24532,
 * benchmark_device_communicators, bf16, CUDA graphs): 10 µs at 0.5 MB, 14 at 1 MB, 23 at 2 MB,
 * 38 at 4 MB, i.e. about 5 µs plus (p − 1) × message at 375 GB/s, and 3.7 / 4.8 / 5.9 µs for
 * 512 bytes on 2 / 4 / 8 GPUs (SGLang PR 2904), a base like NCCL's LL one plus ~0.5 µs per peer.
 * Libraries pick the fastest algorithm for the size; so does this model.
 *
 * linkEfficiency 0.8: nccl-tests bus bandwidth reaches ~360 GB/s of H100's 450 GB/s NVLink and
 * ~230 of A100's 300 (NCCL performance tables and issues), and 375 GB/s in the one-shot figures above.
 */
export const COLLECTIVE_CONSTANTS = {
  baseSeconds: 3.6e-6,
  /**
   * Per ring step of the LL protocol by hop kind (tuning.cc hwLat, Ring/LL), used when the
   * interconnect gives no latency of its own.
   */
  lowLatencyStepSeconds: { nvlink: 0.47e-6, pcie: 1.0e-6, network: 2.7e-6 },
  simpleBaseSeconds: 8.4e-6,
  /** Per ring step of the simple protocol, by hop kind (tuning.cc hwLat, Ring/Simple). */
  simpleStepSeconds: { nvlink: 3.4e-6, pcie: 5.7e-6, network: 9.6e-6 },
  /** Ring LL moves a quarter of the bus bandwidth (tuning.cc: busBw *= 1/4 for ring LL all-reduce). */
  lowLatencyBandwidthShare: 0.25,
  linkEfficiency: 0.8,
} as const;

/**
 * The network between scale-up domains when the hardware names none: one 400 Gb/s NIC per GPU
 * (ConnectX-7 NDR InfiniBand, as in DGX H100: 50 GB/s per direction), at NCCL's network step
 * latency (tuning.cc, Ring/LL 2.7 µs).
 */
export const DEFAULT_SCALE_OUT = { bandwidthBytesPerSecond: 50e9, latencySeconds: 2.7e-6 } as const;
