/**
 * Low-rank factorization of the decoder blocks' projections (SVD-LLM, Wang et al. 2024, arXiv
 * 2403.07378; ASVD, Yuan et al. 2023, arXiv 2312.05821): W [in × out] becomes U [in × r] · V [r ×
 * out] with r = rank_fraction × min(in, out). Storage, weight traffic and FLOPs scale by
 * r(in + out) / (in · out), and the r-wide intermediate is written by the first matmul and read
 * by the second. Above r = in·out / (in + out) (half the full rank of a square matrix) the
 * factors are larger than W.
 */
import type { ElementBytes, LayerTemplate } from '../default/plan';
import { mapEveryList, percent, type TechniqueState } from './state';
import { isBlockMatmul, matmulFlops, matrixShareOfWeights, withBytes, withCost } from './templates';

function factorized(template: LayerTemplate, rankFraction: number, sizes: ElementBytes, grown: Set<string>): LayerTemplate {
  const probe = template.cost({ batchSize: 1, queryTokens: 1, cachedTokens: 0, logitTokensPerSequence: 1 }).matmul;
  if (!probe) return template;
  const { depth: inFeatures, columns: outFeatures } = probe;
  const rank = Math.max(1, Math.round(rankFraction * Math.min(inFeatures, outFeatures)));
  const ratio = (rank * (inFeatures + outFeatures)) / (inFeatures * outFeatures);
  if (ratio >= 1) grown.add(template.name);
  const share = matrixShareOfWeights(template, sizes);
  return withCost(
    template,
    (cost) => {
      const rows = cost.matmul ? cost.matmul.rows * cost.matmul.groups : 0;
      const intermediate = rows * rank * sizes.activation;
      return {
        ...withBytes(cost, {
          weights: cost.bytes.weights * (share * ratio + (1 - share)),
          activations_in: cost.bytes.activations_in + intermediate,
          activations_out: cost.bytes.activations_out + intermediate,
        }),
        flops: cost.flops - matmulFlops(cost) * (1 - ratio),
      };
    },
    { stored: { ...template.stored, matrixElements: template.stored.matrixElements * ratio } },
  );
}

export function applyLowRank(state: TechniqueState, rankFraction: number): void {
  const grown = new Set<string>();
  mapEveryList(state, (template) => (isBlockMatmul(template) ? factorized(template, rankFraction, state.base.sizes, grown) : template));
  if (grown.size > 0) {
    state.notes.push(
      `low_rank: at rank_fraction ${rankFraction} the factors of ${[...grown].join(', ')} hold at least as many weights as the matrix (break-even is r = in·out / (in + out), 0.5 of full rank for a square matrix).`,
    );
  }
  state.summaries.push({
    key: 'low_rank',
    label: `low rank at ${percent(rankFraction)} of full rank`,
    effect: `Each block projection [in × out] becomes two factors of rank ${percent(rankFraction)} × min(in, out): weights and FLOPs × r(in + out)/(in·out), plus an r-wide intermediate written and read.`,
    source: 'SVD-LLM, Wang et al. 2024, arXiv 2403.07378',
  });
}
