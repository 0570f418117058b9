import { RooflineInputError } from './errors';
import { MAX_MODEL_COUNT } from './validate';
import type { HfConfig } from './types';

/**
 * The shape of a decoder-only transformer, read from a Hugging Face config of any family without
 * per-model code: each quantity is looked up under the names the families use for it (llama,
 * mistral, qwen2, phi3 and gemma use the Llama names; OPT uses `ffn_dim`; GPT-2 style configs use
 * `n_embd`, `n_layer`, `n_head`).
 */
export interface ModelShape {
  /** `model_type`, or the first architecture, or `unknown`. */
  family: string;
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
  /** Biases on the attention projections (Qwen2 and Qwen2-MoE on q/k/v only, OPT, gpt-oss). */
  attentionBias: boolean;
  /** Biases on the MLP projections (OPT, GPT-2). */
  mlpBias: boolean;
  norm: 'rms' | 'layer';
  /** Learned absolute position embeddings (OPT: max_position_embeddings + 2 rows). */
  positionEmbeddingRows: number;
  maxPositionEmbeddings?: number;
}

type FieldPath = readonly (string | number)[];

function firstPresent(config: HfConfig, names: readonly string[]): [string, unknown] | undefined {
  for (const name of names) {
    if (config[name] !== undefined && config[name] !== null) return [name, config[name]];
  }
  return undefined;
}

function positiveInteger(config: HfConfig, names: readonly string[], at: FieldPath, what: string): number {
  const found = firstPresent(config, names);
  if (!found) {
    throw new RooflineInputError(at, `missing ${what}: expected one of ${names.join(', ')}`, 'missing-field');
  }
  const [name, value] = found;
  if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isInteger(value) || value <= 0) {
    throw new RooflineInputError([...at, name], `${name} must be a positive whole number, got ${JSON.stringify(value)}`);
  }
  if (value > MAX_MODEL_COUNT) throw modelCountTooLarge([...at, name], name, value);
  return value;
}

/** The error for a model count above `MAX_MODEL_COUNT`. */
export function modelCountTooLarge(path: FieldPath, name: string, value: number): RooflineInputError {
  return new RooflineInputError(path, `${name} must be at most ${MAX_MODEL_COUNT.toLocaleString('en-US')} (2^24, beyond any real model), got ${value.toExponential(2)}`, 'out-of-range');
}

function optionalPositiveInteger(config: HfConfig, names: readonly string[], at: FieldPath): number | undefined {
  const found = firstPresent(config, names);
  if (!found) return undefined;
  return positiveInteger(config, [found[0]], at, found[0]);
}

const PLAIN_MLP_FAMILIES = new Set(['opt', 'gpt2', 'gpt_neox', 'gptj', 'falcon', 'bloom', 'phi', 'starcoder2']);
const LAYERNORM_FAMILIES = new Set(['opt', 'gpt2', 'gpt_neox', 'gptj', 'falcon', 'bloom', 'phi', 'starcoder2']);
/** Families whose configs omit tie_word_embeddings because the library default is true (Gemma's is). */
const TIED_BY_DEFAULT_FAMILIES = new Set(['gemma', 'gemma2', 'gemma3', 'gemma3_text']);
/** Families with biases on q/k/v (not on o_proj) without an attention_bias field. */
const QKV_BIAS_FAMILIES = new Set(['qwen2', 'qwen2_moe']);

/**
 * Reads the shape out of a config. `at` is where the config sits in the deployment, so errors
 * point at the right key (e.g. `["model"]` for an inline model).
 */
export function normalizeModel(config: HfConfig, at: FieldPath = ['model']): ModelShape {
  const family = String(
    config.model_type ?? (Array.isArray(config.architectures) ? config.architectures[0] : undefined) ?? 'unknown',
  );
  const hiddenSize = positiveInteger(config, ['hidden_size', 'n_embd', 'd_model'], at, 'hidden size');
  const numAttentionHeads = positiveInteger(config, ['num_attention_heads', 'n_head', 'num_heads'], at, 'attention heads');
  const numLayers = positiveInteger(config, ['num_hidden_layers', 'n_layer', 'num_layers'], at, 'layer count');
  const vocabSize = positiveInteger(config, ['vocab_size', 'padded_vocab_size'], at, 'vocabulary size');
  const numKeyValueHeads =
    optionalPositiveInteger(config, ['num_key_value_heads', 'multi_query_group_num', 'num_kv_heads'], at) ??
    numAttentionHeads;
  if (numAttentionHeads % numKeyValueHeads !== 0) {
    throw new RooflineInputError(
      [...at, 'num_key_value_heads'],
      `num_attention_heads (${numAttentionHeads}) must be a multiple of num_key_value_heads (${numKeyValueHeads})`,
      'heads-not-divisible',
    );
  }
  const explicitHeadDim = optionalPositiveInteger(config, ['head_dim'], at);
  if (explicitHeadDim === undefined && hiddenSize % numAttentionHeads !== 0) {
    throw new RooflineInputError(
      [...at, 'num_attention_heads'],
      `hidden_size (${hiddenSize}) is not divisible by num_attention_heads (${numAttentionHeads}); set head_dim explicitly`,
      'heads-not-divisible',
    );
  }
  const headDim = explicitHeadDim ?? hiddenSize / numAttentionHeads;
  const intermediateSize =
    optionalPositiveInteger(config, ['intermediate_size', 'ffn_dim', 'n_inner', 'ffn_hidden_size'], at) ?? 4 * hiddenSize;
  const plain = PLAIN_MLP_FAMILIES.has(family);
  const tie = config.tie_word_embeddings;
  // OPT and Gemma tie by default and their configs often omit the field; Llama-style configs
  // default to untied.
  const tieWordEmbeddings = typeof tie === 'boolean' ? tie : plain || TIED_BY_DEFAULT_FAMILIES.has(family);
  const attentionBias =
    typeof config.attention_bias === 'boolean'
      ? config.attention_bias
      : QKV_BIAS_FAMILIES.has(family) || plain || config.enable_bias === true;
  const maxPositionEmbeddings = optionalPositiveInteger(config, ['max_position_embeddings', 'n_positions'], at);
  return {
    family,
    hiddenSize,
    intermediateSize,
    numLayers,
    numAttentionHeads,
    numKeyValueHeads,
    headDim,
    vocabSize,
    tieWordEmbeddings,
    mlp: plain ? 'plain' : 'gated',
    attentionBias,
    mlpBias: plain || config.mlp_bias === true,
    norm: LAYERNORM_FAMILIES.has(family) ? 'layer' : 'rms',
    positionEmbeddingRows: family === 'opt' && maxPositionEmbeddings ? maxPositionEmbeddings + 2 : 0,
    ...(maxPositionEmbeddings !== undefined ? { maxPositionEmbeddings } : {}),
  };
}
