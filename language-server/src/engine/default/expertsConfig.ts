/**
 * Mixture-of-experts fields of a Hugging Face config, across the families that have them:
 * Mixtral and gpt-oss (`num_local_experts`; intermediate_size is the expert size), Qwen2/3-MoE
 * (`num_experts`, `moe_intermediate_size`, Qwen2-MoE's `shared_expert_intermediate_size`,
 * `decoder_sparse_step`, `mlp_only_layers`), DeepSeek-V2/V3 (`n_routed_experts`,
 * `n_shared_experts`, `first_k_dense_replace`, `moe_layer_freq`).
 */
import { RooflineInputError } from '../errors';
import type { ModelShape } from '../model';
import type { HfConfig } from '../types';
import { countedBlocks } from '../workMeter';
import { firstField, optionalIndexList, optionalWholeNumber, requiredPositive, type FieldPath } from './configFields';
import { nemotronHPattern } from './mixerConfig';

export interface ExpertsShape {
  /** Routed experts per MoE block (E). */
  experts: number;
  /** Routed experts each token uses (k). */
  activePerToken: number;
  /** Intermediate columns of one expert (moe_intermediate_size, else intermediate_size). */
  expertColumns: number;
  /** Intermediate columns of the always-active shared expert(s); 0 when there are none. */
  sharedColumns: number;
  /** Qwen2-MoE scales the shared expert's output by a sigmoid gate (a [H → 1] projection). */
  sharedExpertGate: boolean;
  /** Vector parameters of the router: gpt-oss's bias, DeepSeek-V3's score-correction bias (E each). */
  routerBias: boolean;
  /** Biases on the expert projections (gpt-oss). */
  expertBias: boolean;
  /** How many blocks have an MoE MLP (the others have a dense MLP of intermediate_size). */
  moeLayers: number;
  /** For each block in order, whether its MLP is the mixture of experts. */
  moeBlocks: readonly boolean[];
}

const EXPERT_COUNT_NAMES = ['num_local_experts', 'num_experts', 'n_routed_experts', 'moe_num_experts'];

const EXPERTS_PER_TOKEN_NAMES = ['num_experts_per_tok', 'experts_per_token', 'moe_top_k'];

/**
 * Whether block `index` has an MoE MLP, by the rules of the families' modelling code: DeepSeek
 * `index >= first_k_dense_replace && index % moe_layer_freq == 0`; Qwen-MoE
 * `index not in mlp_only_layers && (index + 1) % decoder_sparse_step == 0`. Absent fields take
 * the values that make every block MoE (0, 1, 1, []), as Mixtral and gpt-oss are.
 */
function moeBlockFlags(config: HfConfig, numLayers: number, at: FieldPath, family: string): boolean[] {
  // Nemotron-H: the blocks its pattern marks E (moe).
  const pattern = family === 'nemotron_h' ? nemotronHPattern(config, numLayers, at) : undefined;
  if (pattern) return pattern.map((letter) => letter === 'E');
  // Jamba: block i is MoE when i % expert_layer_period == expert_layer_offset (defaults 2 and 1).
  if (family === 'jamba' || config.expert_layer_period !== undefined) {
    const period = optionalWholeNumber(config, ['expert_layer_period'], at, 1) ?? 2;
    const offset = optionalWholeNumber(config, ['expert_layer_offset'], at, 0) ?? 1;
    return countedBlocks(numLayers, (index) => index % period === offset);
  }
  // Llama 4: an explicit `moe_layers` list, else every interleave_moe_layer_step-th block.
  if (Array.isArray(config.moe_layers)) {
    const listed = new Set(optionalIndexList(config, 'moe_layers', numLayers, at));
    return countedBlocks(numLayers, (index) => listed.has(index));
  }
  const interleave = optionalWholeNumber(config, ['interleave_moe_layer_step'], at, 1);
  if (interleave !== undefined) return countedBlocks(numLayers, (index) => (index + 1) % interleave === 0);
  const firstDense = optionalWholeNumber(config, ['first_k_dense_replace'], at, 0) ?? 0;
  const frequency = optionalWholeNumber(config, ['moe_layer_freq'], at, 1) ?? 1;
  const sparseStep = optionalWholeNumber(config, ['decoder_sparse_step'], at, 1) ?? 1;
  const mlpOnly = new Set(optionalIndexList(config, 'mlp_only_layers', numLayers, at));
  return countedBlocks(numLayers, (index) => {
    const deepseekRule = index >= firstDense && index % frequency === 0;
    const qwenRule = !mlpOnly.has(index) && (index + 1) % sparseStep === 0;
    return deepseekRule && qwenRule;
  });
}

/** The experts of an MoE config, or undefined for a dense model (no expert count, or 0 or 1). */
export function readExperts(config: HfConfig, base: ModelShape, at: FieldPath): ExpertsShape | undefined {
  const experts = optionalWholeNumber(config, EXPERT_COUNT_NAMES, at, 0);
  if (experts === undefined || experts <= 1) return undefined;
  const activePerToken = requiredPositive(config, EXPERTS_PER_TOKEN_NAMES, at, `an MoE model (${experts} experts) needs the experts per token`);
  if (activePerToken > experts) {
    const name = firstField(config, EXPERTS_PER_TOKEN_NAMES)![0];
    throw new RooflineInputError([...at, name], `${name} (${activePerToken}) is more than the ${experts} experts`);
  }
  const expertColumns = optionalWholeNumber(config, ['moe_intermediate_size', 'intermediate_size', 'ffn_hidden_size'], at, 1) ?? base.intermediateSize;
  const sharedExperts = optionalWholeNumber(config, ['n_shared_experts'], at, 0) ?? base.defaults.sharedExperts;
  const qwenSharedColumns = optionalWholeNumber(config, ['shared_expert_intermediate_size'], at, 0) ?? 0;
  // Nemotron-H's MoE blocks (moe_shared_expert_intermediate_size) and GraniteMoeHybrid's shared MLP
  // beside its experts (shared_intermediate_size): a shared expert without a gate.
  const nemotronSharedColumns = optionalWholeNumber(config, ['moe_shared_expert_intermediate_size', 'shared_intermediate_size'], at, 0) ?? 0;
  const sharedColumns = qwenSharedColumns > 0 ? qwenSharedColumns : nemotronSharedColumns > 0 ? nemotronSharedColumns : sharedExperts * expertColumns;
  const moeBlocks = moeBlockFlags(config, base.numLayers, at, base.family.toLowerCase());
  return {
    experts,
    activePerToken,
    expertColumns,
    sharedColumns,
    sharedExpertGate: qwenSharedColumns > 0,
    routerBias: base.defaults.routerBias || config.topk_method === 'noaux_tc',
    expertBias: base.defaults.expertBias,
    moeLayers: moeBlocks.filter(Boolean).length,
    moeBlocks,
  };
}
