/**
 * Pipeline parallelism (GPipe, Huang et al. 2019; vLLM's `pipeline_parallel_size`): the blocks are
 * split into pp consecutive stages, each on its own tensor-parallel group. The first stage also
 * holds the embedding, the last the final norm and lm_head (and, for a tied head, its own copy of
 * the embedding table, as vLLM loads it there). Between stages the hidden states of the step's
 * b·T tokens go over the interconnect (`pipeline_send`).
 *
 * Time: one batch passes through every stage in turn, so a step takes the sum of the stages'
 * times: the layer table of a stage (prefill, decode) is the whole forward pass, every block once,
 * plus pp − 1 sends, and TTFT and TPOT are its totals. While one stage works the others wait for
 * it: each device is idle (pp − 1)/pp of the time. With pp batches in flight the stages work at
 * once and decoding produces a batch's tokens per slowest-stage time (`pipelineThroughput`).
 *
 * Memory is per device: the stage whose weights and KV cache are largest for the deployment's
 * workload governs (with blocks not dividing evenly, a stage with one block more).
 */
import type { InterconnectSpec, WorkloadSpec } from '../types';
import { layerBytes } from './layers';
import { cacheBytes, storedWeightBytes } from './memory';
import type { ElementBytes, LayerTemplate, ModelPlan, PlanPart, StepShape } from './plan';
import type { PreparedDefault } from './prepare';
import type { ArchitectureShape } from './shape';
import type { AttentionKind } from './windowConfig';
import { hasMlp, mixerOf, type MixerKind } from './mixerConfig';
import type { LayerClock } from './clock';
import { evaluateStage, type CountedLayer } from './stage';
import { layerCost } from '../roofline';
import { engineWorkUnit } from '../workMeter';

/** One pipeline stage: which blocks it runs and which of the model's ends it holds. */
export interface PipelineStage {
  index: number;
  firstBlock: number;
  blocks: number;
  /** Blocks of each attention kind (softmax-attention blocks only). */
  attentionBlocks: Record<AttentionKind, number>;
  /** Blocks of each mixer kind (Falcon-H1's Mamba-2 in every block). */
  mixerBlocks: Record<MixerKind, number>;
  /** Blocks with an MLP. */
  mlpBlocks: number;
  moeBlocks: number;
  holdsEmbedding: boolean;
  holdsHead: boolean;
}

/**
 * Blocks per stage as vLLM's `get_pp_indices` splits them: L // pp each, and the remainder one
 * each to the stages before the last, from the second-to-last backwards (the last stage already
 * holds lm_head).
 */
export function blocksPerStage(numLayers: number, stages: number): number[] {
  const counts = new Array<number>(stages).fill(Math.floor(numLayers / stages));
  const remainder = numLayers % stages;
  for (let offset = 2; offset < remainder + 2; offset++) counts[stages - offset]! += 1;
  return counts;
}

export function pipelineStages(shape: ArchitectureShape, stages: number): PipelineStage[] {
  const moe = shape.experts?.moeBlocks;
  const kinds = shape.attentionSchedule.blockKinds;
  let firstBlock = 0;
  // One pass over each stage's blocks: the planner and every serving step ask for the stages.
  return blocksPerStage(shape.numLayers, stages).map((blocks, index) => {
    const attentionBlocks: Record<AttentionKind, number> = { full: 0, sliding: 0, chunked: 0 };
    const mixerBlocks: Record<MixerKind, number> = { attention: 0, lightning: 0, deltanet: 0, mamba: 0, mamba2: 0, none: 0 };
    let mlpBlocks = 0;
    let moeBlocks = 0;
    for (let block = firstBlock; block < firstBlock + blocks; block++) {
      engineWorkUnit();
      const mixer = mixerOf(shape.mixers, block);
      mixerBlocks[mixer] += 1;
      const kind = kinds[block];
      if (mixer === 'attention' && kind !== undefined) attentionBlocks[kind] += 1;
      if (hasMlp(shape.mixers, block)) mlpBlocks += 1;
      if (moe?.[block]) moeBlocks += 1;
    }
    if (shape.mixers.parallelMamba2) mixerBlocks.mamba2 = blocks;
    const stage: PipelineStage = { index, firstBlock, blocks, attentionBlocks, mixerBlocks, mlpBlocks, moeBlocks, holdsEmbedding: index === 0, holdsHead: index === stages - 1 };
    firstBlock += blocks;
    return stage;
  });
}

/**
 * The layers of one stage, each counted as often as the stage has it. `memory` counts what the
 * stage's devices store (a tied head's embedding copy on the last stage); `timing` what they run
 * (the send to the next stage, except on the last).
 */
export function stageLayers(plan: ModelPlan, stage: PipelineStage, tiedHead: boolean, purpose: 'memory' | 'timing'): CountedLayer[] {
  const counts: Record<PlanPart, number> = {
    embedding: stage.holdsEmbedding || (purpose === 'memory' && stage.holdsHead && tiedHead) ? 1 : 0,
    'attention-block': stage.mixerBlocks.attention,
    'lightning-block': stage.mixerBlocks.lightning,
    'deltanet-block': stage.mixerBlocks.deltanet,
    'mamba-block': stage.mixerBlocks.mamba,
    'mamba2-block': stage.mixerBlocks.mamba2,
    'mlp-block': stage.mlpBlocks,
    'full-attention': stage.attentionBlocks.full,
    'sliding-attention': stage.attentionBlocks.sliding,
    'chunked-attention': stage.attentionBlocks.chunked,
    'dense-mlp': stage.mlpBlocks - stage.moeBlocks,
    'moe-mlp': stage.moeBlocks,
    head: stage.holdsHead ? 1 : 0,
    'pipeline-transfer': purpose === 'timing' && !stage.holdsHead ? 1 : 0,
  };
  const layers: CountedLayer[] = [];
  for (const group of plan.groups) {
    const count = counts[group.part];
    if (count > 0) for (const template of group.layers) layers.push({ template, count });
  }
  return layers;
}

/**
 * The hidden states of the step's b·T tokens sent from one stage to the next: H values per token,
 * one point-to-point transfer at the link bandwidth plus its latency.
 */
export function pipelineSendLayer(hidden: number, link: InterconnectSpec, sizes: ElementBytes): LayerTemplate {
  return {
    name: 'pipeline_send',
    unit: 'network',
    contextDependent: false,
    stored: { matrixElements: 0, vectorElements: 0 },
    kvCacheElementsPerToken: 0,
    cost(step) {
      const messageBytes = step.batchSize * step.queryTokens * hidden * sizes.activation;
      return layerCost(
        0,
        layerBytes({ activations_in: messageBytes, activations_out: messageBytes }),
        messageBytes / link.bandwidthBytesPerSecond + link.latencySeconds,
        undefined,
        { kind: 'send', bytes: messageBytes, devices: 2 },
      );
    },
  };
}

export interface DeviceMemoryLayers {
  /** What one device of the governing stage stores (the whole model without pipeline parallelism). */
  layers: CountedLayer[];
  /** The governing stage; absent without pipeline parallelism. */
  stage?: PipelineStage;
  notes: string[];
}

/**
 * The stage that sets per-device memory: the largest weights plus KV cache at the end of the
 * deployment's request (b sequences of prompt + output tokens).
 */
export function deviceMemoryLayers(
  shape: ArchitectureShape,
  stages: number,
  plan: ModelPlan,
  layers: CountedLayer[],
  sizes: ElementBytes,
  workload: WorkloadSpec,
): DeviceMemoryLayers {
  if (stages <= 1) return { layers, notes: [] };
  const tokens = workload.promptTokens + workload.outputTokens;
  let governing: { stage: PipelineStage; layers: CountedLayer[]; bytes: number } | undefined;
  for (const stage of pipelineStages(shape, stages)) {
    const stored = stageLayers(plan, stage, shape.tieWordEmbeddings, 'memory');
    const bytes = storedWeightBytes(stored, sizes) + cacheBytes(stored, workload.batchSize, tokens, sizes);
    if (!governing || bytes > governing.bytes) governing = { stage, layers: stored, bytes };
  }
  const { stage } = governing!;
  const counts = blocksPerStage(shape.numLayers, stages);
  const even = counts.every((count) => count === counts[0]);
  const split = even ? `${counts[0]} blocks each` : `${counts.join(' / ')} blocks (${shape.numLayers} do not divide evenly)`;
  const ends = [stage.holdsEmbedding ? 'the embedding' : '', stage.holdsHead ? 'lm_head' : ''].filter(Boolean).join(' and ');
  return {
    layers: governing!.layers,
    stage,
    notes: [
      `Pipeline parallelism ${stages}: the blocks are split ${split}. Memory is per device, for the stage with the most weights and KV cache: stage ${stage.index + 1}, blocks ${stage.firstBlock}–${stage.firstBlock + stage.blocks - 1}${ends ? ` with ${ends}` : ''}.`,
      `One batch passes through the ${stages} stages in turn, so TTFT and TPOT are the sum of the stages' times, pipeline_send included (the layer table is the whole forward pass); each device idles ${stages - 1}/${stages} of the time. No micro-batching of a single batch is modelled; metrics.pipeline gives the decode throughput with ${stages} batches in flight.`,
    ],
  };
}

export interface PipelineThroughput {
  stages: number;
  bubble_fraction: number;
  slowest_stage_share: number;
  in_flight_decode_tokens_per_second: number;
}

/**
 * Decoding with pp batches of b sequences in flight (each device then holds the KV cache of all
 * of them): every stage works on a different batch, and a batch's b tokens leave the last stage
 * once per slowest-stage time. That time is taken as the slowest stage's share of the first
 * decode step (prompt_tokens cached) times the mean decode step (TPOT).
 */
export function pipelineThroughput(
  shape: ArchitectureShape,
  stages: number,
  plan: ModelPlan,
  clock: LayerClock,
  activationBytesPerElement: number,
  decodeStep: StepShape,
  tpotSeconds: number,
): PipelineThroughput {
  const stageSeconds = pipelineStages(shape, stages).map(
    (stage) => evaluateStage(stageLayers(plan, stage, shape.tieWordEmbeddings, 'timing'), plan, decodeStep, clock, activationBytesPerElement).totals.seconds,
  );
  const slowestShare = Math.max(...stageSeconds) / stageSeconds.reduce((sum, seconds) => sum + seconds, 0);
  return {
    stages,
    bubble_fraction: (stages - 1) / stages,
    slowest_stage_share: slowestShare,
    in_flight_decode_tokens_per_second: decodeStep.batchSize / (tpotSeconds * slowestShare),
  };
}

/** `metrics.pipeline` for a prepared deployment, or undefined without pipeline parallelism. */
export function pipelineMetricsOf(prepared: PreparedDefault, workload: WorkloadSpec, tpotSeconds: number): PipelineThroughput | undefined {
  const stages = prepared.device.pipelineParallel;
  if (stages <= 1) return undefined;
  const decodeStep: StepShape = { batchSize: workload.batchSize, queryTokens: 1, cachedTokens: workload.promptTokens, logitTokensPerSequence: 1 };
  return pipelineThroughput(prepared.shape, stages, prepared.decodePlan, prepared.clock, prepared.sizes.activation, decodeStep, tpotSeconds);
}
