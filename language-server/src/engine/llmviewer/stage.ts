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

/*
 * The layer lists below are built with push into a fresh literal, never with map or spreads: V8's
 * optimized map() makes arrays of another elements kind than its unoptimized one, and the code
 * that reads them (totals, memory, results) then deoptimizes on the unexpected array map.
 */

export function linearLayers(plan: StagePlan, stage: StageName, seqlen: number): EvaluatedLayer[] {
  const queryTokens = queryTokensOf(stage, seqlen);
  const { ctx, ceilings } = plan;
  const specs = plan.model.linearLayers;
  const layers: EvaluatedLayer[] = [];
  for (let index = 0; index < specs.length; index++) {
    const layer = specs[index]!;
    layers.push(evaluateLayer(layer.name, linearCost(ctx, queryTokens, layer.inChannels, layer.outChannels, layer.writesKvCache), ceilings));
  }
  return layers;
}

/** Pushes the attention layers' names and costs: qk_matmul, sv_matmul, softmax, or fused_attention with flash attention (§4.2, §4.3). */
function pushAttentionCosts(plan: StagePlan, stage: StageName, seqlen: number, names: string[], costs: OpCost[]): void {
  const { ctx } = plan;
  const queryTokens = queryTokensOf(stage, seqlen);
  if (plan.flashAttention) {
    names.push('fused_attention');
    costs.push(fusedAttentionCost(ctx, queryTokens, seqlen));
    return;
  }
  const queryLoadHeads = stage === 'decode' ? ctx.numAttentionHeads : ctx.numKeyValueHeads;
  names.push('qk_matmul', 'sv_matmul', 'softmax');
  costs.push(qkMatmulCost(ctx, queryTokens, seqlen, queryLoadHeads), svMatmulCost(ctx, queryTokens, seqlen), softmaxCost(ctx, queryTokens, seqlen));
}

/** The attention layers' raw costs, in insertion order. */
export function attentionCosts(plan: StagePlan, stage: StageName, seqlen: number): OpCost[] {
  const names: string[] = [];
  const costs: OpCost[] = [];
  pushAttentionCosts(plan, stage, seqlen, names, costs);
  return costs;
}

export function attentionLayers(plan: StagePlan, stage: StageName, seqlen: number): EvaluatedLayer[] {
  const names: string[] = [];
  const costs: OpCost[] = [];
  pushAttentionCosts(plan, stage, seqlen, names, costs);
  const layers: EvaluatedLayer[] = [];
  for (let index = 0; index < costs.length; index++) layers.push(evaluateLayer(names[index]!, costs[index]!, plan.ceilings));
  return layers;
}

/** Norms, residual adds and the MLP activation (§4.4). */
export function elementwiseLayers(plan: StagePlan, stage: StageName, seqlen: number): EvaluatedLayer[] {
  const { ctx, ceilings } = plan;
  const queryTokens = queryTokensOf(stage, seqlen);
  const normNames = plan.model.normLayerNames;
  const layers: EvaluatedLayer[] = [];
  for (let index = 0; index < normNames.length; index++) layers.push(evaluateLayer(normNames[index]!, normCost(ctx, queryTokens), ceilings));
  layers.push(
    evaluateLayer('attn_add', residualAddCost(ctx, queryTokens), ceilings),
    evaluateLayer('mlp_add', residualAddCost(ctx, queryTokens), ceilings),
    evaluateLayer('mlp_act', mlpActivationCost(ctx, queryTokens), ceilings),
  );
  return layers;
}

export function blockLayers(plan: StagePlan, stage: StageName, seqlen: number): BlockLayers {
  return {
    linear: linearLayers(plan, stage, seqlen),
    attention: attentionLayers(plan, stage, seqlen),
    elementwise: elementwiseLayers(plan, stage, seqlen),
  };
}

/** The layers of several lists, one after another, in a new array. */
export function concatLayers(...lists: (readonly EvaluatedLayer[])[]): EvaluatedLayer[] {
  const layers: EvaluatedLayer[] = [];
  for (let list = 0; list < lists.length; list++) {
    const items = lists[list]!;
    for (let index = 0; index < items.length; index++) layers.push(items[index]!);
  }
  return layers;
}

/**
 * lm_head is the same in both stages (§4.5). It is timed at the one `max_OPS` tier of every layer
 * (§6), the quantised rate under w8a8, and its weights at `w_bit` (§5): kept on purpose, so the
 * published cases match exactly. The default conventions keep the head's weights 16-bit and time
 * its matmul at the 16-bit peak (default/precision.ts, matmulComputeFormat).
 */
export function lmHeadLayer(plan: StagePlan): EvaluatedLayer {
  return evaluateLayer('lm_head', lmHeadCost(plan.ctx), plan.ceilings);
}
