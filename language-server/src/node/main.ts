/**
 * The language server's node entry (dist/server.js): a connection over stdio (`--stdio`) or
 * node IPC (when started by the VS Code client), with file reading and timers from node.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { DirectoryEntry, ServerRuntime } from '../server/runtime';
import { startServer } from '../server/server';

/** Referenced files larger than this are not read: no config file is anywhere near it. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

const runtime: ServerRuntime = {
  readFile(uri) {
    const path = pathOf(uri);
    if (!path) return undefined;
    try {
      if (statSync(path).size > MAX_FILE_BYTES) return undefined;
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  listDirectory(uri) {
    const path = pathOf(uri);
    if (!path) return [];
    try {
      return readdirSync(path, { withFileTypes: true }).map(
        (entry): DirectoryEntry => ({ name: entry.name, isDirectory: entry.isDirectory() }),
      );
    } catch {
      return [];
    }
  },
  timer: {
    setTimeout(callback, milliseconds) {
      const handle = setTimeout(callback, milliseconds);
      return { dispose: () => clearTimeout(handle) };
    },
  },
  now: () => performance.now(),
};

const connection = createConnection(ProposedFeatures.all);
startServer(connection, runtime);
