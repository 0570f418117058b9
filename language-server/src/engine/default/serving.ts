/**
 * Serving under load (`serving:`): a serving engine with continuous batching holds many requests
 * of the workload's prompt (p) and output (o) lengths at once. Every engine step decodes one token
 * for each running request and carries a chunk of some request's prompt, within a token budget
 * (`max_batched_tokens`, chunked prefill as vLLM and TensorRT-LLM schedule it). In steady state a
 * request finishes every (o − 1) steps per running request, so prompts must arrive at the same
 * rate: p · n / (o − 1) prefill tokens per step for n running requests. docs/serving.md derives
 * each figure; the roofline of a step is the same layer model as a single analysis.
 */
import { RooflineInputError } from '../errors';
import type { EngineInput, EngineStartup, ServingResult, ServingSpec, WorkloadSpec } from '../types';
import { activationPeakBytes } from './capacityModel';
import { layerClockSeconds } from './clock';
import { cacheBytes, kvCacheBytes } from './memory';
import type { StepShape } from './plan';
import { BoundedMemo } from '../boundedMemo';
import type { PreparedDefault } from './prepare';
import type { CountedLayer } from './stage';
import { engineStartupOf, poolBytesOf, type PoolTerms } from './engineStartup';
import { admissionWaitSeconds } from './admissionWait';
import { acceptanceText, expectedTokensFormula, expectedTokensPerStep, validateSpeculative } from '../speculative';
import type { SpeculativeSpec } from '../types';
import { mtpModuleOf, mtpPromptSeconds, mtpProposalSeconds } from './mtpDraft';
import { prepareDraft } from './speculativeDecoding';

/**
 * Speculative decoding under load: every step, each decoding request runs γ + 1 tokens through
 * the target (its last token and γ drafted ones) after the draft's γ proposals, and keeps E of
 * them on average (speculative.ts). The verified positions and the draft's cache are held.
 */
export interface ServingSpeculation {
  /** γ + 1: tokens each decoding request runs through the target per step. */
  queryTokens: number;
  /** E: tokens each decoding request gains per step. */
  tokensPerStep: number;
  /** The draft's γ proposals for `sequences` requests at `cachedTokens`. */
  proposalSeconds(sequences: number, cachedTokens: number): number;
  /** What the draft adds to `sequences` prompts of `promptTokens`. */
  promptSeconds(sequences: number, promptTokens: number): number;
  /** The draft's weights per GPU. */
  weightsBytes: number;
  /** The draft's KV cache of one request of `tokens` tokens, per GPU. */
  draftKvBytes(tokens: number): number;
}

/** The speculation of a deployment under `serving:` (its draft: a separate model or the model's MTP module). */
export function servingSpeculationOf(prepared: PreparedDefault, input: EngineInput, spec: SpeculativeSpec | undefined = input.speculative): ServingSpeculation | undefined {
  if (!spec) return undefined;
  validateSpeculative(spec);
  const gamma = spec.draftTokens;
  const common = { queryTokens: gamma + 1, tokensPerStep: expectedTokensPerStep(spec.acceptanceRate, gamma) };
  if (spec.draft === 'mtp') {
    if (spec.draftModel) throw new RooflineInputError(['speculative', 'draft_model'], 'give either draft: mtp (the model drafts for itself) or a draft_model, not both', 'conflict');
    const module = mtpModuleOf(prepared, input);
    return {
      ...common,
      proposalSeconds: (sequences, cachedTokens) => mtpProposalSeconds(prepared, module, gamma, sequences, cachedTokens),
      promptSeconds: (sequences, promptTokens) => mtpPromptSeconds(prepared, module, gamma, sequences, promptTokens),
      weightsBytes: module.weightsBytes,
      draftKvBytes: (tokens) => module.kvCacheBytes(1, tokens),
    };
  }
  const draft = prepareDraft(input, spec);
  return {
    ...common,
    proposalSeconds: (sequences, cachedTokens) => (sequences > 0 ? gamma * mixedStepSeconds(draft, sequences, cachedTokens, NO_PREFILL) : 0),
    promptSeconds: (sequences, promptTokens) => mixedStepSeconds(draft, 0, 0, prefillShareOf(sequences * promptTokens, promptTokens)) - draft.clock.stepSeconds,
    weightsBytes: draft.weightsBytes,
    draftKvBytes: (tokens) => cacheBytes(draft.memoryLayers, 1, tokens, draft.sizes),
  };
}

/** What the serving figures charge for speculative decoding, for the notes. */
export function servingSpeculationNote(spec: SpeculativeSpec): string {
  const gamma = spec.draftTokens;
  const tokens = expectedTokensPerStep(spec.acceptanceRate, gamma);
  const draft = spec.draft === 'mtp' ? `${gamma} pass${gamma === 1 ? '' : 'es'} of the model's MTP module` : `${gamma} decode steps of ${spec.draftModelName}`;
  return (
    `Serving with speculative decoding: every step runs ${gamma + 1} tokens per decoding request through the model (its last token and ${gamma} drafted) after ${draft}, and each request keeps ${expectedTokensFormula(spec.acceptanceRate, gamma)} = ${tokens.toFixed(2)} tokens per step (${acceptanceText(spec.acceptanceRate)}). ` +
    `TPOT under load is the step over ${tokens.toFixed(2)}; the token budget counts the ${gamma + 1} tokens, and each request's KV blocks hold ${gamma} more positions and the draft's cache.`
  );
}

/** vLLM V1's default token budget per step for its OpenAI-compatible server (vllm/engine/arg_utils.py). */
export const DEFAULT_MAX_BATCHED_TOKENS = 8192;
/** vLLM's default paged KV cache block (`--block-size 16`, vllm/config CacheConfig). */
export const DEFAULT_KV_BLOCK_TOKENS = 16;
/** TensorRT-LLM's default KV block (KvCacheConfig.tokens_per_block = 32, tensorrt_llm/llmapi/llm_args.py). */
export const TENSORRT_LLM_KV_BLOCK_TOKENS = 32;

/**
 * Memory a serving engine holds outside PyTorch's allocator (CUDA context buffers, NCCL): vLLM's
 * profiler adds it to the peak before sizing the KV pool. Measured on H100 with vLLM (llm-d
 * benchmark, config_explorer/empirical-vllm-memory-results.md): 0.13 GiB on one GPU, 0.55 GiB per
 * GPU at tensor parallelism 2 (NCCL's buffers).
 */
export const NON_TORCH_BYTES_SINGLE_GPU = 0.13 * 1024 ** 3;
export const NON_TORCH_BYTES_MULTI_GPU = 0.55 * 1024 ** 3;

/** The prompt work one engine step carries: `sequences` prompts' chunks of `tokens` tokens each, after `cachedTokens` earlier tokens of their prompt. */
export interface PrefillShare {
  sequences: number;
  tokens: number;
  cachedTokens: number;
}

const NO_PREFILL: PrefillShare = { sequences: 0, tokens: 0, cachedTokens: 0 };

/**
 * `prefillTokens` of prompts of `promptTokens` each as one step carries them: whole prompts when
 * the step has room for them, else one chunk, on average halfway through its prompt.
 */
export function prefillShareOf(prefillTokens: number, promptTokens: number): PrefillShare {
  if (prefillTokens <= 0) return NO_PREFILL;
  if (prefillTokens >= promptTokens) return { sequences: prefillTokens / promptTokens, tokens: promptTokens, cachedTokens: 0 };
  return { sequences: 1, tokens: prefillTokens, cachedTokens: (promptTokens - prefillTokens) / 2 };
}

/**
 * One engine step: `decodeSequences` requests decode one token each at `decodeContext` cached
 * tokens, beside the prompt work `prefill`. Layers that do not read the cache see all the step's
 * tokens as one batch (weights read once for both); attention layers take the decode part's time
 * plus the prompt part's. Each layer is timed by the deployment's clock (the roofline at its
 * efficiency, or the expected serving times). With latent attention prompts run the decompressed
 * plan and decodes the absorbed one: the layers both plans share by name outside attention (the
 * projections before it, o_proj, the MLP and experts, lm_head) still see the step's tokens as one
 * batch and read their weights once; the rest run per part.
 */
export function mixedStepSeconds(prepared: PreparedDefault, decodeSequences: number, decodeContext: number, prefill: PrefillShare, decodeQueryTokens = 1): number {
  const steps = stepMemoOf(prepared, decodeQueryTokens);
  const known = steps.find(decodeSequences, decodeContext, prefill);
  if (known !== undefined) return known;
  const seconds = stepSecondsOf(prepared, decodeSequences, decodeContext, prefill, decodeQueryTokens);
  steps.keep(decodeSequences, decodeContext, prefill, seconds);
  return seconds;
}

/** A step and its time, as a StepMemo keeps them. */
interface KeptStep {
  decodeSequences: number;
  decodeContext: number;
  prefillSequences: number;
  prefillTokens: number;
  prefillCachedTokens: number;
  seconds: number;
}

/**
 * Step times found by the step's five numbers, at most `limit` of them, oldest first out. The
 * numbers are mixed into one number to look the step up and then compared one by one, so two
 * steps that mix alike never share a time (the second is simply not kept). A key made as text
 * cost more than most lookups save: a plan asks for tens of thousands of steps, most with
 * fractional numbers.
 */
class StepMemo {
  private readonly steps = new Map<number, KeptStep>();

  constructor(private readonly limit: number) {}

  private static mix(decodeSequences: number, decodeContext: number, prefill: PrefillShare): number {
    return (((decodeSequences * 1_000_003 + decodeContext) * 1_000_003 + prefill.sequences) * 1_000_003 + prefill.tokens) * 1_000_003 + prefill.cachedTokens;
  }

  find(decodeSequences: number, decodeContext: number, prefill: PrefillShare): number | undefined {
    const step = this.steps.get(StepMemo.mix(decodeSequences, decodeContext, prefill));
    if (
      step === undefined ||
      step.decodeSequences !== decodeSequences ||
      step.decodeContext !== decodeContext ||
      step.prefillSequences !== prefill.sequences ||
      step.prefillTokens !== prefill.tokens ||
      step.prefillCachedTokens !== prefill.cachedTokens
    ) {
      return undefined;
    }
    return step.seconds;
  }

  keep(decodeSequences: number, decodeContext: number, prefill: PrefillShare, seconds: number): void {
    const key = StepMemo.mix(decodeSequences, decodeContext, prefill);
    // Another step that mixes alike keeps its place; this one is worked out again when asked.
    if (this.steps.has(key)) return;
    if (this.steps.size >= this.limit) this.steps.delete(this.steps.keys().next().value as number);
    this.steps.set(key, {
      decodeSequences,
      decodeContext,
      prefillSequences: prefill.sequences,
      prefillTokens: prefill.tokens,
      prefillCachedTokens: prefill.cachedTokens,
      seconds,
    });
  }
}

/**
 * Step times already worked out, per preparation: a plan asks for the same steps many times (the
 * saturation point at every load, a prefill pool's step at every split, a decode pool's step at
 * every split of one load). A preparation never changes once made, so its steps do not either.
 */
const stepSecondsByPrepared = new WeakMap<PreparedDefault, StepMemo>();
/** Speculative steps (each decoding request verifying several tokens), per preparation and tokens verified. */
const speculativeStepsByPrepared = new WeakMap<PreparedDefault, Map<number, StepMemo>>();
const STEPS_KEPT = 128;

function stepMemoOf(prepared: PreparedDefault, decodeQueryTokens: number): StepMemo {
  if (decodeQueryTokens === 1) {
    let steps = stepSecondsByPrepared.get(prepared);
    if (!steps) stepSecondsByPrepared.set(prepared, (steps = new StepMemo(STEPS_KEPT)));
    return steps;
  }
  let byTokens = speculativeStepsByPrepared.get(prepared);
  if (!byTokens) speculativeStepsByPrepared.set(prepared, (byTokens = new Map()));
  let steps = byTokens.get(decodeQueryTokens);
  if (!steps) byTokens.set(decodeQueryTokens, (steps = new StepMemo(STEPS_KEPT)));
  return steps;
}

/**
 * `decodeQueryTokens`: tokens each decoding request runs through the target in the step (1, or
 * γ + 1 when it verifies γ drafted tokens, all of whose logits are computed).
 */
function stepSecondsOf(prepared: PreparedDefault, decodeSequences: number, decodeContext: number, prefill: PrefillShare, decodeQueryTokens: number): number {
  const q = decodeQueryTokens;
  const decodeStep: StepShape = { batchSize: decodeSequences, queryTokens: q, cachedTokens: decodeContext, logitTokensPerSequence: q };
  const prefillStep: StepShape = { batchSize: prefill.sequences, queryTokens: prefill.tokens, cachedTokens: prefill.cachedTokens, logitTokensPerSequence: 1 };
  const hasPrefill = prefill.sequences > 0 && prefill.tokens > 0;
  const prefillTokens = hasPrefill ? prefill.sequences * prefill.tokens : 0;
  // Logits only for each decoding request's tokens and each prompt's last token.
  const joint: StepShape = {
    batchSize: 1,
    queryTokens: decodeSequences * q + prefillTokens,
    cachedTokens: 0,
    logitTokensPerSequence: decodeSequences * q + (hasPrefill ? prefill.sequences : 0),
  };
  if (prepared.prefillLayers !== prepared.layers) {
    const sharedNames = (layers: readonly CountedLayer[]): Set<string> => new Set(layers.filter(({ template }) => !template.contextDependent).map(({ template }) => template.name));
    const inPrefill = sharedNames(prepared.prefillLayers);
    const inDecode = sharedNames(prepared.layers);
    let seconds = prepared.clock.stepSeconds;
    for (let index = 0; index < prepared.layers.length; index++) {
      const { template, count } = prepared.layers[index]!;
      const shared = !template.contextDependent && inPrefill.has(template.name);
      if (shared && hasPrefill) seconds += count * layerClockSeconds(prepared.clock, template, template.cost(joint));
      else if (decodeSequences > 0) seconds += count * layerClockSeconds(prepared.clock, template, template.cost(decodeStep));
    }
    if (hasPrefill) {
      for (let index = 0; index < prepared.prefillLayers.length; index++) {
        const { template, count } = prepared.prefillLayers[index]!;
        if (template.contextDependent || !inDecode.has(template.name)) seconds += count * layerClockSeconds(prepared.clock, template, template.cost(prefillStep));
      }
    }
    return seconds;
  }
  // Host time per step (scheduling, sampling) under efficiency: expected; 0 on a roofline.
  // No closure per layer: a plan evaluates this for tens of thousands of steps.
  const { clock, layers } = prepared;
  let seconds = clock.stepSeconds;
  for (let index = 0; index < layers.length; index++) {
    const { template, count } = layers[index]!;
    if (!template.contextDependent) seconds += count * layerClockSeconds(clock, template, template.cost(joint));
    else {
      const decodeSeconds = decodeSequences > 0 ? layerClockSeconds(clock, template, template.cost(decodeStep)) : 0;
      seconds += count * (decodeSeconds + (hasPrefill ? layerClockSeconds(clock, template, template.cost(prefillStep)) : 0));
    }
  }
  return seconds;
}

/** GPUs of one instance (a copy of the model): tensor × pipeline. Expert parallelism runs on the tensor-parallel GPUs. */
export function gpusPerInstance(input: EngineInput): number {
  return input.parallelism.tensor * (input.parallelism.pipeline ?? 1);
}

/** Peak activations of a step of `tokens` tokens, per prepared model: the same at every load the planner tries. */
// Per activation scope (prepare.ts): the preparations of the same plans on other hardware peak alike.
const peakActivationsByScope = new WeakMap<object, BoundedMemo<number, number>>();
const STEP_SIZES_KEPT = 64;

function peakStepActivationBytes(prepared: PreparedDefault, tokens: number): number {
  let byTokens = peakActivationsByScope.get(prepared.activationScope);
  if (!byTokens) peakActivationsByScope.set(prepared.activationScope, (byTokens = new BoundedMemo(STEP_SIZES_KEPT)));
  return byTokens.get(tokens, () => {
    const peakStep: StepShape = { batchSize: 1, queryTokens: tokens, cachedTokens: 0, logitTokensPerSequence: 1 };
    return activationPeakBytes(prepared.prefillLayers, prepared.prefillPlan, peakStep, prepared.sizes.activation);
  });
}

/**
 * The terms of the KV pool of one GPU. vLLM (vllm/v1/worker/gpu_worker.py,
 * `determine_available_memory`): total memory × gpu_memory_utilization − the profiled peak, which
 * is the weights, the activations of a dummy step of max_num_batched_tokens tokens, and memory
 * allocated outside torch. SGLang (sglang/srt/model_executor/model_runner.py,
 * `profile_max_num_token`): the memory free after loading the weights less the share
 * (1 − mem_fraction_static) it keeps for activations and CUDA graphs, i.e. total ×
 * mem_fraction_static − weights − memory outside torch; the activations are not in its budget.
 * TensorRT-LLM (tensorrt_llm/_torch/pyexecutor/_util.py, KvCacheCreator.configure_kv_cache_capacity
 * and `_cal_max_memory`): it profiles a dummy run of max_num_tokens tokens, takes the peak (weights
 * and activations inside torch, plus NCCL and CUDA graphs outside it) and gives the KV cache
 * free_gpu_memory_fraction of what is left: (total − peak) × fraction, a share of the FREE memory;
 * a KvCacheConfig.max_tokens, when set, caps it at max_tokens × the KV bytes of a token.
 */
export function kvPoolTermsPerGpu(prepared: PreparedDefault, input: EngineInput, spec: ServingSpec, capacityBytes: number, memoryUtilization: number, draftWeightsBytes = 0): PoolTerms {
  const budget = spec.memoryBudget ?? 'vllm';
  const activationBytes = budget === 'sglang' ? 0 : peakStepActivationBytes(prepared, spec.maxBatchedTokens);
  const nonTorchBytes = gpusPerInstance(input) > 1 ? NON_TORCH_BYTES_MULTI_GPU : NON_TORCH_BYTES_SINGLE_GPU;
  const terms: PoolTerms = { budget, capacityBytes, memoryUtilization, weightsBytes: prepared.weightsBytes + draftWeightsBytes, activationBytes, nonTorchBytes };
  if (budget === 'tensorrt-llm' && spec.kvCacheMaxTokens !== undefined) {
    terms.maxTokens = spec.kvCacheMaxTokens;
    terms.kvBytesPerToken = kvCacheBytes(prepared.memoryLayers, 1, 1, prepared.sizes);
  }
  return terms;
}

/**
 * KV cache one request holds at its longest, in whole blocks (paged), per GPU. With speculation
 * the step writes the γ drafted positions too (the rejected ones are freed after it), and the
 * draft keeps its own cache.
 */
export function kvBytesPerRequest(prepared: PreparedDefault, workload: WorkloadSpec, blockTokens: number, speculation?: ServingSpeculation): number {
  const drafted = speculation ? speculation.queryTokens - 1 : 0;
  const tokens = Math.ceil((workload.promptTokens + workload.outputTokens + drafted) / blockTokens) * blockTokens;
  return cacheBytes(prepared.memoryLayers, 1, tokens, prepared.sizes) + (speculation ? speculation.draftKvBytes(tokens) : 0);
}

/** What one instance does with `running` requests admitted. */
interface InstanceRate {
  /** Requests that decode in each step (the rest of `running` wait for the token budget). */
  decoding: number;
  requestsPerSecond: number;
  tpotSeconds: number;
  ttftSeconds: number;
}

/**
 * The average step of the steady state: `decoding` requests decode in every step, and
 * `prefillTokens` prompt tokens per step arrive on average. Engines prefill a prompt whole, or in
 * chunks of the token budget left by decoding (vLLM's chunked prefill; TensorRT-LLM and SGLang
 * schedule a waiting prompt as soon as the budget has room): a share `prefillTokens / chunk` of
 * the steps carries a chunk, the others only decode. Under `efficiency: expected` that is the
 * step. For the roofline bound the faster of that schedule and the prompt spread evenly over every
 * step: for a dense model the even spread (a step's time is a sum of maxima of affine functions of
 * its tokens, convex, so spreading is never slower); with a mixture of experts the schedule with
 * decode-only steps, which touch fewer experts (the experts read grow concavely with tokens).
 */
function steadyStepSeconds(prepared: PreparedDefault, decoding: number, decodeContext: number, prefillTokens: number, promptTokens: number, chunkBudget: number, decodeQueryTokens: number): number {
  const chunk = Math.min(promptTokens, Math.max(1, chunkBudget));
  const share = prefillTokens / chunk;
  const spreadNeeded = !prepared.expected || share >= 1;
  const q = decodeQueryTokens;
  const spread = spreadNeeded ? mixedStepSeconds(prepared, decoding, decodeContext, prefillShareOf(prefillTokens, promptTokens), q) : Number.POSITIVE_INFINITY;
  if (share >= 1 || (!prepared.expected && !prepared.shape.experts)) return spread;
  const withPrompt = mixedStepSeconds(prepared, decoding, decodeContext, prefillShareOf(chunk, promptTokens), q);
  const decodeOnly = mixedStepSeconds(prepared, decoding, decodeContext, NO_PREFILL, q);
  return Math.min(spread, share * withPrompt + (1 - share) * decodeOnly);
}

/**
 * The steps a new prompt of p tokens takes to its first token: chunks of the token budget decoding
 * leaves, each step carrying its chunk beside the decoding requests. The average step of the
 * steady state spreads prompts over every step and is far shorter than the step that carries this
 * prompt's chunk (an 8,000-token prompt is one step of 8,000 tokens, not 8,000 / (o − 1) of them).
 */
function promptStepsSeconds(prepared: PreparedDefault, decodingPerStage: number, decodeContext: number, p: number, chunkBudget: number, stages: number, speculation?: ServingSpeculation): number {
  const chunk = Math.min(p, chunkBudget);
  const fullChunks = Math.floor(p / chunk);
  const rest = p - fullChunks * chunk;
  const q = speculation?.queryTokens ?? 1;
  // The decoding requests' draft proposals run in each of these steps too.
  const proposals = speculation ? speculation.proposalSeconds(decodingPerStage, decodeContext) : 0;
  const stepWith = (tokens: number): number => mixedStepSeconds(prepared, decodingPerStage, decodeContext, prefillShareOf(tokens / stages, p), q) + proposals;
  return fullChunks * stepWith(chunk) + (rest > 0 ? stepWith(rest) : 0);
}

/**
 * Co-located prefill and decode (one pool). The token budget M bounds the decoding requests n:
 * n + p·n/(o−1) ≤ M. Each step carries the p·n/(o−1) prompt tokens that keep arrivals equal to
 * completions; a new prompt waits for the steps its p tokens need at M − n per step. With
 * pipeline parallelism the running requests form one micro-batch per stage: each step's tokens
 * pass all stages, and every stage works on another micro-batch meanwhile.
 */
function colocatedRate(prepared: PreparedDefault, input: EngineInput, spec: ServingSpec, running: number, speculation?: ServingSpeculation): InstanceRate {
  const { promptTokens: p, outputTokens: o } = input.workload;
  const budget = spec.maxBatchedTokens;
  const stages = input.parallelism.pipeline ?? 1;
  if (o <= 1) {
    // Prefill only: every step is prompt work.
    const prefillTokens = Math.min(running * p, budget);
    const stepSeconds = mixedStepSeconds(prepared, 0, 0, prefillShareOf(prefillTokens / stages, p));
    return { decoding: 0, requestsPerSecond: prefillTokens / p / stepSeconds, tpotSeconds: stepSeconds, ttftSeconds: Math.ceil(p / budget) * stepSeconds + prepared.clock.requestSeconds };
  }
  // With speculation each decoding request runs q = γ + 1 tokens per step and gains E: requests
  // finish every (o − 1)/E steps, so prompts arrive E times as fast. n·q + p·n·E/(o − 1) ≤ M.
  const q = speculation?.queryTokens ?? 1;
  const gained = speculation?.tokensPerStep ?? 1;
  const decodeBudget = Math.max(1, Math.floor((budget * (o - 1)) / (q * (o - 1) + p * gained)));
  const decoding = Math.min(running, decodeBudget);
  const prefillTokens = (p * decoding * gained) / (o - 1);
  const context = p + o / 2;
  let stepSeconds = steadyStepSeconds(prepared, decoding / stages, context, prefillTokens / stages, p, budget / stages - (decoding * q) / stages, q);
  // The draft's proposals for the decoding requests, and its pass over the prompts the step carries.
  if (speculation) stepSeconds += speculation.proposalSeconds(decoding / stages, context) + (prefillTokens / p / stages) * speculation.promptSeconds(1, p);
  return {
    decoding,
    requestsPerSecond: (decoding * gained) / (o - 1) / stepSeconds,
    tpotSeconds: stepSeconds / gained,
    // The request's own admission and tokenisation, as in a TTFT alone (point.ts).
    ttftSeconds:
      promptStepsSeconds(prepared, decoding / stages, context, p, Math.max(1, budget - decoding * q), stages, speculation) +
      (speculation ? speculation.promptSeconds(1, p) : 0) +
      prepared.clock.requestSeconds,
  };
}

interface DeploymentRate extends InstanceRate {
  disaggregated?: ServingResult['disaggregated'];
}

/**
 * Disaggregated pools: prefill instances run prompt chunks of the whole token budget; decode
 * instances decode only, their batch bounded by the KV pool. The deployment serves the smaller of
 * the two pools' rates; a request's KV cache crosses the interconnect once, after its prefill.
 */
function disaggregatedRate(
  prepared: PreparedDefault,
  input: EngineInput,
  spec: ServingSpec,
  running: number,
  decodeInstances: number,
  prefillInstances: number,
  speculation?: ServingSpeculation,
): DeploymentRate {
  const { promptTokens: p, outputTokens: o } = input.workload;
  const budget = spec.maxBatchedTokens;
  const stages = input.parallelism.pipeline ?? 1;
  const prefillStepSeconds = mixedStepSeconds(prepared, 0, 0, prefillShareOf(budget / stages, p));
  const prefillRequestsPerSecond = prefillInstances * (budget / p / prefillStepSeconds);
  const link = prepared.planOptions.interconnect;
  const kvTransferSeconds = kvCacheBytes(prepared.memoryLayers, 1, p, prepared.sizes) / link.bandwidthBytesPerSecond + link.latencySeconds;
  // The draft drafts the first tokens on the prefill pool (its pass over the prompt).
  const ttftSeconds =
    Math.ceil(p / budget) * mixedStepSeconds(prepared, 0, 0, prefillShareOf(Math.min(p, budget) / stages, p)) +
    (speculation ? speculation.promptSeconds(1, p) : 0) +
    kvTransferSeconds +
    prepared.clock.requestSeconds;
  const q = speculation?.queryTokens ?? 1;
  const decoding = Math.max(1, Math.min(running / decodeInstances, budget / q));
  const context = p + o / 2;
  const decodeStepSeconds = o > 1 ? mixedStepSeconds(prepared, decoding / stages, context, NO_PREFILL, q) + (speculation ? speculation.proposalSeconds(decoding / stages, context) : 0) : 0;
  const tpotSeconds = decodeStepSeconds / (speculation?.tokensPerStep ?? 1);
  const decodeRequestsPerSecond = o > 1 ? (decodeInstances * decoding) / (o - 1) / tpotSeconds : Number.MAX_VALUE;
  return {
    decoding,
    requestsPerSecond: Math.min(prefillRequestsPerSecond, decodeRequestsPerSecond),
    tpotSeconds,
    ttftSeconds,
    disaggregated: {
      prefill_gpus: prefillInstances * gpusPerInstance(input),
      decode_gpus: decodeInstances * gpusPerInstance(input),
      prefill_requests_per_second: prefillRequestsPerSecond,
      decode_requests_per_second: o > 1 ? decodeRequestsPerSecond : prefillRequestsPerSecond,
      kv_transfer_seconds: kvTransferSeconds,
    },
  };
}

function requireInstances(gpus: number, perInstance: number, key: 'prefill_gpus' | 'decode_gpus'): number {
  if (!Number.isInteger(gpus) || gpus < perInstance || gpus % perInstance !== 0) {
    throw new RooflineInputError(
      ['serving', 'disaggregated', key],
      `must be a whole multiple of one instance's ${perInstance} GPU${perInstance === 1 ? '' : 's'} (tensor × pipeline parallelism), got ${gpus}`,
      'out-of-range',
    );
  }
  return gpus / perInstance;
}

/**
 * Built apart from `servingOf`: a planner reaches this path only after V8 has optimized
 * `servingOf`, and the message's string work, compiled into it, made V8 recompile the whole
 * function for each new shape of hardware name.
 */
function noRoomForOneRequest(prepared: PreparedDefault, spec: ServingSpec): RooflineInputError {
  return new RooflineInputError(
    ['serving'],
    `no room for the KV cache of one request: ${prepared.hardwareName}'s usable memory goes to weights, the activations of a ${spec.maxBatchedTokens}-token step and the engine's own memory; use more GPUs, smaller formats or a smaller max_batched_tokens`,
    'does-not-fit',
  );
}

/**
 * A deployment under `serving:` at every load: its KV pool, instances and saturation, which the
 * number of requests in flight does not change (servingLoads.ts keeps one per pool layout).
 */
export interface ServingCapacity {
  pool: number;
  startup: EngineStartup | undefined;
  gpus: number;
  instances: number;
  maxConcurrency: number;
  saturation: DeploymentRate;
  rateAt(running: number): DeploymentRate;
}

/** The capacity of a deployment under `spec` (its concurrency and arrival rate are not read). */
export function servingCapacityOf(prepared: PreparedDefault, input: EngineInput, memoryUtilization: number, spec: ServingSpec): ServingCapacity {
  const capacityBytes = prepared.memoryCapacityBytes;
  if (capacityBytes === undefined) {
    throw new RooflineInputError(['serving'], `${prepared.hardwareName} gives no memory capacity, so the KV pool (and how many requests it holds) is unknown; set hardware memory_gib`, 'missing-field');
  }
  const perInstance = gpusPerInstance(input);
  const speculation = servingSpeculationOf(prepared, input);
  const terms = kvPoolTermsPerGpu(prepared, input, spec, capacityBytes, memoryUtilization, speculation?.weightsBytes ?? 0);
  const pool = poolBytesOf(terms);
  const startup = engineStartupOf(prepared, input, spec, pool, terms);
  const perRequest = kvBytesPerRequest(prepared, input.workload, spec.kvBlockTokens, speculation);
  const kvHeld = pool > 0 ? Math.floor(pool / perRequest) : 0;
  const perInstanceMax = kvHeld >= 1 && spec.maxRunningRequests !== undefined ? Math.min(kvHeld, spec.maxRunningRequests) : kvHeld;
  if (perInstanceMax < 1) throw noRoomForOneRequest(prepared, spec);
  const split = spec.disaggregated;
  const decodeInstances = split ? requireInstances(split.decodeGpus, perInstance, 'decode_gpus') : 1;
  const prefillInstances = split ? requireInstances(split.prefillGpus, perInstance, 'prefill_gpus') : 0;
  const instances = decodeInstances + prefillInstances;
  const maxConcurrency = perInstanceMax * decodeInstances;
  const rateAt = (running: number): DeploymentRate =>
    split
      ? disaggregatedRate(prepared, input, spec, running, decodeInstances, prefillInstances, speculation)
      : colocatedRate(prepared, input, spec, running, speculation);
  return { pool, startup, gpus: instances * perInstance, instances, maxConcurrency, saturation: rateAt(maxConcurrency), rateAt };
}

/** The steady state of a deployment under `serving:`. */
export function servingOf(prepared: PreparedDefault, input: EngineInput, memoryUtilization: number): ServingResult {
  const spec = input.serving!;
  return servingAtCapacity(servingCapacityOf(prepared, input, memoryUtilization, spec), input, spec);
}

/**
 * The steady state of a deployment of `capacity` at the load `spec` sets. The result's startup,
 * and its pools at saturation, are the capacity's objects: a caller keeping results of several
 * loads of one capacity copies them (servingLoads.ts).
 */
export function servingAtCapacity(capacity: ServingCapacity, input: EngineInput, spec: ServingSpec): ServingResult {
  const { pool, startup, gpus, instances, maxConcurrency, saturation, rateAt } = capacity;
  // At the KV pool's limit (`concurrency: max`, or more in flight than it holds) the rate is the saturation's.
  const rateOf = (requests: number): DeploymentRate => (requests === maxConcurrency ? saturation : rateAt(requests));
  let running: number;
  let queueSeconds: number;
  let rate: DeploymentRate;
  let concurrency: number;
  if (spec.requestRatePerSecond !== undefined) {
    const arrivals = spec.requestRatePerSecond;
    if (arrivals >= saturation.requestsPerSecond) {
      throw new RooflineInputError(
        ['serving', 'request_rate'],
        `${formatRate(arrivals)} requests/s is more than this deployment serves (at most ${formatRate(saturation.requestsPerSecond)} requests/s with ${maxConcurrency} in flight): the queue would grow without end`,
        'saturated',
      );
    }
    // The fewest running requests that serve the arrival rate (the rate grows with them).
    let low = 0;
    let high = maxConcurrency;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (rateAt(middle).requestsPerSecond >= arrivals) high = middle;
      else low = middle;
    }
    running = high;
    rate = rateOf(running);
    // Waiting for a free KV slot: only when all of them are taken (M/D/c, admissionWait.ts).
    queueSeconds = admissionWaitSeconds(maxConcurrency, arrivals, saturation.requestsPerSecond);
    concurrency = arrivals * (queueSeconds + rate.ttftSeconds + (input.workload.outputTokens - 1) * rate.tpotSeconds);
  } else {
    concurrency = spec.concurrency === 'max' || spec.concurrency === undefined ? maxConcurrency : spec.concurrency;
    running = Math.min(concurrency, maxConcurrency);
    rate = rateOf(running);
    // Closed loop: Little's law makes a request's whole time concurrency / throughput; what the
    // steps do not account for is waiting (for KV blocks, the token budget or a busy pool).
    const working = rate.ttftSeconds + (input.workload.outputTokens - 1) * rate.tpotSeconds;
    queueSeconds = Math.max(0, concurrency / rate.requestsPerSecond - working);
  }
  const { promptTokens: p, outputTokens: o } = input.workload;
  // An open loop below saturation serves exactly what arrives; the running count is whole, so its
  // step rate may be a little more.
  const requestsPerSecond = spec.requestRatePerSecond ?? rate.requestsPerSecond;
  const outputTokensPerSecond = requestsPerSecond * o;
  const e2eSeconds = queueSeconds + rate.ttftSeconds + (o - 1) * rate.tpotSeconds;
  const result: ServingResult = {
    concurrency,
    max_concurrency: maxConcurrency,
    decode_batch_per_instance: rate.decoding,
    kv_pool_bytes_per_gpu: pool,
    gpus,
    instances,
    requests_per_second: requestsPerSecond,
    output_tokens_per_second: outputTokensPerSecond,
    output_tokens_per_second_per_gpu: outputTokensPerSecond / gpus,
    output_tokens_per_second_per_user: o > 1 ? 1 / rate.tpotSeconds : o / e2eSeconds,
    input_tokens_per_second: requestsPerSecond * p,
    ttft_seconds: queueSeconds + rate.ttftSeconds,
    tpot_seconds: rate.tpotSeconds,
    e2e_seconds: e2eSeconds,
    queue_seconds: queueSeconds,
    saturation_requests_per_second: saturation.requestsPerSecond,
    utilization: requestsPerSecond / saturation.requestsPerSecond,
  };
  // Assigned rather than spread into the literal (same key order): the planner makes thousands.
  if (startup) result.startup = startup;
  if (rate.disaggregated) result.disaggregated = rate.disaggregated;
  if (input.gpuHourUsd !== undefined) {
    const dollarsPerSecond = (gpus * input.gpuHourUsd) / 3600;
    result.cost_per_million_output_tokens_usd = (dollarsPerSecond / outputTokensPerSecond) * 1e6;
    result.cost_per_million_input_tokens_usd = (dollarsPerSecond / result.input_tokens_per_second) * 1e6;
  }
  return result;
}

function formatRate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}
