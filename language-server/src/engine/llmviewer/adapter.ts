import { RooflineInputError } from '../errors';
import { normalizeModel } from '../model';
import type { HfConfig } from '../types';
import { BoundedMemo } from '../boundedMemo';
import { snapshotOf, unchangedSince } from '../unchanged';

/**
 * LLM-Viewer's model adapters (`configs/*.py`, spec §2) as far as the analysis uses them: the
 * dimensions, the norm layers and the linear layers of one decoder block, with the latest
 * upstream's tensor-parallel shapes (§7).
 */
export type LlmViewerAdapterName = 'Llama' | 'opt' | 'chatglm3' | 'gpt-j-6B';

export interface LlmViewerLinearLayer {
  name: string;
  inChannels: number;
  outChannels: number;
  /** k_proj and v_proj write their output to the KV cache instead of to the activations (§4.1). */
  writesKvCache: boolean;
}

export interface LlmViewerModel {
  adapter: LlmViewerAdapterName;
  family: string;
  hiddenSize: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  /** `hidden_size // num_attention_heads`, whatever the config's own head_dim says (§1). */
  headSize: number;
  numLayers: number;
  intermediateSize: number;
  vocabSize: number;
  /** In insertion order (§3). */
  linearLayers: LlmViewerLinearLayer[];
  normLayerNames: string[];
  /** Decoder linear weights × layers + lm_head, at tp = 1. */
  parameters: number;
  notes: string[];
}

/** The gpt-j-6B adapter hard-codes the MLP width of GPT-J-6B (§14 quirk 13). */
const GPT_J_6B_INTERMEDIATE_SIZE = 16384;

const ADAPTER_BY_FAMILY: Readonly<Record<string, LlmViewerAdapterName>> = {
  llama: 'Llama',
  opt: 'opt',
  chatglm: 'chatglm3',
  gptj: 'gpt-j-6B',
};

/** Hugging Face architecture names, for configs that carry `architectures` but no `model_type`. */
const ADAPTER_BY_ARCHITECTURE: readonly [RegExp, LlmViewerAdapterName][] = [
  [/^Llama/, 'Llama'],
  [/^OPT/, 'opt'],
  [/^ChatGLM/, 'chatglm3'],
  [/^GPTJ/, 'gpt-j-6B'],
];

function adapterFor(config: HfConfig, family: string): LlmViewerAdapterName | undefined {
  if (typeof config.model_type === 'string') return ADAPTER_BY_FAMILY[config.model_type];
  const architectures = Array.isArray(config.architectures) ? config.architectures : [];
  for (const architecture of architectures) {
    if (typeof architecture !== 'string') continue;
    const match = ADAPTER_BY_ARCHITECTURE.find(([pattern]) => pattern.test(architecture));
    if (match) return match[1];
  }
  return ADAPTER_BY_FAMILY[family];
}

const EXPERT_COUNT_FIELDS = ['num_local_experts', 'num_experts', 'n_routed_experts', 'moe_num_experts'];

function floorDivide(numerator: number, denominator: number): number {
  return Math.floor(numerator / denominator);
}

function positiveNumberField(config: HfConfig, name: string): number | undefined {
  const value = config[name];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Latest upstream asserts these before building the shapes; they are the only checks on tp
 * (§7). A failure is a user error on `parallelism.tensor`.
 */
function assertTensorParallelDivides(hiddenSize: number, intermediateSize: number, numKeyValueHeads: number, tp: number): void {
  if (tp === 1) return;
  const checks: [string, number][] = [
    ['hidden_size', hiddenSize],
    ['intermediate_size', intermediateSize],
    ['num_key_value_heads', numKeyValueHeads],
  ];
  for (const [what, value] of checks) {
    if (value % tp !== 0) {
      throw new RooflineInputError(
        ['parallelism', 'tensor'],
        `tensor parallelism ${tp} does not divide ${what} (${value}); LLM-Viewer requires hidden_size, intermediate_size and num_key_value_heads to be multiples of the tensor-parallel size`,
        'tp-not-divisible',
      );
    }
  }
}

function linearLayers(
  adapter: LlmViewerAdapterName,
  hiddenSize: number,
  numAttentionHeads: number,
  numKeyValueHeads: number,
  intermediateSize: number,
  tp: number,
): LlmViewerLinearLayer[] {
  // Python `//` left to right: hidden * kv_heads // heads // tp (§7).
  const kvChannels = floorDivide(floorDivide(hiddenSize * numKeyValueHeads, numAttentionHeads), tp);
  const hiddenPerDevice = floorDivide(hiddenSize, tp);
  const intermediatePerDevice = floorDivide(intermediateSize, tp);
  const layer = (name: string, inChannels: number, outChannels: number): LlmViewerLinearLayer => ({
    name,
    inChannels,
    outChannels,
    writesKvCache: name === 'k_proj' || name === 'v_proj',
  });
  const attention = [
    layer('q_proj', hiddenSize, hiddenPerDevice),
    layer('k_proj', hiddenSize, kvChannels),
    layer('v_proj', hiddenSize, kvChannels),
    layer('out_proj', hiddenPerDevice, hiddenSize),
  ];
  // gpt-j-6B lists no gate; every other adapter does, OPT included although OPT has none (§14.12).
  const gate = adapter === 'gpt-j-6B' ? [] : [layer('gate_proj', hiddenSize, intermediatePerDevice)];
  return [
    ...attention,
    ...gate,
    layer('up_proj', hiddenSize, intermediatePerDevice),
    layer('down_proj', intermediatePerDevice, hiddenSize),
  ];
}

function familyNotes(config: HfConfig, family: string, known: boolean): string[] {
  const notes: string[] = [];
  if (!known) {
    const which = family === 'unknown' ? 'The model config names no family (model_type or architectures)' : `LLM-Viewer has no adapter for model family "${family}"`;
    notes.push(`${which}; it is analysed with LLM-Viewer's Llama adapter (q, k, v, o, gate, up, down projections, two norms).`);
  }
  const experts = EXPERT_COUNT_FIELDS.map((name) => positiveNumberField(config, name)).find((n) => n !== undefined);
  if (experts !== undefined && experts > 1) {
    notes.push(
      `This is a mixture-of-experts model (${experts} experts); llm-viewer conventions ignore experts and count one dense MLP of intermediate_size per layer.`,
    );
  }
  if (positiveNumberField(config, 'kv_lora_rank') !== undefined) {
    notes.push(
      'This model uses multi-head latent attention; llm-viewer conventions ignore the latent compression and count plain attention projections and a full per-head KV cache.',
    );
  }
  return notes;
}

/**
 * Builds the model as LLM-Viewer's adapter sees it. The adapter is chosen by `model_type`, else by
 * `architectures` (LLM-Viewer matches adapter file names against the model id instead, §1);
 * families it has no adapter for use the Llama one, with a note.
 */
/**
 * The adapter's reading of each config object, per tensor parallelism: the same on every
 * keystroke that leaves the model alone. A config edited in place since is read again
 * (unchanged.ts); a reading that throws is not kept.
 */
const modelsByConfig = new WeakMap<object, { snapshot: unknown; byTensorParallel: BoundedMemo<number, LlmViewerModel> }>();
const TENSOR_PARALLEL_SIZES_KEPT = 16;

export function llmViewerModel(config: HfConfig, tensorParallel: number): LlmViewerModel {
  let entry = modelsByConfig.get(config);
  if (!entry || !unchangedSince(config, entry.snapshot)) {
    entry = { snapshot: snapshotOf(config), byTensorParallel: new BoundedMemo(TENSOR_PARALLEL_SIZES_KEPT) };
    modelsByConfig.set(config, entry);
  }
  return entry.byTensorParallel.get(tensorParallel, () => readLlmViewerModel(config, tensorParallel));
}

function readLlmViewerModel(config: HfConfig, tensorParallel: number): LlmViewerModel {
  const shape = normalizeModel(config);
  const knownAdapter = adapterFor(config, shape.family);
  const adapter = knownAdapter ?? 'Llama';
  const notes = familyNotes(config, shape.family, knownAdapter !== undefined);

  let numKeyValueHeads = shape.numKeyValueHeads;
  let vocabSize = shape.vocabSize;
  let intermediateSize = shape.intermediateSize;
  if (adapter === 'chatglm3') {
    // chatglm3: KV groups only when multi_query_attention is on; the vocabulary is the padded one.
    if (config.multi_query_attention !== true) numKeyValueHeads = shape.numAttentionHeads;
    vocabSize = positiveNumberField(config, 'padded_vocab_size') ?? vocabSize;
  }
  if (adapter === 'gpt-j-6B' && intermediateSize !== GPT_J_6B_INTERMEDIATE_SIZE) {
    notes.push(
      `LLM-Viewer's GPT-J adapter fixes the MLP width at ${GPT_J_6B_INTERMEDIATE_SIZE} (GPT-J-6B's); this model's ${intermediateSize} is not used.`,
    );
    intermediateSize = GPT_J_6B_INTERMEDIATE_SIZE;
  }

  const headSize = floorDivide(shape.hiddenSize, shape.numAttentionHeads);
  if (headSize < 1) {
    throw new RooflineInputError(
      ['model', 'num_attention_heads'],
      `hidden_size (${shape.hiddenSize}) // num_attention_heads (${shape.numAttentionHeads}) is 0; LLM-Viewer needs a head size of at least 1`,
      'heads-not-divisible',
    );
  }
  if (headSize !== shape.headDim) {
    notes.push(
      `LLM-Viewer takes the head size as hidden_size // num_attention_heads = ${headSize}; the config's head_dim (${shape.headDim}) is not used.`,
    );
  }

  assertTensorParallelDivides(shape.hiddenSize, intermediateSize, numKeyValueHeads, tensorParallel);

  const layersAtTp = (tp: number): LlmViewerLinearLayer[] =>
    linearLayers(adapter, shape.hiddenSize, shape.numAttentionHeads, numKeyValueHeads, intermediateSize, tp);
  const linearWeightsPerBlock = layersAtTp(1).reduce((sum, l) => sum + l.inChannels * l.outChannels, 0);

  return {
    adapter,
    family: shape.family,
    hiddenSize: shape.hiddenSize,
    numAttentionHeads: shape.numAttentionHeads,
    numKeyValueHeads,
    headSize,
    numLayers: shape.numLayers,
    intermediateSize,
    vocabSize,
    linearLayers: layersAtTp(tensorParallel),
    normLayerNames: adapter === 'gpt-j-6B' ? ['attn_norm'] : ['attn_norm', 'mlp_norm'],
    parameters: linearWeightsPerBlock * shape.numLayers + shape.hiddenSize * vocabSize,
    notes,
  };
}
