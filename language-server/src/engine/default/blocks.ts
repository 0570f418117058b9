/**
 * Builds the plan of a decoder-only transformer: the embedding, the num_hidden_layers blocks, then
 * the final norm and lm_head. A block is attention then MLP; the parts all blocks share are groups
 * counting every block, and each variant of a part is a group counting the blocks that have it:
 *
 *   attention front (attn_norm, q/k/v or MLA's projections)              × L
 *   attention kernel, full                                                × full-attention blocks
 *   attention kernel, sliding window (`sliding_*`)                        × sliding blocks
 *   attention back (o_proj, all-reduce, norms, attn_add, mlp_norm)        × L
 *   dense MLP (gate/up/act/down)                                          × dense blocks
 *   mixture of experts (router, experts_*, shared_expert_*, combine)      × MoE blocks
 *   MLP back (all-reduce, norm, mlp_add)                                  × L
 *   pipeline_send                                                         × (pp − 1)
 *
 * so Σ count × cost is the model's cost, and no layer name occurs twice. Under expert parallelism
 * the MoE blocks trade their MLP all-reduce for all-to-alls (expertParallel.ts), so the
 * all-reduce moves from the MLP back into the dense MLP group. Each group is tagged with the part
 * of the model it is, so a pipeline stage can take its share (pipeline.ts).
 */
import type { InterconnectSpec } from '../types';
import { attentionLayers, type AttentionGeometry } from './attention';
import { mixtureOfExpertsLayers } from './experts';
import { expertParallelLayers } from './expertParallel';
import {
  allReduceLayer,
  embeddingLayer,
  headNormLayer,
  linearLayer,
  lmHeadLayer,
  logitsAllGatherLayer,
  mlpActivationLayer,
  normLayer,
  residualAddLayer,
} from './layers';
import { latentAttentionBack, latentAttentionCore, latentAttentionFront, type LatentForm } from './latentAttention';
import type { DeviceShape } from './parallel';
import { pipelineSendLayer } from './pipeline';
import type { ElementBytes, LayerGroup, LayerTemplate, ModelPlan } from './plan';
import type { ArchitectureShape } from './shape';

export interface PlanOptions {
  flashAttention: boolean;
  /** Used only when the device shape is split (tp, pp or ep > 1). */
  interconnect: InterconnectSpec;
}

/** The all-reduce after the MLP: in every block, or only in the dense ones under expert parallelism. */
function mlpAllReduce(device: DeviceShape, sizes: ElementBytes, options: PlanOptions, where: 'every-block' | 'dense-mlp', H: number): LayerTemplate[] {
  const tp = device.tensorParallel;
  const inDenseOnly = device.expertParallel > 1;
  if (tp <= 1 || inDenseOnly !== (where === 'dense-mlp')) return [];
  return [allReduceLayer('mlp_all_reduce', H, tp, options.interconnect, sizes)];
}

/** Which step a plan is for: only multi-head latent attention computes the two differently. */
export type PlanStage = 'prefill' | 'decode';

function latentForm(stage: PlanStage): LatentForm {
  return stage === 'prefill' ? 'decompressed' : 'absorbed';
}

/** attn_norm, q_proj, (q_norm), k_proj, (k_norm), v_proj: k and v are written into the KV cache. */
function attentionFront(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, stage: PlanStage): LayerTemplate[] {
  if (shape.latentAttention) return latentAttentionFront(shape, shape.latentAttention, device, sizes, latentForm(stage));
  const H = shape.hiddenSize;
  const d = shape.headDim;
  return [
    normLayer('attn_norm', H, shape.norm, sizes),
    linearLayer('q_proj', H, device.queryHeads * d, shape.attentionBias, 'activations', sizes),
    ...(shape.queryKeyNorm ? [headNormLayer('q_norm', device.queryHeads, d, sizes)] : []),
    linearLayer('k_proj', H, device.kvHeads * d, shape.attentionBias, 'kv_cache', sizes),
    ...(shape.queryKeyNorm ? [headNormLayer('k_norm', device.kvHeads, d, sizes)] : []),
    linearLayer('v_proj', H, device.kvHeads * d, shape.attentionBias, 'kv_cache', sizes),
  ];
}

/** Grouped-query attention over full K/V per KV head (MHA when nkv = nh). */
function headGeometry(shape: ArchitectureShape, device: DeviceShape, windowTokens: number | undefined, namePrefix: string): AttentionGeometry {
  const d = shape.headDim;
  return {
    namePrefix,
    queryHeads: device.queryHeads,
    queryKeyDim: d,
    valueDim: d,
    keyElementsPerToken: device.kvHeads * d,
    valueElementsPerToken: device.kvHeads * d,
    valuesInsideKeys: false,
    keyValueSource: 'kv_cache',
    cacheElementsPerToken: 2 * device.kvHeads * d,
    sinkLogits: shape.attentionSinks,
    ...(windowTokens !== undefined ? { windowTokens } : {}),
  };
}

function attentionKernel(
  shape: ArchitectureShape,
  device: DeviceShape,
  sizes: ElementBytes,
  options: PlanOptions,
  stage: PlanStage,
  windowTokens: number | undefined,
): LayerTemplate[] {
  const namePrefix = windowTokens !== undefined ? 'sliding_' : '';
  if (shape.latentAttention) {
    return latentAttentionCore(shape.latentAttention, device, sizes, latentForm(stage), options.flashAttention, windowTokens, namePrefix);
  }
  return attentionLayers(headGeometry(shape, device, windowTokens, namePrefix), options.flashAttention, sizes);
}

/** (v_absorb), o_proj, (attn_all_reduce), (post_attn_norm), attn_add, mlp_norm. */
function attentionBack(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, options: PlanOptions, stage: PlanStage): LayerTemplate[] {
  const H = shape.hiddenSize;
  const latent = shape.latentAttention;
  const headOutputWidth = device.queryHeads * (latent ? latent.vHeadDim : shape.headDim);
  const tp = device.tensorParallel;
  return [
    ...(latent ? latentAttentionBack(latent, device, sizes, latentForm(stage)) : []),
    linearLayer('o_proj', headOutputWidth, H, shape.outputProjectionBias, 'activations', sizes),
    ...(tp > 1 ? [allReduceLayer('attn_all_reduce', H, tp, options.interconnect, sizes)] : []),
    ...(shape.sandwichNorms ? [normLayer('post_attn_norm', H, shape.norm, sizes)] : []),
    residualAddLayer('attn_add', H, sizes),
    normLayer('mlp_norm', H, shape.norm, sizes),
  ];
}

/** gate/up (or the one up projection of a plain MLP), mlp_act, down_proj, (mlp_all_reduce under ep). */
function denseMlp(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, options: PlanOptions): LayerTemplate[] {
  const H = shape.hiddenSize;
  const I = device.mlpColumns;
  const gated = shape.mlp === 'gated';
  return [
    ...(gated ? [linearLayer('gate_proj', H, I, shape.mlpBias, 'activations', sizes)] : []),
    linearLayer('up_proj', H, I, shape.mlpBias, 'activations', sizes),
    mlpActivationLayer('mlp_act', I, gated, shape.activationOpsPerElement, sizes),
    linearLayer('down_proj', I, H, shape.mlpBias, 'activations', sizes),
    ...mlpAllReduce(device, sizes, options, 'dense-mlp', H),
  ];
}

/** (mlp_all_reduce: one per block, after the experts and shared expert are summed), (post_mlp_norm), mlp_add. */
function mlpBack(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, options: PlanOptions): LayerTemplate[] {
  const H = shape.hiddenSize;
  return [
    ...mlpAllReduce(device, sizes, options, 'every-block', H),
    ...(shape.sandwichNorms ? [normLayer('post_mlp_norm', H, shape.norm, sizes)] : []),
    residualAddLayer('mlp_add', H, sizes),
  ];
}

export function buildPlan(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, options: PlanOptions, stage: PlanStage): ModelPlan {
  const H = shape.hiddenSize;
  const L = shape.numLayers;
  const tp = device.tensorParallel;
  const schedule = shape.attentionSchedule;
  const moeLayers =
    device.expertParallel > 1 ? expertParallelLayers(shape, device, sizes, options.interconnect) : mixtureOfExpertsLayers(shape, device, sizes);
  const groups: LayerGroup[] = [
    { count: 1, part: 'embedding', layers: [embeddingLayer(H, shape.vocabSize, shape.positionEmbeddingRows, sizes)] },
    { count: L, part: 'every-block', layers: attentionFront(shape, device, sizes, stage) },
    { count: schedule.fullLayers, part: 'full-attention', layers: attentionKernel(shape, device, sizes, options, stage, undefined) },
    { count: schedule.slidingLayers, part: 'sliding-attention', layers: attentionKernel(shape, device, sizes, options, stage, schedule.windowTokens) },
    { count: L, part: 'every-block', layers: attentionBack(shape, device, sizes, options, stage) },
    { count: shape.denseMlpLayers, part: 'dense-mlp', layers: denseMlp(shape, device, sizes, options) },
    { count: L - shape.denseMlpLayers, part: 'moe-mlp', layers: moeLayers },
    { count: L, part: 'every-block', layers: mlpBack(shape, device, sizes, options) },
    { count: device.pipelineParallel - 1, part: 'pipeline-transfer', layers: [pipelineSendLayer(H, options.interconnect, sizes)] },
    {
      count: 1,
      part: 'head',
      layers: [
        normLayer('final_norm', H, shape.norm, sizes),
        lmHeadLayer(H, device.vocabRows, shape.tieWordEmbeddings, sizes),
        ...(tp > 1 ? [logitsAllGatherLayer(device.vocabRows, tp, options.interconnect, sizes)] : []),
      ],
    },
  ];
  return { groups: groups.filter((group) => group.count > 0 && group.layers.length > 0), residualElementsPerToken: H };
}
