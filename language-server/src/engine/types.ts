/**
 * The engine's contract: plain objects in, plain numbers out. Every number carries its unit in
 * its name. Nothing here knows about files, presets by name, VS Code or LSP; the config layer
 * resolves those before calling the engine.
 */

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
}

export interface QuantizationSpec {
  weights: NumberFormat;
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

export interface InterconnectSpec {
  /** One direction, per accelerator. */
  bandwidthBytesPerSecond: number;
  latencySeconds: number;
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
}

export interface WorkloadSpec {
  batchSize: number;
  promptTokens: number;
  outputTokens: number;
}

export interface ParallelismSpec {
  tensor: number;
}

/** Everything the engine needs, fully resolved. */
export interface EngineInput {
  model: HfConfig;
  /** Display name of the model (preset id or file name). */
  modelName: string;
  hardware: HardwareSpec;
  workload: WorkloadSpec;
  quantization: QuantizationSpec;
  flashAttention: boolean;
  parallelism: ParallelismSpec;
  conventions: Conventions;
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
    /** False when total_bytes exceeds capacity_bytes; true when capacity is unknown. */
    fits: boolean;
  };
  metrics: {
    ttft_seconds: number;
    tpot_seconds: number;
    e2e_seconds: number;
    output_tokens_per_second: number;
  };
  hardware: {
    name: string;
    memory_bandwidth_bytes_per_second: number;
    peak_ops_per_second: number;
    /** The precision whose peak was used. */
    compute_precision: ComputePrecision;
    ridge_point: number;
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
  };
  /** Plain-language remarks about approximations made for this input (shown, never silent). */
  notes: string[];
}
