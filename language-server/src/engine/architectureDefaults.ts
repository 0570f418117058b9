/**
 * transformers' defaults per `model_type`: what each architecture's `Configuration*` class and
 * modelling code assume when a config.json leaves a structural field out. Every structural
 * decision is read from the config's own fields first (model.ts); this table is the fallback, so a
 * new architecture is a row here, not edits across the engine. A `model_type` not in the table is
 * analysed from its fields with GENERIC_DEFAULTS, and the analysis says what it assumed.
 *
 * Sources: huggingface/transformers `src/transformers/models/<type>/configuration_<type>.py` (the
 * defaults) and `modeling_<type>.py` (which modules exist), read for transformers 4.5x–5.x.
 */

/** Which norms a block has around its attention (or mixer) and its MLP. */
export type BlockNorms =
  /** input_layernorm before attention, post_attention_layernorm before the MLP (Llama). */
  | 'pre'
  /** One norm feeds attention and MLP side by side (GPT-J, Falcon-7B, Phi-1/2, Cohere, CodeGen). */
  | 'parallel'
  /** Pre-norms plus a norm on each branch's output (Gemma 2/3, GLM-4): four per block. */
  | 'sandwich'
  /** Only a norm on each branch's output, none before (OLMo-2/3, EXAONE-4). */
  | 'post';

/**
 * How queries and keys are normalised after their projections: per head with one shared weight
 * vector of head_dim (Qwen3, Gemma 3), per head with a weight per head (Cohere), over all heads
 * together (OLMo-2: one RMSNorm of nh·d), or without weights (Llama 4's L2 norm).
 */
export type QueryKeyNorm = 'none' | 'per-head-shared' | 'per-head' | 'all-heads' | 'weightless';

/** Which layers slide when a config has a `sliding_window` but no `layer_types`. */
export type SlidingRule =
  /** Every layer (Mistral-7B-v0.1, Phi-3, Starcoder2). */
  | 'every-layer'
  /** Only with `use_sliding_window`, from `max_window_layers` on (Qwen2/3). */
  | 'from-max-window-layers'
  /** Even layers slide, odd ones are global (Gemma 2: `not layer_idx % 2`). */
  | 'even-layers'
  /** Every `sliding_window_pattern`-th layer is global (Gemma 3 pattern 6, Cohere2 pattern 4). */
  | 'pattern';

export type NormKind =
  /** RMSNorm: one weight vector. */
  | 'rms'
  /** LayerNorm with weight and bias. */
  | 'layer'
  /** LayerNorm with a weight and no bias (Cohere, MPT with no_bias, DBRX). */
  | 'layer-no-bias'
  /** LayerNorm without parameters (OLMo-1). */
  | 'layer-no-parameters';

export interface ArchitectureDefaults {
  tieWordEmbeddings: boolean;
  /** gate + up + down, or up + down (fc1/fc2). */
  mlp: 'gated' | 'plain';
  activation: string;
  /** Biases on q/k/v. */
  qkvBias: boolean;
  /** Bias on o_proj: `qkv` follows the q/k/v bias (Llama's attention_bias covers all four). */
  outputBias: boolean | 'qkv';
  mlpBias: boolean;
  lmHeadBias: boolean;
  norm: NormKind;
  blockNorms: BlockNorms;
  /** The q/k norm the modelling code builds when it has one. */
  queryKeyNorm: QueryKeyNorm;
  /** Whether it is on when the config has no `use_qk_norm` / `qk_layernorm` (Qwen3: always). */
  queryKeyNormByDefault: boolean;
  /** The q/k norm's own kind when not RMSNorm (Persimmon's and StableLM's LayerNorms). */
  queryKeyNormKind?: NormKind;
  /** `multi_query` when the config leaves it out (Falcon and GPT-BigCode: true). */
  multiQuery: boolean;
  /** A norm right after the embedding (BLOOM's word_embeddings_layernorm). */
  embeddingNorm: boolean;
  /**
   * Learned absolute position table: rows = max positions + `offset` (OPT adds 2); absent for
   * rotary, ALiBi or no positions.
   */
  positionTable?: { offset: number };
  /** MLP intermediate size when the config gives none, in multiples of the hidden size. */
  intermediateMultiple: number;
  slidingRule: SlidingRule;
  /** Default `sliding_window_pattern` for the `pattern` rule. */
  slidingPattern?: number;
  /** Default `max_window_layers` for the `from-max-window-layers` rule. */
  maxWindowLayers?: number;
  /** gpt-oss: a learned sink logit per head; biases on the router and the experts. */
  attentionSinks: boolean;
  routerBias: boolean;
  expertBias: boolean;
  /** Always-on shared experts of the routed experts' size when the config has no `n_shared_experts` (Llama 4: 1). */
  sharedExperts: number;
  /** q_proj also projects a sigmoid gate on the attention output when the config has no `attn_output_gate` (Qwen3-Next). */
  attentionOutputGate: boolean;
}

/**
 * What is assumed for a `model_type` transformers does not have: a Llama-style block (pre-norm
 * RMSNorm, gated SiLU MLP, no biases, rotary positions). Embeddings tied, as transformers'
 * PretrainedConfig defaults `tie_word_embeddings` to true and save_pretrained leaves out fields
 * equal to that default.
 */
export const GENERIC_DEFAULTS: ArchitectureDefaults = {
  tieWordEmbeddings: true,
  mlp: 'gated',
  activation: 'silu',
  qkvBias: false,
  outputBias: 'qkv',
  mlpBias: false,
  lmHeadBias: false,
  norm: 'rms',
  blockNorms: 'pre',
  queryKeyNorm: 'none',
  queryKeyNormByDefault: false,
  multiQuery: false,
  embeddingNorm: false,
  intermediateMultiple: 4,
  slidingRule: 'every-layer',
  attentionSinks: false,
  routerBias: false,
  expertBias: false,
  sharedExperts: 0,
  attentionOutputGate: false,
};

/** Llama and the families that copy its block: untied, gated SiLU, RMSNorm, no biases. */
const LLAMA: ArchitectureDefaults = { ...GENERIC_DEFAULTS, tieWordEmbeddings: false };
/** GPT-2-style blocks: LayerNorm, plain GELU MLP, biases everywhere, tied head. */
const GPT2_STYLE: ArchitectureDefaults = {
  ...GENERIC_DEFAULTS,
  mlp: 'plain',
  activation: 'gelu_new',
  qkvBias: true,
  mlpBias: true,
  norm: 'layer',
};
const QWEN2: ArchitectureDefaults = { ...LLAMA, qkvBias: true, outputBias: false, slidingRule: 'from-max-window-layers', maxWindowLayers: 28 };
const QWEN3: ArchitectureDefaults = { ...LLAMA, queryKeyNorm: 'per-head-shared', queryKeyNormByDefault: true, slidingRule: 'from-max-window-layers', maxWindowLayers: 28 };
const GEMMA: ArchitectureDefaults = { ...GENERIC_DEFAULTS, activation: 'gelu_pytorch_tanh' };
const GEMMA3: ArchitectureDefaults = { ...GEMMA, blockNorms: 'sandwich', queryKeyNorm: 'per-head-shared', queryKeyNormByDefault: true, slidingRule: 'pattern', slidingPattern: 6 };
// Cohere: LayerNorm without bias, parallel block, tied; use_qk_norm adds a LayerNorm weight per head.
const COHERE: ArchitectureDefaults = { ...GENERIC_DEFAULTS, norm: 'layer-no-bias', blockNorms: 'parallel', queryKeyNorm: 'per-head', queryKeyNormKind: 'layer-no-bias' };
const OLMO2: ArchitectureDefaults = { ...LLAMA, blockNorms: 'post', queryKeyNorm: 'all-heads', queryKeyNormByDefault: true };

export const ARCHITECTURE_DEFAULTS: Readonly<Record<string, ArchitectureDefaults>> = {
  llama: LLAMA,
  mistral: LLAMA,
  ministral: LLAMA,
  mixtral: LLAMA,
  granite: LLAMA,
  granitemoe: LLAMA,
  helium: LLAMA,
  // SmolLM3: a Llama block, but SmolLM3Config ties the embeddings by default (the 3B checkpoint has no lm_head).
  smollm3: { ...LLAMA, tieWordEmbeddings: true },
  deepseek_v2: LLAMA,
  deepseek_v3: LLAMA,
  // Phi-3: untied, fused qkv and gate_up (same parameter count as separate ones).
  phi3: LLAMA,
  // Llama 4: untied, weightless L2 q/k norm (use_qk_norm), chunked attention on RoPE layers, and
  // in every MoE block a shared expert as large as a routed one (Llama4TextMoe.shared_expert).
  llama4_text: { ...LLAMA, queryKeyNorm: 'weightless', queryKeyNormByDefault: true, sharedExperts: 1 },
  // Arcee (AFM): a Llama block with a plain up/down MLP and ReLU².
  arcee: { ...LLAMA, mlp: 'plain', activation: 'relu2' },
  // GLM (GLM-4-9B-chat-hf) and GLM-4-0414: q/k/v biases only (attention_bias), o_proj without.
  glm: { ...LLAMA, qkvBias: true, outputBias: false, tieWordEmbeddings: false },
  glm4: { ...LLAMA, qkvBias: true, outputBias: false, blockNorms: 'sandwich' },
  // Seed-OSS: attention_bias on q/k/v, attention_out_bias (default false) on o_proj.
  seed_oss: { ...LLAMA, outputBias: false },
  qwen2: QWEN2,
  qwen2_moe: QWEN2,
  qwen3: QWEN3,
  qwen3_moe: QWEN3,
  gemma: GEMMA,
  gemma2: { ...GEMMA, blockNorms: 'sandwich', slidingRule: 'even-layers' },
  gemma3: GEMMA3,
  gemma3_text: GEMMA3,
  cohere: COHERE,
  cohere2: { ...COHERE, slidingRule: 'pattern', slidingPattern: 4 },
  olmo: { ...LLAMA, norm: 'layer-no-parameters' },
  olmo2: OLMO2,
  olmo3: OLMO2,
  olmoe: { ...LLAMA, queryKeyNorm: 'all-heads', queryKeyNormByDefault: true },
  exaone4: { ...LLAMA, blockNorms: 'post', queryKeyNorm: 'per-head-shared', queryKeyNormByDefault: true, slidingRule: 'pattern', slidingPattern: 4 },
  // Nemotron: LayerNorm1p (weight and bias), plain MLP with ReLU², no biases.
  nemotron: { ...LLAMA, mlp: 'plain', activation: 'relu2', norm: 'layer' },
  // Persimmon: LayerNorm, biases, q/k LayerNorm over head_dim, plain ReLU² MLP.
  persimmon: {
    ...LLAMA,
    mlp: 'plain',
    activation: 'relu2',
    qkvBias: true,
    mlpBias: true,
    norm: 'layer',
    queryKeyNorm: 'per-head-shared',
    queryKeyNormByDefault: true,
    queryKeyNormKind: 'layer',
  },
  // StableLM: LayerNorm, gated MLP, use_qkv_bias (default false), qk_layernorm: a LayerNorm
  // without bias for each head.
  stablelm: { ...LLAMA, norm: 'layer', outputBias: false, queryKeyNorm: 'per-head', queryKeyNormKind: 'layer-no-bias' },
  starcoder2: { ...GPT2_STYLE, activation: 'gelu_pytorch_tanh' },
  opt: { ...GPT2_STYLE, activation: 'relu', positionTable: { offset: 2 } },
  gpt2: { ...GPT2_STYLE, positionTable: { offset: 0 } },
  gpt_bigcode: { ...GPT2_STYLE, activation: 'gelu_pytorch_tanh', positionTable: { offset: 0 }, multiQuery: true },
  // GPT-Neo: q/k/v without bias, out_proj with one; local attention on alternate layers.
  gpt_neo: { ...GPT2_STYLE, qkvBias: false, outputBias: true, positionTable: { offset: 0 } },
  gpt_neox: { ...GPT2_STYLE, activation: 'gelu', tieWordEmbeddings: false },
  // GPT-J and CodeGen: one LayerNorm per block (parallel), q/k/v/out without bias, lm_head with one.
  gptj: { ...GPT2_STYLE, qkvBias: false, outputBias: false, blockNorms: 'parallel', lmHeadBias: true, tieWordEmbeddings: false },
  codegen: { ...GPT2_STYLE, qkvBias: false, outputBias: false, blockNorms: 'parallel', lmHeadBias: true, tieWordEmbeddings: false },
  // Phi-1/1.5/2: parallel block, LayerNorm, biases, plain GELU MLP, lm_head with a bias.
  phi: { ...GPT2_STYLE, blockNorms: 'parallel', lmHeadBias: true, tieWordEmbeddings: false },
  // Falcon: `bias` (default false) on every linear; one LayerNorm per block unless
  // new_decoder_architecture (two); multi_query (default true) unless new_decoder_architecture.
  falcon: { ...GPT2_STYLE, activation: 'gelu', qkvBias: false, mlpBias: false, blockNorms: 'parallel', multiQuery: true },
  // BLOOM: LayerNorm, biases, plain GELU MLP, ALiBi, plus a LayerNorm after the embedding.
  bloom: { ...GPT2_STYLE, activation: 'gelu', embeddingNorm: true },
  // MPT: ALiBi, no_bias (default true) on linears and LayerNorms, plain GELU MLP, tied.
  mpt: { ...GPT2_STYLE, activation: 'gelu', qkvBias: false, mlpBias: false, norm: 'layer-no-bias' },
  // DBRX: LayerNorm without bias, GLU experts, no biases, untied.
  dbrx: { ...LLAMA, norm: 'layer-no-bias' },
  gpt_oss: { ...LLAMA, qkvBias: true, attentionSinks: true, routerBias: true, expertBias: true },
  // Hybrids (mixerConfig.ts reads which blocks are which). MiniMax-Text-01: Mixtral's block with
  // lightning attention in most blocks. Qwen3-Next: Qwen3-MoE's with gated DeltaNet in three blocks
  // of four and a sigmoid output gate on full attention. Jamba: Mamba and attention blocks, MoE in
  // every other. Nemotron-H: one Mamba-2, attention or ReLU² MLP per block. Falcon-H1: attention
  // and Mamba-2 side by side, then a gated MLP.
  minimax: LLAMA,
  // MiniMax's own remote-code configs of the same model (attn_type_list instead of layer_types).
  minimax_text_01: LLAMA,
  minimax_m1: LLAMA,
  qwen3_next: { ...QWEN3, attentionOutputGate: true },
  jamba: LLAMA,
  nemotron_h: { ...LLAMA, mlp: 'plain', activation: 'relu2' },
  falcon_h1: LLAMA,
  // State-space models without attention: every block a norm and a Mamba (Mamba-1, Falcon-Mamba:
  // MambaConfig and FalconMambaConfig tie by default) or Mamba-2 mixer (Mamba2Config: untied), no MLP.
  mamba: GENERIC_DEFAULTS,
  falcon_mamba: GENERIC_DEFAULTS,
  mamba2: LLAMA,
};

/** The row for a model_type, and whether it was known. */
export function architectureDefaults(modelType: string): { defaults: ArchitectureDefaults; known: boolean } {
  const row = ARCHITECTURE_DEFAULTS[modelType.toLowerCase()];
  return row ? { defaults: row, known: true } : { defaults: GENERIC_DEFAULTS, known: false };
}
