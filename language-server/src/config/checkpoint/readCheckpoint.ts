/**
 * What a model folder holds beside its `config.json`: the safetensors index
 * (`model.safetensors.index.json`: `metadata.total_size` and the `weight_map` of tensor → shard)
 * and the header of each shard present (dtype, shape and byte size of every tensor). Headers only,
 * bounded, never tensor data. The result is a plain digest: resolution (sync, no files) turns it
 * into the engine's checkpoint bytes and the problems to show.
 */
import { fileNameOf } from '../detect';
import type { Severity, UnreadableFile } from '../types';
import { describeUnreadable } from '../readPolicy';
import { isUnreadable, type FilePrefix, type FolderEntry, type Reading } from './checkpointFiles';
import { headerLength, parseHeader } from './safetensorsHeader';

export const INDEX_FILE_NAME = 'model.safetensors.index.json';

/**
 * Index files list every tensor name once: about 100 bytes a tensor, so 12 MB for DeepSeek-V3's
 * 91,000 tensors. Far larger is not an index.
 */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** Shards whose headers are read at most (DeepSeek-V3 has 163; Llama-3.1-405B 191). */
export const MAX_SHARDS = 1024;

export interface CheckpointProblem {
  /** The file the problem is in (the index or a shard), or the folder. */
  uri: string;
  /** Byte offset in that file, when the problem has a place in it. */
  offset?: number;
  message: string;
  code: 'checkpoint-missing-folder' | 'checkpoint-unreadable' | 'checkpoint-index' | 'checkpoint-header' | 'checkpoint-mismatch';
  severity: Severity;
}

export interface CheckpointTensor {
  name: string;
  /** The shard file name that holds it. */
  file: string;
  /** From the shard's header, when it was read. */
  dtype?: string;
  shape?: number[];
  bytes?: number;
}

export interface CheckpointRead {
  folderUri: string;
  /** No such folder. */
  missingFolder?: boolean;
  /** Files read, for re-checking when one changes. */
  files: string[];
  /** The index, when the folder has one and it could be read. */
  index?: { uri: string; totalSizeBytes?: number };
  tensors: CheckpointTensor[];
  /** Shards named (by the index, or found in the folder) and how many of their headers were read. */
  shards: string[];
  headersRead: number;
  /** Sum of the tensor bytes in the headers, when every shard's header was read. */
  headerBytes?: number;
  problems: CheckpointProblem[];
}

function folderUriOf(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** Why a file was not read; the file's name goes in front where the problem is shown. */
function unreadableMessage(file: UnreadableFile): string {
  if (file.unreadable === 'outside-workspace') return 'not read in Restricted Mode (outside the workspace folders)';
  return `not read: ${describeUnreadable(file)}`;
}

/** A shard name the index may name: a plain file name in the folder (never a path out of it). */
function isPlainShardName(name: string): boolean {
  return /^[^/\\]+\.safetensors$/i.test(name) && name !== '.' && name !== '..';
}

interface IndexContent {
  totalSizeBytes?: number;
  weightMap: [string, string][];
}

/** The index's JSON: its total size and weight map, or the problem that keeps it from being used. */
function parseIndex(text: string, uri: string, problems: CheckpointProblem[]): IndexContent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const at = /position (\d+)/.exec(error instanceof Error ? error.message : '');
    problems.push({ uri, ...(at ? { offset: Number(at[1]) } : {}), message: `is not valid JSON${at ? ` (at character ${at[1]})` : ''}`, code: 'checkpoint-index', severity: 'error' });
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ uri, message: 'is not a JSON object with metadata and weight_map', code: 'checkpoint-index', severity: 'error' });
    return undefined;
  }
  const { metadata, weight_map: weightMap } = value as Record<string, unknown>;
  if (weightMap === null || typeof weightMap !== 'object' || Array.isArray(weightMap)) {
    problems.push({ uri, offset: text.indexOf('"weight_map"'), message: 'has no weight_map object (tensor name → shard file)', code: 'checkpoint-index', severity: 'error' });
    return undefined;
  }
  const entries: [string, string][] = [];
  for (const [name, file] of Object.entries(weightMap as Record<string, unknown>)) {
    if (typeof file !== 'string' || !isPlainShardName(file)) {
      problems.push({
        uri,
        offset: text.indexOf(JSON.stringify(name)),
        message: `maps ${name} to ${JSON.stringify(file)}, which is not a .safetensors file name in the model folder`,
        code: 'checkpoint-index',
        severity: 'error',
      });
      return undefined;
    }
    entries.push([name, file]);
  }
  const totalSize = metadata !== null && typeof metadata === 'object' ? (metadata as Record<string, unknown>).total_size : undefined;
  if (totalSize !== undefined && (typeof totalSize !== 'number' || !Number.isSafeInteger(totalSize) || totalSize < 0)) {
    problems.push({ uri, offset: text.indexOf('"total_size"'), message: `has metadata.total_size ${JSON.stringify(totalSize)}, not a whole number of bytes`, code: 'checkpoint-index', severity: 'error' });
    return undefined;
  }
  return { ...(typeof totalSize === 'number' ? { totalSizeBytes: totalSize } : {}), weightMap: entries };
}

/** The tensors of one shard's header, or undefined with a problem. */
function* readHeader(uri: string, problems: CheckpointProblem[]): Reading<CheckpointTensor[] | undefined> {
  const name = fileNameOf(uri);
  const start = (yield { read: 'prefix', uri, bytes: 8 }) as FilePrefix | UnreadableFile | undefined;
  if (start === undefined) {
    problems.push({ uri, message: 'is named but not in the folder', code: 'checkpoint-unreadable', severity: 'warning' });
    return undefined;
  }
  if (isUnreadable(start)) {
    problems.push({ uri, message: unreadableMessage(start), code: 'checkpoint-unreadable', severity: 'warning' });
    return undefined;
  }
  const length = headerLength(start.bytes, start.sizeBytes);
  if ('problem' in length) {
    problems.push({ uri, offset: 0, message: length.problem, code: 'checkpoint-header', severity: 'error' });
    return undefined;
  }
  const whole = (yield { read: 'prefix', uri, bytes: 8 + length.lengthBytes }) as FilePrefix | UnreadableFile | undefined;
  if (whole === undefined || isUnreadable(whole) || whole.bytes.length < 8 + length.lengthBytes) {
    problems.push({ uri, message: 'changed while its header was read', code: 'checkpoint-unreadable', severity: 'warning' });
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(whole.bytes.subarray(8, 8 + length.lengthBytes));
  } catch {
    problems.push({ uri, offset: 8, message: 'has a header that is not UTF-8 text', code: 'checkpoint-header', severity: 'error' });
    return undefined;
  }
  const parsed = parseHeader(text, whole.sizeBytes, length.lengthBytes);
  if ('problem' in parsed) {
    problems.push({ uri, ...(parsed.offset !== undefined ? { offset: parsed.offset } : {}), message: parsed.problem, code: 'checkpoint-header', severity: 'error' });
    return undefined;
  }
  const file = name;
  return parsed.tensors.map((tensor) => ({ ...tensor, file }));
}

/** Reads the checkpoint files of the model folder at `folder` (its uri, with or without a trailing slash). */
export function* readCheckpoint(folder: string): Reading<CheckpointRead> {
  const folderUri = folderUriOf(folder);
  const problems: CheckpointProblem[] = [];
  const files: string[] = [];
  const listing = (yield { read: 'list', uri: folderUri }) as FolderEntry[] | UnreadableFile | undefined;
  const empty = { folderUri, files, tensors: [], shards: [], headersRead: 0, problems };
  if (listing === undefined) {
    problems.push({ uri: folderUri, message: 'no such folder', code: 'checkpoint-missing-folder', severity: 'error' });
    return { ...empty, missingFolder: true };
  }
  if (isUnreadable(listing)) {
    problems.push({ uri: folderUri, message: unreadableMessage(listing), code: 'checkpoint-unreadable', severity: 'warning' });
    return empty;
  }
  const present = new Set(listing.filter((entry) => !entry.isDirectory).map((entry) => entry.name));
  let index: CheckpointRead['index'];
  let tensors: CheckpointTensor[] = [];
  let shards: string[];
  if (present.has(INDEX_FILE_NAME)) {
    const uri = `${folderUri}${INDEX_FILE_NAME}`;
    files.push(uri);
    const text = (yield { read: 'text', uri, maxBytes: MAX_INDEX_BYTES }) as string | UnreadableFile | undefined;
    if (typeof text !== 'string') {
      problems.push({ uri, message: text === undefined ? 'disappeared while it was read' : unreadableMessage(text), code: 'checkpoint-unreadable', severity: 'warning' });
      return { ...empty, problems };
    }
    const content = parseIndex(text, uri, problems);
    if (!content) return { ...empty, problems };
    index = { uri, ...(content.totalSizeBytes !== undefined ? { totalSizeBytes: content.totalSizeBytes } : {}) };
    tensors = content.weightMap.map(([name, file]) => ({ name, file }));
    shards = [...new Set(content.weightMap.map(([, file]) => file))].sort();
  } else {
    shards = [...present].filter(isPlainShardName).sort();
  }
  if (shards.length > MAX_SHARDS) {
    problems.push({ uri: folderUri, message: `names ${shards.length} shards; headers are read for at most ${MAX_SHARDS}`, code: 'checkpoint-unreadable', severity: 'warning' });
    return { folderUri, files, ...(index ? { index } : {}), tensors, shards, headersRead: 0, problems };
  }
  // An index whose shards are not all here (only the small files were downloaded): the total
  // stands, the per-tensor sizes are not known.
  const missing = shards.filter((shard) => !present.has(shard));
  if (index && missing.length > 0) {
    return { folderUri, files, index, tensors, shards, headersRead: 0, problems };
  }
  const fromHeaders: CheckpointTensor[] = [];
  let headersRead = 0;
  for (const shard of shards) {
    const uri = `${folderUri}${encodeURIComponent(shard)}`;
    files.push(uri);
    const read = yield* readHeader(uri, problems);
    if (!read) continue;
    headersRead++;
    fromHeaders.push(...read);
  }
  const allRead = headersRead === shards.length && shards.length > 0;
  if (!allRead) return { folderUri, files, ...(index ? { index } : {}), tensors: index ? tensors : fromHeaders, shards, headersRead, problems };
  const headerBytes = fromHeaders.reduce((sum, tensor) => sum + (tensor.bytes ?? 0), 0);
  if (index) {
    const inHeaders = new Map(fromHeaders.map((tensor) => [tensor.name, tensor]));
    const absent = tensors.filter((tensor) => inHeaders.get(tensor.name)?.file !== tensor.file);
    if (absent.length > 0) {
      problems.push({
        uri: index.uri,
        offset: 0,
        message: `maps ${absent.length} tensor${absent.length === 1 ? '' : 's'} to shards whose headers do not hold ${absent.length === 1 ? 'it' : 'them'} (first: ${absent[0]!.name} → ${absent[0]!.file})`,
        code: 'checkpoint-mismatch',
        severity: 'warning',
      });
    }
    if (index.totalSizeBytes !== undefined && index.totalSizeBytes !== headerBytes) {
      problems.push({
        uri: index.uri,
        offset: 0,
        message: `says metadata.total_size ${index.totalSizeBytes} bytes, but the shards' headers hold ${headerBytes} bytes of tensors; the headers' sizes are used`,
        code: 'checkpoint-mismatch',
        severity: 'warning',
      });
    }
  }
  return { folderUri, files, ...(index ? { index } : {}), tensors: fromHeaders, shards, headersRead, headerBytes, problems };
}
