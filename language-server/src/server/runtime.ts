/**
 * What the server core needs from its platform, injected by the entry point, as VS Code's
 * json-language-features does with its `RuntimeEnvironment`: ../node/nodeRuntime.ts (files from
 * disk, CPU time, a process id) and ../browser/browserRuntime.ts (a web worker: files through the
 * client, wall time only, no process). Nothing else in the server touches the platform.
 */
import type { CheckpointFiles } from '../config/checkpoint/checkpointFiles';
import type { ReadPolicy } from '../config/readPolicy';
import type { FileRead } from '../config/types';

export interface Disposable {
  dispose(): void;
}

export interface DirectoryEntry {
  name: string;
  isDirectory: boolean;
}

/** The entries of the folder at `uri` (empty when it cannot be listed). */
export type FolderLister = (uri: string) => Promise<DirectoryEntry[]>;

export interface ServerRuntime {
  /**
   * The text of the file at `uri`, read without blocking, as `policy` allows (regular files only, a byte limit, Restricted
   * Mode's folders); why not, when it exists but is not read; undefined when it does not exist.
   */
  readFile(uri: string, policy: ReadPolicy): Promise<FileRead>;
  /** The entries of the folder at `uri` (empty when it cannot be listed or `policy` keeps it out). */
  listDirectory(uri: string, policy: ReadPolicy): Promise<DirectoryEntry[]>;
  /**
   * Reads of model folders (safetensors index and headers) as `policy` allows; absent where the
   * platform cannot read them, and a model folder is then analysed from its config.json alone.
   */
  checkpointFiles?(policy: ReadPolicy): CheckpointFiles;
  timer: {
    setTimeout(callback: () => void, milliseconds: number): Disposable;
  };
  /** Milliseconds from an arbitrary origin, for handling-time measurements. */
  now(): number;
  /**
   * CPU milliseconds this process has used, from an arbitrary origin, for the check budget (a busy
   * machine stretches wall time, not work); `now` stands in where the platform has no such clock
   * (a web worker), so there the budget is wall time.
   */
  cpuNow?(): number;
  /** The server's process id, where it runs in a process of its own (the client ends a stuck server by it). */
  processId?: number;
}
