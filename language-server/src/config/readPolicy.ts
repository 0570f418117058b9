/**
 * Which files may be read, shared by every reader (language server, CLI, API, the extension
 * host's comparison): the byte limit, and in Restricted Mode the workspace folders outside which
 * nothing is read. Plain uris only, no `fs`: the node reader (../node/readConfigFile.ts) also
 * checks where symlinks lead.
 */
import type { UnreadableFile } from './types';

/**
 * Referenced files larger than this are not read. Config files are a few kilobytes; the limit is
 * enforced while reading, since `stat` says 0 bytes for devices and /proc files.
 */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

export interface ReadPolicy {
  /** Folder uris outside which nothing is read (Restricted Mode); absent to read anywhere (trusted). */
  onlyWithin?: readonly string[];
  /** Byte limit; `MAX_CONFIG_FILE_BYTES` when absent. */
  maxBytes?: number;
}

/** The policy of a trusted workspace, the CLI and the API: read what the user names, within the byte limit. */
export const TRUSTED: ReadPolicy = {};

/** The policy of a workspace in Restricted Mode: only files inside its folders. */
export function restrictedTo(folderUris: readonly string[]): ReadPolicy {
  return { onlyWithin: folderUris };
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** Whether `uri` names something inside one of `folderUris` (by its text: `..` is already resolved in uris). */
export function isWithinFolders(uri: string, folderUris: readonly string[]): boolean {
  const target = normalizeUri(uri);
  return folderUris.some((folder) => target.startsWith(withSlash(normalizeUri(folder))));
}

/** Percent-encoding and drive-letter case differ between clients; compare decoded, lower-cased drive letters. */
function normalizeUri(uri: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    decoded = uri;
  }
  return decoded.replace(/^file:\/\/\/([A-Za-z]):/, (_, drive: string) => `file:///${drive.toLowerCase()}:`);
}

/** Whether the policy lets `uri` be read at all (before looking at the file). */
export function policyRefuses(uri: string, policy: ReadPolicy): UnreadableFile | undefined {
  if (policy.onlyWithin && !isWithinFolders(uri, policy.onlyWithin)) return { unreadable: 'outside-workspace' };
  return undefined;
}

const BYTES_PER_MIB = 1024 * 1024;

/** Why a file was not read, as a phrase for messages (the file's name goes in front). Never quotes the file. */
export function describeUnreadable(file: UnreadableFile): string {
  switch (file.unreadable) {
    case 'not-regular-file':
      return 'not a regular file (a device, pipe or folder, or a link to one)';
    case 'too-large': {
      const limit = file.limitBytes ?? MAX_CONFIG_FILE_BYTES;
      const shown = limit % BYTES_PER_MIB === 0 ? `${limit / BYTES_PER_MIB} MiB` : `${limit} bytes`;
      return `larger than ${shown} (config files are a few kilobytes)`;
    }
    case 'no-permission':
      return 'permission denied';
    case 'whole-file-only': {
      const limit = file.limitBytes ?? 0;
      return `larger than ${limit % BYTES_PER_MIB === 0 ? `${limit / BYTES_PER_MIB} MiB` : `${limit} bytes`}, and in the browser a file is read whole to read its header (on the desktop only the header is read)`;
    }
    case 'no-file-system':
      return 'on a file system this editor cannot reach (in the browser, only files of the workspace and its folders are read)';
    case 'outside-workspace':
      return 'outside the workspace folders, and the workspace is in Restricted Mode';
  }
}

/**
 * The read policy from what a client says about workspace trust (`{ trusted, folders }`). It may
 * come over the wire, so its shape is checked: saying nothing means trusted (the server then reads
 * what documents name, as the CLI does); "not trusted" with no usable folders reads nothing from disk.
 * Folders are hierarchical uris of any scheme: `file:` on disk, `vscode-vfs:` or `vscode-remote:`
 * in the browser.
 */
export function readPolicyOfTrust(trust: unknown): ReadPolicy {
  if (trust === null || typeof trust !== 'object') return TRUSTED;
  const { trusted, folders } = trust as { trusted?: unknown; folders?: unknown };
  if (trusted !== false) return TRUSTED;
  const folderUris = Array.isArray(folders) ? folders.filter((folder): folder is string => typeof folder === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(folder)) : [];
  return restrictedTo(folderUris);
}
