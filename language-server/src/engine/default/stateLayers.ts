/**
 * Layers that mix tokens through a constant state per sequence instead of a growing KV cache:
 * MiniMax's lightning attention, Qwen3-Next's gated DeltaNet, Mamba (Jamba) and Mamba-2
 * (Nemotron-H, Falcon-H1). Each is its projections (ordinary matmuls), a depthwise causal
 * convolution where the family has one, and a state kernel that owns the recurrent state.
 * Parameters and state shapes are those of transformers' modelling code; per device the heads
 * (Mamba: the inner channels) are split by tensor parallelism, as vLLM splits them.
 *
 * State per sequence (elements), as transformers' caches hold it:
 * - lightning: heads · d · d (MiniMaxCache's linear cache, K^T V per head);
 * - gated DeltaNet: v_heads · d_k · d_v recurrent state + conv_dim · K convolution window,
 *   conv_dim = 2 · k_heads · d_k + v_heads · d_v;
 * - Mamba: d_inner · d_state SSM state + d_inner · d_conv convolution window;
 * - Mamba-2: heads · head_dim · d_state SSM state + conv_dim · d_conv, conv_dim = heads · head_dim
 *   + 2 · groups · d_state.
 * (vLLM keeps d_conv − 1 columns of the convolution window, and may keep the SSM state in fp32;
 * both change the state by a few percent at most next to the SSM state.)
 *
 * FLOPs of the state kernels, per token (what one decode step does; a chunked prefill does the same
 * recurrence in matmul form, plus its intra-chunk part where the family's code has one):
 * - lightning, per head: blocks of `block_size` b tokens, (Q K^T) V inside a block 4·b·d per token
 *   and Q·S plus the state update K^T V outside it 4·d², exactly as MiniMaxLightningAttention
 *   computes them;
 * - gated DeltaNet, per value head: decay d_k·d_v, S^T k 2·d_k·d_v, S += k ⊗ δ 2·d_k·d_v,
 *   S^T q 2·d_k·d_v: 7·d_k·d_v;
 * - Mamba: exp(Δ·A) 2·d_inner·d_state, Δ·B·u 2, h = Ā·h + B̄u 2, y = C·h 2, plus D·u: 9·d_inner·d_state
 *   (rounded up from 8, the exp counted as one more);
 * - Mamba-2, per head: h = a·h + Δ·x ⊗ B 3·head_dim·d_state, y = C·h 2·head_dim·d_state: 5·head_dim·d_state.
 * The convolutions cost 2·K per channel and token.
 */
import type { NormKind } from '../architectureDefaults';
import type { InterconnectSpec } from '../types';
import { allReduceLayer, headNormLayer, layerBytes, linearLayer, normLayer, residualAddLayer, tokens } from './layers';
import type { DeltaNetShape, LightningShape, Mamba2Shape, MambaShape, StateMixerKind } from './mixerConfig';
import { fusedWithPrevious, type ElementBytes, type LayerTemplate, type StepShape } from './plan';
import { layerCost } from '../roofline';

export interface StateLayerContext {
  hidden: number;
  norm: NormKind;
  tensorParallel: number;
  interconnect: InterconnectSpec;
  sizes: ElementBytes;
  /** False for Falcon-H1's Mamba-2, which shares the block's input norm and residual add with attention. */
  ownNormAndAdd: boolean;
}

/**
 * A depthwise causal convolution over `channels` channels of kernel `kernel`: `kernel` weights per
 * channel (+ a bias), 2·K FLOPs per channel and token, and a window of `kernel` tokens per
 * channel kept per sequence.
 */
function convolutionLayer(name: string, channels: number, kernel: number, bias: boolean, sizes: ElementBytes): LayerTemplate {
  const stateElements = channels * kernel;
  return {
    name,
    unit: 'vector',
    contextDependent: false,
    stored: { matrixElements: 0, vectorElements: channels * kernel + (bias ? channels : 0) },
    kvCacheElementsPerToken: 0,
    stateElementsPerSequence: stateElements,
    cost(step) {
      const elements = tokens(step) * channels;
      return layerCost(
        2 * kernel * elements + (bias ? elements : 0),
        layerBytes({
          weights: (channels * kernel + (bias ? channels : 0)) * sizes.vectorParameter,
          activations_in: elements * sizes.activation,
          activations_out: elements * sizes.activation,
          kv_read: step.batchSize * stateElements * sizes.kvCache,
          kv_write: step.batchSize * stateElements * sizes.kvCache,
        }),
      );
    },
  };
}

/**
 * The recurrence of one state kernel: reads its inputs, reads and writes the state once per
 * sequence and step (the kernel keeps it on chip across the step's tokens), writes its output.
 */
function stateKernelLayer(
  name: string,
  unit: 'attention' | 'vector',
  stateElements: number,
  vectorParameters: number,
  inputElementsPerToken: number,
  outputElementsPerToken: number,
  flopsOf: (step: StepShape) => number,
  sizes: ElementBytes,
): LayerTemplate {
  return {
    name,
    unit,
    contextDependent: false,
    stored: { matrixElements: 0, vectorElements: vectorParameters },
    kvCacheElementsPerToken: 0,
    stateElementsPerSequence: stateElements,
    cost(step) {
      const rows = tokens(step);
      return layerCost(
        flopsOf(step),
        layerBytes({
          weights: vectorParameters * sizes.vectorParameter,
          activations_in: rows * inputElementsPerToken * sizes.activation,
          activations_out: rows * outputElementsPerToken * sizes.activation,
          kv_read: step.batchSize * stateElements * sizes.kvCache,
          kv_write: step.batchSize * stateElements * sizes.kvCache,
        }),
      );
    },
  };
}

/** Σ over the step's lightning blocks of b tokens: 4·b²·d (intra-block) + 4·b·d² (inter-block), per head. */
export function lightningFlopsPerHead(queryTokens: number, blockTokens: number, headDim: number): number {
  const whole = Math.floor(queryTokens / blockTokens);
  const rest = queryTokens - whole * blockTokens;
  const perBlock = (b: number): number => 4 * b * b * headDim + 4 * b * headDim * headDim;
  return whole * perBlock(blockTokens) + (rest > 0 ? perBlock(rest) : 0);
}

/** The block's input norm (fused with the previous add), or nothing when the mixer shares it. */
function ownNorm(name: string, context: StateLayerContext): LayerTemplate[] {
  return context.ownNormAndAdd ? [fusedWithPrevious(normLayer(name, context.hidden, context.norm, context.sizes))] : [];
}

/** The row-parallel out projection's all-reduce and the residual add. */
function outputTail(prefix: string, context: StateLayerContext): LayerTemplate[] {
  const { hidden, tensorParallel, interconnect, sizes } = context;
  return [
    ...(tensorParallel > 1 ? [allReduceLayer(`${prefix}_all_reduce`, hidden, tensorParallel, interconnect, sizes)] : []),
    ...(context.ownNormAndAdd ? [residualAddLayer(`${prefix}_add`, hidden, sizes)] : []),
  ];
}

/** MiniMaxLightningAttention: qkv_proj, output_gate, the lightning kernel, norm, out_proj. */
export function lightningLayers(shape: LightningShape, context: StateLayerContext): LayerTemplate[] {
  const { hidden, sizes } = context;
  const heads = shape.heads / context.tensorParallel;
  const width = heads * shape.headDim;
  const d = shape.headDim;
  return [
    ...ownNorm('lightning_norm', context),
    linearLayer('lightning_qkv_proj', hidden, 3 * width, false, 'activations', sizes, 'attention'),
    fusedWithPrevious(linearLayer('lightning_gate_proj', hidden, width, false, 'activations', sizes, 'attention')),
    stateKernelLayer('lightning_attention', 'attention', heads * d * d, 0, 3 * width, width, (step) => step.batchSize * heads * lightningFlopsPerHead(step.queryTokens, shape.blockTokens, d), sizes),
    headNormLayer('lightning_out_norm', 1, width, width, 'rms', sizes),
    linearLayer('lightning_out_proj', width, hidden, false, 'activations', sizes, 'attention'),
    ...outputTail('lightning', context),
  ];
}

/** Qwen3NextGatedDeltaNet: in_proj_qkvz, in_proj_ba, conv1d, the gated delta rule, gated norm, out_proj. */
export function deltaNetLayers(shape: DeltaNetShape, context: StateLayerContext): LayerTemplate[] {
  const { hidden, sizes } = context;
  const tp = context.tensorParallel;
  const keyWidth = (shape.keyHeads * shape.keyHeadDim) / tp;
  const valueHeads = shape.valueHeads / tp;
  const valueWidth = valueHeads * shape.valueHeadDim;
  const convChannels = 2 * keyWidth + valueWidth;
  const perHead = shape.keyHeadDim * shape.valueHeadDim;
  return [
    ...ownNorm('deltanet_norm', context),
    linearLayer('deltanet_in_proj_qkvz', hidden, 2 * keyWidth + 2 * valueWidth, false, 'activations', sizes, 'attention'),
    fusedWithPrevious(linearLayer('deltanet_in_proj_ba', hidden, 2 * valueHeads, false, 'activations', sizes, 'attention')),
    convolutionLayer('deltanet_conv', convChannels, shape.convKernel, false, sizes),
    // dt_bias and A_log: one each per value head.
    stateKernelLayer('deltanet_rule', 'attention', valueHeads * perHead, 2 * valueHeads, convChannels, valueWidth, (step) => 7 * tokens(step) * valueHeads * perHead, sizes),
    // Qwen3NextRMSNormGated: one weight of head_v_dim shared by the heads.
    headNormLayer('deltanet_out_norm', valueHeads, shape.valueHeadDim, shape.valueHeadDim, 'rms', sizes),
    linearLayer('deltanet_out_proj', valueWidth, hidden, false, 'activations', sizes, 'attention'),
    ...outputTail('deltanet', context),
  ];
}

/** JambaMambaMixer: in_proj, conv1d, x_proj, dt_proj, the selective scan (A_log, D, dt/B/C norms), out_proj. */
export function mambaLayers(shape: MambaShape, context: StateLayerContext): LayerTemplate[] {
  const { hidden, sizes } = context;
  const inner = shape.innerSize / context.tensorParallel;
  const n = shape.stateSize;
  const r = shape.timeStepRank;
  const innerNorms = shape.innerNorms ? r + 2 * n : 0;
  return [
    ...ownNorm('mamba_norm', context),
    linearLayer('mamba_in_proj', hidden, 2 * inner, shape.projectionBias, 'activations', sizes, 'attention'),
    convolutionLayer('mamba_conv', inner, shape.convKernel, shape.convBias, sizes),
    linearLayer('mamba_x_proj', inner, r + 2 * n, false, 'activations', sizes, 'attention'),
    linearLayer('mamba_dt_proj', r, inner, true, 'activations', sizes, 'attention'),
    // A_log (d_inner × d_state) and D (d_inner) are kept wide by every scheme; Jamba adds RMSNorms on dt, B and C.
    stateKernelLayer('mamba_scan', 'vector', inner * n, inner * n + inner + innerNorms, 3 * inner + 2 * n, inner, (step) => 9 * tokens(step) * inner * n, sizes),
    linearLayer('mamba_out_proj', inner, hidden, shape.projectionBias, 'activations', sizes, 'attention'),
    ...outputTail('mamba', context),
  ];
}

/** Mamba2Mixer (Nemotron-H, Falcon-H1): in_proj, conv1d, the SSD scan (dt_bias, A_log, D), gated norm, out_proj. */
export function mamba2Layers(shape: Mamba2Shape, context: StateLayerContext): LayerTemplate[] {
  const { hidden, sizes } = context;
  const tp = context.tensorParallel;
  const heads = shape.heads / tp;
  const inner = heads * shape.headDim;
  const groupWidth = (2 * shape.groups * shape.stateSize) / tp;
  const convChannels = inner + groupWidth;
  return [
    ...ownNorm('mamba2_norm', context),
    linearLayer('mamba2_in_proj', hidden, inner + convChannels + heads, shape.projectionBias, 'activations', sizes, 'attention'),
    convolutionLayer('mamba2_conv', convChannels, shape.convKernel, shape.convBias, sizes),
    stateKernelLayer(
      'mamba2_scan',
      'attention',
      heads * shape.headDim * shape.stateSize,
      3 * heads,
      convChannels + heads,
      inner,
      (step) => 5 * tokens(step) * heads * shape.headDim * shape.stateSize,
      sizes,
    ),
    ...(shape.gatedNorm ? [headNormLayer('mamba2_out_norm', 1, inner, inner, 'rms', sizes)] : []),
    linearLayer('mamba2_out_proj', inner, hidden, shape.projectionBias, 'activations', sizes, 'attention'),
    ...outputTail('mamba2', context),
  ];
}

/** Human names of the mixer kinds, for notes, hovers and the panel. */
export const MIXER_LABELS: Readonly<Record<StateMixerKind | 'attention' | 'none', string>> = {
  attention: 'softmax attention',
  lightning: 'lightning (linear) attention',
  deltanet: 'gated DeltaNet',
  mamba: 'Mamba',
  mamba2: 'Mamba-2',
  none: 'MLP only',
};
