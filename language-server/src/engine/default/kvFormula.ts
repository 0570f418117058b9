/**
 * The KV cache per token as a formula a person can check, read from the same layer templates the
 * memory totals sum (memory.ts `kvCacheBytes`), so the formula and the total cannot disagree:
 * grouped-query attention caches a K and a V vector per KV head held by the device; multi-head
 * latent attention (DeepSeek-V2/V3) caches one latent of kv_lora_rank plus the shared RoPE key of
 * qk_rope_head_dim, with no factor 2 and no split across devices.
 */
import { WEIGHT_KINDS, type EngineInput, type HfConfig, type WeightKind } from '../types';
import { prepareDefault } from './prepare';
import { readArchitecture, type ArchitectureShape } from './shape';
import { stateElementsByMixer } from './blocks';
import { DEFAULT_INTERCONNECT } from './parallel';
import { MIXER_LABELS } from './stateLayers';
import type { ElementBytes } from './plan';

export interface KvCacheTerm {
  /** Layers that cache this width (per device with pipeline parallelism). */
  layers: number;
  elementsPerToken: number;
  /** Sliding-window layers keep at most this many tokens. */
  tokenLimit?: number;
  /** How the width is made: `2 × 8 kv_heads × 128 head_dim` or `512 kv_lora_rank + 64 rope`. */
  width: string;
}

/** Constant state per sequence of one kind of state layer (linear attention, DeltaNet, Mamba). */
export interface StateTerm {
  /** Layers of this kind (per device with pipeline parallelism). */
  layers: number;
  /** `gated DeltaNet`, `Mamba-2`, ... */
  label: string;
  /** Elements one layer keeps per sequence, on this device. */
  elementsPerSequence: number;
}

export interface KvCacheFormula {
  terms: KvCacheTerm[];
  /** Layers that keep a constant state instead of a KV cache; empty for a transformer. */
  stateTerms: StateTerm[];
  /** Bytes of that state per sequence, whatever its length. */
  stateBytesPerSequence: number;
  bytesPerElement: number;
  /** Bytes one token adds to one device's cache while no window limit is reached. */
  bytesPerToken: number;
  /** True when tensor or pipeline parallelism splits the cache, so the figures are per device. */
  perDevice: boolean;
}

export function kvCacheFormula(input: EngineInput): KvCacheFormula {
  const prepared = prepareDefault(input);
  const { shape, sizes, memoryLayers } = prepared;
  const groups = new Map<string, KvCacheTerm>();
  for (const { template, count } of memoryLayers) {
    const elements = template.kvCacheElementsPerToken;
    if (elements === 0) continue;
    const key = `${elements}/${template.kvCacheTokenLimit ?? ''}`;
    const existing = groups.get(key);
    if (existing) {
      existing.layers += count;
      continue;
    }
    const width = widthOf(shape, elements);
    groups.set(key, { layers: count, elementsPerToken: elements, ...(template.kvCacheTokenLimit !== undefined ? { tokenLimit: template.kvCacheTokenLimit } : {}), width });
  }
  const terms = [...groups.values()];
  const elementsPerToken = terms.reduce((sum, term) => sum + term.layers * term.elementsPerToken, 0);
  const stateTerms = stateTermsOf(shape, sizes, memoryLayers);
  const { tensor, pipeline = 1 } = input.parallelism;
  return {
    terms,
    stateTerms,
    stateBytesPerSequence: stateTerms.reduce((sum, term) => sum + term.layers * term.elementsPerSequence, 0) * sizes.kvCache,
    bytesPerElement: sizes.kvCache,
    bytesPerToken: elementsPerToken * sizes.kvCache,
    perDevice: tensor > 1 || pipeline > 1,
  };
}

/** The state layers a device holds, by kind, read from the same templates as the memory totals. */
function stateTermsOf(shape: ArchitectureShape, sizes: ElementBytes, memoryLayers: readonly { template: { name: string; stateElementsPerSequence?: number }; count: number }[]): StateTerm[] {
  const terms: StateTerm[] = [];
  for (const { kind } of stateElementsByMixer(shape, sizes, DEFAULT_INTERCONNECT)) {
    const owned = memoryLayers.filter(({ template }) => (template.stateElementsPerSequence ?? 0) > 0 && template.name.startsWith(`${kind}_`));
    if (owned.length === 0) continue;
    terms.push({
      layers: owned[0]!.count,
      label: MIXER_LABELS[kind],
      elementsPerSequence: owned.reduce((sum, { template }) => sum + template.stateElementsPerSequence!, 0),
    });
  }
  return terms;
}

/**
 * The same formula for a model file on its own (one device, every layer caching): what a model's
 * hover shows before any deployment splits it.
 */
export function kvCacheFormulaOfConfig(config: HfConfig, bytesPerElement: number): KvCacheFormula {
  const shape = readArchitecture(config);
  const latent = shape.latentAttention;
  const elementsPerToken = latent ? latent.kvLoraRank + latent.qkRopeHeadDim : 2 * shape.numKeyValueHeads * shape.headDim;
  const layers = shape.attentionLayers;
  const weight = Object.fromEntries(WEIGHT_KINDS.map((kind) => [kind, 2])) as Record<WeightKind, number>;
  const sizes: ElementBytes = { weight, kvCache: bytesPerElement, activation: bytesPerElement, logits: 2, vectorParameter: 2 };
  const stateTerms = stateElementsByMixer(shape, sizes, DEFAULT_INTERCONNECT).map(({ kind, blocks, elementsPerSequence }) => ({ layers: blocks, label: MIXER_LABELS[kind], elementsPerSequence }));
  return {
    terms: layers > 0 ? [{ layers, elementsPerToken, width: widthOf(shape, elementsPerToken) }] : [],
    stateTerms,
    stateBytesPerSequence: stateTerms.reduce((sum, term) => sum + term.layers * term.elementsPerSequence, 0) * bytesPerElement,
    bytesPerElement,
    bytesPerToken: layers * elementsPerToken * bytesPerElement,
    perDevice: false,
  };
}

function widthOf(shape: ArchitectureShape, elementsPerToken: number): string {
  const latent = shape.latentAttention;
  if (latent) return `(${latent.kvLoraRank} kv_lora_rank + ${latent.qkRopeHeadDim} rope)`;
  return `2 × ${formatHeads(elementsPerToken / (2 * shape.headDim))} kv_heads × ${shape.headDim} head_dim`;
}

/** KV heads per device: a whole number, or a fraction when heads are shared unevenly. */
function formatHeads(heads: number): string {
  return Number.isInteger(heads) ? String(heads) : heads.toFixed(2).replace(/\.?0+$/, '');
}
