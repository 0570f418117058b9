/**
 * The language server's node entry (dist/server.js): a connection over stdio (`--stdio`) or
 * node IPC (when started by the VS Code client), with file reading and timers from node.
 */
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { policyRefuses } from '../config/readPolicy';
import type { DirectoryEntry, ServerRuntime } from '../server/runtime';
import { startServer } from '../server/server';
import { pathOf, readConfigFile } from './readConfigFile';
import { checkpointFiles } from './checkpointFiles';

const runtime: ServerRuntime = {
  processId: process.pid,
  readFile: readConfigFile,
  checkpointFiles,
  listDirectory(uri, policy) {
    const path = pathOf(uri);
    if (!path || policyRefuses(uri, policy)) return [];
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
  cpuNow: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
};

const connection = createConnection(ProposedFeatures.all);
startServer(connection, runtime);
