/**
 * Hardware figures as files write them (GiB, decimal GB/s, dense TFLOPS/TOPS, KB, µs) and their
 * conversion to the engine's SI units. Presets and `extends:` work on a partial spec: a datasheet
 * may lack a figure, which is an error only when the hardware is used without it.
 */
import { DEFAULT_EXPECTED, DEFAULT_SCALE_OUT } from '../engine/expected/constants';
import type { AchievableFractions, ComputePrecision, ExpectedConstants, FabricKind, HardwareSpec, PeakOpsPerSecond } from '../engine/types';

export const GIB_BYTES = 1024 ** 3;
export const GB = 1e9;
export const TERA = 1e12;
export const KB = 1e3;
export const MICROSECOND = 1e-6;

export const COMPUTE_PRECISIONS: readonly ComputePrecision[] = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8', 'fp6', 'fp4', 'int4'];

/** A hardware file's fields (snake case, file units), all optional. */
export interface HardwareFields {
  extends?: string;
  name?: string;
  memory_gib?: number;
  memory_bandwidth_gb_s?: number;
  peak_tflops?: Partial<Record<ComputePrecision, number>>;
  on_chip_buffer_kb?: number;
  interconnect?: {
    bandwidth_gb_s?: number;
    latency_us?: number;
    fabric?: FabricKind;
    domain_devices?: number;
    scale_out?: { bandwidth_gb_s?: number; latency_us?: number };
    source?: string;
  };
  /** Fractions of the peaks real kernels reach (for `efficiency: achievable`). */
  achievable?: { memory?: number; compute?: Partial<Record<ComputePrecision, number>>; source?: string };
  /** Streaming multiprocessors or compute units (matmul wave quantization under `efficiency: expected`). */
  compute_units?: number;
  /** 2:4 structured-sparse matmuls at twice the dense rate (`techniques.weight_sparsity`). */
  sparse_tensor_cores?: boolean;
  /** Constants of `efficiency: expected`. */
  expected?: {
    family?: string;
    kernel_us?: number;
    step_us?: number;
    weight_only_bandwidth?: number;
    attention_compute?: number;
    attention_bandwidth?: number;
    request_us?: number;
    all_reduce_link_efficiency?: number;
    bf16_convert_ops?: number;
    nccl_step_us?: number;
    nccl_link_efficiency?: number;
    nccl_ll_link_efficiency?: number;
    fp8_tile_overhead_depth?: number;
    source?: string;
  };
  source?: string;
}

/** A hardware spec in SI units that may still lack figures. */
export interface PartialHardwareSpec {
  name: string;
  memoryBandwidthBytesPerSecond?: number;
  memoryCapacityBytes?: number;
  peakOpsPerSecond: PeakOpsPerSecond;
  onChipBufferBytes?: number;
  interconnect?: {
    bandwidthBytesPerSecond?: number;
    latencySeconds?: number;
    fabric?: FabricKind;
    domainDevices?: number;
    scaleOut?: { bandwidthBytesPerSecond: number; latencySeconds: number };
  };
  achievable?: AchievableFractions;
  computeUnits?: number;
  expected?: ExpectedConstants;
  sparseTensorCores?: boolean;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** `base` with every figure `fields` gives replaced (converted to SI); figures of wrong type are skipped (the schema reports them). */
export function applyHardwareFields(base: PartialHardwareSpec, fields: HardwareFields): PartialHardwareSpec {
  const result: PartialHardwareSpec = {
    ...base,
    peakOpsPerSecond: { ...base.peakOpsPerSecond },
    ...(base.interconnect ? { interconnect: { ...base.interconnect } } : {}),
  };
  if (typeof fields.name === 'string' && fields.name.length > 0) result.name = fields.name;
  if (isNumber(fields.memory_gib)) result.memoryCapacityBytes = fields.memory_gib * GIB_BYTES;
  if (isNumber(fields.memory_bandwidth_gb_s)) result.memoryBandwidthBytesPerSecond = fields.memory_bandwidth_gb_s * GB;
  if (fields.peak_tflops && typeof fields.peak_tflops === 'object') {
    for (const precision of COMPUTE_PRECISIONS) {
      const tflops = fields.peak_tflops[precision];
      if (isNumber(tflops)) result.peakOpsPerSecond[precision] = tflops * TERA;
    }
  }
  if (isNumber(fields.on_chip_buffer_kb)) result.onChipBufferBytes = fields.on_chip_buffer_kb * KB;
  if (fields.interconnect && typeof fields.interconnect === 'object') {
    const interconnect = { ...result.interconnect };
    if (isNumber(fields.interconnect.bandwidth_gb_s)) interconnect.bandwidthBytesPerSecond = fields.interconnect.bandwidth_gb_s * GB;
    if (isNumber(fields.interconnect.latency_us)) interconnect.latencySeconds = fields.interconnect.latency_us * MICROSECOND;
    if (isFabric(fields.interconnect.fabric)) interconnect.fabric = fields.interconnect.fabric;
    if (isWhole(fields.interconnect.domain_devices)) interconnect.domainDevices = fields.interconnect.domain_devices;
    const scaleOut = fields.interconnect.scale_out;
    if (scaleOut && typeof scaleOut === 'object') {
      const base = interconnect.scaleOut;
      const bandwidth = isNumber(scaleOut.bandwidth_gb_s) && scaleOut.bandwidth_gb_s > 0 ? scaleOut.bandwidth_gb_s * GB : base?.bandwidthBytesPerSecond;
      const latency = isNumber(scaleOut.latency_us) && scaleOut.latency_us >= 0 ? scaleOut.latency_us * MICROSECOND : base?.latencySeconds;
      if (bandwidth !== undefined) interconnect.scaleOut = { bandwidthBytesPerSecond: bandwidth, latencySeconds: latency ?? DEFAULT_SCALE_OUT.latencySeconds };
    }
    result.interconnect = interconnect;
  }
  if (isWhole(fields.compute_units)) result.computeUnits = fields.compute_units;
  if (typeof fields.sparse_tensor_cores === 'boolean') result.sparseTensorCores = fields.sparse_tensor_cores;
  if (fields.expected && typeof fields.expected === 'object') result.expected = mergeExpected(result.expected, fields.expected);
  if (fields.achievable && typeof fields.achievable === 'object') result.achievable = mergeAchievable(result.achievable, fields.achievable);
  return result;
}

function isFraction(value: unknown): value is number {
  return isNumber(value) && value > 0 && value <= 1;
}

function isWhole(value: unknown): value is number {
  return isNumber(value) && Number.isInteger(value) && value >= 1;
}

const FABRICS: readonly FabricKind[] = ['nvswitch', 'nvlink', 'xgmi', 'pcie'];

function isFabric(value: unknown): value is FabricKind {
  return FABRICS.includes(value as FabricKind);
}

/** A file's expected-mode constants over the preset's (or the defaults), entry by entry. */
function mergeExpected(base: ExpectedConstants | undefined, fields: NonNullable<HardwareFields['expected']>): ExpectedConstants {
  const merged: ExpectedConstants = { ...(base ?? DEFAULT_EXPECTED) };
  if (typeof fields.family === 'string' && fields.family.length > 0) merged.family = fields.family;
  if (isNumber(fields.kernel_us) && fields.kernel_us >= 0) merged.kernelSeconds = fields.kernel_us * MICROSECOND;
  if (isNumber(fields.step_us) && fields.step_us >= 0) merged.stepSeconds = fields.step_us * MICROSECOND;
  if (isFraction(fields.weight_only_bandwidth)) merged.weightOnlyBandwidth = fields.weight_only_bandwidth;
  if (isFraction(fields.attention_compute)) merged.attentionCompute = fields.attention_compute;
  if (isFraction(fields.attention_bandwidth)) merged.attentionBandwidth = fields.attention_bandwidth;
  if (isNumber(fields.request_us) && fields.request_us >= 0) merged.requestSeconds = fields.request_us * MICROSECOND;
  if (isFraction(fields.all_reduce_link_efficiency)) merged.allReduceLinkEfficiency = fields.all_reduce_link_efficiency;
  if (isNumber(fields.bf16_convert_ops) && fields.bf16_convert_ops >= 0) merged.bf16ConvertOps = fields.bf16_convert_ops;
  const ring = { ...merged.ncclRing };
  if (isNumber(fields.nccl_step_us) && fields.nccl_step_us >= 0) ring.simpleStepSeconds = fields.nccl_step_us * MICROSECOND;
  if (isFraction(fields.nccl_link_efficiency)) ring.linkEfficiency = fields.nccl_link_efficiency;
  if (isFraction(fields.nccl_ll_link_efficiency)) ring.lowLatencyLinkEfficiency = fields.nccl_ll_link_efficiency;
  if (Object.keys(ring).length > 0) merged.ncclRing = ring;
  if (isNumber(fields.fp8_tile_overhead_depth) && fields.fp8_tile_overhead_depth >= 0) merged.fp8TileOverheadDepth = fields.fp8_tile_overhead_depth;
  if (typeof fields.source === 'string' && fields.source.length > 0) merged.source = fields.source;
  return merged;
}

/**
 * A file's achievable fractions over the preset's, entry by entry. A file that changes a peak
 * keeps the preset's fraction of it: a fraction describes the kernels, not the figure.
 */
function mergeAchievable(base: AchievableFractions | undefined, fields: NonNullable<HardwareFields['achievable']>): AchievableFractions {
  const merged: AchievableFractions = { ...base, ...(base?.compute ? { compute: { ...base.compute } } : {}) };
  if (isFraction(fields.memory)) merged.memory = fields.memory;
  if (fields.compute && typeof fields.compute === 'object') {
    const compute = { ...merged.compute };
    for (const precision of COMPUTE_PRECISIONS) {
      const fraction = fields.compute[precision];
      if (isFraction(fraction)) compute[precision] = fraction;
    }
    merged.compute = compute;
  }
  if (typeof fields.source === 'string' && fields.source.length > 0) merged.source = fields.source;
  return merged;
}

/** What a partial spec lacks to be analysed with: file-format field names. */
export function missingHardwareFigures(spec: PartialHardwareSpec): string[] {
  const missing: string[] = [];
  if (spec.memoryBandwidthBytesPerSecond === undefined) missing.push('memory_bandwidth_gb_s');
  if (Object.keys(spec.peakOpsPerSecond).length === 0) missing.push('peak_tflops');
  return missing;
}

/** The complete spec, or undefined when `missingHardwareFigures` is not empty. */
export function completeHardwareSpec(spec: PartialHardwareSpec): HardwareSpec | undefined {
  if (spec.memoryBandwidthBytesPerSecond === undefined || Object.keys(spec.peakOpsPerSecond).length === 0) return undefined;
  const link = spec.interconnect;
  const interconnect = link?.bandwidthBytesPerSecond
    ? {
        bandwidthBytesPerSecond: link.bandwidthBytesPerSecond,
        // Datasheets give no collective latency; 0 keeps the roofline's all-reduce bandwidth-only
        // (`efficiency: expected` takes the fabric's step latency from NCCL's model instead).
        latencySeconds: link.latencySeconds ?? 0,
        ...(link.fabric ? { fabric: link.fabric } : {}),
        ...(link.domainDevices !== undefined ? { domainDevices: link.domainDevices } : {}),
        ...(link.scaleOut ? { scaleOut: link.scaleOut } : {}),
      }
    : undefined;
  return {
    name: spec.name,
    memoryBandwidthBytesPerSecond: spec.memoryBandwidthBytesPerSecond,
    ...(spec.memoryCapacityBytes !== undefined ? { memoryCapacityBytes: spec.memoryCapacityBytes } : {}),
    peakOpsPerSecond: { ...spec.peakOpsPerSecond },
    ...(spec.onChipBufferBytes !== undefined ? { onChipBufferBytes: spec.onChipBufferBytes } : {}),
    ...(interconnect ? { interconnect } : {}),
    ...(spec.achievable ? { achievable: spec.achievable } : {}),
    ...(spec.computeUnits !== undefined ? { computeUnits: spec.computeUnits } : {}),
    ...(spec.expected ? { expected: spec.expected } : {}),
    ...(spec.sparseTensorCores !== undefined ? { sparseTensorCores: spec.sparseTensorCores } : {}),
  };
}

/** Plain-language name of a missing figure, for messages. */
export function describeFigure(field: string): string {
  switch (field) {
    case 'memory_bandwidth_gb_s':
      return 'memory bandwidth (memory_bandwidth_gb_s)';
    case 'peak_tflops':
      return 'compute peak for any precision (peak_tflops)';
    default:
      return field;
  }
}
