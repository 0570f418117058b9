/**
 * Contextual sparsity (Deja Vu, Liu et al., ICML 2023, arXiv 2310.17157): for each token a small
 * predictor picks the MLP neurons and attention heads that matter, and only those are computed.
 * Per block, the dense MLP reads and multiplies only the active columns of gate/up and rows of
 * down; attention computes only the active heads' queries, attention and output projection. K and
 * V are still computed for every head so the cache stays complete for later tokens.
 *
 * A step of n = batch × query tokens computes the union of its tokens' active sets; taking tokens
 * as independent, a neuron active with probability a is needed by 1 − (1 − a)^n of them, which is
 * why Deja Vu's gain fades with the batch (its §5) and prefill gains nothing. A KV head is read
 * when any of its g grouped query heads is active: 1 − (1 − a)^(g·n).
 *
 * Overhead: two two-layer predictors per block (Deja Vu §4), H → r → neurons and H → r → heads,
 * run every decode step; counted in full here (Deja Vu overlaps them with the previous block).
 * Only decode uses it; prefill runs dense, as in Deja Vu.
 */
import { linearLayer } from '../default/layers';
import type { LayerTemplate, StepShape } from '../default/plan';
import { tokens } from '../default/layers';
import type { ContextualSparsitySpec } from './spec';
import { addDecodeLayer, percent, whole, type TechniqueState } from './state';
import { matmulFlops, matrixShareOfWeights, readsKvCache, withBytes, withCost } from './templates';

const MLP_LAYERS = new Set(['gate_proj', 'up_proj', 'down_proj', 'mlp_act']);
const HEAD_LAYERS = new Set(['q_proj', 'o_proj']);

/** Share of units a step of `rows` token rows computes when each token uses `active` of them. */
export function unionShare(active: number, rows: number): number {
  return 1 - Math.pow(1 - active, rows);
}

function scaled(template: LayerTemplate, share: (step: StepShape) => number, sizes: TechniqueState['base']['sizes']): LayerTemplate {
  const matrixShare = matrixShareOfWeights(template, sizes);
  return withCost(template, (cost, step) => {
    const s = share(step);
    const bytes = cost.bytes;
    return {
      ...withBytes(cost, {
        weights: bytes.weights * (matrixShare * s + (1 - matrixShare)),
        activations_in: template.unit === 'vector' ? bytes.activations_in * s : bytes.activations_in,
        activations_out: template.unit === 'vector' ? bytes.activations_out * s : bytes.activations_out,
      }),
      flops: template.unit === 'vector' ? cost.flops * s : cost.flops - matmulFlops(cost) * (1 - s),
    };
  });
}

function attentionScaled(template: LayerTemplate, headShare: (step: StepShape) => number, kvShare: (step: StepShape) => number): LayerTemplate {
  return withCost(template, (cost, step) => {
    const heads = headShare(step);
    return {
      ...withBytes(cost, {
        kv_read: cost.bytes.kv_read * kvShare(step),
        activations_in: cost.bytes.activations_in * heads,
        activations_out: cost.bytes.activations_out * heads,
      }),
      flops: cost.flops * heads,
    };
  });
}

export function applyContextualSparsity(state: TechniqueState, spec: ContextualSparsitySpec): void {
  const { sizes, device, shape } = state.base;
  const H = shape.hiddenSize;
  const r = spec.predictorRank;
  const group = device.queryHeads / device.kvHeads;
  const mlp = spec.mlp;
  const heads = spec.attentionHeads;
  state.decode = state.decode.map(({ template, count }) => {
    if (mlp !== undefined && MLP_LAYERS.has(template.name)) return { template: scaled(template, (step) => unionShare(mlp, tokens(step)), sizes), count };
    if (heads !== undefined && HEAD_LAYERS.has(template.name)) return { template: scaled(template, (step) => unionShare(heads, tokens(step)), sizes), count };
    if (heads !== undefined && readsKvCache(template)) {
      return {
        template: attentionScaled(
          template,
          (step) => unionShare(heads, tokens(step)),
          (step) => unionShare(heads, group * tokens(step)),
        ),
        count,
      };
    }
    return { template, count };
  });
  const predictors: LayerTemplate[] = [];
  if (mlp !== undefined) {
    predictors.push(linearLayer('mlp_predictor_in', H, r, false, 'activations', sizes, 'mlp'), linearLayer('mlp_predictor_out', r, device.mlpColumns, false, 'activations', sizes, 'mlp'));
  }
  if (heads !== undefined) {
    predictors.push(linearLayer('head_predictor_in', H, r, false, 'activations', sizes, 'attention'), linearLayer('head_predictor_out', r, device.queryHeads, false, 'activations', sizes, 'attention'));
  }
  for (const template of predictors) addDecodeLayer(state, { template, count: shape.numLayers }, template.name.startsWith('mlp_') ? 'mlp-block' : 'attention-block');
  state.memory = [...state.memory, ...predictors.map((template) => ({ template, count: shape.numLayers }))];
  const parts = [mlp !== undefined ? `${percent(mlp)} of MLP neurons` : '', heads !== undefined ? `${percent(heads)} of attention heads` : ''].filter(Boolean);
  state.summaries.push({
    key: 'contextual_sparsity',
    label: `contextual sparsity (${parts.join(', ')})`,
    effect: `A decode token computes ${parts.join(' and ')}; a batch of ${whole(state.workload.batchSize)} computes the union of its tokens' sets. Predictors of rank ${whole(r)} run in every block; prefill stays dense.`,
    source: 'Deja Vu, Liu et al. 2023, arXiv 2310.17157',
  });
}
