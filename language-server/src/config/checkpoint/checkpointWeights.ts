/**
 * A model folder's checkpoint (read by readCheckpoint.ts) → the engine's exact weight bytes, what
 * the hover shows, and the problems: files that could not be used, and tensors that disagree with
 * `config.json` (the layer count, the expert count, the embedding's shape), each on the config
 * field it contradicts.
 */
import type { CheckpointPart, CheckpointWeights } from '../../engine/types';
import { problemAt } from '../problems';
import type { ConfigProblem, JsonPath, ParsedDocument } from '../types';
import type { CheckpointRead, CheckpointTensor } from './readCheckpoint';
import { expertIndexOf, layerIndexOf, partOfTensor } from './tensorParts';

/** What was read from a model folder, for hovers and the panel. */
export interface CheckpointSummary {
  folderUri: string;
  /** `headers`: every shard's header read (exact bytes per tensor); `index`: the index's total only; `none`: no safetensors. */
  source: 'headers' | 'index' | 'none';
  totalBytes?: number;
  indexUri?: string;
  shards: number;
  headersRead: number;
  tensors: number;
  /** Bytes per safetensors dtype (headers only). */
  bytesByDtype?: Record<string, number>;
  bytesByPart?: Partial<Record<CheckpointPart, number>>;
  /** A few tensors counted as `other` (outside the language model's layers). */
  otherTensors?: string[];
}

export interface CheckpointResolution {
  weights?: CheckpointWeights;
  summary: CheckpointSummary;
  problems: ConfigProblem[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The language model's fields and where they sit (multimodal configs nest them in text_config). */
function languageFields(config: Record<string, unknown>): { fields: Record<string, unknown>; at: JsonPath } {
  return isObject(config.text_config) ? { fields: config.text_config, at: ['text_config'] } : { fields: config, at: [] };
}

const EXPERT_COUNT_KEYS = ['num_local_experts', 'n_routed_experts', 'num_experts'] as const;

function whole(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Lowest and highest of many numbers (a checkpoint has up to ~100,000 tensors: no spread into Math.max). */
function extent(values: readonly number[]): { lowest: number; highest: number } {
  let lowest = Infinity;
  let highest = -Infinity;
  for (const value of values) {
    if (value < lowest) lowest = value;
    if (value > highest) highest = value;
  }
  return { lowest, highest };
}

function describeRange(first: number, last: number): string {
  return first === last ? `${first}` : `${first}–${last}`;
}

/** Tensors that contradict config.json, each on the field it contradicts. */
function configDisagreements(tensors: readonly CheckpointTensor[], configDoc: ParsedDocument, config: Record<string, unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const { fields, at } = languageFields(config);
  const numLayers = whole(fields.num_hidden_layers);
  const languageTensors = tensors.filter((tensor) => partOfTensor(tensor.name, undefined) !== 'other');
  const layers = languageTensors.map((tensor) => layerIndexOf(tensor.name)).filter((index): index is number => index !== undefined);
  if (numLayers !== undefined && layers.length > 0) {
    const { lowest, highest } = extent(layers);
    if (highest + 1 < numLayers) {
      problems.push(
        problemAt(configDoc, [...at, 'num_hidden_layers'], 'checkpoint-mismatch', `num_hidden_layers is ${numLayers}, but the checkpoint's tensors are for ${highest + 1} layers (${describeRange(lowest, highest)})`),
      );
    }
  }
  const expertKey = EXPERT_COUNT_KEYS.find((key) => whole(fields[key]) !== undefined);
  const experts = tensors.map((tensor) => expertIndexOf(tensor.name)).filter((index): index is number => index !== undefined);
  if (expertKey && experts.length > 0) {
    const configured = whole(fields[expertKey])!;
    const { highest } = extent(experts);
    if (highest + 1 !== configured) {
      problems.push(problemAt(configDoc, [...at, expertKey], 'checkpoint-mismatch', `${expertKey} is ${configured}, but the checkpoint has tensors for ${highest + 1} experts per layer`));
    }
  }
  const hidden = whole(fields.hidden_size);
  const vocab = whole(fields.vocab_size);
  const embedding = tensors.find((tensor) => partOfTensor(tensor.name, numLayers) === 'embedding' && tensor.shape?.length === 2 && /^(F16|BF16|F32)$/.test(tensor.dtype ?? ''));
  if (embedding?.shape) {
    const [rows, columns] = embedding.shape as [number, number];
    if (hidden !== undefined && columns !== hidden) {
      problems.push(problemAt(configDoc, [...at, 'hidden_size'], 'checkpoint-mismatch', `hidden_size is ${hidden}, but the checkpoint's ${embedding.name} is ${rows} × ${columns} (hidden size ${columns})`));
    }
    if (vocab !== undefined && rows !== vocab) {
      problems.push(
        problemAt(configDoc, [...at, 'vocab_size'], 'checkpoint-mismatch', `vocab_size is ${vocab}, but the checkpoint's ${embedding.name} has ${rows} rows`, { severity: 'warning' }),
      );
    }
  }
  return problems;
}

function add<K extends string>(totals: Partial<Record<K, number>>, key: K, bytes: number): void {
  totals[key] = (totals[key] ?? 0) + bytes;
}

/** Positions of a problem in a checkpoint file: the byte offset it names, else the file's start. */
function placed(problem: CheckpointRead['problems'][number]): ConfigProblem {
  const offset = problem.offset !== undefined && problem.offset >= 0 ? problem.offset : 0;
  return { uri: problem.uri, range: { start: offset, end: offset }, path: [], message: problem.message, code: problem.code, severity: problem.severity };
}

/**
 * Resolutions already made, by the read they came from and the config text: a check per keystroke
 * reuses them (placing 100,000 tensors by name is not work for every keystroke).
 */
const resolutions = new WeakMap<CheckpointRead, { configDoc: ParsedDocument; resolution: CheckpointResolution }>();

export function checkpointOf(read: CheckpointRead, configDoc: ParsedDocument): CheckpointResolution {
  const known = resolutions.get(read);
  if (known && known.configDoc === configDoc) return { ...known.resolution, problems: [...known.resolution.problems] };
  const resolution = resolveCheckpoint(read, configDoc);
  resolutions.set(read, { configDoc, resolution });
  return { ...resolution, problems: [...resolution.problems] };
}

function resolveCheckpoint(read: CheckpointRead, configDoc: ParsedDocument): CheckpointResolution {
  const problems = read.problems.map(placed);
  const config = isObject(configDoc.value) ? configDoc.value : {};
  const numLayers = whole(languageFields(config).fields.num_hidden_layers);
  const base = { folderUri: read.folderUri, shards: read.shards.length, headersRead: read.headersRead, tensors: read.tensors.length, ...(read.index ? { indexUri: read.index.uri } : {}) };
  if (read.tensors.length > 0) problems.push(...configDisagreements(read.tensors, configDoc, config));
  if (read.headerBytes !== undefined && read.headerBytes > 0) {
    const bytesByPart: Partial<Record<CheckpointPart, number>> = {};
    const bytesByDtype: Record<string, number> = {};
    const otherTensors: string[] = [];
    for (const tensor of read.tensors) {
      const part = partOfTensor(tensor.name, numLayers);
      add(bytesByPart, part, tensor.bytes ?? 0);
      add(bytesByDtype, tensor.dtype ?? 'unknown', tensor.bytes ?? 0);
      if (part === 'other' && otherTensors.length < 3) otherTensors.push(tensor.name);
    }
    return {
      weights: { totalBytes: read.headerBytes, bytesByPart, source: 'headers' },
      summary: { ...base, source: 'headers', totalBytes: read.headerBytes, bytesByDtype, bytesByPart, ...(otherTensors.length > 0 ? { otherTensors } : {}) },
      problems,
    };
  }
  const total = read.index?.totalSizeBytes;
  if (total !== undefined && total > 0 && !problems.some((problem) => problem.severity === 'error')) {
    return { weights: { totalBytes: total, source: 'index' }, summary: { ...base, source: 'index', totalBytes: total }, problems };
  }
  return { summary: { ...base, source: 'none' }, problems };
}
