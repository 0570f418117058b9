/**
 * What every technique does to a layer template: wrap its cost, change what it stores, and pick
 * the layers it touches. A technique never rebuilds the plan; it maps the prepared layers, so the
 * layers it does not touch keep their numbers exactly.
 */
import type { LayerCost } from '../roofline';
import type { LayerBytes, WeightKind } from '../types';
import type { ElementBytes, LayerTemplate, StepShape } from '../default/plan';

/** The template with its cost passed through `map` (the original cost and the step it is for). */
export function withCost(template: LayerTemplate, map: (cost: LayerCost, step: StepShape) => LayerCost, changes: Partial<LayerTemplate> = {}): LayerTemplate {
  const original = template.cost.bind(template);
  return { ...template, ...changes, cost: (step) => map(original(step), step) };
}

export function withBytes(cost: LayerCost, changes: Partial<LayerBytes>): LayerCost {
  return { ...cost, bytes: { ...cost.bytes, ...changes } };
}

/** Kinds of weight matrix inside the decoder blocks (the embedding, router and lm_head are not). */
const BLOCK_KINDS: readonly WeightKind[] = ['attention', 'mlp', 'experts'];

/** A projection with a weight matrix inside a decoder block: what pruning, low rank and sparsity act on. */
export function isBlockMatmul(template: LayerTemplate): boolean {
  return template.unit === 'matmul' && template.weightKind !== undefined && BLOCK_KINDS.includes(template.weightKind) && template.stored.matrixElements > 0;
}

/** FLOPs of the matmul itself (2 per multiply-accumulate), without bias adds; 0 without a matmul shape. */
export function matmulFlops(cost: LayerCost): number {
  const shape = cost.matmul;
  if (!shape) return 0;
  return Math.min(cost.flops, 2 * shape.rows * shape.columns * shape.depth * shape.groups);
}

/**
 * The share of a template's weight bytes that is its matrix (the rest are 16-bit bias and norm
 * vectors no technique here compresses). The bytes a step reads keep the stored proportion.
 */
export function matrixShareOfWeights(template: LayerTemplate, sizes: ElementBytes): number {
  const matrixBytes = template.weightKind ? template.stored.matrixElements * sizes.weight[template.weightKind] : 0;
  const vectorBytes = template.stored.vectorElements * sizes.vectorParameter;
  return matrixBytes + vectorBytes > 0 ? matrixBytes / (matrixBytes + vectorBytes) : 0;
}

/**
 * The template with its weight matrix scaled by `ratio` in storage and in the bytes each step
 * reads, and its matmul FLOPs by `flopsRatio`. `stored.matrixElements` then counts elements of
 * the weight format's size that the compressed matrix occupies (values, indices, factors).
 */
export function scaleMatrix(template: LayerTemplate, sizes: ElementBytes, ratio: number, flopsRatio: number, changes: Partial<LayerTemplate> = {}): LayerTemplate {
  const share = matrixShareOfWeights(template, sizes);
  const weightScale = share * ratio + (1 - share);
  return withCost(
    template,
    (cost) => ({
      ...withBytes(cost, { weights: cost.bytes.weights * weightScale }),
      flops: cost.flops - matmulFlops(cost) * (1 - flopsRatio),
    }),
    { ...changes, stored: { ...template.stored, matrixElements: template.stored.matrixElements * ratio } },
  );
}

/** Whether the layer writes the KV cache (k_proj, v_proj, MLA's compressed projection). */
export function writesKvCache(template: LayerTemplate): boolean {
  return template.cost({ batchSize: 1, queryTokens: 1, cachedTokens: 0, logitTokensPerSequence: 1 }).bytes.kv_write > 0;
}

/** Whether the layer reads the KV cache (the attention kernels). */
export function readsKvCache(template: LayerTemplate): boolean {
  return template.contextDependent && template.cost({ batchSize: 1, queryTokens: 1, cachedTokens: 1, logitTokensPerSequence: 1 }).bytes.kv_read > 0;
}
