import type { StageName } from '../types';
import type { LlmViewerModel } from './adapter';
import {
  fusedAttentionCost,
  linearCost,
  lmHeadCost,
  mlpActivationCost,
  normCost,
  qkMatmulCost,
  residualAddCost,
  softmaxCost,
  svMatmulCost,
  type OpContext,
  type OpCost,
} from './opCosts';
import { evaluateLayer, type EvaluatedLayer, type RooflineCeilings } from './roofline';

/** Everything about one analysis except the sequence length. */
export interface StagePlan {
  model: LlmViewerModel;
  ctx: OpContext;
  ceilings: RooflineCeilings;
  flashAttention: boolean;
}

/**
 * The layers of one decoder block for one stage, split where the sequence length matters: the
 * linear layers and the elementwise layers depend only on the query tokens T, the attention
 * layers also on the context s. Concatenated, the three parts are LLM-Viewer's insertion order
 * (§3), which the totals are summed in.
 */
export interface BlockLayers {
  linear: EvaluatedLayer[];
  attention: EvaluatedLayer[];
  elementwise: EvaluatedLayer[];
}

function queryTokensOf(stage: StageName, seqlen: number): number {
  return stage === 'decode' ? 1 : seqlen;
}

export function linearLayers(plan: StagePlan, stage: StageName, seqlen: number): EvaluatedLayer[] {
  const queryTokens = queryTokensOf(stage, seqlen);
  return plan.model.linearLayers.map((layer) =>
    evaluateLayer(
      layer.name,
      linearCost(plan.ctx, queryTokens, layer.inChannels, layer.outChannels, layer.writesKvCache),
      plan.ceilings,
    ),
  );
}

/** qk_matmul, sv_matmul, softmax, or fused_attention with flash attention (§4.2, §4.3). */
export function attentionCosts(plan: StagePlan, stage: StageName, seqlen: number): [string, OpCost][] {
  const { ctx } = plan;
  const queryTokens = queryTokensOf(stage, seqlen);
  if (plan.flashAttention) return [['fused_attention', fusedAttentionCost(ctx, queryTokens, seqlen)]];
  const queryLoadHeads = stage === 'decode' ? ctx.numAttentionHeads : ctx.numKeyValueHeads;
  return [
    ['qk_matmul', qkMatmulCost(ctx, queryTokens, seqlen, queryLoadHeads)],
    ['sv_matmul', svMatmulCost(ctx, queryTokens, seqlen)],
    ['softmax', softmaxCost(ctx, queryTokens, seqlen)],
  ];
}

export function attentionLayers(plan: StagePlan, stage: StageName, seqlen: number): EvaluatedLayer[] {
  return attentionCosts(plan, stage, seqlen).map(([name, cost]) => evaluateLayer(name, cost, plan.ceilings));
}

/** Norms, residual adds and the MLP activation (§4.4). */
export function elementwiseLayers(plan: StagePlan, stage: StageName, seqlen: number): EvaluatedLayer[] {
  const { ctx, ceilings } = plan;
  const queryTokens = queryTokensOf(stage, seqlen);
  return [
    ...plan.model.normLayerNames.map((name) => evaluateLayer(name, normCost(ctx, queryTokens), ceilings)),
    evaluateLayer('attn_add', residualAddCost(ctx, queryTokens), ceilings),
    evaluateLayer('mlp_add', residualAddCost(ctx, queryTokens), ceilings),
    evaluateLayer('mlp_act', mlpActivationCost(ctx, queryTokens), ceilings),
  ];
}

export function blockLayers(plan: StagePlan, stage: StageName, seqlen: number): BlockLayers {
  return {
    linear: linearLayers(plan, stage, seqlen),
    attention: attentionLayers(plan, stage, seqlen),
    elementwise: elementwiseLayers(plan, stage, seqlen),
  };
}

/** lm_head is the same in both stages (§4.5). */
export function lmHeadLayer(plan: StagePlan): EvaluatedLayer {
  return evaluateLayer('lm_head', lmHeadCost(plan.ctx), plan.ceilings);
}
