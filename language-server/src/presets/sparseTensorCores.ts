/**
 * Which accelerators run 2:4 structured-sparse matmuls at twice their dense rate, with the source
 * of each answer. `techniques.weight_sparsity: "2:4"` halves matmul FLOPs only where this is true.
 *
 * - NVIDIA Ampere (A100, A10, A40, RTX A6000, RTX 3090, Jetson Orin): third-generation tensor cores
 *   with fine-grained structured sparsity (NVIDIA A100 Tensor Core GPU Architecture whitepaper,
 *   "Fine-Grained Structured Sparsity"; NVIDIA Ampere GA102 whitepaper; Orin's "170 sparse INT8 TOPS").
 * - NVIDIA Ada (L4, L40S, RTX 4090), Hopper (H100, H200) and Blackwell (B200, B300, GB200, GB300,
 *   RTX 5090, RTX PRO 6000): sparse rates listed beside the dense ones in every datasheet (NVIDIA Ada
 *   Lovelace architecture whitepaper; H100 and Blackwell datasheets, "with sparsity").
 * - NVIDIA Volta (V100) and Turing (T4): no sparse tensor-core rates (Ampere whitepaper, "new in A100").
 * - AMD CDNA 3 (MI300X, MI325X) and CDNA 4 (MI355X): structured 2:4 sparsity in the matrix cores
 *   (AMD CDNA 3 architecture whitepaper; MI300X/MI355X datasheets list "with structured sparsity"
 *   rates). CDNA 2 (MI250X): none.
 * - Intel Gaudi 2/3, Google TPU v4–v6e, Apple M-series: no 2:4 sparse matmul rate in their
 *   datasheets.
 */
const SUPPORTED = /^nvidia-(a10|a100|a40|rtx-a6000|rtx-3090|jetson-agx-orin|l4|l40s|rtx-4090|h100|h200|b200|b300|gb200|gb300|rtx-5090|rtx-pro-6000)|^amd-mi(300x|325x|355x)/;

export const SPARSE_TENSOR_CORES_SOURCE =
  'NVIDIA A100, GA102, Ada, Hopper and Blackwell architecture whitepapers and datasheets (sparse rates beside dense); AMD CDNA 3 whitepaper and Instinct MI300X/MI355X datasheets (presets/sparseTensorCores.ts)';

export function hasSparseTensorCores(presetId: string): boolean {
  return SUPPORTED.test(presetId);
}
