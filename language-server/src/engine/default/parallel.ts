/**
 * Tensor parallelism as Megatron-LM lays it out (Shoeybi et al. 2019, §3): attention heads and
 * MLP columns are split across the `tp` devices (column-parallel q/k/v and gate/up, row-parallel
 * o and down), so each block needs one all-reduce after attention and one after the MLP. The
 * vocabulary of lm_head is split too (column-parallel, logits gathered), as vLLM and
 * TensorRT-LLM do; the input embedding and the norms are replicated. When there are fewer KV heads
 * than devices, each KV head is replicated on tp / nkv devices (vLLM does the same). Routed and
 * shared experts are split like the dense MLP, by intermediate columns, every device holding a
 * slice of every expert (vLLM's default without expert parallelism); the router is replicated.
 * Multi-head latent attention splits its heads; its down-projections (q_a, kv_a) and the latent
 * cache are replicated (vLLM and SGLang do the same).
 *
 * Expert parallelism (ep) and pipeline parallelism (pp) are checked and recorded here; their
 * layers are in expertParallel.ts and pipeline.ts. Expert parallelism runs on the tensor-parallel
 * devices themselves (ep = tp): each holds E / ep whole experts (and a copy of the shared expert)
 * instead of a column slice of every expert.
 */
import { RooflineInputError } from '../errors';
import type { InterconnectSpec, ParallelismSpec } from '../types';
import type { ArchitectureShape } from './shape';

/** The per-device share of one model. */
export interface DeviceShape {
  tensorParallel: number;
  /** Pipeline stages the blocks are split across (1: none). */
  pipelineParallel: number;
  /** Devices the routed experts are split across, the tensor-parallel devices (1: none). */
  expertParallel: number;
  /** Query heads on this device. */
  queryHeads: number;
  /** KV heads on this device (1 when KV heads are replicated). */
  kvHeads: number;
  /** True when tp > nkv and each device holds a copy of one KV head. */
  kvHeadsReplicated: boolean;
  /** Dense MLP intermediate columns on this device. */
  mlpColumns: number;
  /**
   * Routed experts with weights on this device: all of them under tensor parallelism, E / ep under
   * expert parallelism (tokens reach them through all-to-all layers, expertParallel.ts).
   */
  localExperts: number;
  /** Intermediate columns of one routed expert on this device (all of them under ep). */
  expertColumns: number;
  /** Intermediate columns of the shared expert(s) on this device (0 without one; all of them under ep). */
  sharedExpertColumns: number;
  /** Vocabulary rows of lm_head on this device (padded up, as vLLM pads the vocabulary). */
  vocabRows: number;
}

const TP_PATH = ['parallelism', 'tensor'] as const;
const PP_PATH = ['parallelism', 'pipeline'] as const;
const EP_PATH = ['parallelism', 'expert'] as const;

function requireWholeDevices(value: number, path: readonly string[]): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RooflineInputError(path, `${path.join('.')} must be a positive whole number, got ${value}`);
  }
}

/**
 * The split a deployment asks for, checked: tensor as `splitForTensorParallel`; pipeline at most
 * one stage per block; expert parallelism only for a mixture of experts, on the tensor-parallel
 * devices (ep = tp), dividing the routed experts.
 */
export function splitForParallelism(shape: ArchitectureShape, parallelism: ParallelismSpec): DeviceShape {
  const pp = parallelism.pipeline ?? 1;
  const ep = parallelism.expert ?? 1;
  requireWholeDevices(pp, PP_PATH);
  requireWholeDevices(ep, EP_PATH);
  if (pp > shape.numLayers) {
    throw new RooflineInputError(PP_PATH, `pipeline parallelism ${pp} is more stages than the ${shape.numLayers} blocks (num_hidden_layers)`, 'pp-exceeds-layers');
  }
  if (ep > 1) {
    const experts = shape.experts;
    if (!experts) {
      throw new RooflineInputError(EP_PATH, `expert parallelism ${ep} needs a mixture-of-experts model; this one has a dense MLP in every block`, 'ep-dense-model');
    }
    if (ep !== parallelism.tensor) {
      throw new RooflineInputError(
        EP_PATH,
        `expert parallelism runs on the tensor-parallel devices, so it must equal parallelism.tensor (${parallelism.tensor}), got ${ep}`,
        'ep-not-tensor',
      );
    }
    if (experts.experts % ep !== 0) {
      throw new RooflineInputError(EP_PATH, `expert parallelism ${ep} does not divide the ${experts.experts} routed experts`, 'ep-not-divisible');
    }
  }
  const device = splitForTensorParallel(shape, parallelism.tensor, ep > 1);
  if (ep === 1) return { ...device, pipelineParallel: pp };
  const experts = shape.experts!;
  return {
    ...device,
    pipelineParallel: pp,
    expertParallel: ep,
    localExperts: experts.experts / ep,
    expertColumns: experts.expertColumns,
    sharedExpertColumns: experts.sharedColumns,
  };
}

/**
 * Tensor parallelism alone. `expertsWhole`: the experts are placed whole by expert parallelism,
 * so their columns need not divide by tp.
 */
export function splitForTensorParallel(shape: ArchitectureShape, tensorParallel: number, expertsWhole = false): DeviceShape {
  const tp = tensorParallel;
  const fail = (message: string): never => {
    throw new RooflineInputError(TP_PATH, message, 'tp-not-divisible');
  };
  // A model without attention blocks (Mamba) has no heads to split.
  const attends = shape.attentionLayers > 0;
  if (attends && shape.numAttentionHeads % tp !== 0) {
    fail(`tensor parallelism ${tp} does not divide the ${shape.numAttentionHeads} attention heads`);
  }
  const nkv = shape.numKeyValueHeads;
  if (attends && nkv % tp !== 0 && tp % nkv !== 0) {
    fail(
      `tensor parallelism ${tp} must divide the ${nkv} KV heads, or be a multiple of them (each KV head is then replicated)`,
    );
  }
  if (shape.denseMlpLayers > 0 && shape.denseMlpColumns % tp !== 0) {
    fail(`tensor parallelism ${tp} does not divide the MLP intermediate size ${shape.denseMlpColumns}`);
  }
  const experts = expertsWhole ? undefined : shape.experts;
  if (experts && experts.expertColumns % tp !== 0) {
    fail(`tensor parallelism ${tp} does not divide the expert intermediate size ${experts.expertColumns}`);
  }
  if (experts && experts.sharedColumns % tp !== 0) {
    fail(`tensor parallelism ${tp} does not divide the shared expert intermediate size ${experts.sharedColumns}`);
  }
  const kvHeadsReplicated = nkv % tp !== 0;
  return {
    tensorParallel: tp,
    pipelineParallel: 1,
    expertParallel: 1,
    queryHeads: shape.numAttentionHeads / tp,
    kvHeads: kvHeadsReplicated ? 1 : nkv / tp,
    kvHeadsReplicated,
    mlpColumns: shape.denseMlpColumns / tp,
    localExperts: shape.experts?.experts ?? 0,
    expertColumns: (experts?.expertColumns ?? 0) / tp,
    sharedExpertColumns: (experts?.sharedColumns ?? 0) / tp,
    vocabRows: Math.ceil(shape.vocabSize / tp),
  };
}

/**
 * Used when the hardware file gives no interconnect: PCIe 4.0 x16, about 32 GB/s per direction
 * (16 GT/s × 16 lanes × 128/130), and a per-step latency of a few microseconds, the order of
 * NCCL's small-message ring latency.
 */
export const DEFAULT_INTERCONNECT: InterconnectSpec = {
  bandwidthBytesPerSecond: 32e9,
  latencySeconds: 5e-6,
};

/**
 * Ring all-reduce of `messageBytes` per device over `devices` devices (Patarasuk & Yuan 2009):
 * 2(p−1) steps, each moving messageBytes/p over one link and paying the link latency once.
 */
export function ringAllReduceSeconds(messageBytes: number, devices: number, link: InterconnectSpec): number {
  if (devices <= 1) return 0;
  const steps = 2 * (devices - 1);
  return ((steps / devices) * messageBytes) / link.bandwidthBytesPerSecond + steps * link.latencySeconds;
}

/** Ring all-gather where each device contributes `sliceBytes`: p−1 steps of one slice each. */
export function ringAllGatherSeconds(sliceBytes: number, devices: number, link: InterconnectSpec): number {
  if (devices <= 1) return 0;
  const steps = devices - 1;
  return (steps * sliceBytes) / link.bandwidthBytesPerSecond + steps * link.latencySeconds;
}
