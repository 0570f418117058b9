/**
 * Model folder reads from node's `fs` (config/checkpoint/checkpointFiles.ts), under a read policy:
 * text through the config reader (regular files, a byte limit), the first bytes of a shard
 * (opened without blocking, checked to be a regular file on the open handle, never more than asked),
 * and a folder's entries. In Restricted Mode nothing outside the workspace folders, wherever a
 * symlink points.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync } from 'node:fs';
import { open, readdir, realpath } from 'node:fs/promises';
import type { CheckpointFiles, FilePrefix, FolderEntry, SyncCheckpointFiles } from '../config/checkpoint/checkpointFiles';
import { isWithinFolders, policyRefuses, type ReadPolicy } from '../config/readPolicy';
import type { UnreadableFile } from '../config/types';
import { failureOf, pathOf, readConfigFile, readConfigFileSync, realFolderUri, realFolderUriAsync, realUri } from './readConfigFile';

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

type Refusal = UnreadableFile | undefined | 'ok';

function refusedByPolicySync(uri: string, path: string, policy: ReadPolicy): Refusal {
  const refused = policyRefuses(uri, policy);
  if (refused) return refused;
  if (!policy.onlyWithin) return 'ok';
  try {
    return isWithinFolders(realUri(realpathSync(path)), policy.onlyWithin.map(realFolderUri)) ? 'ok' : { unreadable: 'outside-workspace' };
  } catch (error) {
    return failureOf(error) as UnreadableFile | undefined;
  }
}

async function refusedByPolicy(uri: string, path: string, policy: ReadPolicy): Promise<Refusal> {
  const refused = policyRefuses(uri, policy);
  if (refused) return refused;
  if (!policy.onlyWithin) return 'ok';
  try {
    const folders = await Promise.all(policy.onlyWithin.map(realFolderUriAsync));
    return isWithinFolders(realUri(await realpath(path)), folders) ? 'ok' : { unreadable: 'outside-workspace' };
  } catch (error) {
    return failureOf(error) as UnreadableFile | undefined;
  }
}

function entriesOf(entries: { name: string; isDirectory(): boolean }[]): FolderEntry[] {
  return entries.map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory() }));
}

export function syncCheckpointFiles(policy: ReadPolicy): SyncCheckpointFiles {
  return {
    readText: (uri, maxBytes) => readConfigFileSync(uri, { ...policy, maxBytes }),
    readPrefix(uri, bytes): FilePrefix | UnreadableFile | undefined {
      const path = pathOf(uri);
      if (path === undefined) return undefined;
      const allowed = refusedByPolicySync(uri, path, policy);
      if (allowed !== 'ok') return allowed;
      let descriptor: number | undefined;
      try {
        descriptor = openSync(path, OPEN_FLAGS);
        const stats = fstatSync(descriptor);
        if (!stats.isFile()) return { unreadable: 'not-regular-file' };
        const buffer = Buffer.alloc(Math.min(bytes, stats.size));
        let filled = 0;
        while (filled < buffer.length) {
          const count = readSync(descriptor, buffer, filled, buffer.length - filled, filled);
          if (count === 0) break;
          filled += count;
        }
        return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, filled), sizeBytes: stats.size };
      } catch (error) {
        return failureOf(error) as UnreadableFile | undefined;
      } finally {
        if (descriptor !== undefined) closeSync(descriptor);
      }
    },
    listFolder(uri) {
      const path = pathOf(uri);
      if (path === undefined) return undefined;
      const allowed = refusedByPolicySync(uri, path, policy);
      if (allowed !== 'ok') return allowed;
      try {
        return entriesOf(readdirSync(path, { withFileTypes: true }));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException | undefined)?.code;
        if (code === 'ENOTDIR') return { unreadable: 'not-regular-file' };
        return failureOf(error) as UnreadableFile | undefined;
      }
    },
  };
}

export function checkpointFiles(policy: ReadPolicy): CheckpointFiles {
  return {
    readText: (uri, maxBytes) => readConfigFile(uri, { ...policy, maxBytes }),
    async readPrefix(uri, bytes) {
      const path = pathOf(uri);
      if (path === undefined) return undefined;
      const allowed = await refusedByPolicy(uri, path, policy);
      if (allowed !== 'ok') return allowed;
      try {
        const handle = await open(path, OPEN_FLAGS);
        try {
          const stats = await handle.stat();
          if (!stats.isFile()) return { unreadable: 'not-regular-file' };
          const buffer = Buffer.alloc(Math.min(bytes, stats.size));
          let filled = 0;
          while (filled < buffer.length) {
            const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
            if (bytesRead === 0) break;
            filled += bytesRead;
          }
          return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, filled), sizeBytes: stats.size };
        } finally {
          await handle.close();
        }
      } catch (error) {
        return failureOf(error) as UnreadableFile | undefined;
      }
    },
    async listFolder(uri) {
      const path = pathOf(uri);
      if (path === undefined) return undefined;
      const allowed = await refusedByPolicy(uri, path, policy);
      if (allowed !== 'ok') return allowed;
      try {
        return entriesOf(await readdir(path, { withFileTypes: true }));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException | undefined)?.code;
        if (code === 'ENOTDIR') return { unreadable: 'not-regular-file' };
        return failureOf(error) as UnreadableFile | undefined;
      }
    },
  };
}
