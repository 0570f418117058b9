/**
 * Figures of the hardware presets that `efficiency: expected` uses beyond the datasheet peaks: the
 * fabric between accelerators (kind, devices per domain, the scale-out network), the count of
 * streaming multiprocessors (compute units) and the family whose expected-mode constants apply.
 * Each with its source. Applied to the presets as hardware-file fields, so `extends:` overrides
 * them like any other figure.
 */
import { DEFAULT_EXPECTED } from '../engine/expected/constants';
import type { HardwareFields } from './hardwareFigures';

/**
 * NVLink and NVSwitch generations: HGX A100 (NVLink 3, NVSwitch gen 2), HGX H100/H200 (NVLink 4,
 * NVSwitch gen 3), HGX B200 (NVLink 5) connect 8 GPUs; GB200 NVL72 connects 72 (NVIDIA GB200 NVL72
 * page). AMD Instinct MI300X/MI325X/MI355X platforms connect 8 GPUs by a fully connected mesh of
 * xGMI (Infinity Fabric) links (AMD Instinct MI300X platform datasheet; ml-engineering
 * network/README.md, the xGMI table). V100 SXM2 in DGX-1 uses NVLink 2 in a hybrid cube mesh.
 * Between nodes: one 400 Gb/s ConnectX-7 NIC per GPU (DGX H100/B200 user guides; AMD's MI300X
 * reference platforms use 400 Gb/s per GPU as well), 800 Gb/s ConnectX-8 on GB300 NVL72 (NVIDIA
 * GB300 NVL72 page), NCCL's network step latency of 2.7 µs. B300 as HGX B300 (8 GPUs, NVLink 5).
 */
const NVSWITCH_8 = { fabric: 'nvswitch', domain_devices: 8, scale_out: { bandwidth_gb_s: 50, latency_us: 2.7 } } as const;
const XGMI_8 = { fabric: 'xgmi', domain_devices: 8, scale_out: { bandwidth_gb_s: 50, latency_us: 2.7 } } as const;
const FABRIC_SOURCE = 'NVIDIA HGX / DGX and AMD Instinct platform documentation; ml-engineering network/README.md (presets/servingFigures.ts)';

const FABRICS: Readonly<Record<string, NonNullable<HardwareFields['interconnect']>>> = {
  'nvidia-v100-sxm2-32gb': { fabric: 'nvlink', domain_devices: 8 },
  'nvidia-a100-40gb-sxm4': NVSWITCH_8,
  'nvidia-a100-80gb-sxm4': NVSWITCH_8,
  'nvidia-h100-sxm': NVSWITCH_8,
  'nvidia-h200-sxm': NVSWITCH_8,
  'nvidia-b200': NVSWITCH_8,
  'nvidia-gb200-gpu': { fabric: 'nvswitch', domain_devices: 72, scale_out: { bandwidth_gb_s: 50, latency_us: 2.7 } },
  'nvidia-b300': NVSWITCH_8,
  'nvidia-gb300-gpu': { fabric: 'nvswitch', domain_devices: 72, scale_out: { bandwidth_gb_s: 100, latency_us: 2.7 } },
  // PCIe Gen5 x16 between cards, no NVLink (AIConfigurator rtx_pro_6000_server.yaml).
  'nvidia-rtx-pro-6000-blackwell-server': { fabric: 'pcie', domain_devices: 8 },
  'amd-mi250x': XGMI_8,
  'amd-mi300x': XGMI_8,
  'amd-mi325x': XGMI_8,
  'amd-mi355x': XGMI_8,
};

/**
 * Streaming multiprocessors (NVIDIA) or compute units (AMD) of the whole accelerator: NVIDIA
 * architecture whitepapers (Volta, Ampere GA100 and GA102, Ada, Hopper, Blackwell) and product
 * datasheets; jax-ml/scaling-book gpus.md for A100 (108), H100 (132) and B200 (148); AMD
 * Instinct datasheets (MI250X 220 CUs over two dies, MI300X/MI325X 304, MI355X 256); Jetson AGX
 * Orin technical brief (16 SMs); Blackwell Ultra (B300, GB300) 160 SMs (NVIDIA Technical Blog,
 * "Inside NVIDIA Blackwell Ultra", 2025); RTX PRO 6000 Blackwell 188 SMs (product page).
 */
const COMPUTE_UNITS: Readonly<Record<string, number>> = {
  'nvidia-v100-sxm2-32gb': 80,
  'nvidia-t4': 40,
  'nvidia-a10': 72,
  'nvidia-a100-40gb-sxm4': 108,
  'nvidia-a100-40gb-pcie': 108,
  'nvidia-a100-80gb-sxm4': 108,
  'nvidia-a100-80gb-pcie': 108,
  'nvidia-rtx-a6000': 84,
  'nvidia-a40': 84,
  'nvidia-l4': 58,
  'nvidia-l40s': 142,
  'nvidia-h100-sxm': 132,
  'nvidia-h100-pcie': 114,
  'nvidia-h100-nvl': 132,
  'nvidia-h200-sxm': 132,
  'nvidia-h200-nvl': 132,
  'nvidia-b200': 148,
  'nvidia-gb200-gpu': 148,
  'nvidia-b300': 160,
  'nvidia-gb300-gpu': 160,
  'nvidia-rtx-pro-6000-blackwell-server': 188,
  'nvidia-rtx-3090': 82,
  'nvidia-rtx-4090': 128,
  'nvidia-rtx-5090': 170,
  'nvidia-jetson-agx-orin-64gb': 16,
  'amd-mi250x': 220,
  'amd-mi300x': 304,
  'amd-mi325x': 304,
  'amd-mi355x': 256,
};
const COMPUTE_UNITS_SOURCE = 'NVIDIA architecture whitepapers and datasheets; scaling-book gpus.md; AMD Instinct datasheets (presets/servingFigures.ts)';

/** Source keys as the presets cite them, each described in the preset's references. */
const REFERENCES = {
  SERVING_FABRIC: FABRIC_SOURCE,
  SERVING_SM: COMPUTE_UNITS_SOURCE,
  SERVING_FAMILY: 'Constants of efficiency: expected for the hardware family (engine/expected/constants.ts, presets/servingFigures.ts; docs/fidelity.md)',
} as const;

/**
 * Families whose expected-mode constants differ from the defaults (engine/expected/constants.ts),
 * and why. Attention: FlashAttention-3 reaches up to 75% of H100 bf16 peak where FlashAttention-2
 * reaches 35% on H100 and 50–73% on A100 (Shah et al., arXiv 2407.08608; Dao, arXiv 2307.08691);
 * serving prefill with causal masks and shorter sequences sits below the best case.
 *
 * All-reduce: from Hopper on, NVSwitch (gen 3) reduces in the switch (NVLink SHARP, `multimem`
 * loads and stores) and the serving engines' all-reduce runs on it or on symmetric memory with
 * the kernel launched inside the CUDA graph (TensorRT-LLM's one-shot / two-shot and NVLS
 * strategies, FlashInfer's fused all-reduce, PyTorch symmetric memory in vLLM); the fastest
 * communicator vLLM measured on 4 × H100 with CUDA graphs moves 2 MB in 23 µs and 4 MB in 38 µs
 * (vLLM PR 24532, 2025), about 0.4 of the 450 GB/s link in the one-shot / two-shot model
 * (collectives.ts). Ampere and AMD CDNA have no in-switch reduction; their engines run the
 * peer-load kernel (vLLM's custom_all_reduce, its ROCm build), ≈0.1 (COLLECTIVE_CONSTANTS).
 *
 * bf16 conversion: AMD CDNA 2 and CDNA 3 (MI250X, MI300X, MI325X) have no fp32 → bf16 instruction;
 * gfx950 (CDNA 4, MI355X) is the first with v_cvt_pk_bf16_f32 (LLVM PR 213150). Compilers round
 * in integer code instead: Triton lowers a truncation to bf16 on gfx942 to five instructions per
 * value (v_cmp_u_f32, v_bfe_u32, v_add3_u32, v_cndmask_b32, v_lshrrev_b32; triton-lang/triton
 * test/TritonGPU/amd/type_conversion.mlir), where NVIDIA GPUs from Ampere and gfx950 convert two
 * values with one instruction (PTX cvt.rn.bf16x2.f32): 4.5 more operations for each weight a
 * weight-only quantized matmul dequantises to bf16 activations. A count of instructions, not a
 * fitted figure; it moves no tune point (none dequantises to bf16 on CDNA).
 *
 * NCCL's ring on Ampere NVLink (A100 SXM): slower than NCCL's own tuning model from 256 KB up.
 * nccl-tests all_reduce_perf on 4 × A100-SXM4-80GB in one node (NCCL-tests 2.13.6, CUDA 11.7;
 * University of Sheffield, Stanage documentation, rcgsheffield/sheffield_hpc
 * stanage/software/libs/cuda.rst) measures, float sum, out of place: "2097152 ... 69.09",
 * "33554432 ... 284.9", "134217728 ... 974.9" µs (1 MB 63.16, 4 MB 86.22, 8 MB 132.7, 16 MB 188.7).
 * NCCL's model (constants.ts) gives 42, 238 and 867 µs there. Read as NCCL models a ring: the
 * simple protocol's line through the 2–128 MB points (least squares on log error) is 58.5 µs plus
 * 1.5 × size at 210 GB/s: 0.7 of the 300 GB/s link (NCCL's model: 0.8), and 58.5 µs = NCCL's 8.4 µs
 * base plus 6 steps of 8.35 µs (NCCL's model: 3.4; one device count only, so the split between base
 * and steps follows NCCL's model, where the steps carry the hardware). The low-latency protocol's
 * slope from 128 KB to 1 MB (25.64 → 63.16 µs) is 36.7 GB/s: 0.122 of the link (NCCL's model: a
 * quarter of 0.8). Far larger messages go faster: NCCL's maintainers expect ~230 GB/s on A100 at
 * 8 GB ("The total effective bandwidth should therefore be 240GB/s on A100, but some other
 * bottlenecks on the GPUs limits it to ~230GB/s", NVIDIA/nccl-tests issue 149), a size no
 * inference all-reduce reaches. The small-message latency is left at NCCL's model (10.2 µs on 4 GPUs): the table
 * gives 14.5–15.3 µs, and with 2 × A100 at 9.85–10.1 µs (NVIDIA/nccl issue 583, nccl-tests issue
 * 331) that would be 1.2 µs per step, but on the tune points it made the error worse (12.36%
 * against 12.27%), so it is not charged (docs/fidelity.md). Only NVLink and NVSwitch hops take
 * these figures; PCIe parts of the family keep NCCL's model. On Hopper NCCL's model already
 * matches nccl-tests (4 × H100 SXM, NCCL 2.26.2: 2 MB 32.05, 8 MB 65.19, 32 MB 174.9 µs, against
 * 37.5, 64 and 168 in the model; dudeperf3ct.github.io, "Distributed communication for GPUs
 * (part 1)", 2025), so Hopper keeps it.
 *
 * Fixed cost per kernel on CDNA 3 (MI300X, MI325X): 6 µs, where the NVIDIA-derived default is 4.
 * On 8 × MI300X Kog AI measured what each kernel of a decode step costs beyond its work: "kernel
 * launch (per stage) ~4.5 µs", "HBM latency on each memory-load restart ~0.5 µs" and ">1 µs" for
 * each intermediate tensor's round trip through HBM before the next kernel reads it (Kog AI,
 * "Building a single-kernel, latency-optimized LLM inference engine on AMD MI300X GPUs",
 * blog.kog.ai, May 2026): 5 µs for the launch and the restart, 6 µs with the round trip. Each
 * kernel's work is spread over 8 compute dies (XCDs) with an L2 of their own, and its results must
 * leave them before the next kernel starts. 6 µs taken; on the tune points 4, 5, 5.5, 6, 6.5, 7 µs
 * give 12.95%, 12.56%, 12.39%, 12.31%, 12.42%, 12.56%. Only the vLLM runs on 8 × MI300X move;
 * gpt-fast on MI250X pays its compiled graph's own figure. CDNA 2 (one L2 per die) and CDNA 4
 * (MI355X, not measured) keep the default.
 *
 * Fixed work per output tile of an fp8 matmul on Hopper: 740 elements of depth (constants.ts,
 * MATMUL_RATE_REFERENCE_DEPTH). tile-ai/tilelang's benchmark of an 8192 × 8192 fp8 matmul on an
 * H800 SXM: "1024 | 0.148256 | 0.927", "4096 | 0.398944 | 1.378", "16384 | 1.443808 | 1.523"
 * (K, latency in ms, PFLOPS); K / (K + 740) fits K = 1,024 to 16,384 within 1.3%, a fork's re-run
 * (xwhzz/tilelang: 1,129, 1,467, 1,541 TFLOPS) fits 410. On the tune points 410, 575 and 740 give
 * 11.81%, 11.77% and 11.74% (11.93% without); 740 taken. Only matmuls with 8-bit (or narrower)
 * activations pay it; no family but Hopper has a measurement.
 */
const FAMILIES: Readonly<Record<string, NonNullable<HardwareFields['expected']>>> = {
  'nvidia-hopper': {
    family: 'nvidia-hopper',
    attention_compute: 0.6,
    all_reduce_link_efficiency: 0.4,
    fp8_tile_overhead_depth: 740,
    source:
      'FlashAttention-3 on Hopper (arXiv 2407.08608); NVLink SHARP and symmetric-memory all-reduce (vLLM PR 24532); fp8 matmul rate against depth on an H800 SXM (tile-ai/tilelang benchmark/matmul_fp8: 927 → 1,523 TFLOPS from K = 1,024 to 16,384)',
  },
  'nvidia-blackwell': {
    family: 'nvidia-blackwell',
    attention_compute: 0.6,
    all_reduce_link_efficiency: 0.4,
    source: 'FlashAttention-3-class kernels on Blackwell (cuDNN, FlashInfer); NVLink SHARP and symmetric-memory all-reduce (vLLM PR 24532)',
  },
  'nvidia-ampere': {
    family: 'nvidia-ampere',
    nccl_step_us: 8.35,
    nccl_link_efficiency: 0.7,
    nccl_ll_link_efficiency: 0.122,
    source:
      'FlashAttention-2 on A100 (arXiv 2307.08691); NCCL all-reduce measured with nccl-tests on 4 × A100-SXM4-80GB (University of Sheffield, Stanage CUDA documentation)',
  },
  'amd-cdna': {
    family: 'amd-cdna',
    bf16_convert_ops: 4.5,
    source: 'documented defaults; ROCm FlashAttention-2 (CK) kernels; no fp32 → bf16 instruction before gfx950 (Triton gfx942 lowering)',
  },
  'amd-cdna3': {
    family: 'amd-cdna3',
    bf16_convert_ops: 4.5,
    kernel_us: 6,
    source:
      'documented defaults; ROCm FlashAttention-2 (CK) kernels; no fp32 → bf16 instruction before gfx950 (Triton gfx942 lowering); 6 µs per kernel on 8 × MI300X (Kog AI, "Building a single-kernel, latency-optimized LLM inference engine on AMD MI300X GPUs", 2026: launch 4.5 µs, HBM restart 0.5 µs, intermediate round trip >1 µs)',
  },
  'amd-cdna4': { family: 'amd-cdna4', source: 'documented defaults; ROCm FlashAttention-2 (CK) kernels' },
};

function familyOf(presetId: string): string | undefined {
  if (/^nvidia-(h100|h200)/.test(presetId)) return 'nvidia-hopper';
  if (/^nvidia-(b200|b300|gb200|gb300|rtx-5090|rtx-pro-6000)/.test(presetId)) return 'nvidia-blackwell';
  if (/^nvidia-(a100|a10|a40|rtx-a6000|rtx-3090|jetson-agx-orin)/.test(presetId)) return 'nvidia-ampere';
  if (/^amd-mi355/.test(presetId)) return 'amd-cdna4';
  if (/^amd-mi3[02]/.test(presetId)) return 'amd-cdna3';
  if (/^amd-mi/.test(presetId)) return 'amd-cdna';
  return undefined;
}

/** The preset's serving figures as hardware-file fields, with the source key of each and what the keys name. */
export function servingFields(presetId: string): { fields: HardwareFields; sources: Record<string, string>; references: Record<string, string> } {
  const fields: HardwareFields = {};
  const sources: Record<string, string> = {};
  const references: Record<string, string> = {};
  const cite = (figure: string, key: keyof typeof REFERENCES, detail: string): void => {
    sources[figure] = `${key} (${detail})`;
    references[key] = REFERENCES[key];
  };
  const fabric = FABRICS[presetId];
  if (fabric) {
    fields.interconnect = fabric;
    cite('interconnect.fabric', 'SERVING_FABRIC', `${fabric.fabric}${fabric.domain_devices ? `, ${fabric.domain_devices} devices per domain` : ''}`);
  }
  const units = COMPUTE_UNITS[presetId];
  if (units !== undefined) {
    fields.compute_units = units;
    cite('compute_units', 'SERVING_SM', `${units}`);
  }
  const family = familyOf(presetId);
  const expected = family ? FAMILIES[family] : undefined;
  if (expected) {
    fields.expected = expected;
    cite('expected', 'SERVING_FAMILY', `${expected.family}: ${expected.source ?? DEFAULT_EXPECTED.source ?? ''}`);
  }
  return { fields, sources, references };
}
