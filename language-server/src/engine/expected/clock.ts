/**
 * `efficiency: expected`: what a well-tuned serving engine measures. Each effect below is one
 * physical cause of time the roofline does not charge, applied on top of the others in this order,
 * so the time each adds can be shown (terms.ts). With no effect on, the clock is the ideal roofline.
 */
import { sumLayerBytes, type CollectiveShape, type MatmulShape } from '../roofline';
import type { ExpectedConstants, InterconnectSpec, LayerBytes, WeightKind } from '../types';
import type { LayerClock, RatesByUnit } from '../default/clock';
import type { ComputeUnit, SixteenBitActivations } from '../default/plan';
import { collectiveSeconds } from './collectives';
import type { EngineProfile } from './engines';
import { DEQUANT_OPS_PER_WEIGHT, MATMUL_RATE_REFERENCE_DEPTH, MATMUL_TILE } from './constants';

export type ExpectedEffect =
  | 'sustained-rates'
  | 'attention-kernel'
  | 'matmul-shape'
  | 'sixteen-bit-activations'
  | 'weight-only'
  | 'kernel-launch'
  | 'collectives'
  | 'step-overhead'
  | 'request-overhead';

export interface ExpectedEffectInfo {
  id: ExpectedEffect;
  label: string;
  source: string;
}

/** The effects in the order they are applied (and their times attributed). */
export const EXPECTED_EFFECTS: readonly ExpectedEffectInfo[] = [
  {
    id: 'sustained-rates',
    label: 'sustained bandwidth and matmul rate',
    source: 'measured large-matmul rates (ml-engineering MAMF) and HBM streaming fractions (docs/fidelity.md)',
  },
  {
    id: 'attention-kernel',
    label: 'attention kernel efficiency',
    source: 'FlashAttention-2/3 papers (arXiv 2307.08691, 2407.08608); FlashInfer decode attention (arXiv 2501.01005)',
  },
  {
    id: 'matmul-shape',
    label: 'matmul tile and wave quantization',
    source: "NVIDIA Matrix Multiplication Background User's Guide; on Hopper, fp8 matmul rate against depth (tile-ai/tilelang benchmark/matmul_fp8, H800 SXM)",
  },
  {
    id: 'sixteen-bit-activations',
    label: '16-bit residual stream around quantised matmuls',
    source: "quantised matmuls write 16-bit outputs and the residual stream stays 16-bit (vLLM Fp8LinearMethod, TensorRT-LLM fp8 GEMMs); the norm or activation before a matmul quantises in the same kernel (vLLM rms_norm_static_fp8_quant, silu_and_mul_quant)",
  },
  {
    id: 'weight-only',
    label: 'dequantising weight-only quantized matmuls',
    source: 'int4 → fp16 conversion (arXiv 2211.10017) on the vector ALUs; Marlin (arXiv 2408.11743); gpt-fast int4 on A100',
  },
  {
    id: 'kernel-launch',
    label: 'fixed cost per kernel',
    source:
      'NVIDIA, Getting Started with CUDA Graphs (2019); the engine\'s launch path (engine/expected/engines.ts); on AMD CDNA 3, Kog AI\'s measurement on 8 × MI300X (presets/servingFigures.ts)',
  },
  { id: 'collectives', label: 'collectives as libraries run them', source: 'NCCL tuning.cc latency model; on A100 NVLink, NCCL as nccl-tests measures it on 4 × A100; custom all-reduce (vLLM PR 24532, SGLang PR 2904)' },
  { id: 'step-overhead', label: 'scheduling, sampling, detokenisation per step', source: 'vLLM v0.6.0 and SGLang v0.4 scheduler overheads' },
  { id: 'request-overhead', label: 'admission and tokenisation per request', source: 'serving benchmarks measuring TTFT from the request' },
];

export const ALL_EXPECTED_EFFECTS: ReadonlySet<ExpectedEffect> = new Set(EXPECTED_EFFECTS.map((effect) => effect.id));

/** What the expected clock needs of a prepared deployment. */
export interface ExpectedContext {
  /** The datasheet rates of each unit (the ideal roofline's). */
  peakRates: RatesByUnit;
  /** Sustained fractions of the datasheet figures (the achievable roofline's). */
  memoryFraction: number;
  computeFraction: Readonly<Record<ComputeUnit, number>>;
  /** The sustained fraction of each kind of weight matmul's own precision (peakRates.matmulByKind). */
  matmulComputeFractionByKind: Readonly<Record<WeightKind, number>>;
  /** Whether each kind of weight matmul runs at 8 bits or fewer (its own precision, prepare.ts). */
  eightBitMatmulByKind: Readonly<Record<WeightKind, boolean>>;
  constants: ExpectedConstants;
  /** Streaming multiprocessors (compute units); absent: no wave quantization. */
  computeUnits?: number;
  link: InterconnectSpec;
  /**
   * Bits of one stored weight element (scales included) by kind of weight, and of one activation:
   * a matmul whose weights are narrower than the activations it multiplies dequantises them.
   */
  weightBitsByKind: Readonly<Record<WeightKind, number>>;
  activationBitsPerElement: number;
  /** Activations in bf16: dequantised weights are converted to it (`bf16ConvertOps` where the ISA lacks the instruction). */
  activationsInBf16: boolean;
  /** The software running the model: its launch path, host time and decode attention kernel. */
  engine: EngineProfile;
  /** Query heads sharing one KV head (grouped-query attention; 1 for multi-head attention). */
  queryHeadsPerKeyValueHead: number;
  /** The non-tensor (CUDA-core, vector ALU) fp32 rate that dequantisation runs at; absent: not charged. */
  vectorOpsPerSecond?: number;
}

/**
 * The share of a matmul's tensor-core work that is useful: rows padded to the instruction's
 * granularity within each group, and the last wave of 128 × 128 output tiles filling only part of
 * the SMs. Below one wave, libraries split the reduction (split-K, stream-K) and fill the GPU.
 */
export function matmulTileEfficiency(shape: MatmulShape, computeUnits: number | undefined): number {
  if (shape.rows <= 0) return 1;
  const rowsPerGroup = shape.rows / shape.groups;
  const paddedRows = Math.ceil(rowsPerGroup / MATMUL_TILE.rowGranularity) * MATMUL_TILE.rowGranularity;
  const rowShare = rowsPerGroup / paddedRows;
  if (computeUnits === undefined) return rowShare;
  const tiles = Math.ceil(shape.groups) * Math.ceil(rowsPerGroup / MATMUL_TILE.rows) * Math.ceil(shape.columns / MATMUL_TILE.columns);
  if (tiles < computeUnits) return rowShare;
  const waves = Math.ceil(tiles / computeUnits);
  return rowShare * (tiles / (waves * computeUnits));
}

/**
 * The share of a matmul's deep rate that its depth reaches, each output tile's fixed work worth
 * `overheadDepth` elements of its reduction: K / (K + overhead), relative to the depth of the
 * shape its measured rate comes from (constants.ts, MATMUL_RATE_REFERENCE_DEPTH); deeper matmuls
 * keep the measured rate.
 */
export function matmulDepthEfficiency(depth: number, overheadDepth: number): number {
  if (depth <= 0 || overheadDepth <= 0) return 1;
  const reference = MATMUL_RATE_REFERENCE_DEPTH / (MATMUL_RATE_REFERENCE_DEPTH + overheadDepth);
  return Math.min(1, depth / (depth + overheadDepth) / reference);
}

/**
 * Matmuls that take 8-bit (or narrower) activations quantise them on the way in and write 16-bit
 * outputs, so the tensor-parallel all-reduce after a row-parallel matmul moves 16-bit values
 * (vLLM's Fp8LinearMethod returns the input's bf16 dtype before tensor_model_parallel_all_reduce;
 * TensorRT-LLM's fp8 GEMMs write fp16/bf16 into its all-reduce). Expert-parallel dispatch may
 * really send fp8 (DeepEP's low-latency dispatch), so other collectives keep their counted bytes.
 */
function sixteenBitMessage(collective: CollectiveShape, activationBits: number): CollectiveShape {
  return collective.kind !== 'all-reduce' || activationBits >= 16 ? collective : { ...collective, bytes: (collective.bytes * 16) / activationBits };
}

/**
 * Quantised activations (fp8, int8, fp4) are only what a matmul reads: the matmul scales its
 * accumulators back and writes 16-bit outputs (vLLM's Fp8LinearMethod returns the input's bf16
 * dtype; TensorRT-LLM's fp8 GEMMs write fp16/bf16, as for sixteenBitMessage above), and the residual
 * stream, the norms' inputs and the MLP activation's inputs stay 16-bit. The quantisation is
 * counted fused into the norm or activation that feeds the matmul (vLLM's
 * rms_norm_static_fp8_quant, fused_add_rms_norm_static_fp8_quant and silu_and_mul_quant,
 * csrc/torch_bindings.cpp): one read of the 16-bit tensor and one write of the quantised one.
 * The counted bytes keep the activation format (the ideal stays a bound); this is what the 16-bit
 * tensors of a layer (`sixteenBitActivations`) move beyond them. It grows with the tokens of a
 * step: nothing at batch 1, several ms of a large-batch fp8 step on Hopper.
 */
export function sixteenBitExtraBytes(which: SixteenBitActivations, bytes: LayerBytes, activationBits: number): number {
  const widening = 16 / activationBits - 1;
  const moved = which === 'in' ? bytes.activations_in : which === 'out' ? bytes.activations_out : bytes.activations_in + bytes.activations_out;
  return moved * widening;
}

export function expectedClock(context: ExpectedContext, effects: ReadonlySet<ExpectedEffect>): LayerClock {
  const { constants, engine } = context;
  const sustained = effects.has('sustained-rates');
  return {
    parts(template, cost) {
      const unit = template.unit;
      const kind = unit === 'matmul' ? template.weightKind : undefined;
      const rates = kind !== undefined ? context.peakRates.matmulByKind[kind] : context.peakRates[unit];
      let peak = rates.peakOpsPerSecond * (sustained ? (kind !== undefined ? context.matmulComputeFractionByKind[kind] : context.computeFraction[unit]) : 1);
      let bandwidth = rates.memoryBandwidthBytesPerSecond * (sustained ? context.memoryFraction : 1);
      if (unit === 'attention' && effects.has('attention-kernel')) {
        peak = rates.peakOpsPerSecond * constants.attentionCompute;
        bandwidth *= constants.attentionBandwidth;
      }
      if (cost.matmul && effects.has('matmul-shape')) {
        peak *= matmulTileEfficiency(cost.matmul, context.computeUnits);
        // Only a matmul that runs at 8 bits or fewer (not lm_head's 16-bit one under fp8).
        const eightBit = kind !== undefined ? context.eightBitMatmulByKind[kind] : context.activationBitsPerElement <= 8;
        if (constants.fp8TileOverheadDepth !== undefined && eightBit) peak *= matmulDepthEfficiency(cost.matmul.depth, constants.fp8TileOverheadDepth);
      }
      const weightBits = template.weightKind !== undefined ? context.weightBitsByKind[template.weightKind] : undefined;
      const dequantised = unit === 'matmul' && weightBits !== undefined && weightBits < context.activationBitsPerElement && effects.has('weight-only');
      // Before grouped-query decode kernels, each query head of a group read its KV head again.
      const kvRereadBytes =
        unit === 'attention' && context.engine.kvReadPerQueryHead && effects.has('attention-kernel') ? cost.bytes.kv_read * (context.queryHeadsPerKeyValueHead - 1) : 0;
      const wideBytes =
        template.sixteenBitActivations !== undefined && context.activationBitsPerElement < 16 && effects.has('sixteen-bit-activations')
          ? sixteenBitExtraBytes(template.sixteenBitActivations, cost.bytes, context.activationBitsPerElement)
          : 0;
      const bytes = sumLayerBytes(cost.bytes) + wideBytes + kvRereadBytes + (dequantised ? cost.bytes.weights * (1 / constants.weightOnlyBandwidth - 1) : 0);
      // Unpacking, converting and scaling each weight runs on the vector ALUs, not the tensor
      // cores, once per weight whatever the batch, and does not hide behind the loads in a GEMV.
      // Without an fp32 → bf16 instruction (AMD CDNA 2 and 3) the conversion is integer rounding code.
      const opsPerWeight = DEQUANT_OPS_PER_WEIGHT + (context.activationsInBf16 ? (constants.bf16ConvertOps ?? 0) : 0);
      const dequantSeconds =
        dequantised && context.vectorOpsPerSecond !== undefined ? (((cost.bytes.weights * 8) / weightBits!) * opsPerWeight) / context.vectorOpsPerSecond : 0;
      const collective = unit === 'network' && cost.collective !== undefined && effects.has('collectives');
      const compute = cost.flops / peak;
      const memory = bytes / bandwidth + dequantSeconds;
      const other = collective
        ? collectiveSeconds(sixteenBitMessage(cost.collective!, context.activationBitsPerElement), context.link, engine.oneShotAllReduce, constants.allReduceLinkEfficiency, constants.ncclRing) +
          (cost.collective!.devices > 1 ? (engine.collectiveCallSeconds ?? 0) : 0)
        : (cost.otherSeconds ?? 0);
      // A collective's own launch is in its base latency.
      const launched = effects.has('kernel-launch') && unit !== 'network' && !template.fusedWithPrevious;
      const kernelSeconds = engine.kernelSeconds ?? constants.kernelSeconds;
      // Launched from the host one by one, a kernel shorter than its launch waits for the next one.
      const hostWait = engine.hostLaunchSeconds !== undefined ? Math.max(0, engine.hostLaunchSeconds - Math.max(compute, memory, other) - kernelSeconds) : 0;
      return { compute, memory, other, fixed: launched ? kernelSeconds + hostWait : 0 };
    },
    stepSeconds: effects.has('step-overhead') ? (engine.stepSeconds ?? constants.stepSeconds) : 0,
    requestSeconds: effects.has('request-overhead') ? (engine.requestSeconds ?? constants.requestSeconds) : 0,
  };
}
