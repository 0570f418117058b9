/**
 * The model as the default conventions see it: `normalizeModel`'s shape plus the architecture
 * details that change counted weights or work: Gemma's sandwich norms, Qwen2's bias-free output
 * projection, per-head q/k norms, the MLP activation, mixture-of-experts MLPs, multi-head latent
 * attention and sliding-window layers.
 */
import { normalizeModel, type ModelShape } from '../model';
import type { HfConfig } from '../types';
import { readExperts, type ExpertsShape } from './expertsConfig';
import { readLatentAttention, type LatentAttentionShape } from './latentConfig';
import { readAttentionSchedule, type AttentionSchedule } from './windowConfig';

export interface ArchitectureShape extends ModelShape {
  /** Bias on o_proj: follows attention_bias except in Qwen2(-MoE), whose o_proj never has one. */
  outputProjectionBias: boolean;
  /** Gemma 2/3 normalise the output of attention and of the MLP too (four norms per block). */
  sandwichNorms: boolean;
  /** Per-head RMSNorm of queries and keys after their projections (Qwen3, Gemma 3). */
  queryKeyNorm: boolean;
  /** Elementwise operations the MLP activation costs per element (sigmoid/tanh counted as a few). */
  activationOpsPerElement: number;
  /** The activation's name as the config gives it, for display. */
  activation: string;
  /** gpt-oss: one learned sink logit per head joins every attention softmax. */
  attentionSinks: boolean;
  /** Routed experts; absent for a dense model. */
  experts?: ExpertsShape;
  /** Blocks with a dense MLP of intermediate_size (all of them unless the model has experts). */
  denseMlpLayers: number;
  /** Multi-head latent attention; absent for (grouped-query) multi-head attention. */
  latentAttention?: LatentAttentionShape;
  attentionSchedule: AttentionSchedule;
}

const SANDWICH_NORM_FAMILIES = new Set(['gemma2', 'gemma3', 'gemma3_text']);
const QUERY_KEY_NORM_FAMILIES = new Set(['qwen3', 'qwen3_moe', 'gemma3', 'gemma3_text']);
const BIAS_FREE_OUTPUT_FAMILIES = new Set(['qwen2', 'qwen2_moe']);

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
};
const DEFAULT_ACTIVATION_OPS = 4;

function activationName(config: HfConfig): string {
  const value = config.hidden_activation ?? config.hidden_act ?? config.activation_function;
  return typeof value === 'string' ? value : 'silu';
}

export function readArchitecture(config: HfConfig, at: readonly (string | number)[] = ['model']): ArchitectureShape {
  const base = normalizeModel(config, at);
  const family = base.family.toLowerCase();
  const activation = activationName(config);
  const experts = readExperts(config, base, at);
  const latentAttention = readLatentAttention(config, at);
  return {
    ...base,
    outputProjectionBias: base.attentionBias && !BIAS_FREE_OUTPUT_FAMILIES.has(family),
    sandwichNorms: SANDWICH_NORM_FAMILIES.has(family),
    queryKeyNorm: QUERY_KEY_NORM_FAMILIES.has(family),
    activationOpsPerElement: ACTIVATION_OPS[activation.toLowerCase()] ?? DEFAULT_ACTIVATION_OPS,
    activation,
    attentionSinks: family === 'gpt_oss',
    ...(experts ? { experts } : {}),
    denseMlpLayers: base.numLayers - (experts?.moeLayers ?? 0),
    ...(latentAttention ? { latentAttention } : {}),
    attentionSchedule: readAttentionSchedule(config, family, base.numLayers, at),
  };
}
