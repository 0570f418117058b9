import {
  architectureDefaults,
  type ArchitectureDefaults,
  type BlockNorms,
  type NormKind,
  type QueryKeyNorm,
} from './architectureDefaults';
import { RooflineInputError } from './errors';
import { MAX_MODEL_COUNT } from './validate';
import type { HfConfig } from './types';
import { isFrozenDeep } from './unchanged';

/**
 * The shape of a decoder-only transformer, read from a Hugging Face config of any family without
 * per-model code: each quantity is looked up under the names the families use for it, and each
 * structural choice the config leaves out comes from transformers' defaults for its `model_type`
 * (architectureDefaults.ts).
 */
export interface ModelShape {
  /** `model_type`, or the first architecture, or `unknown`. */
  family: string;
  /** False when the model_type is not one transformers' defaults are known for. */
  knownFamily: boolean;
  /**
   * What the analysis assumed because the config does not say it and the model_type's defaults
   * are unknown (empty for a known model_type).
   */
  assumptions: string[];
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  /** From the config when it says so (Gemma, Qwen3), else hidden / heads. */
  headDim: number;
  vocabSize: number;
  tieWordEmbeddings: boolean;
  /** gate + up + down (SwiGLU / GeGLU) or two matrices (OPT, GPT-2: fc1, fc2). */
  mlp: 'gated' | 'plain';
  /** The MLP activation's name as the config (or the defaults) give it. */
  activation: string;
  /** Biases on q/k/v. */
  attentionBias: boolean;
  /** Bias on o_proj. */
  outputProjectionBias: boolean;
  /** Biases on the MLP projections (OPT, GPT-2). */
  mlpBias: boolean;
  /** Bias on lm_head (Phi-2, GPT-J, CodeGen). */
  lmHeadBias: boolean;
  norm: NormKind;
  blockNorms: BlockNorms;
  queryKeyNorm: QueryKeyNorm;
  queryKeyNormKind: NormKind;
  /** Learned absolute position embeddings (OPT: max_position_embeddings + 2 rows). */
  positionEmbeddingRows: number;
  /** Norms outside the blocks besides the final one (BLOOM's word_embeddings_layernorm). */
  embeddingNorm: boolean;
  maxPositionEmbeddings?: number;
  /** The defaults row the shape fell back to. */
  defaults: ArchitectureDefaults;
}

type FieldPath = readonly (string | number)[];

/** Families whose blocks are all state-space mixers (mixerConfig.ts): attention fields are not required. */
export const STATE_SPACE_ONLY: ReadonlySet<string> = new Set(['mamba', 'mamba2', 'falcon_mamba']);

/**
 * The fields of a config as one flat view, with the path of each field: MPT and DBRX keep
 * attention and MLP settings in nested `attn_config` / `ffn_config`, multimodal checkpoints keep
 * the language model in `text_config`. Top-level fields win.
 */
export interface ConfigView {
  fields: HfConfig;
  pathOf(name: string): FieldPath;
}

const NESTED_SECTIONS = ['attn_config', 'ffn_config'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The language model's config: `text_config` when the top level has no hidden size of its own
 * (Llama 4, Gemma 3, Mistral 3 multimodal checkpoints), else the config itself.
 */
export function languageModelConfig(config: HfConfig, at: FieldPath): { config: HfConfig; at: FieldPath } {
  const text = config.text_config;
  const hasOwnSize = ['hidden_size', 'n_embd', 'd_model'].some((name) => config[name] !== undefined && config[name] !== null);
  if (!hasOwnSize && isObject(text)) return { config: text, at: [...at, 'text_config'] };
  return { config, at };
}

/**
 * Views of preset configs, which are frozen all the way down (unchanged.ts) and read for every
 * preparation a plan makes: built once per config and path. Other configs may change between
 * calls and are viewed afresh each time.
 */
const presetViews = new WeakMap<object, Map<string, ConfigView>>();

export function configView(config: HfConfig, at: FieldPath): ConfigView {
  if (!isFrozenDeep(config)) return buildConfigView(config, at);
  let byPath = presetViews.get(config);
  if (!byPath) presetViews.set(config, (byPath = new Map()));
  const key = at.join('\u0000');
  let view = byPath.get(key);
  if (!view) {
    const built = buildConfigView(config, at);
    // Paths are handed to errors: each caller gets its own copy.
    view = { fields: built.fields, pathOf: (name) => [...built.pathOf(name)] };
    byPath.set(key, view);
  }
  return view;
}

function buildConfigView(config: HfConfig, at: FieldPath): ConfigView {
  const fields: HfConfig = {};
  const paths = new Map<string, FieldPath>();
  for (const section of NESTED_SECTIONS) {
    const nested = config[section];
    if (!isObject(nested)) continue;
    for (const [name, value] of Object.entries(nested)) {
      fields[name] = value;
      paths.set(name, [...at, section, name]);
    }
  }
  for (const [name, value] of Object.entries(config)) {
    if (value === undefined || value === null) continue;
    fields[name] = value;
    paths.set(name, [...at, name]);
  }
  return { fields, pathOf: (name) => paths.get(name) ?? [...at, name] };
}

function firstPresent(config: HfConfig, names: readonly string[]): [string, unknown] | undefined {
  for (const name of names) {
    if (config[name] !== undefined && config[name] !== null) return [name, config[name]];
  }
  return undefined;
}

function positiveInteger(view: ConfigView, names: readonly string[], at: FieldPath, what: string): number {
  const found = firstPresent(view.fields, names);
  if (!found) {
    throw new RooflineInputError(at, `missing ${what}: expected one of ${names.join(', ')}`, 'missing-field');
  }
  const [name, value] = found;
  if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isInteger(value) || value <= 0) {
    throw new RooflineInputError(view.pathOf(name), `${name} must be a positive whole number, got ${JSON.stringify(value)}`);
  }
  if (value > MAX_MODEL_COUNT) throw modelCountTooLarge(view.pathOf(name), name, value);
  return value;
}

/** The error for a model count above `MAX_MODEL_COUNT`. */
export function modelCountTooLarge(path: FieldPath, name: string, value: number): RooflineInputError {
  return new RooflineInputError(path, `${name} must be at most ${MAX_MODEL_COUNT.toLocaleString('en-US')} (2^24, beyond any real model), got ${value.toExponential(2)}`, 'out-of-range');
}

function optionalPositiveInteger(view: ConfigView, names: readonly string[], at: FieldPath): number | undefined {
  const found = firstPresent(view.fields, names);
  if (!found) return undefined;
  return positiveInteger(view, [found[0]], at, found[0]);
}

/** The first boolean among `names`; `negated` names mean the opposite (MPT's `no_bias`). */
function booleanField(fields: HfConfig, names: readonly string[], negated: readonly string[] = []): boolean | undefined {
  for (const name of names) if (typeof fields[name] === 'boolean') return fields[name] as boolean;
  for (const name of negated) if (typeof fields[name] === 'boolean') return !(fields[name] as boolean);
  return undefined;
}

function activationOf(fields: HfConfig, defaults: ArchitectureDefaults): string {
  const value = fields.mlp_hidden_act ?? fields.hidden_activation ?? fields.hidden_act ?? fields.activation_function ?? fields.activation;
  return typeof value === 'string' ? value : defaults.activation;
}

/**
 * KV heads: Falcon's new decoder architecture has `num_kv_heads`; otherwise `multi_query: true`
 * (Falcon-7B, GPT-BigCode) means one KV head, whatever `num_kv_heads` says; else the named field,
 * else as many as query heads.
 */
function keyValueHeads(view: ConfigView, at: FieldPath, queryHeads: number, defaults: ArchitectureDefaults): number {
  const fields = view.fields;
  if (fields.new_decoder_architecture === true) return optionalPositiveInteger(view, ['num_kv_heads'], at) ?? queryHeads;
  const multiQuery = typeof fields.multi_query === 'boolean' ? fields.multi_query : defaults.multiQuery;
  if (multiQuery) return 1;
  return optionalPositiveInteger(view, ['num_key_value_heads', 'multi_query_group_num', 'kv_n_heads', 'num_kv_heads'], at) ?? queryHeads;
}

/** Norms per block Falcon has: one (parallel) unless its new decoder architecture has two. */
function blockNormsOf(fields: HfConfig, defaults: ArchitectureDefaults): BlockNorms {
  if (fields.new_decoder_architecture === true) return fields.num_ln_in_parallel_attn === 1 ? 'parallel' : 'pre';
  if (fields.parallel_attn === false) return 'pre';
  return defaults.blockNorms;
}

/** Learned position rows: max positions (+ OPT's offset 2) for families with a position table. */
function positionRows(view: ConfigView, at: FieldPath, defaults: ArchitectureDefaults): number {
  if (!defaults.positionTable) return 0;
  const positions = optionalPositiveInteger(view, ['max_position_embeddings', 'n_positions', 'max_seq_len'], at);
  return positions === undefined ? 0 : positions + defaults.positionTable.offset;
}

/** `use_qk_norm` / `qk_layernorm` switch the model_type's q/k norm (per head, shared weights, when it has none of its own). */
function queryKeyNormOf(fields: HfConfig, defaults: ArchitectureDefaults): QueryKeyNorm {
  const enabled = booleanField(fields, ['use_qk_norm', 'qk_layernorm', 'qk_ln']) ?? defaults.queryKeyNormByDefault;
  if (!enabled) return 'none';
  return defaults.queryKeyNorm === 'none' ? 'per-head-shared' : defaults.queryKeyNorm;
}

/** MPT's `no_bias` also drops its LayerNorms' biases. */
function normOf(fields: HfConfig, defaults: ArchitectureDefaults): NormKind {
  if (typeof fields.no_bias === 'boolean' && (defaults.norm === 'layer' || defaults.norm === 'layer-no-bias')) {
    return fields.no_bias ? 'layer-no-bias' : 'layer';
  }
  return defaults.norm;
}

/**
 * Reads the shape out of a config. `at` is where the config sits in the deployment, so errors
 * point at the right key (e.g. `["model"]` for an inline model).
 */
export function normalizeModel(config: HfConfig, at: FieldPath = ['model']): ModelShape {
  const language = languageModelConfig(config, at);
  const view = configView(language.config, language.at);
  const fields = view.fields;
  at = language.at;
  const family = String(fields.model_type ?? (Array.isArray(config.architectures) ? config.architectures[0] : undefined) ?? 'unknown');
  const { defaults, known } = architectureDefaults(family);
  const assumptions: string[] = [];
  const hiddenSize = positiveInteger(view, ['hidden_size', 'n_embd', 'd_model'], at, 'hidden size');
  // Mamba-1 configs have no heads at all: nothing attends, so one stands in.
  const headNames = ['num_attention_heads', 'n_head', 'num_heads', 'n_heads'];
  const numAttentionHeads = STATE_SPACE_ONLY.has(family.toLowerCase()) ? (optionalPositiveInteger(view, headNames, at) ?? 1) : positiveInteger(view, headNames, at, 'attention heads');
  const numLayers = positiveInteger(view, ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers'], at, 'layer count');
  const vocabSize = positiveInteger(view, ['vocab_size', 'padded_vocab_size'], at, 'vocabulary size');
  const numKeyValueHeads = keyValueHeads(view, at, numAttentionHeads, defaults);
  if (numAttentionHeads % numKeyValueHeads !== 0) {
    throw new RooflineInputError(
      [...at, 'num_key_value_heads'],
      `num_attention_heads (${numAttentionHeads}) must be a multiple of num_key_value_heads (${numKeyValueHeads})`,
      'heads-not-divisible',
    );
  }
  const explicitHeadDim = optionalPositiveInteger(view, ['head_dim'], at);
  if (explicitHeadDim === undefined && hiddenSize % numAttentionHeads !== 0) {
    throw new RooflineInputError(
      [...at, 'num_attention_heads'],
      `hidden_size (${hiddenSize}) is not divisible by num_attention_heads (${numAttentionHeads}); set head_dim explicitly`,
      'heads-not-divisible',
    );
  }
  const headDim = explicitHeadDim ?? hiddenSize / numAttentionHeads;
  const expansion = optionalPositiveInteger(view, ['expansion_ratio'], at);
  const intermediateSize =
    optionalPositiveInteger(view, ['intermediate_size', 'ffn_dim', 'n_inner', 'ffn_hidden_size'], at) ??
    (expansion ?? defaults.intermediateMultiple) * hiddenSize;
  const tie = booleanField(fields, ['tie_word_embeddings']);
  const tieWordEmbeddings = tie ?? defaults.tieWordEmbeddings;
  // `bias` (Falcon), `use_bias` (Starcoder2), `no_bias` (MPT) switch every linear's bias.
  const allBiases = booleanField(fields, ['bias', 'use_bias'], ['no_bias']);
  const attentionBias = booleanField(fields, ['qkv_bias', 'use_qkv_bias', 'attention_bias', 'add_qkv_bias']) ?? allBiases ?? defaults.qkvBias;
  const outputBias =
    booleanField(fields, ['attention_out_bias', 'o_proj_bias']) ??
    (defaults.outputBias === 'qkv' ? attentionBias : allBiases ?? defaults.outputBias);
  const mlpBias = booleanField(fields, ['mlp_bias']) ?? allBiases ?? defaults.mlpBias;
  const maxPositionEmbeddings = optionalPositiveInteger(view, ['max_position_embeddings', 'n_positions', 'max_seq_len'], at);
  const activation = activationOf(fields, defaults);
  const norm = normOf(fields, defaults);
  if (!known) {
    assumptions.push(
      `model_type "${family}" is not one whose transformers defaults are known, so its structure is read from its fields and the rest assumed as in Llama: ` +
        `${tie === undefined ? 'embeddings tied (transformers’ default), ' : ''}a gated ${activation} MLP, RMSNorm before attention and MLP, ` +
        `${booleanField(fields, ['attention_bias', 'qkv_bias', 'bias', 'use_bias'], ['no_bias']) === undefined ? 'no biases, ' : ''}rotary positions (no position table).`,
    );
  }
  return {
    family,
    knownFamily: known,
    assumptions,
    hiddenSize,
    intermediateSize,
    numLayers,
    numAttentionHeads,
    numKeyValueHeads,
    headDim,
    vocabSize,
    tieWordEmbeddings,
    mlp: defaults.mlp,
    activation,
    attentionBias,
    outputProjectionBias: outputBias,
    mlpBias,
    lmHeadBias: defaults.lmHeadBias,
    norm,
    blockNorms: blockNormsOf(fields, defaults),
    queryKeyNorm: queryKeyNormOf(fields, defaults),
    queryKeyNormKind: defaults.queryKeyNormKind ?? 'rms',
    positionEmbeddingRows: positionRows(view, at, defaults),
    embeddingNorm: defaults.embeddingNorm,
    ...(maxPositionEmbeddings !== undefined ? { maxPositionEmbeddings } : {}),
    defaults,
  };
}
