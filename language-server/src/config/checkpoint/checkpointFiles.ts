/**
 * The three reads a model folder needs, behind one small interface so each platform brings its
 * own: node's `fs` for the language server, the CLI and the API; a browser build could read through
 * VS Code's file system API. No `fs` here.
 *
 * The folder reading itself (readCheckpoint.ts) is written once, as a generator that yields each
 * read it wants; `runAsync` drives it over asynchronous files (the server never blocks on a disk),
 * `runSync` over synchronous ones (the CLI and the synchronous library API serve one call).
 */
import type { UnreadableFile } from '../types';

/** The first bytes of a file, with the file's whole size (to tell a truncated download). */
export interface FilePrefix {
  bytes: Uint8Array;
  sizeBytes: number;
}

export interface FolderEntry {
  name: string;
  isDirectory: boolean;
}

/** Reads of one model folder, each under the read policy the implementation was made with. */
export interface CheckpointFiles {
  /** A file's text, at most `maxBytes` (else `too-large`); undefined when there is no such file. */
  readText(uri: string, maxBytes: number): Promise<string | UnreadableFile | undefined>;
  /** A file's first `bytes` bytes (fewer when it is shorter); undefined when there is no such file. */
  readPrefix(uri: string, bytes: number): Promise<FilePrefix | UnreadableFile | undefined>;
  /** The entries of a folder; undefined when there is no such folder. */
  listFolder(uri: string): Promise<FolderEntry[] | UnreadableFile | undefined>;
}

/** The same reads, answered at once. */
export interface SyncCheckpointFiles {
  readText(uri: string, maxBytes: number): string | UnreadableFile | undefined;
  readPrefix(uri: string, bytes: number): FilePrefix | UnreadableFile | undefined;
  listFolder(uri: string): FolderEntry[] | UnreadableFile | undefined;
}

export type FileRequest =
  | { read: 'text'; uri: string; maxBytes: number }
  | { read: 'prefix'; uri: string; bytes: number }
  | { read: 'list'; uri: string };

export type FileAnswer = string | FilePrefix | FolderEntry[] | UnreadableFile | undefined;

/** A reading written as a generator: it yields what it wants read and gets the answer back. */
export type Reading<T> = Generator<FileRequest, T, FileAnswer>;

function answerAsync(files: CheckpointFiles, request: FileRequest): Promise<FileAnswer> {
  switch (request.read) {
    case 'text':
      return files.readText(request.uri, request.maxBytes);
    case 'prefix':
      return files.readPrefix(request.uri, request.bytes);
    case 'list':
      return files.listFolder(request.uri);
  }
}

function answerSync(files: SyncCheckpointFiles, request: FileRequest): FileAnswer {
  switch (request.read) {
    case 'text':
      return files.readText(request.uri, request.maxBytes);
    case 'prefix':
      return files.readPrefix(request.uri, request.bytes);
    case 'list':
      return files.listFolder(request.uri);
  }
}

export async function runAsync<T>(reading: Reading<T>, files: CheckpointFiles): Promise<T> {
  let step = reading.next(undefined);
  while (!step.done) step = reading.next(await answerAsync(files, step.value));
  return step.value;
}

export function runSync<T>(reading: Reading<T>, files: SyncCheckpointFiles): T {
  let step = reading.next(undefined);
  while (!step.done) step = reading.next(answerSync(files, step.value));
  return step.value;
}

export function isUnreadable(answer: unknown): answer is UnreadableFile {
  return answer !== null && typeof answer === 'object' && !Array.isArray(answer) && 'unreadable' in answer;
}
