/**
 * Offloading to host memory (FlexGen, Sheng et al., ICML 2023, arXiv 2303.06865): a fraction of
 * each layer's weights, and of the KV cache, lives in CPU memory and crosses the host link every
 * step, overlapped with computation layer by layer (FlexGen's zig-zag schedule). On the roofline
 * the link is a third ceiling of each layer: latency + offloaded bytes ÷ link bandwidth, beside its
 * arithmetic and its device-memory traffic (the kernel still reads all its bytes from device
 * memory once they arrive). Device memory keeps only the rest.
 */
import type { LayerTemplate } from '../default/plan';
import type { OffloadSpec } from './spec';
import { mapEveryList, percent, type TechniqueState } from './state';
import { matrixShareOfWeights, readsKvCache, withCost } from './templates';

function offloaded(template: LayerTemplate, spec: OffloadSpec, matrixShare: number): LayerTemplate {
  const streamsWeights = spec.weights > 0 && template.weightKind !== undefined && template.stored.matrixElements > 0;
  const streamsKv = spec.kvCache > 0 && readsKvCache(template);
  if (!streamsWeights && !streamsKv && !(spec.kvCache > 0 && template.kvCacheElementsPerToken > 0)) return template;
  const { bandwidthBytesPerSecond, latencySeconds } = spec.link;
  return withCost(
    template,
    (cost) => {
      const linkBytes = (streamsWeights ? spec.weights * matrixShare * cost.bytes.weights : 0) + (streamsKv ? spec.kvCache * cost.bytes.kv_read : 0);
      if (linkBytes <= 0) return cost;
      const linkSeconds = latencySeconds + linkBytes / bandwidthBytesPerSecond;
      return { ...cost, otherSeconds: Math.max(cost.otherSeconds ?? 0, linkSeconds) };
    },
    {
      stored: { ...template.stored, matrixElements: streamsWeights ? template.stored.matrixElements * (1 - spec.weights) : template.stored.matrixElements },
      kvCacheElementsPerToken: template.kvCacheElementsPerToken * (1 - spec.kvCache),
    },
  );
}

export function applyOffload(state: TechniqueState, spec: OffloadSpec): void {
  const { sizes } = state.base;
  mapEveryList(state, (template) => offloaded(template, spec, matrixShareOfWeights(template, sizes)));
  const parts = [spec.weights > 0 ? `${percent(spec.weights)} of the weights` : '', spec.kvCache > 0 ? `${percent(spec.kvCache)} of the KV cache` : ''].filter(Boolean);
  const link = spec.link;
  state.summaries.push({
    key: 'offload',
    label: `offload over ${link.name}`,
    effect:
      parts.length === 0
        ? 'Nothing is offloaded (weights and kv_cache are 0).'
        : `${parts.join(' and ')} held in host memory and streamed over ${link.name} (${(link.bandwidthBytesPerSecond / 1e9).toFixed(1)} GB/s, ${(link.latencySeconds * 1e6).toFixed(0)} µs per transfer) every step, overlapped with each layer's work.`,
    source: `FlexGen, Sheng et al. 2023, arXiv 2303.06865; link: ${link.source}`,
  });
}
