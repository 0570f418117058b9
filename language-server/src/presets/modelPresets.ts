/**
 * Model presets: the reference model table under Hugging Face ids, each config with the source it
 * was read from and the reference's confidence.
 */
import type { HfConfig } from '../engine/types';
import referenceData from './data/models.json';
import { freezeDeep } from '../engine/unchanged';

export interface ModelPreset {
  /** Hugging Face id, e.g. `meta-llama/Llama-2-7b-hf`. */
  id: string;
  /** Hugging Face config fields (only those read in a source; `model_type` from the architecture). */
  config: HfConfig;
  /** Parameter count as published (text, e.g. "46.7B total / 12.9B active"). */
  publishedParameters?: string;
  /** Parameter count derived from the config (all experts). */
  parameters?: number;
  /** Parameters one token goes through (MoE: routed experts only). */
  activeParameters?: number;
  source: string;
  confidence: string;
  notes: string[];
}

// Frozen all the way down: a preset's config is handed to every analysis as the same object (the
// engine caches its preparation by it without comparing it again), so nothing may change it.
export const MODEL_PRESETS: readonly ModelPreset[] = (referenceData.presets as unknown as ModelPreset[]).map((preset) => ({
  ...preset,
  config: freezeDeep(structuredClone(preset.config)),
}));
