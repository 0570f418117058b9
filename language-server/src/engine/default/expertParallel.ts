/**
 * A mixture-of-experts block under expert parallelism, as Megatron-Core's all-to-all token
 * dispatcher (with sequence parallelism) and DeepEP run it. The ep devices are the tensor-parallel
 * devices (ep = tp): attention stays tensor-parallel, and each device holds E / ep whole experts.
 *
 * Attention's collective leaves every device with all b·T tokens; for the MoE each device takes
 * its own 1/ep share of them (ceil(b·T / ep) on the busiest device), routes them, and sends each
 * token's k copies to the devices holding the chosen experts: under uniform routing (ep − 1)/ep
 * of the copies leave the device (`experts_dispatch_all_to_all`). Each device runs its local
 * experts on the b·T·k / ep pairs it receives, sends the outputs back the same way
 * (`experts_combine_all_to_all`), and sums each token's k outputs with the router's weights
 * (`experts_combine`). The shared expert is replicated and runs on the device's own tokens.
 *
 * Communication per MoE block is then attention's all-reduce plus the two all-to-alls, instead of
 * attention's and the MLP's all-reduces: an all-reduce is a reduce-scatter plus an all-gather,
 * which is what sequence parallelism does around attention, and the MoE output is left sharded
 * for the next block's gather. Norms and residual adds stay counted on all b·T tokens (small).
 */
import type { InterconnectSpec } from '../types';
import { expertCombineLayer, routedExpertLayers, sharedExpertLayers, type ExpertRouting } from './experts';
import { layerBytes, linearLayer, tokens } from './layers';
import type { DeviceShape } from './parallel';
import type { ElementBytes, LayerTemplate, StepShape } from './plan';
import type { ArchitectureShape } from './shape';
import { layerCost } from '../roofline';

/** Tokens of the step the busiest device routes: its share of b·T, rounded up. */
export function tokenShardOf(step: StepShape, expertParallel: number): number {
  return Math.ceil(tokens(step) / expertParallel);
}

/** The same layer, run on this device's share of the step's tokens. */
function onTokenShard(template: LayerTemplate, expertParallel: number): LayerTemplate {
  return {
    ...template,
    cost(step) {
      return template.cost({ ...step, batchSize: tokenShardOf(step, expertParallel), queryTokens: 1 });
    },
  };
}

/**
 * Bytes one device sends in one all-to-all of the MoE: its tokens' k copies of H values each,
 * (ep − 1)/ep of which go to other devices (uniform routing; copies bound for the same device are
 * not merged, as Megatron's dispatcher sends them).
 */
export function allToAllBytesPerDevice(step: StepShape, activePerToken: number, hidden: number, expertParallel: number, sizes: ElementBytes): number {
  const ep = expertParallel;
  return tokenShardOf(step, ep) * activePerToken * hidden * sizes.activation * ((ep - 1) / ep);
}

/**
 * One all-to-all over the interconnect: every device sends and receives at once, so its time is
 * its own bytes at the per-direction link bandwidth plus one link latency.
 */
export function allToAllLayer(
  name: string,
  activePerToken: number,
  hidden: number,
  expertParallel: number,
  link: InterconnectSpec,
  sizes: ElementBytes,
): LayerTemplate {
  return {
    name,
    unit: 'network',
    contextDependent: false,
    stored: { matrixElements: 0, vectorElements: 0 },
    kvCacheElementsPerToken: 0,
    cost(step) {
      const sentBytes = allToAllBytesPerDevice(step, activePerToken, hidden, expertParallel, sizes);
      return layerCost(
        0,
        // Read to send; the same amount arrives from the other devices under uniform routing.
        layerBytes({ activations_in: sentBytes, activations_out: sentBytes }),
        sentBytes / link.bandwidthBytesPerSecond + link.latencySeconds,
        undefined,
        { kind: 'all-to-all', bytes: sentBytes, devices: expertParallel },
      );
    },
  };
}

/**
 * router, experts_dispatch_all_to_all, experts_*, experts_combine_all_to_all, shared_expert_*,
 * experts_combine: one MoE block on one of the ep devices.
 */
export function expertParallelLayers(shape: ArchitectureShape, device: DeviceShape, sizes: ElementBytes, link: InterconnectSpec): LayerTemplate[] {
  const experts = shape.experts;
  if (!experts) return [];
  const H = shape.hiddenSize;
  const ep = device.expertParallel;
  const k = experts.activePerToken;
  const routing: ExpertRouting = { totalExperts: experts.experts, localExperts: device.localExperts, activePerToken: k };
  const sharedOutputs = device.sharedExpertColumns > 0 ? 1 : 0;
  return [
    onTokenShard(linearLayer('router', H, experts.experts, experts.routerBias, 'activations', sizes, 'router'), ep),
    allToAllLayer('experts_dispatch_all_to_all', k, H, ep, link, sizes),
    ...routedExpertLayers(shape, device, routing, sizes),
    allToAllLayer('experts_combine_all_to_all', k, H, ep, link, sizes),
    ...sharedExpertLayers(shape, device, sizes).map((template) => onTokenShard(template, ep)),
    onTokenShard(expertCombineLayer(H, k, sharedOutputs, sizes), ep),
  ];
}
