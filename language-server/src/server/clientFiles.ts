/**
 * Files read by the client, through VS Code's file system API, for a server that cannot read them
 * itself: the browser build (a web worker has no file system) and, in the node build, any uri that
 * is not a `file:` (github.dev's `vscode-vfs:`, a remote workspace). The policy's refusals that
 * need no file (Restricted Mode by uri) are decided here; the client applies the rest.
 */
import type { Connection } from 'vscode-languageserver';
import { MAX_CONFIG_FILE_BYTES, policyRefuses, type ReadPolicy } from '../config/readPolicy';
import type { FileRead } from '../config/types';
import { ListDirectoryRequest, ReadFileRequest, type ReadFileResult } from '../protocol/lsp';
import type { DirectoryEntry } from './runtime';

export interface ClientFiles {
  readFile(uri: string, policy: ReadPolicy): Promise<FileRead>;
  listDirectory(uri: string, policy: ReadPolicy): Promise<DirectoryEntry[]>;
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
  return {
    async readFile(uri, policy) {
      const refused = policyRefuses(uri, policy);
      if (refused) return refused;
      try {
        const result = await connection.sendRequest(ReadFileRequest, {
          uri,
          maxBytes: policy.maxBytes ?? MAX_CONFIG_FILE_BYTES,
          ...(policy.onlyWithin ? { onlyWithin: [...policy.onlyWithin] } : {}),
        });
        return fileReadOf(result);
      } catch {
        // A client without this request (an editor other than VS Code): the file is not found.
        return undefined;
      }
    },
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
