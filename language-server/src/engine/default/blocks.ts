/**
 * Builds the plan of a decoder-only model: the embedding, the num_hidden_layers blocks, then the
 * final norm and lm_head. A block is a token mixer (softmax attention, or a constant-state layer:
 * lightning attention, gated DeltaNet, Mamba, Mamba-2) then an MLP; the parts blocks share are
 * groups counting the blocks that have them, and each variant of a part is a group counting the
 * blocks that use it:
 *
 *   attention front (attn_norm, q/k/v or MLA's projections)              × attention blocks
 *   attention kernel, full                                                × full-attention blocks
 *   attention kernel, sliding window (`sliding_*`)                        × sliding blocks
 *   attention kernel, chunked (`chunked_*`, Llama 4)                      × chunked blocks
 *   attention back (o_proj, all-reduce, norms, attn_add)                  × attention blocks
 *   lightning_*, deltanet_*, mamba_*, mamba2_* (stateLayers.ts)           × blocks of that mixer
 *   MLP front (mlp_norm)                                                  × blocks with an MLP
 *   dense MLP (gate/up/act/down)                                          × dense blocks
 *   mixture of experts (router, experts_*, shared_expert_*, combine)      × MoE blocks
 *   MLP back (all-reduce, norm, mlp_add)                                  × blocks with an MLP
 *   pipeline_send                                                         × (pp − 1)
 *
 * so Σ count × cost is the model's cost, and no layer name occurs twice. For a transformer every
 * block is an attention block with an MLP. Under expert parallelism the MoE blocks trade their MLP
 * all-reduce for all-to-alls (expertParallel.ts), so the all-reduce moves from the MLP back into
 * the dense MLP group. Each group is tagged with the part of the model it is, so a pipeline stage
 * can take its share (pipeline.ts).
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
import { mixerCounts, STATE_MIXERS, type StateMixerKind } from './mixerConfig';
import { pipelineSendLayer } from './pipeline';
import { deltaNetLayers, lightningLayers, mamba2Layers, mambaLayers, type StateLayerContext } from './stateLayers';
import { fusedWithPrevious, upProjection, type ElementBytes, type LayerGroup, type LayerTemplate, type ModelPlan, type PlanPart } from './plan';
import type { ArchitectureShape } from './shape';
import { ATTENTION_KINDS, type AttentionKind } from './windowConfig';

export interface PlanOptions {
  flashAttention: boolean;
  /** Used only when the device shape is split (tp, pp or ep > 1). */
  interconnect: InterconnectSpec;
}

/** The all-reduce after the MLP: in every block, or only in the dense ones under expert parallelism. */
function mlpAllReduce(device: DeviceShape, sizes: ElementBytes, options: PlanOptions, where: 'mlp-block' | 'dense-mlp', H: number): LayerTemplate[] {
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

/** Parameters of one q or k norm over `heads` heads of `headDim`, by the model's q/k norm. */
function queryKeyNormParameters(shape: ArchitectureShape, heads: number): number {
  const d = shape.headDim;
  const vectors = shape.queryKeyNormKind === 'layer' ? 2 : 1;
  switch (shape.queryKeyNorm) {
    case 'per-head-shared':
      return vectors * d;
    case 'per-head':
    case 'all-heads':
      return vectors * heads * d;
    case 'weightless':
    case 'none':
      return 0;
  }
}

function queryKeyNormLayers(name: 'q_norm' | 'k_norm', shape: ArchitectureShape, heads: number, sizes: ElementBytes): LayerTemplate[] {
  if (shape.queryKeyNorm === 'none') return [];
  return [headNormLayer(name, heads, shape.headDim, queryKeyNormParameters(shape, heads), shape.queryKeyNormKind, sizes)];
}

/** The norm before attention, unless the block only normalises its branches' outputs (OLMo-2). */
function preNorm(name: 'attn_norm' | 'mlp_norm', shape: ArchitectureShape, sizes: ElementBytes): LayerTemplate[] {
  const has = name === 'attn_norm' ? shape.blockNorms !== 'post' : shape.blockNorms === 'pre' || shape.blockNorms === 'sandwich';
  return has ? [normLayer(name, shape.hiddenSize, shape.norm, sizes)] : [];
}

/** The norm on a branch's output (Gemma 2/3, GLM-4 sandwich norms; OLMo-2 post norms). */
function postNorm(name: 'post_attn_norm' | 'post_mlp_norm', shape: ArchitectureShape, sizes: ElementBytes): LayerTemplate[] {
  const has = shape.blockNorms === 'sandwich' || shape.blockNorms === 'post';
  return has ? [normLayer(name, shape.hiddenSize, shape.norm, sizes, 'sixteen-bit')] : [];
}

/** attn_norm, q_proj, (q_norm), k_proj, (k_norm), v_proj: k and v are written into the KV cache. */
function attentionFront(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, stage: PlanStage): LayerTemplate[] {
  if (shape.latentAttention) return latentAttentionFront(shape, shape.latentAttention, device, sizes, latentForm(stage));
  const H = shape.hiddenSize;
  const d = shape.headDim;
  // Qwen3-Next's gated attention: q_proj projects the query and a gate of the same width.
  const queryWidth = (shape.attentionOutputGate ? 2 : 1) * device.queryHeads * d;
  // Serving engines run q/k/v as one QKV projection, and the previous block's residual add with attn_norm.
  return [
    ...preNorm('attn_norm', shape, sizes).map(fusedWithPrevious),
    linearLayer('q_proj', H, queryWidth, shape.attentionBias, 'activations', sizes, 'attention'),
    ...queryKeyNormLayers('q_norm', shape, device.queryHeads, sizes),
    fusedWithPrevious(linearLayer('k_proj', H, device.kvHeads * d, shape.attentionBias, 'kv_cache', sizes, 'attention')),
    ...queryKeyNormLayers('k_norm', shape, device.kvHeads, sizes),
    fusedWithPrevious(linearLayer('v_proj', H, device.kvHeads * d, shape.attentionBias, 'kv_cache', sizes, 'attention')),
  ];
}

/** Grouped-query attention over full K/V per KV head (MHA when nkv = nh). */
function headGeometry(shape: ArchitectureShape, device: DeviceShape, kind: AttentionKind, namePrefix: string): AttentionGeometry {
  const windowTokens = windowOf(shape, kind);
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
    ...(kind === 'chunked' ? { chunked: true } : {}),
  };
}

/** The window (sliding) or chunk (chunked) of a kind of attention block. */
function windowOf(shape: ArchitectureShape, kind: AttentionKind): number | undefined {
  if (kind === 'sliding') return shape.attentionSchedule.windowTokens;
  if (kind === 'chunked') return shape.attentionSchedule.chunkTokens;
  return undefined;
}

const KIND_PREFIX: Readonly<Record<AttentionKind, string>> = { full: '', sliding: 'sliding_', chunked: 'chunked_' };
const KIND_PART: Readonly<Record<AttentionKind, PlanPart>> = { full: 'full-attention', sliding: 'sliding-attention', chunked: 'chunked-attention' };

function attentionKernel(
  shape: ArchitectureShape,
  device: DeviceShape,
  sizes: ElementBytes,
  options: PlanOptions,
  stage: PlanStage,
  kind: AttentionKind,
): LayerTemplate[] {
  const namePrefix = KIND_PREFIX[kind];
  if (shape.latentAttention) {
    return latentAttentionCore(shape.latentAttention, device, sizes, latentForm(stage), options.flashAttention, windowOf(shape, kind), namePrefix);
  }
  return attentionLayers(headGeometry(shape, device, kind, namePrefix), options.flashAttention, sizes);
}

/** (v_absorb), o_proj, (attn_all_reduce), (post_attn_norm), attn_add (Falcon-H1: one add for attention and Mamba-2). */
function attentionBack(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, options: PlanOptions, stage: PlanStage): LayerTemplate[] {
  const H = shape.hiddenSize;
  const latent = shape.latentAttention;
  const headOutputWidth = device.queryHeads * (latent ? latent.vHeadDim : shape.headDim);
  const tp = device.tensorParallel;
  return [
    ...(latent ? latentAttentionBack(latent, device, sizes, latentForm(stage)) : []),
    linearLayer('o_proj', headOutputWidth, H, shape.outputProjectionBias, 'activations', sizes, 'attention'),
    ...(tp > 1 ? [allReduceLayer('attn_all_reduce', H, tp, options.interconnect, sizes)] : []),
    ...postNorm('post_attn_norm', shape, sizes),
    residualAddLayer('attn_add', H, sizes),
  ];
}

/** mlp_norm before the MLP, run with the residual add before it. */
function mlpFront(shape: ArchitectureShape, sizes: ElementBytes): LayerTemplate[] {
  return preNorm('mlp_norm', shape, sizes).map(fusedWithPrevious);
}

const STATE_PART: Readonly<Record<StateMixerKind, PlanPart>> = {
  lightning: 'lightning-block',
  deltanet: 'deltanet-block',
  mamba: 'mamba-block',
  mamba2: 'mamba2-block',
};

/** The layers of one constant-state mixer, with its own norm and residual add unless it runs beside attention (Falcon-H1). */
function stateMixerLayers(kind: StateMixerKind, shape: ArchitectureShape, tensorParallel: number, sizes: ElementBytes, interconnect: InterconnectSpec): LayerTemplate[] {
  const mixers = shape.mixers;
  const context: StateLayerContext = {
    hidden: shape.hiddenSize,
    norm: shape.norm,
    tensorParallel,
    interconnect,
    sizes,
    ownNormAndAdd: !(kind === 'mamba2' && mixers.parallelMamba2),
  };
  switch (kind) {
    case 'lightning':
      return mixers.lightning ? lightningLayers(mixers.lightning, context) : [];
    case 'deltanet':
      return mixers.deltaNet ? deltaNetLayers(mixers.deltaNet, context) : [];
    case 'mamba':
      return mixers.mamba ? mambaLayers(mixers.mamba, context) : [];
    case 'mamba2':
      return mixers.mamba2 ? mamba2Layers(mixers.mamba2, context) : [];
  }
}

/**
 * Constant state per sequence of each state mixer the model has, on one unsplit device: what a
 * model file's hover shows before a deployment splits it (the same templates a plan uses).
 */
export function stateElementsByMixer(shape: ArchitectureShape, sizes: ElementBytes, interconnect: InterconnectSpec): { kind: StateMixerKind; blocks: number; elementsPerSequence: number }[] {
  return STATE_MIXERS.map((kind) => ({
    kind,
    blocks: stateMixerBlocks(shape, kind),
    elementsPerSequence: stateMixerLayers(kind, shape, 1, sizes, interconnect).reduce((sum, layer) => sum + (layer.stateElementsPerSequence ?? 0), 0),
  })).filter((entry) => entry.blocks > 0 && entry.elementsPerSequence > 0);
}

/** Blocks of each constant-state mixer (Falcon-H1's Mamba-2 in every block). */
export function stateMixerBlocks(shape: ArchitectureShape, kind: StateMixerKind): number {
  const own = mixerCounts(shape.mixers)[kind] - (kind === 'mamba2' && shape.mixers.parallelMamba2 ? shape.numLayers : 0);
  return kind === 'mamba2' && shape.mixers.parallelMamba2 ? shape.numLayers : own;
}

/** gate/up (or the one up projection of a plain MLP), mlp_act, down_proj, (mlp_all_reduce under ep). */
function denseMlp(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, options: PlanOptions): LayerTemplate[] {
  const H = shape.hiddenSize;
  const I = device.mlpColumns;
  const gated = shape.mlp === 'gated';
  return [
    ...(gated ? [linearLayer('gate_proj', H, I, shape.mlpBias, 'activations', sizes, 'mlp')] : []),
    upProjection(gated, linearLayer('up_proj', H, I, shape.mlpBias, 'activations', sizes, 'mlp')),
    mlpActivationLayer('mlp_act', I, gated, shape.activationOpsPerElement, sizes),
    linearLayer('down_proj', I, H, shape.mlpBias, 'activations', sizes, 'mlp'),
    ...mlpAllReduce(device, sizes, options, 'dense-mlp', H),
  ];
}

/** (mlp_all_reduce: one per block, after the experts and shared expert are summed), (post_mlp_norm), mlp_add. */
function mlpBack(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, options: PlanOptions): LayerTemplate[] {
  const H = shape.hiddenSize;
  return [
    ...mlpAllReduce(device, sizes, options, 'mlp-block', H),
    ...postNorm('post_mlp_norm', shape, sizes),
    residualAddLayer('mlp_add', H, sizes),
  ];
}

/**
 * The token (and position) lookup, split by vocabulary under tensor parallelism, with the
 * all-reduce that assembles each token's row from the device holding it; BLOOM's norm after it.
 */
function embeddingLayers(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, options: PlanOptions): LayerTemplate[] {
  const H = shape.hiddenSize;
  const tp = device.tensorParallel;
  return [
    embeddingLayer(H, device.vocabRows, shape.positionEmbeddingRows, sizes),
    ...(tp > 1 ? [allReduceLayer('embedding_all_reduce', H, tp, options.interconnect, sizes)] : []),
    ...(shape.embeddingNorm ? [normLayer('embedding_norm', H, shape.norm, sizes, 'sixteen-bit')] : []),
  ];
}

export function buildPlan(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, options: PlanOptions, stage: PlanStage): ModelPlan {
  const H = shape.hiddenSize;
  const tp = device.tensorParallel;
  const schedule = shape.attentionSchedule;
  const moeLayers =
    device.expertParallel > 1 ? expertParallelLayers(shape, device, sizes, options.interconnect) : mixtureOfExpertsLayers(shape, device, sizes);
  const groups: LayerGroup[] = [
    { count: 1, part: 'embedding', layers: embeddingLayers(shape, device, sizes, options) },
    { count: shape.attentionLayers, part: 'attention-block', layers: attentionFront(shape, device, sizes, stage) },
    ...ATTENTION_KINDS.map((kind): LayerGroup => ({
      count: schedule.layers[kind],
      part: KIND_PART[kind],
      layers: attentionKernel(shape, device, sizes, options, stage, kind),
    })),
    { count: shape.attentionLayers, part: 'attention-block', layers: attentionBack(shape, device, sizes, options, stage) },
    ...STATE_MIXERS.map((kind): LayerGroup => ({
      count: stateMixerBlocks(shape, kind),
      part: STATE_PART[kind],
      layers: stateMixerLayers(kind, shape, device.tensorParallel, sizes, options.interconnect),
    })),
    { count: shape.mlpLayers, part: 'mlp-block', layers: mlpFront(shape, sizes) },
    { count: shape.denseMlpLayers, part: 'dense-mlp', layers: denseMlp(shape, device, sizes, options) },
    { count: shape.mlpLayers - shape.denseMlpLayers, part: 'moe-mlp', layers: moeLayers },
    { count: shape.mlpLayers, part: 'mlp-block', layers: mlpBack(shape, device, sizes, options) },
    { count: device.pipelineParallel - 1, part: 'pipeline-transfer', layers: [pipelineSendLayer(H, options.interconnect, sizes)] },
    {
      count: 1,
      part: 'head',
      layers: [
        normLayer('final_norm', H, shape.norm, sizes, 'sixteen-bit'),
        lmHeadLayer(H, device.vocabRows, shape.tieWordEmbeddings, shape.lmHeadBias, sizes),
        ...(tp > 1 ? [logitsAllGatherLayer(device.vocabRows, tp, options.interconnect, sizes)] : []),
      ],
    },
  ];
  return { groups: groups.filter((group) => group.count > 0 && group.layers.length > 0), residualElementsPerToken: H };
}
