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
 */
import { RooflineInputError } from '../errors';
import type { InterconnectSpec } from '../types';
import type { ArchitectureShape } from './shape';

/** The per-device share of one model. */
export interface DeviceShape {
  tensorParallel: number;
  /** Query heads on this device. */
  queryHeads: number;
  /** KV heads on this device (1 when KV heads are replicated). */
  kvHeads: number;
  /** True when tp > nkv and each device holds a copy of one KV head. */
  kvHeadsReplicated: boolean;
  /** Dense MLP intermediate columns on this device. */
  mlpColumns: number;
  /**
   * Routed experts with weights on this device: all of them under tensor parallelism. Expert
   * parallelism would place E / ep here and route tokens to them with all-to-all layers
   * (experts.ts, `routedExpertLayers`).
   */
  localExperts: number;
  /** Intermediate columns of one routed expert on this device. */
  expertColumns: number;
  /** Intermediate columns of the shared expert(s) on this device (0 without one). */
  sharedExpertColumns: number;
  /** Vocabulary rows of lm_head on this device (padded up, as vLLM pads the vocabulary). */
  vocabRows: number;
}

const TP_PATH = ['parallelism', 'tensor'] as const;

export function splitForTensorParallel(shape: ArchitectureShape, tensorParallel: number): DeviceShape {
  const tp = tensorParallel;
  const fail = (message: string): never => {
    throw new RooflineInputError(TP_PATH, message, 'tp-not-divisible');
  };
  if (shape.numAttentionHeads % tp !== 0) {
    fail(`tensor parallelism ${tp} does not divide the ${shape.numAttentionHeads} attention heads`);
  }
  const nkv = shape.numKeyValueHeads;
  if (nkv % tp !== 0 && tp % nkv !== 0) {
    fail(
      `tensor parallelism ${tp} must divide the ${nkv} KV heads, or be a multiple of them (each KV head is then replicated)`,
    );
  }
  if (shape.denseMlpLayers > 0 && shape.intermediateSize % tp !== 0) {
    fail(`tensor parallelism ${tp} does not divide the MLP intermediate size ${shape.intermediateSize}`);
  }
  const experts = shape.experts;
  if (experts && experts.expertColumns % tp !== 0) {
    fail(`tensor parallelism ${tp} does not divide the expert intermediate size ${experts.expertColumns}`);
  }
  if (experts && experts.sharedColumns % tp !== 0) {
    fail(`tensor parallelism ${tp} does not divide the shared expert intermediate size ${experts.sharedColumns}`);
  }
  const kvHeadsReplicated = nkv % tp !== 0;
  return {
    tensorParallel: tp,
    queryHeads: shape.numAttentionHeads / tp,
    kvHeads: kvHeadsReplicated ? 1 : nkv / tp,
    kvHeadsReplicated,
    mlpColumns: shape.intermediateSize / tp,
    localExperts: experts?.experts ?? 0,
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
