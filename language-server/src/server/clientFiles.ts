/**
 * Files read by the client, through VS Code's file system API, for a server that cannot read them
 * itself: the browser build (a web worker has no file system) and, in the node build, any uri that
 * is not a `file:` (github.dev's `vscode-vfs:`, a remote workspace). The policy's refusals that
 * need no file (Restricted Mode by uri) are decided here; the client applies the rest.
 */
import type { Connection } from 'vscode-languageserver';
import type { CheckpointFiles } from '../config/checkpoint/checkpointFiles';
import { MAX_CONFIG_FILE_BYTES, policyRefuses, type ReadPolicy } from '../config/readPolicy';
import type { FileRead } from '../config/types';
import { ListDirectoryRequest, ReadFilePrefixRequest, ReadFileRequest, type ReadFileResult } from '../protocol/lsp';
import type { DirectoryEntry } from './runtime';

export interface ClientFiles {
  readFile(uri: string, policy: ReadPolicy): Promise<FileRead>;
  listDirectory(uri: string, policy: ReadPolicy): Promise<DirectoryEntry[]>;
  /** A model folder's reads (config/checkpoint/), through the client. */
  checkpointFiles(policy: ReadPolicy): CheckpointFiles;
}

function withinOf(policy: ReadPolicy): { onlyWithin?: string[] } {
  return policy.onlyWithin ? { onlyWithin: [...policy.onlyWithin] } : {};
}

function bytesOfBase64(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
}

/** A client's answer as the config layer's FileRead; anything malformed counts as no file. */
export function fileReadOf(result: ReadFileResult | null | undefined): FileRead {
  if (!result || typeof result !== 'object') return undefined;
  if ('text' in result && typeof result.text === 'string') return result.text;
  if ('unreadable' in result && typeof result.unreadable === 'string') {
    return { unreadable: result.unreadable, ...(typeof result.limitBytes === 'number' ? { limitBytes: result.limitBytes } : {}) };
  }
  return undefined;
}

export function clientFiles(connection: Connection): ClientFiles {
  const readFile: ClientFiles['readFile'] = async (uri, policy) => {
    const refused = policyRefuses(uri, policy);
    if (refused) return refused;
    try {
      return fileReadOf(await connection.sendRequest(ReadFileRequest, { uri, maxBytes: policy.maxBytes ?? MAX_CONFIG_FILE_BYTES, ...withinOf(policy) }));
    } catch {
      // A client without this request (an editor other than VS Code): the file is not found.
      return undefined;
    }
  };
  return {
    readFile,
    checkpointFiles: (policy) => ({
      readText: (uri, maxBytes) => readFile(uri, { ...policy, maxBytes }),
      async readPrefix(uri, bytes) {
        const refused = policyRefuses(uri, policy);
        if (refused) return refused;
        try {
          const result = await connection.sendRequest(ReadFilePrefixRequest, { uri, bytes, ...withinOf(policy) });
          if ('base64' in result && typeof result.base64 === 'string' && typeof result.sizeBytes === 'number') {
            return { bytes: bytesOfBase64(result.base64).subarray(0, bytes), sizeBytes: result.sizeBytes };
          }
          if ('unreadable' in result && typeof result.unreadable === 'string') {
            return { unreadable: result.unreadable, ...(typeof result.limitBytes === 'number' ? { limitBytes: result.limitBytes } : {}) };
          }
          return undefined;
        } catch {
          return undefined;
        }
      },
      async listFolder(uri) {
        const refused = policyRefuses(uri, policy);
        if (refused) return refused;
        try {
          const result = await connection.sendRequest(ListDirectoryRequest, { uri, ...withinOf(policy) });
          if (result?.missing) return undefined;
          return Array.isArray(result?.entries) ? result.entries.map((entry) => ({ name: String(entry.name), isDirectory: entry.isDirectory === true })) : undefined;
        } catch {
          return undefined;
        }
      },
    }),
    async listDirectory(uri, policy) {
      if (policyRefuses(uri, policy)) return [];
      try {
        const result = await connection.sendRequest(ListDirectoryRequest, { uri, ...(policy.onlyWithin ? { onlyWithin: [...policy.onlyWithin] } : {}) });
        return Array.isArray(result?.entries) ? result.entries.filter((entry) => typeof entry?.name === 'string').map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory === true })) : [];
      } catch {
        return [];
      }
    },
  };
}
