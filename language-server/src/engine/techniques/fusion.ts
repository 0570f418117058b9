/**
 * Elementwise operator fusion, as serving engines ship it: vLLM's fused_add_rms_norm (the residual
 * add and the next RMSNorm in one kernel) and silu_and_mul / TensorRT-LLM's gated-MLP epilogue
 * (the activation and the gate product applied as gate_proj and up_proj write their output).
 * LLM-Viewer (arXiv 2402.16363, §3.3 "operator fusion") accounts for fusion the same way: a fused
 * operator's intermediate tensor is neither written nor read back; its arithmetic stays.
 *
 *  - add + norm: the norm after an add (mlp_norm after attn_add; attn_norm after the previous
 *    block's mlp_add, so L − 1 of L; final_norm after the last mlp_add) reads no input of its own.
 *  - activation: gate_proj and up_proj write nothing; the activation reads nothing and writes the
 *    I-wide product (the same for the shared and routed experts).
 * Fused layers launch no kernel of their own under `efficiency: expected`.
 */
import type { LayerTemplate } from '../default/plan';
import { mapEveryList, type TechniqueState } from './state';
import { withBytes, withCost } from './templates';

function normAfterAdd(template: LayerTemplate, fusedShare: number): LayerTemplate {
  return withCost(template, (cost) => withBytes(cost, { activations_in: cost.bytes.activations_in * (1 - fusedShare) }), { fusedWithPrevious: true });
}

function noOutput(template: LayerTemplate): LayerTemplate {
  return withCost(template, (cost) => withBytes(cost, { activations_out: 0 }));
}

function noInput(template: LayerTemplate): LayerTemplate {
  return withCost(template, (cost) => withBytes(cost, { activations_in: 0 }), { fusedWithPrevious: true });
}

const GATED_PRODUCERS = /^(gate_proj|up_proj|shared_expert_gate_proj|shared_expert_up_proj|experts_gate_proj|experts_up_proj)$/;
const ACTIVATIONS = /^(mlp_act|shared_expert_act|experts_act)$/;

export function applyFusion(state: TechniqueState): void {
  const layers = state.base.shape.numLayers;
  const names = new Set(state.decode.map(({ template }) => template.name));
  const hasAdd = names.has('mlp_add') && names.has('attn_add');
  mapEveryList(state, (template) => {
    if (hasAdd && (template.name === 'mlp_norm' || template.name === 'final_norm')) return normAfterAdd(template, 1);
    if (hasAdd && template.name === 'attn_norm') return normAfterAdd(template, (layers - 1) / layers);
    if (GATED_PRODUCERS.test(template.name)) return noOutput(template);
    if (ACTIVATIONS.test(template.name)) return noInput(template);
    return template;
  });
  state.summaries.push({
    key: 'fusion',
    label: 'elementwise fusion',
    effect: 'Residual add + norm and activation + gate run fused: the norms read no separate input, and gate/up write only the activated product.',
    source: 'LLM-Viewer, arXiv 2402.16363 (operator fusion); vLLM fused_add_rms_norm and silu_and_mul',
  });
}
