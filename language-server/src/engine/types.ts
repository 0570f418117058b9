/**
 * The engine's contract: plain objects in, plain numbers out. Every number carries its unit in
 * its name. Nothing here knows about files, presets by name, VS Code or LSP; the config layer
 * resolves those before calling the engine.
 */
import type { TechniquesSpec, TechniqueSummary } from './techniques/spec';
import type { VariantResult, VariantSpec } from './techniques/variants';

export type { TechniquesSpec, TechniqueKey, TechniqueSummary } from './techniques/spec';
export type { VariantResult, VariantSpec } from './techniques/variants';

/** Which formulas to use: our best model, or LLM-Viewer's, quirks included. */
export type Conventions = 'default' | 'llm-viewer';

/** Precision classes that hardware rates are quoted in (dense, no 2:4 sparsity). */
export type ComputePrecision =
  | 'fp32'
  | 'tf32'
  | 'fp16'
  | 'bf16'
  | 'fp8'
  | 'int8'
  | 'fp6'
  | 'fp4'
  | 'int4';

/**
 * A number format for weights, activations or the KV cache, with the bytes it really costs.
 * `bitsPerElement` includes the amortised cost of block or group scales where a format has them.
 */
export interface NumberFormat {
  /** The name users write, e.g. `int4`, `fp8`, `bf16`, or `8-bit` for a plain bit count. */
  name: string;
  /** Bits of storage per element, scales included. 16, 8, 4, 2, 1, or a fraction such as 4.25. */
  bitsPerElement: number;
  /** The hardware rate that matmuls in this format run at when the hardware supports it. */
  computePrecision: ComputePrecision;
  /**
   * For formats with block or group scales: bits of one element before scales, and the scale
   * layout the overhead in `bitsPerElement` comes from. Absent for plain formats.
   */
  scaling?: GroupScaling;
}

/** How a grouped format stores its scales: one scale (and optionally one zero point) per group. */
export interface GroupScaling {
  /** Bits of one element itself (4 for int4, e2m1 and friends). */
  elementBits: number;
  /** Elements sharing one scale (128 for int4-g128, 16 for nvfp4, 16384 for 128x128 blocks). */
  groupSize: number;
  /** The scale's format name and width (fp16 16, e4m3 8, e8m0 8, fp32 32). */
  scaleFormat: string;
  scaleBits: number;
  /** Bits of the zero point per group; 0 for symmetric formats. */
  zeroPointBits: number;
}

/**
 * Which part of the model a weight matrix belongs to, so each part can have its own format: a
 * checkpoint's quantization_config covers some (gpt-oss: only the experts in MXFP4), runtime fp8
 * keeps the embedding and lm_head in 16 bits, and a deployment may give a format per kind.
 * `mlp` is the dense MLP and shared experts; `experts` the routed experts.
 */
export type WeightKind = 'embedding' | 'attention' | 'mlp' | 'experts' | 'router' | 'lm_head';

export const WEIGHT_KINDS: readonly WeightKind[] = ['embedding', 'attention', 'mlp', 'experts', 'router', 'lm_head'];

/**
 * The part of a model a checkpoint tensor belongs to: a kind of weight matrix, `vectors` (norm
 * weights and biases), or `other` (held in memory but not in the language model's layers: a vision
 * tower, multi-token-prediction layers).
 */
export type CheckpointPart = WeightKind | 'vectors' | 'other';

/**
 * The exact weight bytes of a checkpoint on disk (a model folder's safetensors), so quantized
 * checkpoints need no format guessing: the engine sizes each kind of weight from these bytes.
 */
export interface CheckpointWeights {
  /** Bytes of all tensors: the index's metadata.total_size, or the sum over the shards' headers. */
  totalBytes: number;
  /** Bytes by part, when each tensor's size is known (the shards' headers were read). */
  bytesByPart?: Partial<Record<CheckpointPart, number>>;
  /** Where the bytes come from: every shard's header, or the index's total alone. */
  source: 'headers' | 'index';
}

/** The blocks of one kind: how many, which ones (0-based), and what a sequence keeps for each. */
export interface BlockKindSummary {
  /** `full attention`, `sliding-window attention`, `chunked attention`, `gated DeltaNet`, `full attention beside Mamba-2`, ... */
  kind: string;
  blocks: number;
  /** The first (at most 64) blocks of this kind, 0-based. */
  indices: number[];
  /** `kv-cache`: grows with the sequence; `state`: constant per sequence; `none`: keeps nothing. */
  keeps: 'kv-cache' | 'state' | 'none';
}

/** One kind of weight's share of a device's weight memory. */
export interface WeightBytesOfKind {
  /** `other`: checkpoint tensors outside the language model's layers (a vision tower), held but not read per token. */
  kind: WeightKind | 'vectors' | 'other';
  format: string;
  bytes: number;
}

export interface QuantizationSpec {
  /** The weights' format: every kind the other fields do not set. */
  weights: NumberFormat;
  /**
   * Formats the deployment gives per kind of weight (`quantization.weights: { experts: mxfp4,
   * default: bf16 }`); they win over the checkpoint's quantization_config.
   */
  weightsByKind?: Partial<Record<WeightKind, NumberFormat>>;
  activations: NumberFormat;
  kvCache: NumberFormat;
}

/**
 * A model, as read from a Hugging Face `config.json` (any family: field names are normalised by
 * `normalizeModel`). Values are kept exactly as the config has them; unknown fields are ignored.
 */
export type HfConfig = Record<string, unknown>;

/** Dense peak rates in operations per second, by precision. Absent means not supported. */
export type PeakOpsPerSecond = Partial<Record<ComputePrecision, number>>;

/**
 * How the devices of one scale-up domain reach each other: through a switch (NVSwitch), direct
 * links between every pair (xGMI, NVLink bridges of two cards) or over PCIe.
 */
export type FabricKind = 'nvswitch' | 'nvlink' | 'xgmi' | 'pcie';

export interface InterconnectSpec {
  /** One direction, per accelerator. */
  bandwidthBytesPerSecond: number;
  /** Latency of one hop of a small message (NCCL's per-step latency); the roofline charges it per ring step. */
  latencySeconds: number;
  /** The fabric, for `efficiency: expected` (which collective algorithms libraries can run on it). Absent: `pcie`. */
  fabric?: FabricKind;
  /** Devices one fabric connects (8 in an HGX node, 72 in an NVL72 rack); beyond them collectives cross `scaleOut`. */
  domainDevices?: number;
  /** The network between domains (InfiniBand, RoCE), per accelerator. */
  scaleOut?: { bandwidthBytesPerSecond: number; latencySeconds: number };
}

/**
 * Per-family constants of `efficiency: expected`, each a physical effect with its source
 * (engine/expected/constants.ts gives the defaults and where they come from).
 */
export interface ExpectedConstants {
  /** Which family the figures describe, for display (`nvidia-hopper`, `amd-cdna3`, ...). */
  family: string;
  /** Fixed time of one kernel in a captured graph: launch gap plus the ramp to full bandwidth. */
  kernelSeconds: number;
  /** Host time per forward step: scheduling, sampling, detokenisation. */
  stepSeconds: number;
  /** Fraction of the plain weight stream's bandwidth a weight-only quantized matmul reaches (dequantisation). */
  weightOnlyBandwidth: number;
  /** Fraction of peak attention kernels (FlashAttention) reach in prefill. */
  attentionCompute: number;
  /** Fraction of the sustained bandwidth decode attention reaches reading the paged KV cache. */
  attentionBandwidth: number;
  /** Time a request costs once, before its first token: admission, tokenisation, returning the token. */
  requestSeconds: number;
  /** Share of the link rate a serving engine's own all-reduce kernel moves; absent: COLLECTIVE_CONSTANTS.customLinkEfficiency. */
  allReduceLinkEfficiency?: number;
  /**
   * Vector operations per value beyond the dequantisation itself to convert fp32 to bf16, where
   * the ISA has no conversion instruction (AMD CDNA 2 and 3); absent: none.
   */
  bf16ConvertOps?: number;
  /**
   * NCCL's ring over NVLink and NVSwitch as measured on the family's hardware, where it departs
   * from NCCL's own tuning model (engine/expected/constants.ts); absent: NCCL's model.
   */
  ncclRing?: NcclRingFigures;
  /**
   * Depth, in elements of the reduction, that the fixed work of each output tile of an 8-bit matmul
   * is worth (filling its pipeline, writing its 16-bit output): a matmul of depth K runs at
   * K / (K + this) of its deep rate (engine/expected/constants.ts); absent: not charged.
   */
  fp8TileOverheadDepth?: number;
  source?: string;
}

/** NCCL's ring all-reduce over the scale-up fabric, by protocol, as measured (nccl-tests). */
export interface NcclRingFigures {
  /** Time per ring step of the simple protocol, beyond NCCL's base latency. */
  simpleStepSeconds?: number;
  /** Share of the link rate the simple protocol moves. */
  linkEfficiency?: number;
  /** Share of the link rate the low-latency (LL) protocol moves. */
  lowLatencyLinkEfficiency?: number;
}

export interface HardwareSpec {
  /** Preset id or file-given name, for display. */
  name: string;
  memoryBandwidthBytesPerSecond: number;
  /** Absent when the datasheet gives none; capacity checks are then skipped. */
  memoryCapacityBytes?: number;
  peakOpsPerSecond: PeakOpsPerSecond;
  /** Register file + shared memory, used by LLM-Viewer's FlashAttention tiling. */
  onChipBufferBytes?: number;
  interconnect?: InterconnectSpec;
  /** Achievable fractions of peak, for `efficiency: achievable`; absent: documented defaults. */
  achievable?: AchievableFractions;
  /** Streaming multiprocessors (AMD: compute units), for matmul wave quantization under `efficiency: expected`. */
  computeUnits?: number;
  /** Constants of `efficiency: expected`; absent: the documented defaults. */
  expected?: ExpectedConstants;
  /**
   * Whether matmuls with 2:4 structured-sparse weights run at twice the dense rate (NVIDIA
   * Ampere and later, AMD CDNA 3 and later; presets/sparseTensorCores.ts). Absent: no.
   */
  sparseTensorCores?: boolean;
}

export interface WorkloadSpec {
  batchSize: number;
  promptTokens: number;
  outputTokens: number;
}

export interface ParallelismSpec {
  /** Devices each layer's heads and columns are split across (Megatron-style). */
  tensor: number;
  /** Consecutive groups of blocks, each on its own tensor-parallel group. Default 1. */
  pipeline?: number;
  /** Devices the routed experts are split across; the tensor-parallel devices themselves. Default 1. */
  expert?: number;
}

/**
 * Which ceilings times are computed against: the datasheet peaks (`ideal`, the default), the
 * hardware's achievable fractions of them (`achievable`: measured where known, documented
 * defaults elsewhere), what a well-tuned serving engine measures (`expected`: the achievable
 * rates plus kernel launches, collectives as libraries run them, matmul shapes, dequantisation
 * and host time per step; engine/expected/), or explicit fractions of peak.
 */
/**
 * The software running the model, for `efficiency: expected` (engine/expected/engines.ts): a
 * serving engine (default), TensorRT-LLM before its grouped-query decode kernel, a decode step
 * compiled into one CUDA graph (gpt-fast, MLC LLM), or kernels launched one by one (eager).
 */
export type ServingEngine = 'serving' | 'tensorrt-llm-before-xqa' | 'compiled' | 'eager';

export type EfficiencyChoice = 'ideal' | 'achievable' | 'expected' | { memory?: number; compute?: number };

/**
 * Fractions of peak an accelerator reaches in practice: compute per precision (measured large
 * matmuls), memory as a fraction of the datasheet bandwidth. With `source` naming where they come from.
 */
export interface AchievableFractions {
  memory?: number;
  compute?: Partial<Record<ComputePrecision, number>>;
  source?: string;
}

/** Speculative decoding: a draft model proposes `draftTokens` tokens, the target verifies them in one step. */
export interface SpeculativeSpec {
  /**
   * What drafts: `model`, a separate draft model (`draftModel`); `mtp`, the target's own
   * multi-token-prediction module (DeepSeek-V3's num_nextn_predict_layers), run once per drafted
   * token. Absent: `model`.
   */
  draft?: 'model' | 'mtp';
  /** The draft model's config; unused (may be absent) with `draft: 'mtp'`. */
  draftModel?: HfConfig;
  draftModelName: string;
  /** Tokens the draft proposes per verification step (γ). */
  draftTokens: number;
  /**
   * Probability that the target accepts one drafted token (α), in [0, 1); or one rate per drafted
   * position (α_k: token k accepted once the tokens before it were), each in [0, 1].
   */
  acceptanceRate: number | readonly number[];
}

/** Whose KV pool sizing a serving deployment follows (engine/default/serving.ts, kvPoolTermsPerGpu). */
export type MemoryBudget = 'vllm' | 'sglang' | 'tensorrt-llm';

/**
 * Serving under load: a serving engine with continuous batching (vLLM, TensorRT-LLM, SGLang) runs
 * many requests of the workload's prompt and output lengths at once. Either `concurrency`
 * (requests in flight, closed loop; `max`: as many as the KV cache holds) or `requestRate`
 * (requests per second arriving, open loop).
 */
export interface ServingSpec {
  concurrency?: number | 'max';
  requestRatePerSecond?: number;
  /** Chunked-prefill token budget of one engine step (decode tokens plus prefill chunk). */
  maxBatchedTokens: number;
  /** Tokens per paged KV cache block. */
  kvBlockTokens: number;
  /** Separate prefill and decode pools, in GPUs (multiples of one instance's tensor × pipeline GPUs). */
  disaggregated?: { prefillGpus: number; decodeGpus: number };
  /** Longest request the engine admits (vLLM --max-model-len, SGLang --context-length); checked at start-up. */
  maxModelLen?: number;
  /** Most requests running at once (vLLM --max-num-seqs, SGLang --max-running-requests). */
  maxRunningRequests?: number;
  /** Whose KV pool sizing to follow; default vllm. */
  memoryBudget?: MemoryBudget;
  /** TensorRT-LLM's KvCacheConfig.max_tokens: the pool holds at most this many tokens (tensorrt-llm budget only). */
  kvCacheMaxTokens?: number;
}

/** Everything the engine needs, fully resolved. */
export interface EngineInput {
  model: HfConfig;
  /** Display name of the model (preset id or file name). */
  modelName: string;
  /** The checkpoint's exact weight bytes, when the model is a folder with safetensors (sizes every kind of weight). */
  checkpoint?: CheckpointWeights;
  hardware: HardwareSpec;
  workload: WorkloadSpec;
  quantization: QuantizationSpec;
  flashAttention: boolean;
  parallelism: ParallelismSpec;
  conventions: Conventions;
  /** Default `ideal`: the datasheet peaks. */
  efficiency?: EfficiencyChoice;
  /**
   * Share of each device's memory the deployment may use for weights, KV cache and activations
   * (vLLM's `gpu_memory_utilization`); the capacity answers use it. Default 0.9.
   */
  memoryUtilization?: number;
  speculative?: SpeculativeSpec;
  /** The software running the model (`engine:`), for `efficiency: expected`; absent: a serving engine. */
  engine?: ServingEngine;
  /** Throughput and latency under load (`serving:`); absent: one fixed batch only. */
  serving?: ServingSpec;
  /** Price of one GPU hour in US dollars (`cost.gpu_hour_usd`), for the cost per token. */
  gpuHourUsd?: number;
  /** Efficiency techniques applied as what-ifs (`techniques:`; engine/techniques/, docs/techniques.md). */
  techniques?: TechniquesSpec;
  /**
   * Variants compared with this deployment (`variants:`): the same deployment with another model
   * (a distilled or pruned one) or another technique set; each is analysed in full.
   */
  variants?: VariantSpec[];
}

/** One effect of `efficiency: expected` and the time it adds over the effects before it. */
export interface ExpectedTerm {
  id: string;
  label: string;
  ttft_seconds: number;
  tpot_seconds: number;
  source: string;
}

/** `network` marks communication entries (all-reduce, all-to-all) limited by the interconnect. */
export type Bound = 'memory' | 'compute' | 'network';
export type StageName = 'prefill' | 'decode';

export interface LayerBytes {
  weights: number;
  activations_in: number;
  activations_out: number;
  kv_read: number;
  kv_write: number;
}

/** One layer, for one occurrence; `count` says how many times it occurs in the stage. */
export interface LayerResult {
  name: string;
  count: number;
  flops: number;
  bytes: LayerBytes;
  arithmetic_intensity: number;
  bound: Bound;
  seconds: number;
}

export interface MemoryBreakdown {
  weights_bytes: number;
  kv_cache_bytes: number;
  activations_bytes: number;
  total_bytes: number;
}

export interface StageResult {
  layers: LayerResult[];
  totals: { flops: number; bytes: number; seconds: number };
  memory: MemoryBreakdown;
}

export interface AnalysisResult {
  conventions: Conventions;
  stages: Record<StageName, StageResult>;
  memory: MemoryBreakdown & {
    /** Absent when the hardware has no known capacity. */
    capacity_bytes?: number;
    /** The share of capacity_bytes a serving engine may use (memory.utilization, default 0.9). */
    memory_utilization: number;
    /**
     * total_bytes within memory_utilization × capacity_bytes (engine/capacity.ts `fitsInMemory`,
     * the one definition every answer uses); true when capacity is unknown.
     */
    fits: boolean;
  };
  metrics: {
    ttft_seconds: number;
    tpot_seconds: number;
    e2e_seconds: number;
    output_tokens_per_second: number;
    /**
     * Pipeline parallelism, when the deployment uses it: TTFT and TPOT above are for one batch
     * passing through every stage in turn (each device idle `bubble_fraction` of the time). With
     * `stages` batches in flight, each device holding the KV cache of all of them, decoding
     * produces `in_flight_decode_tokens_per_second` (the slowest stage sets the pace).
     */
    pipeline?: {
      stages: number;
      bubble_fraction: number;
      slowest_stage_share: number;
      in_flight_decode_tokens_per_second: number;
    };
    /**
     * Speculative decoding, when the deployment uses it: expected tokens per verification step,
     * the resulting TPOT (equal to `tpot_seconds` above, which already includes it), the TPOT of
     * plain decoding and the speed-up over it.
     */
    /**
     * `efficiency: expected` only: the ideal roofline's figures for the same deployment (a bound
     * no run beats), and how much each effect adds to TTFT and TPOT over it, in the order applied.
     */
    bound?: { ttft_seconds: number; tpot_seconds: number; e2e_seconds: number; output_tokens_per_second: number };
    terms?: ExpectedTerm[];
    speculative?: {
      expected_tokens_per_step: number;
      step_seconds: number;
      tpot_seconds: number;
      plain_tpot_seconds: number;
      speedup: number;
      draft_weights_bytes: number;
      draft_kv_cache_bytes: number;
    };
  };
  hardware: {
    name: string;
    memory_bandwidth_bytes_per_second: number;
    peak_ops_per_second: number;
    /** The precision whose peak was used: the weight matmuls' (the dominant weights', see below). */
    compute_precision: ComputePrecision;
    /**
     * Weight matmuls that run at another precision: lm_head (and a mixture of experts' router)
     * keeps 16-bit weights under a narrower format and runs at the 16-bit peak. Absent when every
     * weight matmul runs at `compute_precision`.
     */
    other_matmul_precisions?: { weight_kinds: WeightKind[]; compute_precision: ComputePrecision; peak_ops_per_second: number }[];
    ridge_point: number;
    /**
     * Which ceilings the times were computed against: `ideal` (peaks, fractions 1), `achievable`
     * (the hardware's achievable fractions) or `custom` (fractions from the deployment).
     */
    efficiency?: { mode: 'ideal' | 'achievable' | 'expected' | 'custom'; memory: number; compute: number };
    /** Achievable ceilings to draw beside the peak (measured or default fractions of it). */
    achievable_ceilings?: { label: string; peak_ops_per_second: number; memory_bandwidth_bytes_per_second?: number }[];
  };
  /**
   * What fits on one device: the largest batch at this request's lengths, and the longest
   * context (prompt + output tokens per sequence) at this batch size, within `usable_bytes`
   * (memory utilization × capacity). Absent when the hardware has no known capacity.
   */
  capacity?: {
    max_batch_size: number;
    max_context_tokens: number;
    usable_bytes: number;
    memory_utilization: number;
  };
  model: {
    name: string;
    /** Parameter count as the weights in memory count it (all experts for MoE). */
    parameters: number;
    /**
     * Parameters one token uses: for a mixture of experts only its k routed experts of E per block
     * (embedding and lm_head included); equal to `parameters` for a dense model.
     */
    active_parameters?: number;
    /**
     * Weight bytes one device holds, by kind of layer with the format of each (`vectors`: norm
     * weights and biases, kept 16-bit); the target model's share of memory.weights_bytes (all of it
     * without a draft model). Default conventions only.
     */
    weights_by_kind?: WeightBytesOfKind[];
    /**
     * Which blocks are which kind, in block order of first appearance: softmax attention (full,
     * sliding window, chunked), the constant-state mixers of hybrid models (lightning attention,
     * gated DeltaNet, Mamba, Mamba-2) and MLP-only blocks. Default conventions only.
     */
    block_kinds?: BlockKindSummary[];
  };
  /** Steady state under load, when the deployment has `serving:` (docs/serving.md). */
  serving?: ServingResult;
  /**
   * The techniques applied (`techniques:`), each with what it changed and the paper its cost model
   * comes from; absent without a `techniques:` section.
   */
  techniques?: TechniqueSummary[];
  /** The deployment's `variants:`, each analysed in full (in the order written). */
  variants?: VariantResult[];
  /** Plain-language remarks about approximations made for this input (shown, never silent). */
  notes: string[];
}

/** A deployment in steady state under continuous batching (docs/serving.md says how each figure is found). */
export interface ServingResult {
  /** Requests in flight (running or waiting) on the whole deployment. */
  concurrency: number;
  /** Requests whose KV cache fits at once, whole deployment: the KV pool under the memory budget, paged. */
  max_concurrency: number;
  /** Requests decoding in one engine step per instance (at most what the step's token budget allows). */
  decode_batch_per_instance: number;
  /** Per device: utilization × capacity − weights − activation peak of a full step − non-torch memory. */
  kv_pool_bytes_per_gpu: number;
  gpus: number;
  instances: number;
  requests_per_second: number;
  output_tokens_per_second: number;
  output_tokens_per_second_per_gpu: number;
  output_tokens_per_second_per_user: number;
  input_tokens_per_second: number;
  ttft_seconds: number;
  tpot_seconds: number;
  e2e_seconds: number;
  /** Seconds a request waits before it is admitted (queueing near saturation, or concurrency above the KV pool). */
  queue_seconds: number;
  /** The request rate the deployment serves at most (at max_concurrency). */
  saturation_requests_per_second: number;
  /** Arrival rate over saturation rate (open loop) or in-flight over max_concurrency (closed loop). */
  utilization: number;
  cost_per_million_output_tokens_usd?: number;
  cost_per_million_input_tokens_usd?: number;
  /** What the engine finds at start-up, when the deployment gives serving.max_model_len (engine/default/engineStartup.ts). */
  startup?: EngineStartup;
  /** Disaggregated pools: what each pool serves at most, in requests per second. */
  disaggregated?: { prefill_gpus: number; decode_gpus: number; prefill_requests_per_second: number; decode_requests_per_second: number; kv_transfer_seconds: number };
}

/**
 * The serving engine's start-up check, as vLLM logs it ("GPU KV cache size: N tokens", "Maximum
 * concurrency for L tokens per request: C x"): the KV pool of one GPU, its paged blocks, and how
 * many requests of max_model_len tokens it holds at once.
 */
export interface EngineStartup {
  memory_budget: MemoryBudget;
  max_model_len: number;
  kv_pool_bytes_per_gpu: number;
  kv_block_tokens: number;
  /** Whole KV blocks the pool of one GPU holds. */
  kv_blocks_per_gpu: number;
  /** Tokens the pool holds: kv_blocks_per_gpu × kv_block_tokens. */
  kv_pool_tokens: number;
  /** KV cache of one request of max_model_len tokens, per GPU. */
  kv_bytes_per_max_len_request: number;
  /** Requests of max_model_len tokens the pool holds at once (vLLM's "maximum concurrency"). */
  max_concurrency_at_max_model_len: number;
  /** The longest request whose KV cache fits in the pool (vLLM's estimate_max_model_len). */
  longest_fitting_model_len: number;
}
