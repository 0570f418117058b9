/**
 * What the extension needs from where it runs: the desktop's node extension host
 * (../node/nodePlatform.ts) or the browser's web worker extension host (../browser/browserPlatform.ts,
 * vscode.dev and github.dev). Everything else in the extension is the same code on both.
 */
import type * as vscode from 'vscode';
import type { BaseLanguageClient, LanguageClientOptions } from 'vscode-languageclient';
import type { FileReader } from '../../../language-server/src/config/prefetch';
import type { ReadPolicy } from '../../../language-server/src/config/readPolicy';

export interface ExtensionPlatform {
  /** Where the extension and its language server run, for the log and the language status. */
  readonly kind: 'node' | 'browser';
  /** A language client whose server runs as this platform runs it (a node process, a web worker). */
  createClient(id: string, name: string, options: LanguageClientOptions): BaseLanguageClient;
  /**
   * Ends a language server that stopped answering, so that the client restarts it as after a
   * crash (a stuck server cannot answer the shutdown a restart starts with). False when it cannot.
   */
  endStuckServer(client: BaseLanguageClient, log: vscode.LogOutputChannel): boolean;
  /** Reads a config file for the extension host's own use (the hardware comparison), bounded as the server reads. */
  readFile(policy: ReadPolicy): FileReader;
  /** Where a new deployment goes when no folder is open. */
  fallbackFolder(): vscode.Uri | undefined;
  /** The end-to-end tests' switch (LLM_ROOFLINE_TEST_REQUESTS=1 in the extension host's environment). */
  testRequestsEnabled(): boolean;
  /** The extension host runs under a debugger, so the server is started for debugging too. */
  startedUnderDebugger(): boolean;
}
