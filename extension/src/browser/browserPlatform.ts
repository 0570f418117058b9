/**
 * The browser platform (vscode.dev, github.dev, a browser workbench's web worker extension host):
 * the language server in a web worker, config files read through VS Code's file system API (there
 * is no disk), no process to end and no environment variables.
 */
import * as vscode from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient, type MessageTransports } from 'vscode-languageclient/browser';
import { workspaceFileReader } from '../client/workspaceFiles';
import type { ExtensionPlatform } from '../platform/platform';

/** The web worker API of the extension host (this project's types have no DOM). */
interface ServerWorker {
  terminate(): void;
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
}
declare const Worker: new (url: string, options?: { name?: string }) => ServerWorker;
declare const Blob: new (parts: Uint8Array[], options: { type: string }) => object;
declare const URL: { createObjectURL(blob: object): string };

/**
 * The url a worker can start from. vscode.dev serves extensions over https, which a worker loads
 * as it is; an extension installed on a remote (a browser workbench such as code-server) has a
 * `vscode-remote:` uri, from which VS Code refuses to start workers ("Creating workers from remote
 * extensions is currently not supported"): its script is read through VS Code's file system and
 * started from a blob instead.
 */
async function workerUrl(script: vscode.Uri): Promise<string> {
  if (script.scheme !== 'vscode-remote') return script.toString(true);
  const bytes = await vscode.workspace.fs.readFile(script);
  return URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' }));
}

export function browserPlatform(context: vscode.ExtensionContext): ExtensionPlatform {
  let worker: ServerWorker | undefined;
  return {
    kind: 'browser',
    createClient(id, name, options) {
      const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'server.js');
      // A function, so that every (re)start gets a fresh worker; the one before it is ended, as a
      // stuck worker would otherwise spin on in the background.
      const startWorker = async (): Promise<MessageTransports> => {
        worker?.terminate();
        worker = new Worker(await workerUrl(serverMain), { name: `${name} language server` });
        // A worker that fails to load or throws says so only here: the log keeps it.
        worker.addEventListener('error', (event) => options.outputChannel?.appendLine(`[error] The language server's web worker failed: ${event.message ?? 'no message'}`));
        // The transports are made here: the extension host wraps `Worker`, so the client's own
        // `instanceof Worker` test fails on the worker it returns.
        const port = worker as ConstructorParameters<typeof BrowserMessageReader>[0];
        return { reader: new BrowserMessageReader(port), writer: new BrowserMessageWriter(port) };
      };
      return new LanguageClient(id, name, startWorker, options);
    },
    // The client's fallback (stop, then start a fresh worker) ends a stuck worker; see createClient.
    endStuckServer: () => false,
    readFile: (policy) => workspaceFileReader(policy),
    fallbackFolder: () => undefined,
    testRequestsEnabled: () => false,
    startedUnderDebugger: () => false,
  };
}
