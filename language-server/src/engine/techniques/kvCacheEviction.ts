/**
 * KV-cache eviction to a fixed budget per sequence. StreamingLLM (Xiao et al. 2023, arXiv
 * 2309.17453) keeps the first `sink_tokens` and the most recent tokens; H2O (Zhang et al.,
 * NeurIPS 2023, arXiv 2306.14048) keeps the heavy hitters by accumulated attention score and the
 * recent tokens. Either way a decode step attends to at most keep_tokens cached tokens, and the
 * cache of a sequence holds at most keep_tokens per layer. Prefill still attends to the whole
 * prompt (both papers evict after computing it).
 *
 * Bookkeeping: StreamingLLM's cache is a ring buffer (no extra traffic). H2O keeps one fp32
 * accumulated score per cached token and KV head, read, updated and written every decode step
 * (its Algorithm 1), which adds 2 × 4 bytes and one add per kept token and KV head per layer.
 */
import type { LayerCost } from '../roofline';
import type { LayerTemplate } from '../default/plan';
import type { KvCacheEvictionSpec } from './spec';
import { mapEveryList, whole, type TechniqueState } from './state';
import { readsKvCache, withBytes, withCost } from './templates';

const SCORE_BYTES = 4;

function evicting(template: LayerTemplate, spec: KvCacheEvictionSpec, headDim: number): LayerTemplate {
  const keep = spec.keepTokens;
  // KV heads this layer caches (K and V of head_dim each per token); at least one score per token.
  const scoredHeads = Math.max(1, Math.round(template.kvCacheElementsPerToken / (2 * headDim)));
  return withCost(
    template,
    (_cost, step) => {
      if (step.cachedTokens <= keep) return _cost;
      const cost = template.cost({ ...step, cachedTokens: keep });
      if (spec.policy !== 'h2o') return cost;
      const scores = step.batchSize * step.queryTokens * keep * scoredHeads;
      const bookkept: LayerCost = withBytes(cost, { kv_read: cost.bytes.kv_read + scores * SCORE_BYTES, kv_write: cost.bytes.kv_write + scores * SCORE_BYTES });
      return { ...bookkept, flops: cost.flops + scores };
    },
    {
      contextLimitTokens: Math.min(template.contextLimitTokens ?? Number.POSITIVE_INFINITY, keep),
      ...(template.kvCacheElementsPerToken > 0 ? { kvCacheTokenLimit: Math.min(template.kvCacheTokenLimit ?? Number.POSITIVE_INFINITY, keep) } : {}),
    },
  );
}

export function applyKvCacheEviction(state: TechniqueState, spec: KvCacheEvictionSpec): void {
  const headDim = state.base.shape.headDim;
  mapEveryList(state, (template) => (readsKvCache(template) || template.kvCacheElementsPerToken > 0 ? evicting(template, spec, headDim) : template));
  const context = state.workload.promptTokens + state.workload.outputTokens;
  const policy = spec.policy === 'h2o' ? 'H2O heavy hitters' : `StreamingLLM (${whole(spec.sinkTokens)} sink tokens + recent)`;
  state.summaries.push({
    key: 'kv_cache_eviction',
    label: `KV eviction to ${whole(spec.keepTokens)} tokens`,
    effect:
      `Each sequence keeps at most ${whole(spec.keepTokens)} of its ${whole(context)} tokens in the KV cache (${policy}); decode attention reads only those` +
      (spec.policy === 'h2o' ? ', plus one fp32 score per kept token and KV head read and written each step.' : '.'),
    source: spec.policy === 'h2o' ? 'H2O, Zhang et al. 2023, arXiv 2306.14048' : 'StreamingLLM, Xiao et al. 2023, arXiv 2309.17453',
  });
}
