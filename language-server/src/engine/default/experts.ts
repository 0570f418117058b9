/**
 * A mixture-of-experts MLP (Shazeer et al. 2017; Mixtral, Qwen-MoE, DeepSeek-V3, gpt-oss): a router
 * [H → E] scores the experts, each token goes through k of the E routed experts (each a gated MLP
 * of expert columns Ie), plus any always-active shared expert, and the outputs are summed with the
 * router's weights. Layers named `experts_*` stand for all routed experts of one block together:
 *
 * - FLOPs count the k active experts per token: 2 · b·T · k · H · Ie per projection.
 * - Weight bytes count the experts the step's tokens touch: with b·T tokens each picking k of E
 *   experts uniformly, an expert is missed by all of them with probability (1 − k/E)^(b·T), so the
 *   expected number read is E · (1 − (1 − k/E)^(b·T)) (decode at batch 1 reads k experts; a
 *   1024-token prefill reads practically all E). Real routers are not uniform; skewed routing
 *   touches fewer distinct experts.
 * - Stored weights count all E experts; the active parameter count takes k of them.
 */
import { upProjection, type ElementBytes, type LayerTemplate, type StepShape } from './plan';
import { layerBytes, linearLayer, mlpActivationLayer, tokens } from './layers';
import type { DeviceShape } from './parallel';
import type { ArchitectureShape } from './shape';
import { layerCost } from '../roofline';

/**
 * How tokens are routed to the experts stored on this device. Under uniform routing a device
 * holding `localExperts` of `totalExperts` experts receives that share of the step's (token,
 * expert) pairs and touches that share of the experts the step uses.
 */
export interface ExpertRouting {
  /** Routed experts of the block (E). */
  totalExperts: number;
  /** Experts with weights on this device: E, or E / ep under expert parallelism. */
  localExperts: number;
  /** Experts each token uses (k). */
  activePerToken: number;
}

/** The share of the step's (token, expert) pairs, and of the experts touched, on this device. */
export function localShare(routing: ExpertRouting): number {
  return routing.localExperts / routing.totalExperts;
}

/**
 * E · (1 − (1 − k/E)^tokens). Exact at one token (k), since 1 − k/E is exact for the power-of-two
 * and small expert counts configs use, and 1 − (1 − k/E)^n only grows from there.
 */
export function expectedExpertsTouched(experts: number, activePerToken: number, routedTokens: number): number {
  if (activePerToken >= experts) return experts;
  return experts * (1 - Math.pow(1 - activePerToken / experts, routedTokens));
}

/**
 * One projection of every routed expert [in → out]: each (token, expert) pair reads its token's
 * row and writes one output row (a grouped GEMM, as vLLM's fused_moe runs it).
 */
export function expertLinearLayer(
  name: string,
  inFeatures: number,
  outFeatures: number,
  bias: boolean,
  routing: ExpertRouting,
  sizes: ElementBytes,
  storedShape: { inFeatures: number; outFeatures: number } = { inFeatures, outFeatures },
): LayerTemplate {
  const { totalExperts, localExperts, activePerToken } = routing;
  const share = localShare(routing);
  const biasElements = bias ? outFeatures : 0;
  const matrixElements = storedShape.inFeatures * storedShape.outFeatures;
  const bytesPerExpert = matrixElements * sizes.weight.experts + biasElements * sizes.vectorParameter;
  return {
    name,
    unit: 'matmul',
    contextDependent: false,
    weightKind: 'experts',
    stored: { matrixElements: localExperts * matrixElements, vectorElements: localExperts * biasElements },
    activeShare: activePerToken / totalExperts,
    kvCacheElementsPerToken: 0,
    sixteenBitActivations: 'out',
    cost(step) {
      const routedTokens = tokens(step);
      const pairs = routedTokens * activePerToken * share;
      return layerCost(
        2 * pairs * inFeatures * outFeatures + (bias ? pairs * outFeatures : 0),
        layerBytes({
          weights: expectedExpertsTouched(totalExperts, activePerToken, routedTokens) * share * bytesPerExpert,
          activations_in: pairs * inFeatures * sizes.activation,
          activations_out: pairs * outFeatures * sizes.activation,
        }),
        undefined,
        // A grouped GEMM: the touched experts share the (token, expert) rows.
        { rows: pairs, columns: outFeatures, depth: inFeatures, groups: Math.max(1, expectedExpertsTouched(totalExperts, activePerToken, routedTokens) * share) },
      );
    },
  };
}

/**
 * Weighted sum of each token's k expert outputs (and the shared expert's): reads k (+1) rows of H
 * and the k router weights, writes one row; a multiply and an add per element and expert.
 */
export function expertCombineLayer(hidden: number, activePerToken: number, sharedOutputs: number, sizes: ElementBytes): LayerTemplate {
  const rowsPerToken = activePerToken + sharedOutputs;
  return {
    name: 'experts_combine',
    unit: 'vector',
    contextDependent: false,
    stored: { matrixElements: 0, vectorElements: 0 },
    kvCacheElementsPerToken: 0,
    // Sums the experts' 16-bit outputs into the residual branch.
    sixteenBitActivations: 'in-out',
    cost(step: StepShape) {
      const rows = tokens(step);
      return layerCost(
        rows * hidden * (2 * activePerToken + sharedOutputs),
        layerBytes({
          activations_in: rows * (rowsPerToken * hidden + activePerToken) * sizes.activation,
          activations_out: rows * hidden * sizes.activation,
        }),
      );
    },
  };
}

/**
 * The routed experts of one block on one device: all E (column slices) under tensor parallelism;
 * E / ep whole experts under expert parallelism, which computes b·T·k / ep (token, expert) pairs
 * per device between its all-to-all dispatch and combine (expertParallel.ts).
 */
export function routedExpertLayers(shape: ArchitectureShape, device: DeviceShape, routing: ExpertRouting, sizes: ElementBytes): LayerTemplate[] {
  const H = shape.hiddenSize;
  const Ie = device.expertColumns;
  const bias = shape.experts?.expertBias ?? false;
  const gated = shape.mlp === 'gated';
  const align = sizes.expertAlignment;
  const storedHidden = align ? roundUp(H, align.hidden) : H;
  const storedColumns = align ? roundUp(Ie, align.columns) : Ie;
  const inward = { inFeatures: storedHidden, outFeatures: storedColumns };
  const outward = { inFeatures: storedColumns, outFeatures: storedHidden };
  return [
    ...(gated ? [expertLinearLayer('experts_gate_proj', H, Ie, bias, routing, sizes, inward)] : []),
    // Gate and up run as one grouped GEMM (vLLM's fused_moe w13).
    upProjection(gated, expertLinearLayer('experts_up_proj', H, Ie, bias, routing, sizes, inward)),
    mlpActivationLayer('experts_act', routing.activePerToken * localShare(routing) * Ie, gated, shape.activationOpsPerElement, sizes),
    expertLinearLayer('experts_down_proj', Ie, H, bias, routing, sizes, outward),
  ];
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** The shared expert(s), a dense gated MLP every token goes through (DeepSeek, Qwen2-MoE). */
export function sharedExpertLayers(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes): LayerTemplate[] {
  const H = shape.hiddenSize;
  const Is = device.sharedExpertColumns;
  if (Is === 0) return [];
  const gated = shape.mlp === 'gated';
  return [
    ...(gated ? [linearLayer('shared_expert_gate_proj', H, Is, false, 'activations', sizes, 'mlp')] : []),
    upProjection(gated, linearLayer('shared_expert_up_proj', H, Is, false, 'activations', sizes, 'mlp')),
    mlpActivationLayer('shared_expert_act', Is, gated, shape.activationOpsPerElement, sizes),
    linearLayer('shared_expert_down_proj', Is, H, false, 'activations', sizes, 'mlp'),
    // Qwen2-MoE scales the shared output by sigmoid(x · w), w of [H → 1].
    ...(shape.experts?.sharedExpertGate ? [linearLayer('shared_expert_gate', H, 1, false, 'activations', sizes, 'mlp')] : []),
  ];
}

/**
 * router, experts_*, shared_expert_*, experts_combine. The router is replicated under tensor
 * parallelism and scores all E experts; its top-k and softmax are a few operations per expert and
 * are not counted.
 */
export function mixtureOfExpertsLayers(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes): LayerTemplate[] {
  const experts = shape.experts;
  if (!experts) return [];
  const H = shape.hiddenSize;
  const routing: ExpertRouting = { totalExperts: experts.experts, localExperts: device.localExperts, activePerToken: experts.activePerToken };
  const sharedOutputs = device.sharedExpertColumns > 0 ? 1 : 0;
  return [
    linearLayer('router', H, experts.experts, experts.routerBias, 'activations', sizes, 'router'),
    ...routedExpertLayers(shape, device, routing, sizes),
    ...sharedExpertLayers(shape, device, sizes),
    expertCombineLayer(H, experts.activePerToken, sharedOutputs, sizes),
  ];
}
