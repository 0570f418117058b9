/**
 * The figures of a model file on its own (a `*.model.yaml` or a Hugging Face `config.json`):
 * parameters, weight bytes and KV cache bytes per token, all at 16 bits, the precision checkpoints
 * ship in. Shown as inlay hints, a code lens and in hovers, counted by the engine's own layer plan.
 */
import type { HfConfig } from '../engine/types';
import { kvCacheFormulaOfConfig, modelFootprint, type KvCacheFormula, type ModelFootprint } from '../engine/index';
import { formatBytes, formatParameters } from '../format/units';
import type { CheckedEntry } from './checker';
import type { JsonPath } from '../config/types';

/** Bytes per weight and per cached element of a 16-bit checkpoint (bf16 or fp16). */
const CHECKPOINT_BYTES = 2;

export interface ModelFigures {
  footprint: ModelFootprint;
  kv: KvCacheFormula;
}

export function isModelKind(kind: CheckedEntry['kind']): boolean {
  return kind === 'model' || kind === 'hf-config';
}

/** The model's figures, or undefined when the file cannot be read as a model yet (its diagnostics say why). */
export function modelFiguresOf(entry: CheckedEntry): ModelFigures | undefined {
  if (!isModelKind(entry.kind)) return undefined;
  const config = (entry.check.model ?? entry.parsed.value) as HfConfig | undefined;
  if (!config || typeof config !== 'object') return undefined;
  try {
    return { footprint: modelFootprint(config, CHECKPOINT_BYTES), kv: kvCacheFormulaOfConfig(config, CHECKPOINT_BYTES) };
  } catch {
    return undefined;
  }
}

/** `8.03 B params` or `46.7 B params (12.9 B active)`. */
export function parametersText(footprint: ModelFootprint): string {
  const active = footprint.activeParameters < footprint.parameters ? ` (${formatParameters(footprint.activeParameters)} active)` : '';
  return `${formatParameters(footprint.parameters)} params${active}`;
}

export function weightsText(footprint: ModelFootprint): string {
  return `weights ${formatBytes(footprint.weightBytes)} at ${footprint.bytesPerWeight * 8}-bit`;
}

export function kvPerTokenText(kv: KvCacheFormula): string {
  return `KV ${formatBytes(kv.bytesPerToken)}/token at ${kv.bytesPerElement * 8}-bit`;
}

/** The code lens above a model file: everything a deployment would start from. */
export function modelHeadline(figures: ModelFigures): string {
  return `${parametersText(figures.footprint)} · ${weightsText(figures.footprint)} · ${kvPerTokenText(figures.kv)}`;
}

/** Where the parameter hint goes: the family key, else the preset a model file extends. */
export const PARAMETER_HINT_PATHS: readonly JsonPath[] = [['model_type'], ['extends'], ['architectures']];
/** Where the KV hint goes: the key that sets the cache's width. */
export const KV_HINT_PATHS: readonly JsonPath[] = [['kv_lora_rank'], ['num_key_value_heads'], ['num_kv_heads'], ['multi_query_group_num'], ['num_attention_heads'], ['n_head']];
