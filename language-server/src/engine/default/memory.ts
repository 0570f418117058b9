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
  for (const { template, count } of layers) {
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
  for (const { template, count } of layers) {
    const matrixBytes = template.weightKind ? sizes.weight[template.weightKind] : 0;
    bytes += count * (template.stored.matrixElements * matrixBytes + template.stored.vectorElements * sizes.vectorParameter);
  }
  return bytes;
}

/** Every parameter the layers store (for the model's parameter count, measured on an unsplit plan). */
export function storedParameters(layers: readonly CountedLayer[]): number {
  let parameters = 0;
  for (const { template, count } of layers) {
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
  for (const { template, count } of layers) {
    parameters += count * (template.activeShare ?? 1) * (template.stored.matrixElements + template.stored.vectorElements);
  }
  return parameters;
}

/**
 * KV cache for `batchSize` sequences of `tokensPerSequence` cached tokens each. A sliding-window
 * layer keeps at most its window of tokens (vLLM frees the blocks that leave the window).
 */
export function kvCacheBytes(layers: readonly CountedLayer[], batchSize: number, tokensPerSequence: number, sizes: ElementBytes): number {
  let elements = 0;
  for (const { template, count } of layers) {
    if (template.kvCacheElementsPerToken === 0) continue;
    const kept = Math.min(tokensPerSequence, template.kvCacheTokenLimit ?? tokensPerSequence);
    elements += count * template.kvCacheElementsPerToken * kept;
  }
  return batchSize * elements * sizes.kvCache;
}

/**
 * Constant per-sequence state (the recurrent state of linear-attention and state-space layers,
 * their convolution windows): held once per sequence whatever its length.
 */
export function stateBytes(layers: readonly CountedLayer[], batchSize: number, sizes: ElementBytes): number {
  let elements = 0;
  for (const { template, count } of layers) elements += count * (template.stateElementsPerSequence ?? 0);
  return batchSize * elements * sizes.kvCache;
}

/**
 * What a device holds for `batchSize` sequences of `tokensPerSequence` tokens: the KV cache of the
 * layers that have one, which grows with the tokens, plus the constant state of the others.
 */
export function cacheBytes(layers: readonly CountedLayer[], batchSize: number, tokensPerSequence: number, sizes: ElementBytes): number {
  return kvCacheBytes(layers, batchSize, tokensPerSequence, sizes) + stateBytes(layers, batchSize, sizes);
}
