/**
 * Weight sparsity on the decoder blocks' projections (SparseGPT, Frantar & Alistarh 2023; Wanda,
 * Sun et al. 2023 prune these and leave the embedding and lm_head dense).
 *
 * N:M (Mishra et al., "Accelerating Sparse Deep Neural Networks", arXiv 2104.08378): N of every
 * M weights are stored, each with a ⌈log2 M⌉-bit index of its position in the group (2:4 on fp16:
 * 2 values × 16 bits + 2 × 2 bits of metadata per 4 weights = 36/64 = 0.5625 of the dense bytes).
 * Sparse tensor cores (NVIDIA Ampere and later, AMD CDNA 3) skip the pruned half of the
 * multiply-accumulates for 2:4 (and 1:2 for tf32), which is their 2× sparse peak; elsewhere the
 * matmul runs dense on decompressed weights.
 *
 * Unstructured (a fraction s of weights zero anywhere): a bitmap of one bit per weight plus the
 * nonzero values (SpInfer's tensor-core-aware bitmap, Fan et al., EuroSys 2025), computed dense
 * on tensor cores after decompression ("load as sparse, compute as dense", Flash-LLM, Xia et al.,
 * VLDB 2024, arXiv 2309.10285): (1 − s) + 1/bits of the dense bytes, no fewer FLOPs.
 */
import type { ElementBytes, LayerTemplate } from '../default/plan';
import type { WeightSparsitySpec } from './spec';
import { mapEveryList, percent, type TechniqueState } from './state';
import { isBlockMatmul, scaleMatrix } from './templates';

/** Patterns sparse tensor cores run at twice the dense rate (NVIDIA A100 whitepaper, "Fine-grained structured sparsity"). */
export function acceleratedPattern(spec: WeightSparsitySpec): boolean {
  return spec.kind === 'n:m' && spec.keep * 2 === spec.of && (spec.of === 4 || spec.of === 2);
}

/** Stored bytes of a sparse matrix over its dense bytes, for weights of `valueBits` bits. */
export function sparseStorageRatio(spec: WeightSparsitySpec, valueBits: number): number {
  if (spec.kind === 'n:m') {
    const indexBits = Math.ceil(Math.log2(spec.of));
    return (spec.keep / spec.of) * ((valueBits + indexBits) / valueBits);
  }
  return 1 - spec.sparsity + 1 / valueBits;
}

export function applyWeightSparsity(state: TechniqueState, spec: WeightSparsitySpec): void {
  const { sizes } = state.base;
  const hardwareAccelerates = state.hardware.sparseTensorCores === true && acceleratedPattern(spec);
  const flopsRatio = hardwareAccelerates && spec.kind === 'n:m' ? spec.keep / spec.of : 1;
  const ratios = new Set<number>();
  mapEveryList(state, (template: LayerTemplate) => {
    if (!isBlockMatmul(template)) return template;
    const ratio = sparseStorageRatio(spec, weightBits(template, sizes));
    ratios.add(ratio);
    return scaleMatrix(template, sizes, ratio, flopsRatio);
  });
  const storage = [...ratios].map((ratio) => `${ratio.toFixed(4)}×`).join(', ');
  const pattern = spec.kind === 'n:m' ? `${spec.keep}:${spec.of} sparsity` : `${percent(spec.sparsity)} unstructured sparsity`;
  const compute =
    flopsRatio < 1
      ? `the ${state.hardware.name}'s sparse tensor cores skip ${percent(1 - flopsRatio)} of their multiply-accumulates`
      : spec.kind === 'n:m' && acceleratedPattern(spec)
        ? `the ${state.hardware.name} has no sparse tensor cores, so the matmuls run dense`
        : 'the matmuls run dense on decompressed weights';
  state.summaries.push({
    key: 'weight_sparsity',
    label: pattern,
    effect: `Block projections store ${storage} of their dense bytes (values plus ${spec.kind === 'n:m' ? 'position metadata' : 'a one-bit-per-weight bitmap'}); ${compute}.`,
    source:
      spec.kind === 'n:m'
        ? 'Mishra et al. 2021, arXiv 2104.08378 (2:4 on sparse tensor cores); SparseGPT, arXiv 2301.00774'
        : 'Flash-LLM, arXiv 2309.10285 (load as sparse, compute as dense); SpInfer bitmap format (EuroSys 2025)',
  });
}

function weightBits(template: LayerTemplate, sizes: ElementBytes): number {
  return sizes.weight[template.weightKind!] * 8;
}
