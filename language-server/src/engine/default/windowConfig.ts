/**
 * Which kind of attention each block uses, read the way each family's modelling code reads it:
 * an explicit `layer_types` list (gpt-oss, Llama 4, newer configs of every family); otherwise the
 * model_type's sliding rule (architectureDefaults.ts): Gemma-2 alternating (even layers sliding),
 * Gemma-3 / Cohere2 / EXAONE-4 `sliding_window_pattern` (every p-th layer global), Qwen2/3 only
 * with `use_sliding_window` and from `max_window_layers` on, else a `sliding_window` applies to
 * every layer (Mistral-7B-v0.1, Phi-3). Llama 4 without layer_types: chunked attention
 * (`attention_chunk_size`) on the RoPE layers, full attention on every `no_rope_layer_interval`-th.
 * GPT-Neo: `attention_layers` with `window_size`. EXAONE-4 may give its pattern as letters ("LLLG").
 * A `sliding_window` of 0 (what to_dict() writes for "none") means no window.
 */
import type { ArchitectureDefaults } from '../architectureDefaults';
import { RooflineInputError } from '../errors';
import type { HfConfig } from '../types';
import { countedBlocks, engineWorkUnit } from '../workMeter';
import { optionalWholeNumber, type FieldPath } from './configFields';

/**
 * Attention kinds a block can have. Sliding: each query sees the last w keys. Chunked (Llama 4):
 * each query sees the keys of its own chunk of w tokens up to itself.
 */
export type AttentionKind = 'full' | 'sliding' | 'chunked';

export const ATTENTION_KINDS: readonly AttentionKind[] = ['full', 'sliding', 'chunked'];

export interface AttentionSchedule {
  /** Keys each query of a sliding layer sees, itself included; absent when no layer slides. */
  windowTokens?: number;
  /** Tokens per chunk of the chunked layers; absent when no layer is chunked. */
  chunkTokens?: number;
  /** Blocks of each kind. */
  layers: Readonly<Record<AttentionKind, number>>;
  /** For each block in order, its kind (pipeline stages take their own blocks). */
  blockKinds: readonly AttentionKind[];
  /** `layer_types` entries other than sliding/chunked/full attention (analysed as full attention). */
  otherKinds: string[];
}

const QWEN_DEFAULT_MAX_WINDOW_LAYERS = 28;
/** Llama 4's `no_rope_layer_interval` default: every 4th layer has no RoPE and full attention. */
const LLAMA4_NO_ROPE_INTERVAL = 4;

const LAYER_TYPE_KINDS: Readonly<Record<string, AttentionKind>> = {
  full_attention: 'full',
  sliding_attention: 'sliding',
  chunked_attention: 'chunked',
};

function schedule(blockKinds: AttentionKind[], windowTokens: number | undefined, chunkTokens: number | undefined, otherKinds: string[]): AttentionSchedule {
  const layers: Record<AttentionKind, number> = { full: 0, sliding: 0, chunked: 0 };
  for (const kind of blockKinds) {
    engineWorkUnit();
    layers[kind] += 1;
  }
  return {
    ...(layers.sliding > 0 ? { windowTokens } : {}),
    ...(layers.chunked > 0 ? { chunkTokens } : {}),
    layers,
    blockKinds,
    otherKinds,
  };
}

function fromLayerTypes(
  layerTypes: unknown,
  numLayers: number,
  windowTokens: number | undefined,
  chunkTokens: number | undefined,
  at: FieldPath,
): AttentionSchedule {
  const path = [...at, 'layer_types'];
  if (!Array.isArray(layerTypes) || !layerTypes.every((kind) => typeof kind === 'string')) {
    throw new RooflineInputError(path, 'layer_types must be a list with one attention kind per layer');
  }
  if (layerTypes.length !== numLayers) {
    throw new RooflineInputError(path, `layer_types lists ${layerTypes.length} layers but num_hidden_layers is ${numLayers}`);
  }
  const blockKinds = (layerTypes as string[]).map((kind) => LAYER_TYPE_KINDS[kind] ?? 'full');
  if (blockKinds.includes('sliding') && windowTokens === undefined) {
    throw new RooflineInputError([...at, 'sliding_window'], 'layer_types has sliding_attention layers but sliding_window is not set', 'missing-field');
  }
  if (blockKinds.includes('chunked') && chunkTokens === undefined) {
    throw new RooflineInputError([...at, 'attention_chunk_size'], 'layer_types has chunked_attention layers but attention_chunk_size is not set', 'missing-field');
  }
  const otherKinds = [...new Set((layerTypes as string[]).filter((kind) => LAYER_TYPE_KINDS[kind] === undefined))];
  return schedule(blockKinds, windowTokens, chunkTokens, otherKinds);
}

/**
 * EXAONE-4's `sliding_window_pattern` as letters ("LLLG": local, local, local, global, repeated),
 * or undefined when the pattern is a number or absent.
 */
function letterPattern(config: HfConfig, at: FieldPath): string | undefined {
  const pattern = config.sliding_window_pattern;
  if (typeof pattern !== 'string') return undefined;
  if (!/^[LG]+$/.test(pattern)) {
    throw new RooflineInputError([...at, 'sliding_window_pattern'], `sliding_window_pattern must be a number or letters L (local) and G (global), got ${JSON.stringify(pattern)}`);
  }
  return pattern;
}

/**
 * GPT-Neo's `attention_layers` ("global" / "local" per block) with `window_size`: local blocks
 * attend over the last window_size tokens.
 */
function fromAttentionLayers(config: HfConfig, numLayers: number, at: FieldPath): AttentionSchedule | undefined {
  const listed = config.attention_layers;
  if (!Array.isArray(listed)) return undefined;
  const path = [...at, 'attention_layers'];
  if (listed.length !== numLayers || !listed.every((kind) => kind === 'global' || kind === 'local')) {
    throw new RooflineInputError(path, `attention_layers must give "global" or "local" for each of the ${numLayers} layers`);
  }
  const window = optionalWholeNumber(config, ['window_size'], at, 1);
  if (listed.includes('local') && window === undefined) {
    throw new RooflineInputError([...at, 'window_size'], 'attention_layers has local layers but window_size is not set', 'missing-field');
  }
  return schedule(
    listed.map((kind): AttentionKind => (kind === 'local' ? 'sliding' : 'full')),
    window,
    undefined,
    [],
  );
}

/** Which blocks slide, by the model_type's rule, when the config has a window and no layer_types. */
function slidingBlockFlags(config: HfConfig, defaults: ArchitectureDefaults, numLayers: number, at: FieldPath): boolean[] {
  // Every pass over the blocks counts its work: num_hidden_layers is whatever the config says.
  const blocks = countedBlocks(numLayers, (index) => index);
  const eachBlock = (flag: (index: number) => boolean): boolean[] =>
    blocks.map((index) => {
      engineWorkUnit();
      return flag(index);
    });
  if (config.use_sliding_window === false) return eachBlock(() => false);
  switch (defaults.slidingRule) {
    case 'from-max-window-layers': {
      if (config.use_sliding_window !== true) return eachBlock(() => false);
      const firstSliding = optionalWholeNumber(config, ['max_window_layers'], at, 0) ?? defaults.maxWindowLayers ?? QWEN_DEFAULT_MAX_WINDOW_LAYERS;
      return eachBlock((index) => index >= firstSliding);
    }
    case 'even-layers':
      return eachBlock((index) => index % 2 === 0);
    case 'pattern': {
      const letters = letterPattern(config, at);
      if (letters) return eachBlock((index) => letters[index % letters.length] === 'L');
      const pattern = optionalWholeNumber(config, ['sliding_window_pattern'], at, 1) ?? defaults.slidingPattern ?? 1;
      return eachBlock((index) => (index + 1) % pattern !== 0);
    }
    case 'every-layer': {
      const letters = letterPattern(config, at);
      if (letters) return eachBlock((index) => letters[index % letters.length] === 'L');
      const pattern = optionalWholeNumber(config, ['sliding_window_pattern'], at, 1);
      return eachBlock((index) => pattern === undefined || (index + 1) % pattern !== 0);
    }
  }
}

export function readAttentionSchedule(config: HfConfig, defaults: ArchitectureDefaults, numLayers: number, at: FieldPath): AttentionSchedule {
  const window = optionalWholeNumber(config, ['sliding_window'], at, 0) || undefined;
  const chunk = optionalWholeNumber(config, ['attention_chunk_size'], at, 1);
  if (config.layer_types !== undefined && config.layer_types !== null) {
    return fromLayerTypes(config.layer_types, numLayers, window, chunk, at);
  }
  const gptNeo = fromAttentionLayers(config, numLayers, at);
  if (gptNeo) return gptNeo;
  if (chunk !== undefined) {
    const interval = optionalWholeNumber(config, ['no_rope_layer_interval'], at, 1) ?? LLAMA4_NO_ROPE_INTERVAL;
    const kinds = countedBlocks(numLayers, (index): AttentionKind => ((index + 1) % interval === 0 ? 'full' : 'chunked'));
    return schedule(kinds, undefined, chunk, []);
  }
  if (window === undefined) {
    return schedule(countedBlocks<AttentionKind>(numLayers, () => 'full'), undefined, undefined, []);
  }
  return schedule(
    slidingBlockFlags(config, defaults, numLayers, at).map((flag): AttentionKind => {
      engineWorkUnit();
      return flag ? 'sliding' : 'full';
    }),
    window,
    undefined,
    [],
  );
}
