/**
 * The server's platform in a web worker (dist/web/server.js, vscode.dev and github.dev): every
 * file through the client (VS Code's file system API), wall time for the check budget (a worker
 * has no CPU clock), and no process id (the client ends a stuck server by ending its worker).
 */
import type { ClientFiles } from '../server/clientFiles';
import type { ServerRuntime } from '../server/runtime';

export function browserRuntime(client: ClientFiles): ServerRuntime {
  return {
    readFile: (uri, policy) => client.readFile(uri, policy),
    listDirectory: (uri, policy) => client.listDirectory(uri, policy),
    checkpointFiles: (policy) => client.checkpointFiles(policy),
    timer: {
      setTimeout(callback, milliseconds) {
        const handle = setTimeout(callback, milliseconds);
        return { dispose: () => clearTimeout(handle) };
      },
    },
    now: () => performance.now(),
  };
}
