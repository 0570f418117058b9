/**
 * The desktop platform: the language server in a node process of its own (IPC), ended by its
 * process id when it stops answering; config files read from disk by the shared bounded reader,
 * other uris through VS Code's file system.
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import { pathOf, readConfigFile } from '../../../language-server/src/node/readConfigFile';
import type { ServerExperimentalCapabilities } from '../../../language-server/src/protocol/lsp';
import { TEST_REQUESTS_VARIABLE } from '../client/testRequests';
import { workspaceFileReader } from '../client/workspaceFiles';
import type { ExtensionPlatform } from '../platform/platform';

const DEBUG_PORT = 6009;

export function nodePlatform(context: vscode.ExtensionContext): ExtensionPlatform {
  return {
    kind: 'node',
    createClient(id, name, options) {
      const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
      return new LanguageClient(
        id,
        name,
        {
          run: { module, transport: TransportKind.ipc },
          debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', `--inspect=${DEBUG_PORT}`] } },
        },
        options,
      );
    },
    endStuckServer(client, log) {
      const processId = (client.initializeResult?.capabilities.experimental as ServerExperimentalCapabilities | undefined)?.processId;
      if (typeof processId !== 'number') return false;
      log.error(`The language server (process ${processId}) stopped answering; ending it.`);
      try {
        process.kill(processId, 'SIGKILL');
        return true;
      } catch (error) {
        log.error(`Ending the language server failed: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      }
    },
    readFile(policy) {
      const throughVscode = workspaceFileReader(policy);
      return (uri) => (pathOf(uri) === undefined ? throughVscode(uri) : readConfigFile(uri, policy));
    },
    fallbackFolder: () => vscode.Uri.file(homedir()),
    testRequestsEnabled: () => process.env[TEST_REQUESTS_VARIABLE] === '1',
    startedUnderDebugger: () => process.execArgv.some((arg) => /^--(inspect|debug)(-brk)?(=|$)/.test(arg)),
  };
}
