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
 * - attentionBandwidth 0.9: decode attention reads the KV cache in pages of 16–64 tokens per
 *   sequence, head by head, with softmax reductions between; FlashInfer's decode kernels reach
 *   60–90% of bandwidth on long sequences and less on short or ragged ones, vLLM's PagedAttention
 *   and older TensorRT-LLM masked-MHA kernels less (Ye et al., "FlashInfer", arXiv 2501.01005):
 *   a fraction of the sustained stream, 0.5–0.9. Swept again once the collectives and the
 *   serving schedule were in (tune error 14.2%, 14.0%, 13.8%, 13.8%, 13.9% at 0.8, 0.85, 0.9,
 *   0.95, 1): flat from 0.9, the top of the sources' range.
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
  attentionBandwidth: 0.9,
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
 * Each output tile of a matmul also pays fixed work besides its reduction loop: filling the
 * pipeline of loads and tensor-core instructions before the first k-step and writing the tile out
 * (scaled back to 16 bits) after the last. Worth a fixed depth of the loop, a matmul of depth K runs
 * at K / (K + that depth) of its deep rate. In 8 bits the loop runs twice as fast per element as
 * in 16, so the same fixed work is worth twice the depth and shows at the depths of a model's
 * projections (K = 4,096 for Llama-3.1-8B's q/k/v/o and gate/up). Measured on Hopper: an fp8
 * matmul of 8192 × 8192 on an H800 SXM (the H100's SMs and clocks) reaches 927, 1,174, 1,378,
 * 1,461 and 1,523 TFLOPS at K = 1,024, 2,048, 4,096, 8,192 and 16,384 (tile-ai/tilelang,
 * benchmark/matmul_fp8/README.md): K / (K + 740) of 1,601 TFLOPS fits them within 1.3% (a re-run
 * in a fork, xwhzz/tilelang, gives 1,129 … 1,541 and fits 410). The family constant is that depth
 * (`fp8TileOverheadDepth`; presets/servingFigures.ts). The measured matmul rate the clock starts
 * from (the MAMF table) is the best over a sweep of shapes, found at K = 14,336 on the H100 and
 * 12,032 on the H200, where the factor is already paid in part: it is divided out at this depth
 * (the shallower of the two), so a matmul as deep runs at the measured rate.
 */
export const MATMUL_RATE_REFERENCE_DEPTH = 12032;

/**
 * Collectives as NCCL models them (NVIDIA/nccl src/graph/tuning.cc, latencies in µs, as in the
 * releases with NVLink SHARP in the table that the serving engines of 2023–2025 ship): a ring
 * all-reduce costs a base latency plus one per step, 2(p − 1) steps, with the low-latency protocol
 * (LL: base 6.6 µs, 0.6 µs per NVLink step, 1.0 per PCIe step, 2.7 per network step, a quarter of
 * the bus bandwidth) for small messages and the simple one (base 8.4 µs, 3.4 / 5.7 / 14 µs per
 * step, full bandwidth) for large ones. (NCCL 2.7's table had 3.6 and 0.47 µs for LL and 9.6 µs
 * per simple network step.) A hardware family with nccl-tests measurements of its own ring over
 * NVLink replaces the per-step time and the two bandwidths (`ncclRing`; NVIDIA Ampere, from 4 ×
 * A100: presets/servingFigures.ts); nccl-tests on 4 × H100 agrees with this model.
 *
 * linkEfficiency 0.8: "450GB/s is the line rate. With the protocol overhead (~20%) NCCL can get an
 * effective NVLink bandwidth of 370GB/s" (NCCL maintainer, NVIDIA/nccl-tests issue 212); ~230 of
 * A100's 300 GB/s in nccl-tests.
 *
 * Serving engines run their own all-reduce over NVLink and xGMI for every message that fits the
 * kernel's buffer, and NCCL only above it: TensorRT-LLM's customAllReduceKernels (from v0.5; the
 * same kernels in SGLang and vLLM's custom_all_reduce) take messages up to 16 MB on 2 GPUs and 8 MB
 * on more (getMaxRequiredWorkspaceSize; vLLM's max_size is 8 MiB), one-shot (each device reads
 * every peer's whole message in one kernel) below 1 MB on 4 GPUs and 500 KB on 8, two-shot
 * (reduce-scatter then all-gather through peer reads: 2(p − 1)/p of the message, two rounds of
 * peer hops) above (SelectImplementation). A one-shot of 512 bytes takes 3.7 / 4.8 / 5.9 µs on
 * 2 / 4 / 8 H100s (SGLang PR 2904): a base of 3.6 µs plus a hop per peer.
 *
 * customLinkEfficiency 0.1: these kernels run a fixed grid (36 blocks of 512 threads) of peer loads
 * and barriers and move data far below the link rate. On H100 (SGLang PR 2904, bf16, no CUDA
 * graphs) 1 MB takes 26.6 / 40.2 / 45.0 µs on 2 / 4 / 8 GPUs with vLLM's kernel and 19.9 / 31.1 /
 * 33.8 µs with TensorRT-LLM's, about 0.10 and 0.15 of the 450 GB/s link in the model above; the
 * fastest communicator vLLM measured in 2025 (PR 24532, 4 × H100, CUDA graphs: 23 µs at 2 MB, 38 at
 * 4 MB) reaches about 0.4. Chosen on the tune points among 0.05–0.8 (docs/fidelity.md): 0.1, the
 * default for fabrics without in-switch reduction (Ampere, AMD CDNA); the NVIDIA Hopper and
 * Blackwell families take 0.4 (`allReduceLinkEfficiency`, presets/servingFigures.ts).
 */
export const COLLECTIVE_CONSTANTS = {
  /** A single kernel's collective (one-shot, two-shot, an all-to-all): launch and barrier. */
  baseSeconds: 3.6e-6,
  /** NCCL's ring with the LL protocol (tuning.cc baseLat, Ring/LL). */
  lowLatencyBaseSeconds: 6.6e-6,
  /**
   * Per ring step of the LL protocol by hop kind (tuning.cc hwLat, Ring/LL), and per peer of a
   * one-shot or two-shot kernel, used when the interconnect gives no latency of its own.
   */
  lowLatencyStepSeconds: { nvlink: 0.6e-6, pcie: 1.0e-6, network: 2.7e-6 },
  simpleBaseSeconds: 8.4e-6,
  /** Per ring step of the simple protocol, by hop kind (tuning.cc hwLat, Ring/Simple). */
  simpleStepSeconds: { nvlink: 3.4e-6, pcie: 5.7e-6, network: 14e-6 },
  /** Ring LL moves a quarter of the bus bandwidth (tuning.cc: busBw *= 1/4 for ring LL all-reduce). */
  lowLatencyBandwidthShare: 0.25,
  linkEfficiency: 0.8,
  /** Share of the link rate a serving engine's own all-reduce kernel moves, unless the hardware family gives its own. */
  customLinkEfficiency: 0.1,
  /** The largest message a serving engine's own all-reduce takes; NCCL's ring above. */
  customMaxBytes: { twoDevices: 16e6, more: 8e6 },
} as const;

/**
 * The network between scale-up domains when the hardware names none: one 400 Gb/s NIC per GPU
 * (ConnectX-7 NDR InfiniBand, as in DGX H100: 50 GB/s per direction), at NCCL's network step
 * latency (tuning.cc, Ring/LL 2.7 µs).
 */
export const DEFAULT_SCALE_OUT = { bandwidthBytesPerSecond: 50e9, latencySeconds: 2.7e-6 } as const;
