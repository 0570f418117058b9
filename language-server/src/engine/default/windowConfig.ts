/**
 * Which blocks use sliding-window attention, read the way each family's modelling code reads it:
 * an explicit `layer_types` list (gpt-oss, newer configs of every family); Gemma-2 alternating
 * (even layers sliding); Gemma-3 / Cohere2 `sliding_window_pattern` (every p-th layer global);
 * Qwen2/3 only with `use_sliding_window` and from `max_window_layers` on; otherwise a
 * `sliding_window` applies to every layer (Mistral-7B-v0.1, Phi-3).
 */
import { RooflineInputError } from '../errors';
import type { HfConfig } from '../types';
import { optionalWholeNumber, type FieldPath } from './configFields';

export interface AttentionSchedule {
  /** Keys each query of a sliding layer sees, itself included; absent when no layer slides. */
  windowTokens?: number;
  slidingLayers: number;
  fullLayers: number;
  /** For each block in order, whether it uses the window (pipeline stages take their own blocks). */
  slidingBlocks: readonly boolean[];
  /** `layer_types` entries other than sliding/full attention (analysed as full attention). */
  otherKinds: string[];
}

const QWEN_FAMILIES = new Set(['qwen2', 'qwen2_moe', 'qwen3', 'qwen3_moe']);
const GEMMA3_FAMILIES = new Set(['gemma3', 'gemma3_text']);
/** transformers' defaults when the config omits them. */
const QWEN_DEFAULT_MAX_WINDOW_LAYERS = 28;
const GEMMA3_DEFAULT_PATTERN = 6;

function fromLayerTypes(layerTypes: unknown, numLayers: number, windowTokens: number | undefined, at: FieldPath): AttentionSchedule {
  const path = [...at, 'layer_types'];
  if (!Array.isArray(layerTypes) || !layerTypes.every((kind) => typeof kind === 'string')) {
    throw new RooflineInputError(path, 'layer_types must be a list with one attention kind per layer');
  }
  if (layerTypes.length !== numLayers) {
    throw new RooflineInputError(path, `layer_types lists ${layerTypes.length} layers but num_hidden_layers is ${numLayers}`);
  }
  const slidingBlocks = layerTypes.map((kind) => kind === 'sliding_attention');
  const sliding = slidingBlocks.filter(Boolean).length;
  if (sliding > 0 && windowTokens === undefined) {
    throw new RooflineInputError([...at, 'sliding_window'], 'layer_types has sliding_attention layers but sliding_window is not set', 'missing-field');
  }
  const otherKinds = [...new Set(layerTypes.filter((kind) => kind !== 'sliding_attention' && kind !== 'full_attention'))] as string[];
  return {
    ...(sliding > 0 ? { windowTokens } : {}),
    slidingLayers: sliding,
    fullLayers: numLayers - sliding,
    slidingBlocks,
    otherKinds,
  };
}

/**
 * Which blocks slide, by family rule, when the config has a window and no layer_types list:
 * Qwen from max_window_layers on; Gemma-2 the even blocks (`not layer_idx % 2`); a pattern p
 * every block but each p-th (`(layer_idx + 1) % p`); otherwise all of them.
 */
function slidingBlockFlags(config: HfConfig, family: string, numLayers: number, at: FieldPath): boolean[] {
  const blocks = Array.from({ length: numLayers }, (_, index) => index);
  if (config.use_sliding_window === false) return blocks.map(() => false);
  if (QWEN_FAMILIES.has(family)) {
    if (config.use_sliding_window !== true) return blocks.map(() => false);
    const firstSliding = optionalWholeNumber(config, ['max_window_layers'], at, 0) ?? QWEN_DEFAULT_MAX_WINDOW_LAYERS;
    return blocks.map((index) => index >= firstSliding);
  }
  if (family === 'gemma2') return blocks.map((index) => index % 2 === 0);
  const pattern =
    optionalWholeNumber(config, ['sliding_window_pattern'], at, 1) ?? (GEMMA3_FAMILIES.has(family) ? GEMMA3_DEFAULT_PATTERN : undefined);
  if (pattern !== undefined) return blocks.map((index) => (index + 1) % pattern !== 0);
  return blocks.map(() => true);
}

export function readAttentionSchedule(config: HfConfig, family: string, numLayers: number, at: FieldPath): AttentionSchedule {
  const window = optionalWholeNumber(config, ['sliding_window'], at, 1);
  if (config.layer_types !== undefined && config.layer_types !== null) {
    return fromLayerTypes(config.layer_types, numLayers, window, at);
  }
  const slidingBlocks = window === undefined ? new Array<boolean>(numLayers).fill(false) : slidingBlockFlags(config, family, numLayers, at);
  const sliding = slidingBlocks.filter(Boolean).length;
  return {
    ...(sliding > 0 ? { windowTokens: window } : {}),
    slidingLayers: sliding,
    fullLayers: numLayers - sliding,
    slidingBlocks,
    otherKinds: [],
  };
}
