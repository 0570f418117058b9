/**
 * Early exit in decoding (CALM, Schuster et al., NeurIPS 2022, arXiv 2207.07061): a token leaves
 * the decoder after a fraction of its layers when a classifier on the hidden state is confident.
 * A decode step then runs, per token, `mean_layers` × L blocks on average, plus at each block it
 * passes CALM's early-exit classifier (one linear layer H → 1 on the hidden state). The blocks it
 * skips still need their K and V for later tokens: CALM propagates the exited hidden state to them
 * (§3, "state propagation"), so k_proj and v_proj of every block still run. Prefill runs every
 * layer (each prompt token's KV is needed everywhere). Weights and KV cache stay as they are.
 *
 * With a batch, the layers of one step are a batch-wide mean: exact at batch 1, and a lower bound
 * on time when a batch must wait for its deepest token.
 */
import type { LayerTemplate } from '../default/plan';
import { tokens, layerBytes } from '../default/layers';
import type { PlanPart } from '../default/plan';
import type { CountedLayer } from '../default/stage';
import { addDecodeLayer, percent, whole, type TechniqueState } from './state';
import { writesKvCache } from './templates';
import { layerCost } from '../roofline';

const OUTSIDE_BLOCKS: readonly PlanPart[] = ['embedding', 'head', 'pipeline-transfer'];

function exitClassifier(hidden: number, activationBytes: number, weightBytes: number): LayerTemplate {
  return {
    name: 'exit_classifier',
    unit: 'matmul',
    contextDependent: false,
    stored: { matrixElements: 0, vectorElements: 0 },
    kvCacheElementsPerToken: 0,
    cost(step) {
      const rows = tokens(step);
      return layerCost(
        2 * rows * hidden,
        layerBytes({ weights: hidden * weightBytes, activations_in: rows * hidden * activationBytes, activations_out: rows * activationBytes }),
        undefined,
        { rows, columns: 1, depth: hidden, groups: 1 },
      );
    },
  };
}

export function applyEarlyExit(state: TechniqueState, meanLayers: number): void {
  const { shape, sizes } = state.base;
  const parts = state.decodeParts;
  const decode: CountedLayer[] = state.decode.map(({ template, count }, index) => {
    if (OUTSIDE_BLOCKS.includes(parts[index]!) || writesKvCache(template)) return { template, count };
    return { template, count: count * meanLayers };
  });
  state.decode = decode;
  addDecodeLayer(state, { template: exitClassifier(shape.hiddenSize, sizes.activation, sizes.vectorParameter), count: shape.numLayers * meanLayers }, 'attention-block');
  // The classifier's H weights per block are stored too (kept 16-bit like other vectors).
  state.memory = [...state.memory, { template: { ...exitClassifier(shape.hiddenSize, sizes.activation, sizes.vectorParameter), stored: { matrixElements: 0, vectorElements: shape.hiddenSize } }, count: shape.numLayers }];
  state.summaries.push({
    key: 'early_exit',
    label: `early exit at ${percent(meanLayers)} of layers`,
    effect: `A decode token runs ${Number((meanLayers * shape.numLayers).toFixed(2))} of ${whole(shape.numLayers)} blocks on average, each with an exit classifier; the skipped blocks still compute K and V (state propagation). Prefill runs every layer.`,
    source: 'CALM, Schuster et al. 2022, arXiv 2207.07061',
  });
}
