/**
 * The one way LLM Roofline reads a config file from disk, used by the language server, the CLI,
 * the API and the extension host's hardware comparison:
 *
 * - only regular files, after following symlinks (a `x.model.json` linked to /dev/zero is refused);
 * - opened with O_NONBLOCK and checked with `fstat` on the opened handle before any byte is read,
 *   so a FIFO never blocks and a file swapped between the checks is still caught;
 * - the byte limit enforced while reading (`stat` says 0 for devices and /proc files);
 * - in Restricted Mode, nothing outside the workspace folders, wherever a symlink points.
 *
 * Two forms, both reading at most `maxBytes + 1` bytes of a regular file: `readConfigFile`
 * (asynchronous) for the language server and the extension host, whose event loops serve other
 * documents, and `readConfigFileSync` for the CLI and the synchronous API, which serve one call.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MAX_CONFIG_FILE_BYTES, isWithinFolders, policyRefuses, type ReadPolicy } from '../config/readPolicy';
import type { FileRead, UnreadableFile } from '../config/types';

/** O_NONBLOCK does not exist on Windows, where opening a named pipe this way does not block either. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const CHUNK_BYTES = 64 * 1024;

/** The local path of a `file:` uri; undefined for any other uri. */
export function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** What an error from `fs` means for the reader: no such file (undefined) or a refusal. */
export function failureOf(error: unknown): FileRead {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return { unreadable: 'no-permission' };
  if (code === 'EISDIR' || code === 'ENXIO' || code === 'ENODEV' || code === 'EAGAIN') return { unreadable: 'not-regular-file' };
  return undefined;
}

function refusalOfStats(stats: Stats, maxBytes: number): UnreadableFile | undefined {
  if (!stats.isFile()) return { unreadable: 'not-regular-file' };
  if (stats.size > maxBytes) return { unreadable: 'too-large', limitBytes: maxBytes };
  return undefined;
}

export function realUri(path: string): string {
  return pathToFileURL(path).toString();
}

function decode(chunks: Buffer[], total: number): string {
  return Buffer.concat(chunks, total).toString('utf8');
}

export function readConfigFileSync(uri: string, policy: ReadPolicy = {}): FileRead {
  const maxBytes = policy.maxBytes ?? MAX_CONFIG_FILE_BYTES;
  const path = pathOf(uri);
  if (path === undefined) return undefined;
  const refused = policyRefuses(uri, policy);
  if (refused) return refused;
  let descriptor: number | undefined;
  try {
    if (policy.onlyWithin && !isWithinFolders(realUri(realpathSync(path)), policy.onlyWithin.map((folder) => realFolderUri(folder)))) {
      return { unreadable: 'outside-workspace' };
    }
    // Checked before opening, so a device is never opened (opening some has side effects)...
    const before = refusalOfStats(statSync(path), maxBytes);
    if (before) return before;
    descriptor = openSync(path, OPEN_FLAGS);
    // ...and again on the opened handle, in case the path was swapped in between.
    const after = refusalOfStats(fstatSync(descriptor), maxBytes);
    if (after) return after;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      const count = readSync(descriptor, chunk, 0, chunk.length, null);
      if (count === 0) break;
      chunks.push(chunk.subarray(0, count));
      total += count;
      if (total > maxBytes) return { unreadable: 'too-large', limitBytes: maxBytes };
    }
    return decode(chunks, total);
  } catch (error) {
    return failureOf(error);
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

export async function readConfigFile(uri: string, policy: ReadPolicy = {}): Promise<FileRead> {
  const maxBytes = policy.maxBytes ?? MAX_CONFIG_FILE_BYTES;
  const path = pathOf(uri);
  if (path === undefined) return undefined;
  const refused = policyRefuses(uri, policy);
  if (refused) return refused;
  try {
    if (policy.onlyWithin) {
      const folders = await Promise.all(policy.onlyWithin.map((folder) => realFolderUriAsync(folder)));
      if (!isWithinFolders(realUri(await realpath(path)), folders)) return { unreadable: 'outside-workspace' };
    }
    const before = refusalOfStats(await stat(path), maxBytes);
    if (before) return before;
    const handle = await open(path, OPEN_FLAGS);
    try {
      const after = refusalOfStats(await handle.stat(), maxBytes);
      if (after) return after;
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        chunks.push(chunk.subarray(0, bytesRead));
        total += bytesRead;
        if (total > maxBytes) return { unreadable: 'too-large', limitBytes: maxBytes };
      }
      return decode(chunks, total);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return failureOf(error);
  }
}

/** A workspace folder with its own symlinks resolved, so a link inside it is compared with where it really is. */
export function realFolderUri(folderUri: string): string {
  const path = pathOf(folderUri);
  if (path === undefined) return folderUri;
  try {
    return realUri(realpathSync(path));
  } catch {
    return folderUri;
  }
}

export async function realFolderUriAsync(folderUri: string): Promise<string> {
  const path = pathOf(folderUri);
  if (path === undefined) return folderUri;
  try {
    return realUri(await realpath(path));
  } catch {
    return folderUri;
  }
}
