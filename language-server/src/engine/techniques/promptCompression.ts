/**
 * Prompt compression (LLMLingua, Jiang et al., EMNLP 2023, arXiv 2310.05736; LLMLingua-2, Pan et
 * al. 2024, arXiv 2403.12968): a small model reads the whole prompt and drops tokens, so the target
 * model prefills and caches only `keep` of them. The compressor's forward pass over the full
 * prompt is the overhead, in prefill: 2 FLOPs per parameter per token (attention over its
 * 512-token chunks is left out, under 10% of it at that length), its weights read once, in the
 * activation format.
 */
import { layerBytes, tokens } from '../default/layers';
import type { LayerTemplate } from '../default/plan';
import type { PromptCompressionSpec } from './spec';
import { percent, whole, type TechniqueState } from './state';
import { layerCost } from '../roofline';

function compressorLayer(parameters: number, originalPromptTokens: number, keptPromptTokens: number, activationBytes: number): LayerTemplate {
  return {
    name: 'prompt_compressor',
    unit: 'matmul',
    contextDependent: false,
    stored: { matrixElements: 0, vectorElements: 0 },
    kvCacheElementsPerToken: 0,
    cost(step) {
      // Prefill's step carries the kept prompt; the compressor reads the original one.
      const rows = (tokens(step) / keptPromptTokens) * originalPromptTokens;
      return layerCost(
        2 * parameters * rows,
        layerBytes({ weights: parameters * activationBytes, activations_in: rows * activationBytes, activations_out: step.batchSize * keptPromptTokens * activationBytes }),
      );
    },
  };
}

export function applyPromptCompression(state: TechniqueState, spec: PromptCompressionSpec): void {
  const original = state.workload.promptTokens;
  const kept = Math.max(1, Math.round(original * spec.keep));
  state.workload = { ...state.workload, promptTokens: kept };
  if (spec.compressorParameters > 0) {
    state.prefill = [{ template: compressorLayer(spec.compressorParameters, original, kept, state.base.sizes.activation), count: 1 }, ...state.prefill];
  }
  state.summaries.push({
    key: 'prompt_compression',
    label: `prompt compressed to ${percent(spec.keep)}`,
    effect: `The model prefills and caches ${whole(kept)} of the ${whole(original)} prompt tokens; a ${(spec.compressorParameters / 1e6).toFixed(0)} M-parameter compressor reads all ${whole(original)} first.`,
    source: 'LLMLingua, Jiang et al. 2023, arXiv 2310.05736; compressor: LLMLingua-2 (XLM-RoBERTa-large), arXiv 2403.12968',
  });
}
