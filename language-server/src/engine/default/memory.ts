/**
 * Memory held on one device: the stored weights of every layer (embedding and untied lm_head
 * included), the KV cache, and the activation peak of a step.
 */
import type { CountedLayer } from './stage';
import type { WeightBytesOfKind, WeightKind } from '../types';
import type { ElementBytes } from './plan';

/** storedWeightBytes split by kind of weight matrix, with the 16-bit vectors apart; kinds with no bytes left out. */
export function weightBytesByKind(layers: readonly CountedLayer[], sizes: ElementBytes, formatOf: (kind: WeightKind) => string): WeightBytesOfKind[] {
  const bytes = new Map<WeightKind | 'vectors', number>();
  const add = (kind: WeightKind | 'vectors', value: number): void => {
    if (value > 0) bytes.set(kind, (bytes.get(kind) ?? 0) + value);
  };
  for (let index = 0; index < layers.length; index++) {
    const { template, count } = layers[index]!;
    if (template.weightKind) add(template.weightKind, count * template.stored.matrixElements * sizes.weight[template.weightKind]);
    add('vectors', count * template.stored.vectorElements * sizes.vectorParameter);
  }
  return [...bytes.entries()].map(([kind, value]) => ({
    kind,
    format: kind === 'vectors' ? `${sizes.vectorParameter * 8}-bit` : formatOf(kind),
    bytes: value,
  }));
}

export function storedWeightBytes(layers: readonly CountedLayer[], sizes: ElementBytes): number {
  let bytes = 0;
  for (let index = 0; index < layers.length; index++) {
    const { template, count } = layers[index]!;
    const matrixBytes = template.weightKind ? sizes.weight[template.weightKind] : 0;
    bytes += count * (template.stored.matrixElements * matrixBytes + template.stored.vectorElements * sizes.vectorParameter);
  }
  return bytes;
}

/** Every parameter the layers store (for the model's parameter count, measured on an unsplit plan). */
export function storedParameters(layers: readonly CountedLayer[]): number {
  let parameters = 0;
  for (let index = 0; index < layers.length; index++) {
    const { template, count } = layers[index]!;
    parameters += count * (template.stored.matrixElements + template.stored.vectorElements);
  }
  return parameters;
}

/**
 * Parameters one token uses: routed experts count k of their E experts (`activeShare`), every
 * other layer counts whole.
 */
export function activeParameters(layers: readonly CountedLayer[]): number {
  let parameters = 0;
  for (let index = 0; index < layers.length; index++) {
    const { template, count } = layers[index]!;
    parameters += count * (template.activeShare ?? 1) * (template.stored.matrixElements + template.stored.vectorElements);
  }
  return parameters;
}

/**
 * What the cache formulas read of a layer list, gathered once per list: reading the same fields of
 * a dozen differently shaped templates on every analysis cost more than the arithmetic. The
 * figures are the same products, in the same order, as reading the templates each time.
 */
interface CacheLayout {
  /** count × KV elements per token, of each layer that keeps a KV cache, in layer order. */
  elementsPerToken: number[];
  /** Each such layer's token limit (a sliding window), or undefined. */
  tokenLimits: (number | undefined)[];
  /** Σ count × constant state elements per sequence, in layer order. */
  stateElements: number;
}

const layouts = new WeakMap<readonly CountedLayer[], CacheLayout>();

function cacheLayoutOf(layers: readonly CountedLayer[]): CacheLayout {
  const known = layouts.get(layers);
  if (known) return known;
  const layout: CacheLayout = { elementsPerToken: [], tokenLimits: [], stateElements: 0 };
  for (let index = 0; index < layers.length; index++) {
    const { template, count } = layers[index]!;
    layout.stateElements += count * (template.stateElementsPerSequence ?? 0);
    if (template.kvCacheElementsPerToken === 0) continue;
    layout.elementsPerToken.push(count * template.kvCacheElementsPerToken);
    layout.tokenLimits.push(template.kvCacheTokenLimit);
  }
  // Layer lists are made once per preparation and not changed after; a frozen list makes sure.
  if (Object.isFrozen(layers)) layouts.set(layers, layout);
  return layout;
}

/**
 * KV cache for `batchSize` sequences of `tokensPerSequence` cached tokens each. A sliding-window
 * layer keeps at most its window of tokens (vLLM frees the blocks that leave the window).
 */
export function kvCacheBytes(layers: readonly CountedLayer[], batchSize: number, tokensPerSequence: number, sizes: ElementBytes): number {
  const { elementsPerToken, tokenLimits } = cacheLayoutOf(layers);
  let elements = 0;
  for (let index = 0; index < elementsPerToken.length; index++) {
    const kept = Math.min(tokensPerSequence, tokenLimits[index] ?? tokensPerSequence);
    elements += elementsPerToken[index]! * kept;
  }
  return batchSize * elements * sizes.kvCache;
}

/**
 * Constant per-sequence state (the recurrent state of linear-attention and state-space layers,
 * their convolution windows): held once per sequence whatever its length.
 */
export function stateBytes(layers: readonly CountedLayer[], batchSize: number, sizes: ElementBytes): number {
  return batchSize * cacheLayoutOf(layers).stateElements * sizes.kvCache;
}

/**
 * What a device holds for `batchSize` sequences of `tokensPerSequence` tokens: the KV cache of the
 * layers that have one, which grows with the tokens, plus the constant state of the others.
 */
export function cacheBytes(layers: readonly CountedLayer[], batchSize: number, tokensPerSequence: number, sizes: ElementBytes): number {
  return kvCacheBytes(layers, batchSize, tokensPerSequence, sizes) + stateBytes(layers, batchSize, sizes);
}
