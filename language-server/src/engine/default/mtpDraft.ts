/**
 * The model's own multi-token-prediction (MTP) module as the draft of speculative decoding
 * (`speculative: { draft: mtp }`). DeepSeek-V3 (arXiv 2412.19437 §2.2) appends
 * num_nextn_predict_layers MTP modules after its num_hidden_layers blocks; module k takes the
 * hidden state of the depth before and the embedding of the next token, RMSNorms each, projects
 * their concatenation 2h → h (eh_proj), runs one transformer block (in DeepSeek-V3 a MoE block with
 * latent attention) and predicts with the main model's output head. "The embedding layer and
 * output head in MTP modules are shared with the main model" (TensorRT-LLM, "DeepSeek R1 MTP
 * Implementation and Optimization"), so they are held once and read again by every pass.
 *
 * With one module and γ drafted tokens TensorRT-LLM's default path ("MTP Eagle") "reuses the same
 * MTP module and repeats multiple times to predict draft tokens" and "reuses the same KV cache":
 * γ passes of the one module per step. Its first pass takes the tokens the verification accepted
 * (γ + 1 per request at most; CUDA graphs run the padded shape), each later pass one token.
 * Verification and draft are "captured in one graph", so the step's fixed host cost is paid once.
 *
 * The module runs at the target's formats and split (the block's layers are the target's own
 * templates), and its weights and KV cache are held beside the target's.
 */
import { languageModelConfig } from '../model';
import { RooflineInputError } from '../errors';
import type { EngineInput } from '../types';
import { layerClockSeconds } from './clock';
import { linearLayer, normLayer } from './layers';
import { cacheBytes, storedWeightBytes } from './memory';
import type { ModelPlan, StepShape } from './plan';
import type { PreparedDefault } from './prepare';
import type { CountedLayer } from './stage';

export interface MtpModule {
  /** num_nextn_predict_layers: modules held (one is reused for every drafted token). */
  modules: number;
  /** One pass of one module in a decode step: its block, eh_proj, norms, and the shared embedding lookup and head. */
  decodeLayers: CountedLayer[];
  /** The same over a prompt (latent attention decompressed, as the target's prefill). */
  prefillLayers: CountedLayer[];
  /** Weights of the modules, without the shared embedding and head. */
  weightsBytes: number;
  /** KV cache of `sequences` sequences holding `tokens` tokens each, in the modules' attention. */
  kvCacheBytes(sequences: number, tokens: number): number;
}

/** num_nextn_predict_layers of the model, or a positioned error when it has no MTP module. */
export function requireNextTokenLayers(input: EngineInput): number {
  const config = languageModelConfig(input.model, ['model']).config;
  const layers = config.num_nextn_predict_layers;
  if (typeof layers !== 'number' || !Number.isInteger(layers) || layers < 1) {
    throw new RooflineInputError(
      ['speculative', 'draft'],
      `${input.modelName} has no multi-token-prediction module (its config's num_nextn_predict_layers is ${layers === undefined ? 'absent' : JSON.stringify(layers)}), so it cannot draft for itself; give a separate draft_model instead`,
      'no-mtp-module',
    );
  }
  return layers;
}

/** Groups of the target's plan the module's one block has, by part; shared ones are read but not held again. */
function moduleLayers(prepared: PreparedDefault, plan: ModelPlan, sharedOut: Set<CountedLayer>): CountedLayer[] {
  const { shape, sizes } = prepared;
  const H = shape.hiddenSize;
  const counted: CountedLayer[] = [];
  let kernelTaken = false;
  for (const group of plan.groups) {
    let count = 0;
    let shared = false;
    switch (group.part) {
      case 'embedding':
      case 'head':
        count = 1;
        shared = true;
        break;
      case 'attention-block':
      case 'mlp-block':
        count = 1;
        break;
      case 'full-attention':
      case 'sliding-attention':
      case 'chunked-attention':
        // One block: one attention kernel (the first kind the model has; DeepSeek's is full).
        count = kernelTaken ? 0 : 1;
        kernelTaken = true;
        break;
      case 'moe-mlp':
        count = shape.experts ? 1 : 0;
        break;
      case 'dense-mlp':
        count = shape.experts ? 0 : 1;
        break;
      default:
        // Constant-state mixers and pipeline transfers: not in an MTP block.
        count = 0;
    }
    if (count === 0) continue;
    for (const template of group.layers) {
      const layer = { template, count };
      if (shared) sharedOut.add(layer);
      counted.push(layer);
    }
  }
  // enorm and hnorm over the two inputs, then eh_proj [2h → h] (replicated: TensorRT-LLM's eh_proj
  // is a plain Linear with no tensor-parallel split), at the format of the dense projections.
  counted.push(
    { template: normLayer('mtp_enorm', H, shape.norm, sizes), count: 1 },
    { template: normLayer('mtp_hnorm', H, shape.norm, sizes), count: 1 },
    { template: linearLayer('mtp_eh_proj', 2 * H, H, false, 'activations', sizes, 'mlp'), count: 1 },
  );
  return counted;
}

const modulesByPrepared = new WeakMap<PreparedDefault, MtpModule>();

export function mtpModuleOf(prepared: PreparedDefault, input: EngineInput): MtpModule {
  const modules = requireNextTokenLayers(input);
  const known = modulesByPrepared.get(prepared);
  if (known && known.modules === modules) return known;
  const shared = new Set<CountedLayer>();
  const decodeLayers = moduleLayers(prepared, prepared.decodePlan, shared);
  const prefillLayers = prepared.prefillPlan === prepared.decodePlan ? decodeLayers : moduleLayers(prepared, prepared.prefillPlan, new Set());
  const held = decodeLayers.filter((layer) => !shared.has(layer)).map(({ template }) => ({ template, count: modules }));
  const { sizes } = prepared;
  const module: MtpModule = {
    modules,
    decodeLayers,
    prefillLayers,
    weightsBytes: storedWeightBytes(held, sizes),
    kvCacheBytes: (sequences, tokens) => cacheBytes(held, sequences, tokens, sizes),
  };
  modulesByPrepared.set(prepared, module);
  return module;
}

function passSeconds(prepared: PreparedDefault, layers: readonly CountedLayer[], step: StepShape): number {
  let seconds = 0;
  for (let index = 0; index < layers.length; index++) {
    const { template, count } = layers[index]!;
    seconds += count * layerClockSeconds(prepared.clock, template, template.cost(step));
  }
  return seconds;
}

/**
 * The γ passes of one decode step for `sequences` requests at `cachedTokens`: the first over the
 * γ + 1 verified positions of each request, the others over one token each.
 */
export function mtpProposalSeconds(prepared: PreparedDefault, module: MtpModule, draftTokens: number, sequences: number, cachedTokens: number): number {
  if (sequences <= 0) return 0;
  const first = passSeconds(prepared, module.decodeLayers, { batchSize: sequences, queryTokens: draftTokens + 1, cachedTokens, logitTokensPerSequence: 1 });
  const later = draftTokens > 1 ? passSeconds(prepared, module.decodeLayers, { batchSize: sequences, queryTokens: 1, cachedTokens: cachedTokens + 1, logitTokensPerSequence: 1 }) : 0;
  return first + (draftTokens - 1) * later;
}

/**
 * What the module adds to a prompt's first token: in the context phase it runs over the prompt
 * (shifted by one) to draft the first token, then γ − 1 single-token passes.
 */
export function mtpPromptSeconds(prepared: PreparedDefault, module: MtpModule, draftTokens: number, sequences: number, promptTokens: number): number {
  if (sequences <= 0 || promptTokens <= 0) return 0;
  const prompt = passSeconds(prepared, module.prefillLayers, { batchSize: sequences, queryTokens: promptTokens, cachedTokens: 0, logitTokensPerSequence: 1 });
  const later = draftTokens > 1 ? passSeconds(prepared, module.decodeLayers, { batchSize: sequences, queryTokens: 1, cachedTokens: promptTokens, logitTokensPerSequence: 1 }) : 0;
  return prompt + (draftTokens - 1) * later;
}
