/**
 * The token mixer of every block, for models whose blocks are not all softmax attention: linear
 * (lightning) attention (MiniMax-Text-01), gated DeltaNet (Qwen3-Next), Mamba (Jamba) and Mamba-2
 * (Nemotron-H, and Falcon-H1 beside attention in every block). These layers keep a constant state
 * per sequence instead of a KV cache that grows with it. Read the way each family's modelling code
 * reads it (transformers' `modeling_<type>.py`):
 *
 * - `layer_types` entries `linear_attention` (MiniMax: lightning; Qwen3-Next: gated DeltaNet),
 *   `mamba` / `attention` (Jamba's `layers_block_type`), else MiniMax's `attn_type_list` (1 softmax,
 *   0 lightning), Qwen3-Next's `full_attention_interval` (default 4: every 4th block full), Jamba's
 *   `attn_layer_period` / `attn_layer_offset` (block i attends when i % period == offset);
 * - Nemotron-H's `hybrid_override_pattern` (M Mamba-2, * attention, - MLP, E MoE: one mixer or
 *   one MLP per block) or its `layers_block_type` list;
 * - Falcon-H1: attention and a Mamba-2 mixer side by side in every block.
 */
import { RooflineInputError } from '../errors';
import { countedBlocks, engineWorkUnit } from '../workMeter';
import type { ModelShape } from '../model';
import type { HfConfig } from '../types';
import { optionalWholeNumber, type FieldPath } from './configFields';

/** What mixes tokens in a block: softmax attention, a constant-state layer, or nothing (an MLP-only block). */
export type MixerKind = 'attention' | 'lightning' | 'deltanet' | 'mamba' | 'mamba2' | 'none';

/** The constant-state mixers, in the order their groups appear in a plan. */
export const STATE_MIXERS = ['lightning', 'deltanet', 'mamba', 'mamba2'] as const;
export type StateMixerKind = (typeof STATE_MIXERS)[number];

/** MiniMax's lightning attention: q/k/v of `heads` heads of `headDim`, a d × d state per head. */
export interface LightningShape {
  heads: number;
  headDim: number;
  /** Tokens per block of the chunked prefill (`block_size`, default 256). */
  blockTokens: number;
}

/** Qwen3-Next's gated DeltaNet: `keyHeads` q/k heads of `keyHeadDim`, `valueHeads` v heads of `valueHeadDim`. */
export interface DeltaNetShape {
  keyHeads: number;
  keyHeadDim: number;
  valueHeads: number;
  valueHeadDim: number;
  convKernel: number;
}

/** Mamba (Gu & Dao 2023) as Jamba builds it: d_inner = expand · hidden, a d_inner × d_state state. */
export interface MambaShape {
  innerSize: number;
  stateSize: number;
  convKernel: number;
  timeStepRank: number;
  convBias: boolean;
  projectionBias: boolean;
  /** Jamba's RMSNorms on dt, B and C. */
  innerNorms: boolean;
}

/** Mamba-2 (Dao & Gu 2024): `heads` heads of `headDim`, B and C shared by `groups` groups of d_state. */
export interface Mamba2Shape {
  heads: number;
  headDim: number;
  groups: number;
  stateSize: number;
  convKernel: number;
  convBias: boolean;
  projectionBias: boolean;
  /** The gated RMSNorm over the inner width before out_proj (Nemotron-H always; Falcon-H1 with mamba_rms_norm). */
  gatedNorm: boolean;
}

export interface MixerSchedule {
  /** False for a plain transformer: every block softmax attention followed by an MLP. */
  hybrid: boolean;
  /** Blocks in the model. */
  blocks: number;
  /** For each block in order, what mixes its tokens; absent for a plain transformer (`mixerOf`). */
  blockMixers?: readonly MixerKind[];
  /** For each block, whether it has an MLP (all but Nemotron-H's mixer-only blocks); absent for a plain transformer (`hasMlp`). */
  mlpBlocks?: readonly boolean[];
  /** Falcon-H1: every block runs a Mamba-2 mixer beside its attention, on the same normalised input. */
  parallelMamba2: boolean;
  lightning?: LightningShape;
  deltaNet?: DeltaNetShape;
  mamba?: MambaShape;
  mamba2?: Mamba2Shape;
}

/** Whether a config describes blocks other than softmax attention followed by an MLP. */
export function isHybrid(schedule: MixerSchedule): boolean {
  return schedule.hybrid;
}

/** What mixes the tokens of block `index`. */
export function mixerOf(schedule: MixerSchedule, index: number): MixerKind {
  return schedule.blockMixers?.[index] ?? 'attention';
}

/** Whether block `index` has an MLP. */
export function hasMlp(schedule: MixerSchedule, index: number): boolean {
  return schedule.mlpBlocks?.[index] ?? true;
}

function booleanOr(config: HfConfig, name: string, fallback: boolean): boolean {
  const value = config[name];
  return typeof value === 'boolean' ? value : fallback;
}

function stringList(config: HfConfig, name: string, length: number, at: FieldPath): string[] | undefined {
  const value = config[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new RooflineInputError([...at, name], `${name} must be a list with one entry per layer`);
  }
  if (value.length !== length) {
    throw new RooflineInputError([...at, name], `${name} lists ${value.length} layers but num_hidden_layers is ${length}`);
  }
  return value as string[];
}

/** Nemotron-H: one character or one name per block. */
const NEMOTRON_H_CHARACTERS: Readonly<Record<string, { mixer: MixerKind; mlp: boolean; moe: boolean }>> = {
  M: { mixer: 'mamba2', mlp: false, moe: false },
  '*': { mixer: 'attention', mlp: false, moe: false },
  '-': { mixer: 'none', mlp: true, moe: false },
  E: { mixer: 'none', mlp: true, moe: true },
};
const NEMOTRON_H_NAMES: Readonly<Record<string, string>> = { mamba: 'M', attention: '*', mlp: '-', moe: 'E' };

/** Nemotron-H's block letters, from `hybrid_override_pattern` or `layers_block_type`. */
export function nemotronHPattern(config: HfConfig, numLayers: number, at: FieldPath): string[] | undefined {
  const named = stringList(config, 'layers_block_type', numLayers, at);
  if (named) {
    return named.map((name) => {
      const letter = NEMOTRON_H_NAMES[name];
      if (!letter) throw new RooflineInputError([...at, 'layers_block_type'], `layers_block_type entry "${name}" is not one of mamba, attention, mlp, moe`);
      return letter;
    });
  }
  const pattern = config.hybrid_override_pattern;
  if (pattern === undefined || pattern === null) return undefined;
  const path = [...at, 'hybrid_override_pattern'];
  if (typeof pattern !== 'string' || pattern.length !== numLayers || ![...pattern].every((letter) => NEMOTRON_H_CHARACTERS[letter])) {
    throw new RooflineInputError(path, `hybrid_override_pattern must have one of M, *, -, E for each of the ${numLayers} layers`);
  }
  return [...pattern];
}

function lightningShape(config: HfConfig, base: ModelShape, at: FieldPath): LightningShape {
  return { heads: base.numAttentionHeads, headDim: base.headDim, blockTokens: optionalWholeNumber(config, ['block_size'], at, 1) ?? 256 };
}

function deltaNetShape(config: HfConfig, at: FieldPath): DeltaNetShape {
  const need = (name: string): number => {
    const value = optionalWholeNumber(config, [name], at, 1);
    if (value === undefined) throw new RooflineInputError([...at, name], `a gated DeltaNet layer needs ${name}`, 'missing-field');
    return value;
  };
  const keyHeads = need('linear_num_key_heads');
  const valueHeads = need('linear_num_value_heads');
  if (valueHeads % keyHeads !== 0) {
    throw new RooflineInputError([...at, 'linear_num_value_heads'], `linear_num_value_heads (${valueHeads}) must be a multiple of linear_num_key_heads (${keyHeads})`);
  }
  return {
    keyHeads,
    keyHeadDim: need('linear_key_head_dim'),
    valueHeads,
    valueHeadDim: need('linear_value_head_dim'),
    convKernel: optionalWholeNumber(config, ['linear_conv_kernel_dim'], at, 1) ?? 4,
  };
}

function mambaShape(config: HfConfig, base: ModelShape, at: FieldPath): MambaShape {
  const family = base.family.toLowerCase();
  if (family === 'mamba' || family === 'falcon_mamba') {
    // MambaMixer / FalconMambaMixer: d_inner is intermediate_size; Falcon-Mamba's RMSNorms on B, C
    // and dt have no weights.
    const rank = config.time_step_rank;
    return {
      innerSize: base.intermediateSize,
      stateSize: optionalWholeNumber(config, ['state_size'], at, 1) ?? 16,
      convKernel: optionalWholeNumber(config, ['conv_kernel'], at, 1) ?? 4,
      timeStepRank: rank === undefined || rank === null || rank === 'auto' ? Math.ceil(base.hiddenSize / 16) : optionalWholeNumber(config, ['time_step_rank'], at, 1)!,
      convBias: booleanOr(config, 'use_conv_bias', true),
      projectionBias: booleanOr(config, 'use_bias', false),
      innerNorms: false,
    };
  }
  const expand = optionalWholeNumber(config, ['mamba_expand'], at, 1) ?? 2;
  const rank = config.mamba_dt_rank;
  // "auto" (JambaConfig's default) is ceil(hidden / 16).
  const timeStepRank =
    rank === undefined || rank === null || rank === 'auto' ? Math.ceil(base.hiddenSize / 16) : optionalWholeNumber(config, ['mamba_dt_rank'], at, 1)!;
  return {
    innerSize: expand * base.hiddenSize,
    stateSize: optionalWholeNumber(config, ['mamba_d_state'], at, 1) ?? 16,
    convKernel: optionalWholeNumber(config, ['mamba_d_conv'], at, 1) ?? 4,
    timeStepRank,
    convBias: booleanOr(config, 'mamba_conv_bias', true),
    projectionBias: booleanOr(config, 'mamba_proj_bias', false),
    innerNorms: true,
  };
}

/**
 * Mamba-2 fields: Mamba2Config's and Nemotron-H's own names, or the `mamba_`-prefixed ones of
 * Falcon-H1 and GraniteMoeHybrid (`prefixed`). The gated norm before out_proj: always in
 * Mamba2Mixer, Nemotron-H and GraniteMoeHybrid; in Falcon-H1 only with `mamba_rms_norm`.
 */
function mamba2Shape(config: HfConfig, base: ModelShape, at: FieldPath, prefixed: boolean): Mamba2Shape {
  const whole = (names: string[], fallback: number): number => optionalWholeNumber(config, names, at, 1) ?? fallback;
  if (base.family.toLowerCase() === 'mamba2') {
    // Mamba2Config: num_heads × head_dim = expand · hidden; B and C per n_groups groups of state_size.
    return {
      heads: whole(['num_heads'], 128),
      headDim: whole(['head_dim'], 64),
      groups: whole(['n_groups'], 8),
      stateSize: whole(['state_size'], 128),
      convKernel: whole(['conv_kernel'], 4),
      convBias: booleanOr(config, 'use_conv_bias', true),
      projectionBias: booleanOr(config, 'use_bias', false),
      gatedNorm: true,
    };
  }
  if (prefixed) {
    const expand = whole(['mamba_expand'], 2);
    const inner = whole(['mamba_d_ssm'], expand * base.hiddenSize);
    const heads = whole(['mamba_n_heads'], 128);
    const headDim = whole(['mamba_d_head'], Math.floor(inner / heads));
    return {
      heads,
      headDim,
      groups: whole(['mamba_n_groups'], 1),
      stateSize: whole(['mamba_d_state'], 256),
      convKernel: whole(['mamba_d_conv'], 4),
      convBias: booleanOr(config, 'mamba_conv_bias', true),
      projectionBias: booleanOr(config, 'mamba_proj_bias', false),
      gatedNorm: booleanOr(config, 'mamba_rms_norm', base.family.toLowerCase() !== 'falcon_h1'),
    };
  }
  return {
    heads: whole(['mamba_num_heads'], 128),
    headDim: whole(['mamba_head_dim'], 64),
    groups: whole(['n_groups'], 8),
    stateSize: whole(['ssm_state_size'], 128),
    convKernel: whole(['conv_kernel'], 4),
    convBias: booleanOr(config, 'use_conv_bias', true),
    projectionBias: booleanOr(config, 'use_bias', false),
    gatedNorm: true,
  };
}

/** `linear_attention` blocks are lightning attention in MiniMax and gated DeltaNet in Qwen3-Next (and other DeltaNet families). */
function linearKindOf(family: string): 'lightning' | 'deltanet' {
  return family.startsWith('minimax') ? 'lightning' : 'deltanet';
}

/**
 * Whether `mamba` blocks are Mamba-2: configs that describe their mixer with heads
 * (`mamba_n_heads`, `mamba_d_head`, `mamba_n_groups`, as GraniteMoeHybrid and Falcon-H1 do) build
 * Mamba2Mixer; Jamba's `mamba_d_state` / `mamba_dt_rank` describe Mamba-1.
 */
function mambaBlocksAreMamba2(config: HfConfig): boolean {
  return ['mamba_n_heads', 'mamba_d_head', 'mamba_n_groups'].some((name) => config[name] !== undefined && config[name] !== null);
}

function fromLayerTypes(layerTypes: string[], family: string, config: HfConfig): MixerKind[] | undefined {
  const recognised = layerTypes.some((kind) => kind === 'linear_attention' || kind === 'mamba' || kind === 'attention');
  if (!recognised) return undefined;
  const mamba: MixerKind = mambaBlocksAreMamba2(config) ? 'mamba2' : 'mamba';
  return layerTypes.map((kind) => {
    if (kind === 'linear_attention') return linearKindOf(family);
    if (kind === 'mamba') return mamba;
    return 'attention';
  });
}

function blockMixersOf(config: HfConfig, base: ModelShape, at: FieldPath): { mixers: MixerKind[]; mlp: boolean[] } | undefined {
  const L = base.numLayers;
  const family = base.family.toLowerCase();
  const perBlock = (kindOf: (index: number) => MixerKind): MixerKind[] => countedBlocks(L, kindOf);
  const everyMlp = (): boolean[] => countedBlocks(L, () => true);
  // Mamba, Falcon-Mamba and Mamba-2: every block a norm and one mixer, no MLP.
  if (family === 'mamba' || family === 'falcon_mamba') return { mixers: countedBlocks<MixerKind>(L, () => 'mamba'), mlp: countedBlocks(L, () => false) };
  if (family === 'mamba2') return { mixers: countedBlocks<MixerKind>(L, () => 'mamba2'), mlp: countedBlocks(L, () => false) };
  const pattern = family === 'nemotron_h' ? nemotronHPattern(config, L, at) : undefined;
  if (pattern) {
    return { mixers: pattern.map((letter) => NEMOTRON_H_CHARACTERS[letter]!.mixer), mlp: pattern.map((letter) => NEMOTRON_H_CHARACTERS[letter]!.mlp) };
  }
  for (const name of ['layer_types', 'layers_block_type']) {
    const listed = stringList(config, name, L, at);
    const mixers = listed ? fromLayerTypes(listed, family, config) : undefined;
    if (mixers) return { mixers, mlp: everyMlp() };
  }
  if (Array.isArray(config.attn_type_list)) {
    const list = config.attn_type_list;
    if (list.length !== L || !list.every((item) => item === 0 || item === 1)) {
      throw new RooflineInputError([...at, 'attn_type_list'], `attn_type_list must hold 0 (lightning) or 1 (softmax) for each of the ${L} layers`);
    }
    return { mixers: list.map((item): MixerKind => (item === 1 ? 'attention' : 'lightning')), mlp: everyMlp() };
  }
  if (family === 'minimax') {
    // MiniMaxConfig's default layer_types: full attention where (i + 1) % 2, else lightning.
    return { mixers: perBlock((index) => ((index + 1) % 2 ? 'attention' : 'lightning')), mlp: everyMlp() };
  }
  if (family === 'qwen3_next' || config.full_attention_interval !== undefined) {
    const interval = optionalWholeNumber(config, ['full_attention_interval'], at, 1) ?? 4;
    return { mixers: perBlock((index) => ((index + 1) % interval === 0 ? 'attention' : 'deltanet')), mlp: everyMlp() };
  }
  if (family === 'jamba' || config.attn_layer_period !== undefined) {
    const period = optionalWholeNumber(config, ['attn_layer_period'], at, 1) ?? 8;
    const offset = optionalWholeNumber(config, ['attn_layer_offset'], at, 0) ?? 4;
    return { mixers: perBlock((index) => (index % period === offset ? 'attention' : 'mamba')), mlp: everyMlp() };
  }
  return undefined;
}

/** The mixer of every block; all attention with an MLP for a plain transformer. */
export function readMixers(config: HfConfig, base: ModelShape, at: FieldPath): MixerSchedule {
  const falcon = base.family.toLowerCase() === 'falcon_h1';
  const read = blockMixersOf(config, base, at);
  const has = (kind: MixerKind): boolean => read !== undefined && read.mixers.includes(kind);
  const hybrid = falcon || (read !== undefined && (read.mixers.some((kind) => kind !== 'attention') || read.mlp.some((present) => !present)));
  return {
    hybrid,
    blocks: base.numLayers,
    ...(read && hybrid ? { blockMixers: read.mixers, mlpBlocks: read.mlp } : {}),
    parallelMamba2: falcon,
    ...(has('lightning') ? { lightning: lightningShape(config, base, at) } : {}),
    ...(has('deltanet') ? { deltaNet: deltaNetShape(config, at) } : {}),
    ...(has('mamba') ? { mamba: mambaShape(config, base, at) } : {}),
    ...(has('mamba2') || falcon ? { mamba2: mamba2Shape(config, base, at, falcon || mambaBlocksAreMamba2(config)) } : {}),
  };
}

/** Blocks of each mixer kind (Falcon-H1's parallel Mamba-2 counted in every block). */
export function mixerCounts(schedule: MixerSchedule): Record<MixerKind, number> {
  const counts: Record<MixerKind, number> = { attention: 0, lightning: 0, deltanet: 0, mamba: 0, mamba2: 0, none: 0 };
  if (!schedule.blockMixers) counts.attention = schedule.blocks;
  else {
    for (const kind of schedule.blockMixers) {
      engineWorkUnit();
      counts[kind] += 1;
    }
  }
  if (schedule.parallelMamba2) counts.mamba2 += schedule.blocks;
  return counts;
}
