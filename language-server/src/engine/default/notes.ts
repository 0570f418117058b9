/**
 * Plain-language notes on how the default conventions treat this model's architecture and split:
 * what the expert, latent-attention and sliding-window layers stand for, and what is left out.
 */
import { isHybrid, mixerCounts, STATE_MIXERS } from './mixerConfig';
import { MIXER_LABELS } from './stateLayers';
import type { HfConfig, WorkloadSpec } from '../types';
import { expectedExpertsTouched } from './experts';
import { latentCacheElementsPerToken } from './latentAttention';
import type { DeviceShape } from './parallel';
import type { ArchitectureShape } from './shape';

function twoDecimals(value: number): string {
  return value.toFixed(2);
}

function expertNotes(shape: ArchitectureShape, device: DeviceShape, workload: WorkloadSpec, config: HfConfig): string[] {
  const experts = shape.experts;
  if (!experts) return [];
  const { experts: E, activePerToken: k } = experts;
  const moeLayers = shape.numLayers - shape.denseMlpLayers;
  const shared = experts.sharedColumns > 0 ? ` plus a shared expert of ${experts.sharedColumns} columns` : '';
  const decodeTouched = expectedExpertsTouched(E, k, workload.batchSize);
  const prefillTouched = expectedExpertsTouched(E, k, workload.batchSize * workload.promptTokens);
  const notes = [
    `Mixture of experts: ${moeLayers} of ${shape.numLayers} blocks send each token to ${k} of ${E} experts of ${experts.expertColumns} columns${shared}. ` +
      `The experts_* layers stand for all routed experts of one block: their FLOPs count ${k} experts per token; their weight bytes count the experts a step's tokens are expected to touch under uniform routing, E·(1 − (1 − k/E)^tokens): ` +
      `${twoDecimals(decodeTouched)} of ${E} per block in a decode step of batch ${workload.batchSize}, ${twoDecimals(prefillTouched)} in prefill. Weight memory holds all ${E}; skewed routing would touch fewer.`,
  ];
  if (shape.denseMlpLayers > 0) {
    notes.push(`The other ${shape.denseMlpLayers} blocks have a dense MLP of ${shape.denseMlpColumns} columns (gate_proj, up_proj, mlp_act, down_proj).`);
  }
  if (typeof config.n_group === 'number' && typeof config.topk_group === 'number') {
    notes.push('Group-limited routing (n_group, topk_group) is treated as uniform routing over all experts.');
  }
  if (device.expertParallel > 1) {
    const ep = device.expertParallel;
    const decodeLocal = decodeTouched / ep;
    notes.push(
      `Expert parallelism ${ep} on the ${device.tensorParallel} tensor-parallel devices: each holds ${device.localExperts} of the ${E} experts whole${experts.sharedColumns > 0 ? ' and a copy of the shared expert' : ''}, and runs them on the b·T·k/${ep} token copies sent to it (uniform routing; ${twoDecimals(decodeLocal)} of its experts touched per block in a decode step). ` +
        `Each device routes its 1/${ep} share of the tokens: experts_dispatch_all_to_all sends each token's ${k} copies to the experts' devices ((${ep} − 1)/${ep} of them leave the device) and experts_combine_all_to_all brings the outputs back; the MoE blocks have no mlp_all_reduce. Router, shared expert and experts_combine run on the device's share of the tokens.`,
    );
  } else if (device.tensorParallel > 1) {
    notes.push('Under tensor parallelism every device holds a column slice of every expert (no expert parallelism); the router is replicated.');
  }
  return notes;
}

function latentNotes(shape: ArchitectureShape, device: DeviceShape, config: HfConfig): string[] {
  const latent = shape.latentAttention;
  if (!latent) return [];
  const notes = [
    `Multi-head latent attention: the KV cache keeps ${latentCacheElementsPerToken(latent)} elements per token and layer (kv_lora_rank ${latent.kvLoraRank} + qk_rope_head_dim ${latent.qkRopeHeadDim}). ` +
      'Decode absorbs kv_b_proj into the query (q_absorb) and the output (v_absorb) so attention runs over the latent cache (latent_* layers); prefill decompresses keys and values with kv_b_proj and runs ordinary attention, as serving engines do.',
  ];
  if (device.tensorParallel > 1) {
    notes.push('Under tensor parallelism q_a_proj, kv_a_proj and the latent cache are replicated on every device; the heads are split.');
  }
  const nextTokenLayers = config.num_nextn_predict_layers;
  if (typeof nextTokenLayers === 'number' && nextTokenLayers > 0) {
    notes.push(`The multi-token-prediction module (num_nextn_predict_layers = ${nextTokenLayers}) is not counted: it is loaded only for speculative decoding.`);
  }
  return notes;
}

function windowNotes(shape: ArchitectureShape, workload: WorkloadSpec): string[] {
  const schedule = shape.attentionSchedule;
  const notes: string[] = [];
  if (schedule.windowTokens !== undefined && schedule.layers.sliding > 0) {
    const context = workload.promptTokens + workload.outputTokens;
    const binding =
      schedule.windowTokens < context
        ? ''
        : ` The window is not shorter than this request's ${context} tokens, so it changes nothing here.`;
    notes.push(
      `${schedule.layers.sliding} of ${shape.numLayers} blocks use sliding-window attention over ${schedule.windowTokens} tokens (sliding_* layers): each query attends to at most ${schedule.windowTokens} keys, itself included, and those blocks cache at most ${schedule.windowTokens} tokens per sequence.${binding}`,
    );
  }
  if (schedule.chunkTokens !== undefined && schedule.layers.chunked > 0) {
    notes.push(
      `${schedule.layers.chunked} of ${shape.numLayers} blocks use chunked attention over chunks of ${schedule.chunkTokens} tokens (chunked_* layers): each query attends to the keys of its own chunk up to itself, and those blocks cache at most ${schedule.chunkTokens} tokens per sequence. ` +
        'A decode step there is counted as reading min(context, chunk) keys, an upper bound once the context passes a chunk (on average it reads half a chunk).',
    );
  }
  if (schedule.otherKinds.length > 0) {
    notes.push(`layer_types lists ${schedule.otherKinds.join(', ')}, which these conventions analyse as full attention.`);
  }
  return notes;
}

/** Which blocks keep a constant state instead of a KV cache, and what the state kernels count. */
function hybridNotes(shape: ArchitectureShape): string[] {
  const mixers = shape.mixers;
  if (!isHybrid(mixers)) return [];
  const counts = mixerCounts(mixers);
  const L = shape.numLayers;
  const parts: string[] = [];
  for (const kind of STATE_MIXERS) {
    const blocks = kind === 'mamba2' && mixers.parallelMamba2 ? counts.mamba2 - L : counts[kind];
    if (blocks > 0) parts.push(`${blocks} of ${L} blocks are ${MIXER_LABELS[kind]} (${kind}_* layers)`);
  }
  if (mixers.parallelMamba2) parts.push(`every block runs a Mamba-2 mixer (mamba2_* layers) beside its attention, on the same input, into the same residual add`);
  if (counts.none > 0) parts.push(`${counts.none} have no token mixer, only an MLP`);
  const withoutMlp = (mixers.mlpBlocks ?? []).filter((has) => !has).length;
  return [
    `${parts.join('; ')}. State layers keep a constant state per sequence (recurrent state and convolution window, in the KV cache format) instead of a KV cache, so the KV cache grows only in the ${counts.attention} attention blocks` +
      `${withoutMlp > 0 ? `; ${withoutMlp} blocks have no MLP` : ''}. Their kernels are counted in recurrent form (what a decode step does); a chunked prefill kernel's extra intra-chunk work is counted only for lightning attention.`,
  ];
}

function familyNotes(shape: ArchitectureShape): string[] {
  if (shape.attentionSinks) {
    return [
      `gpt-oss's attention sinks (one learned logit per head in every softmax) are counted as ${shape.numAttentionHeads} parameters per block, read by the attention kernel; the one extra score per head and query they add is ignored.`,
    ];
  }
  return [];
}

export function parallelismNotes(shape: ArchitectureShape, device: DeviceShape): string[] {
  if (device.tensorParallel <= 1) return [];
  const notes = [
    `Figures are per device: tensor parallelism ${device.tensorParallel} splits attention heads, MLP columns and the vocabulary of the embedding and lm_head (as vLLM's VocabParallelEmbedding does); norms are replicated on every device.`,
  ];
  if (device.kvHeadsReplicated && !shape.latentAttention) {
    notes.push(
      `With ${shape.numKeyValueHeads} KV heads on ${device.tensorParallel} devices, each device holds a copy of one KV head (weights and cache replicated ${device.tensorParallel / shape.numKeyValueHeads}×).`,
    );
  }
  return notes;
}

export function architectureNotes(shape: ArchitectureShape, device: DeviceShape, workload: WorkloadSpec, config: HfConfig): string[] {
  const notes: string[] = [];
  // Collected by push into a fresh literal rather than spread: see appendNotes in analyze.ts.
  const parts = [
    shape.assumptions,
    expertNotes(shape, device, workload, config),
    latentNotes(shape, device, config),
    windowNotes(shape, workload),
    hybridNotes(shape),
    familyNotes(shape),
  ];
  for (let part = 0; part < parts.length; part++) {
    const items = parts[part]!;
    for (let index = 0; index < items.length; index++) notes.push(items[index]!);
  }
  return notes;
}
