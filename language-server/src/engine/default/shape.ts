/**
 * The model as the default conventions see it: `normalizeModel`'s shape (structure from the
 * config, transformers' defaults per model_type for what it leaves out) plus what changes counted
 * weights or work: the MLP activation, mixture-of-experts MLPs, multi-head latent attention and
 * the attention kind of every block.
 */
import { configView, languageModelConfig, normalizeModel, type ModelShape } from '../model';
import type { HfConfig } from '../types';
import { snapshotOf, unchangedSince } from '../unchanged';
import { engineWorkUnit } from '../workMeter';
import { readExperts, type ExpertsShape } from './expertsConfig';
import { readLatentAttention, type LatentAttentionShape } from './latentConfig';
import { isHybrid, mixerCounts, mixerOf, readMixers, type MixerSchedule } from './mixerConfig';
import { readAttentionSchedule, type AttentionKind, type AttentionSchedule } from './windowConfig';

export interface ArchitectureShape extends ModelShape {
  /** Elementwise operations the MLP activation costs per element (sigmoid/tanh counted as a few). */
  activationOpsPerElement: number;
  /** gpt-oss: one learned sink logit per head joins every attention softmax. */
  attentionSinks: boolean;
  /** Routed experts; absent for a dense model. */
  experts?: ExpertsShape;
  /** Blocks with a dense MLP (all of them unless the model has experts). */
  denseMlpLayers: number;
  /** Columns of the dense MLP: intermediate_size, or Llama 4's intermediate_size_mlp. */
  denseMlpColumns: number;
  /** Multi-head latent attention; absent for (grouped-query) multi-head attention. */
  latentAttention?: LatentAttentionShape;
  /** The attention kind of each block; only blocks whose mixer is attention count in `layers`. */
  attentionSchedule: AttentionSchedule;
  /** What mixes tokens in each block (softmax attention, or a constant-state layer), and which blocks have an MLP. */
  mixers: MixerSchedule;
  /** Blocks with softmax attention (all of them for a plain transformer). */
  attentionLayers: number;
  /** Blocks with an MLP (dense or MoE). */
  mlpLayers: number;
  /**
   * Qwen3-Next's gated attention: q_proj also projects a sigmoid gate per query element that
   * scales the attention output before o_proj (`attn_output_gate`).
   */
  attentionOutputGate: boolean;
}

/** The `layer_types` entries the mixer schedule reads (state layers), which are therefore not unknown attention kinds. */
const MIXER_LAYER_TYPES = new Set(['linear_attention', 'mamba', 'attention']);

/** The schedule counting only the blocks whose mixer is softmax attention. */
function restrictToAttentionBlocks(schedule: AttentionSchedule, mixers: MixerSchedule): AttentionSchedule {
  if (!isHybrid(mixers)) return schedule;
  const layers: Record<AttentionKind, number> = { full: 0, sliding: 0, chunked: 0 };
  schedule.blockKinds.forEach((kind, index) => {
    engineWorkUnit();
    if (mixerOf(mixers, index) === 'attention') layers[kind] += 1;
  });
  return { ...schedule, layers, otherKinds: schedule.otherKinds.filter((kind) => !MIXER_LAYER_TYPES.has(kind)) };
}


/**
 * Operations per element: SiLU x/(1+e^-x) is negate, exp, add, divide (4) and the multiply by x
 * is folded into the divide; tanh-GELU 0.5x(1+tanh(c(x+0.044715x^3))) is about 8; ReLU is 1.
 * Elementwise layers are memory-bound on every accelerator we know, so these only matter for
 * display; they replace LLM-Viewer's flat 2 (spec §14.1).
 */
const ACTIVATION_OPS: Readonly<Record<string, number>> = {
  silu: 4,
  swish: 4,
  gelu: 8,
  gelu_new: 8,
  gelu_fast: 8,
  gelu_pytorch_tanh: 8,
  relu: 1,
  relu2: 2,
};
const DEFAULT_ACTIVATION_OPS = 4;

/**
 * Shapes read at the default path, by config object: presets resolve to the same object every
 * time, so a plan's thousands of candidates of one model read its config once. A config edited in
 * place since is read again (unchanged.ts). A config that fails to read is not kept (each call
 * throws again, with its path).
 */
const shapesByConfig = new WeakMap<object, { snapshot: unknown; shape: ArchitectureShape }>();

export function readArchitecture(config: HfConfig, at: readonly (string | number)[] = ['model']): ArchitectureShape {
  const atDefault = at.length === 1 && at[0] === 'model';
  const known = atDefault ? shapesByConfig.get(config) : undefined;
  if (known && unchangedSince(config, known.snapshot)) return known.shape;
  const shape = readArchitectureUncached(config, at);
  if (atDefault) shapesByConfig.set(config, { snapshot: snapshotOf(config), shape });
  return shape;
}

function readArchitectureUncached(config: HfConfig, at: readonly (string | number)[]): ArchitectureShape {
  const base = normalizeModel(config, at);
  const language = languageModelConfig(config, at);
  const fields = configView(language.config, language.at).fields;
  const experts = readExperts(fields, base, language.at);
  const latentAttention = readLatentAttention(fields, language.at);
  const denseColumns = fields.intermediate_size_mlp;
  const mixers = readMixers(fields, base, language.at);
  const counts = mixerCounts(mixers);
  const mlpLayers = mixers.mlpBlocks ? mixers.mlpBlocks.filter(Boolean).length : base.numLayers;
  const gate = fields.attn_output_gate;
  return {
    ...base,
    activationOpsPerElement: ACTIVATION_OPS[base.activation.toLowerCase()] ?? DEFAULT_ACTIVATION_OPS,
    attentionSinks: base.defaults.attentionSinks,
    ...(experts ? { experts } : {}),
    denseMlpLayers: mlpLayers - (experts?.moeLayers ?? 0),
    denseMlpColumns: experts && typeof denseColumns === 'number' && denseColumns > 0 ? denseColumns : base.intermediateSize,
    ...(latentAttention ? { latentAttention } : {}),
    attentionSchedule: restrictToAttentionBlocks(readAttentionSchedule(fields, base.defaults, base.numLayers, language.at), mixers),
    mixers,
    attentionLayers: counts.attention,
    mlpLayers,
    attentionOutputGate: typeof gate === 'boolean' ? gate : base.defaults.attentionOutputGate,
  };
}
