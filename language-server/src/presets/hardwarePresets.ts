/**
 * Hardware presets: the reference accelerator table (dense figures, each with its source and the
 * confidence the reference gives), under the reference id with `-` for `_`, the project's own
 * additions (presets/additions/hardware.json, merged by `npm run generate:presets`), and
 * LLM-Viewer's own table under its own keys, figures exactly as LLM-Viewer has them.
 */
import type { ComputePrecision, HardwareSpec } from '../engine/types';
import { measuredAchievable } from './achievableFractions';
import { servingFields } from './servingFigures';
import { hasSparseTensorCores, SPARSE_TENSOR_CORES_SOURCE } from './sparseTensorCores';
import referenceData from './data/hardware.json';
import { freezeDeep } from '../engine/unchanged';
import {
  applyHardwareFields,
  completeHardwareSpec,
  GIB_BYTES,
  missingHardwareFigures,
  type HardwareFields,
  type PartialHardwareSpec,
} from './hardwareFigures';
import { LLM_VIEWER_HARDWARE, LLM_VIEWER_SOURCE, type LlmViewerHardwareEntry } from './llmViewerHardware';

export interface HardwarePreset {
  id: string;
  /** Product name, for display. */
  name: string;
  vendor?: string;
  /** Which table the preset comes from: the reference, the project's additions, or LLM-Viewer's. */
  origin: 'reference' | 'project' | 'llm-viewer';
  /** Figures in SI units; some may be missing when the datasheet lacks them. */
  figures: PartialHardwareSpec;
  /** The figures as a hardware file would write them (GiB, GB/s, TFLOPS), for display. */
  fields: HardwareFields;
  /** The complete spec; undefined when `missing` is not empty. */
  spec?: HardwareSpec;
  /** File-format names of the figures the datasheet lacks (`memory_bandwidth_gb_s`, `peak_tflops`). */
  missing: string[];
  /** One line naming where the figures come from. */
  source: string;
  /** Source per figure (`memory_gib`, `memory_bandwidth_gb_s`, `peak_tflops.fp16`, `interconnect`). */
  sources: Record<string, string>;
  /** Full descriptions of the source keys used in `sources`. */
  references: Record<string, string>;
  confidence: string;
  notes: string[];
}

interface ReferenceHardwareEntry {
  id: string;
  /** The reference table's id; null for an accelerator the project adds. */
  referenceId: string | null;
  name: string;
  vendor?: string;
  figures: {
    memory_gib: number | null;
    memory_bandwidth_gb_s: number | null;
    peak_tflops: Partial<Record<ComputePrecision, number>>;
    interconnect?: { bandwidth_gb_s: number };
  };
  sources: Record<string, string>;
  references: Record<string, string>;
  confidence: string;
  notes: string[];
}

function fieldsWithoutNulls(figures: ReferenceHardwareEntry['figures']): HardwareFields {
  return {
    ...(figures.memory_gib !== null ? { memory_gib: figures.memory_gib } : {}),
    ...(figures.memory_bandwidth_gb_s !== null ? { memory_bandwidth_gb_s: figures.memory_bandwidth_gb_s } : {}),
    peak_tflops: { ...figures.peak_tflops },
    ...(figures.interconnect ? { interconnect: { ...figures.interconnect } } : {}),
  };
}

/** A reference's description up to its first aside: "fpsbench.com L4 spec", not its whole note. */
function shortReference(description: string): string {
  const cut = description.search(/ \(|: | - /);
  return (cut > 0 ? description.slice(0, cut) : description).trim();
}

/**
 * Where the figures come from, as a person can follow it: the references the figures cite (not
 * their table keys), most-cited first.
 */
export function readableSource(sources: Record<string, string>, references: Record<string, string>): string {
  const citations = new Map<string, number>();
  for (const text of Object.values(sources)) {
    for (const key of Object.keys(references)) {
      if (new RegExp(`\\b${key}\\b`).test(text)) citations.set(key, (citations.get(key) ?? 0) + 1);
    }
  }
  const cited = [...citations.entries()].sort((a, b) => b[1] - a[1]).map(([key]) => shortReference(references[key]!));
  return [...new Set(cited)].join('; ');
}

function referencePreset(entry: ReferenceHardwareEntry): HardwarePreset {
  const serving = servingFields(entry.id);
  const { interconnect: fabric, ...servingRest } = serving.fields;
  const datasheet = fieldsWithoutNulls(entry.figures);
  // The fabric's kind and reach join the datasheet's link bandwidth only where there is one.
  const fields: HardwareFields = {
    ...datasheet,
    ...servingRest,
    ...(datasheet.interconnect ? { interconnect: { ...datasheet.interconnect, ...fabric } } : {}),
    sparse_tensor_cores: hasSparseTensorCores(entry.id),
  };
  const measured = applyHardwareFields({ name: entry.id, peakOpsPerSecond: {} }, fields);
  const achievable = measuredAchievable(entry.id, measured.peakOpsPerSecond, measured.memoryBandwidthBytesPerSecond);
  const figures = achievable ? { ...measured, achievable } : measured;
  const spec = completeHardwareSpec(figures);
  return {
    id: entry.id,
    name: entry.name,
    ...(entry.vendor ? { vendor: entry.vendor } : {}),
    origin: entry.referenceId === null ? 'project' : 'reference',
    figures,
    fields,
    // Frozen all the way down: the engine caches preparations by this object without comparing it again.
    ...(spec ? { spec: freezeDeep(structuredClone(spec)) } : {}),
    missing: missingHardwareFigures(figures),
    source: readableSource(entry.sources, entry.references) || (entry.referenceId === null ? 'project additions' : `reference table (${entry.referenceId})`),
    sources: {
      ...entry.sources,
      ...serving.sources,
      ...(achievable?.source ? { achievable: achievable.source } : {}),
      sparse_tensor_cores: `SPARSITY (${hasSparseTensorCores(entry.id) ? '2:4 at twice the dense rate' : 'no sparse tensor-core rate'})`,
    },
    references: { ...entry.references, ...serving.references, SPARSITY: SPARSE_TENSOR_CORES_SOURCE },
    confidence: entry.confidence,
    notes: entry.notes,
  };
}

/** LLM-Viewer's figures are used as they are (SI already), so `conventions: llm-viewer` matches it bit for bit. */
function llmViewerPreset(id: string, entry: LlmViewerHardwareEntry): HardwarePreset {
  const peakOpsPerSecond: PartialHardwareSpec['peakOpsPerSecond'] = { fp16: entry.FP16 };
  if (entry.INT8 !== undefined) peakOpsPerSecond.int8 = entry.INT8;
  if (entry.INT4 !== undefined) peakOpsPerSecond.int4 = entry.INT4;
  const figures: PartialHardwareSpec = {
    name: id,
    memoryBandwidthBytesPerSecond: entry.bandwidth,
    memoryCapacityBytes: entry.memory_capacity,
    peakOpsPerSecond,
    onChipBufferBytes: entry.onchip_buffer,
  };
  const fields: HardwareFields = {
    memory_gib: entry.memory_capacity / GIB_BYTES,
    memory_bandwidth_gb_s: entry.bandwidth / 1e9,
    peak_tflops: Object.fromEntries(Object.entries(peakOpsPerSecond).map(([precision, ops]) => [precision, (ops as number) / 1e12])),
    on_chip_buffer_kb: entry.onchip_buffer / 1e3,
  };
  const source = `LLM-Viewer (${LLM_VIEWER_SOURCE})`;
  return {
    id,
    name: `${id} (LLM-Viewer)`,
    origin: 'llm-viewer',
    figures,
    fields,
    spec: freezeDeep(structuredClone(completeHardwareSpec(figures)!)),
    missing: [],
    source,
    sources: { memory_gib: source, memory_bandwidth_gb_s: source, peak_tflops: source, on_chip_buffer_kb: source },
    references: {},
    confidence: 'as published by LLM-Viewer (dense = sparse OPS / 2)',
    notes: [
      `LLM-Viewer ${entry.category} device; figures exactly as LLM-Viewer's table has them, quirks included.`,
      'Capacity as in LLM-Viewer (GiB); LLM-Viewer itself does not check it.',
    ],
  };
}

export const HARDWARE_PRESETS: readonly HardwarePreset[] = [
  ...(referenceData.presets as unknown as ReferenceHardwareEntry[]).map(referencePreset),
  ...Object.entries(LLM_VIEWER_HARDWARE).map(([id, entry]) => llmViewerPreset(id, entry)),
];
