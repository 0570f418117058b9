/**
 * The server's platform in node (dist/server.js): `file:` uris read from disk by the bounded
 * reader, any other uri (a virtual or remote workspace) through the client; CPU time for the check
 * budget; the process id, by which the client ends a server that stopped answering.
 */
import { readdir } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { CheckpointFiles } from '../config/checkpoint/checkpointFiles';
import { policyRefuses } from '../config/readPolicy';
import type { ClientFiles } from '../server/clientFiles';
import type { DirectoryEntry, ServerRuntime } from '../server/runtime';
import { checkpointFiles } from './checkpointFiles';
import { pathOf, readConfigFile } from './readConfigFile';

export function nodeRuntime(client: ClientFiles): ServerRuntime {
  return {
    processId: process.pid,
    readFile: (uri, policy) => (pathOf(uri) === undefined ? client.readFile(uri, policy) : readConfigFile(uri, policy)),
    // Model folders on disk from disk; elsewhere (a virtual workspace) through the client.
    checkpointFiles(policy) {
      const disk = checkpointFiles(policy);
      const viaClient = client.checkpointFiles(policy);
      const on = (uri: string): CheckpointFiles => (pathOf(uri) === undefined ? viaClient : disk);
      return {
        readText: (uri, maxBytes) => on(uri).readText(uri, maxBytes),
        readPrefix: (uri, bytes) => on(uri).readPrefix(uri, bytes),
        listFolder: (uri) => on(uri).listFolder(uri),
      };
    },
    async listDirectory(uri, policy) {
      const path = pathOf(uri);
      if (path === undefined) return client.listDirectory(uri, policy);
      if (policyRefuses(uri, policy)) return [];
      try {
        return (await readdir(path, { withFileTypes: true })).map((entry): DirectoryEntry => ({ name: entry.name, isDirectory: entry.isDirectory() }));
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
}
