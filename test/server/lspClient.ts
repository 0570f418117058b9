/**
 * A minimal LSP client for the server tests and the bench: spawns `node dist/server.js --stdio`
 * and talks JSON-RPC to it over the process's pipes (the real protocol, no mocks). Waits on
 * events (publishDiagnostics of a given version, custom notifications), never on time.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InlayHintRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Hover,
  type InlayHint,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisChangedNotification, WorkspaceTrustNotification, type DocumentAnalysis, type WorkspaceTrust } from '../../language-server/src/protocol/lsp';
import { CheckTimingNotification, type CheckTiming } from '../../language-server/src/server/debugProtocol';

/** The repository root, found from this file whether it runs from test/server (tsx) or a bundle in dist/. */
export function repositoryRoot(from: string = __dirname): string {
  let directory = resolve(from);
  while (!existsSync(join(directory, 'package.json')) && dirname(directory) !== directory) directory = dirname(directory);
  return directory;
}

export const SERVER_PATH = join(repositoryRoot(), 'dist', 'server.js');

export interface ClientOptions {
  /** The `llmRoofline` settings section the client answers workspace/configuration with. */
  settings?: Record<string, unknown>;
  reportTimings?: boolean;
  /** Sent in initializationOptions as the VS Code client does; absent, the server reads as trusted. */
  workspaceTrust?: WorkspaceTrust;
  /** Lets the tests block the server's event loop (debugProtocol.ts). */
  debugRequests?: boolean;
  /** A smaller check budget (ms of CPU), sent with `debugRequests`. */
  checkBudgetMs?: number;
  /** Who started the server, for the report of one left running; by default the calling test file's line. */
  startedBy?: string;
}

type Waiter<T> = { accept: (value: T) => boolean; resolve: (value: T) => void };

/**
 * How long a server may take to answer shutdown and exit before it is killed. A server stuck past
 * this, left running, would keep mocha (which waits for its child's pipes) from ever exiting.
 */
const SHUTDOWN_WITHIN_MS = 10_000;

/** Servers started and not yet exited; `endRunningServers` ends those a test left behind. */
const runningServers = new Set<LspTestClient>();

/** The first frame of the stack in a test or bench file: which test started a server. */
function startedFrom(stack: string | undefined): string {
  const frames = (stack ?? '').split('\n').slice(1);
  const caller = frames.find((frame) => /\/test\/(server|bench)\/(?!lspClient|suite)[^/]+\.ts:\d+/.test(frame));
  return (caller ?? frames[0] ?? '').trim().replace(/^at\s+/, '');
}

type Published = { uri: string; version: number | undefined; diagnostics: Diagnostic[] };

export class LspTestClient {
  readonly connection: MessageConnection;
  readonly documents = new Map<string, TextDocument>();
  readonly diagnostics = new Map<string, Published>();
  readonly timings: CheckTiming[] = [];
  readonly serverErrors: string[] = [];
  settings: Record<string, unknown>;
  private diagnosticWaiters: Waiter<Published>[] = [];
  private analysisWaiters: Waiter<DocumentAnalysis>[] = [];
  private refreshWaiters: Waiter<string>[] = [];
  private exited = false;

  private constructor(
    private readonly process: ChildProcessWithoutNullStreams,
    options: ClientOptions,
    /** Where the test that started it stands, for the report of a server left running. */
    readonly startedAt: string,
  ) {
    this.settings = options.settings ?? {};
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout), new StreamMessageWriter(process.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, { uri: params.uri, version: params.version, diagnostics: params.diagnostics });
      this.diagnosticWaiters = settle(this.diagnosticWaiters, { uri: params.uri, version: params.version, diagnostics: params.diagnostics });
    });
    this.connection.onNotification(AnalysisChangedNotification, (analysis) => {
      this.analysisWaiters = settle(this.analysisWaiters, analysis);
    });
    this.connection.onNotification(CheckTimingNotification, (timing) => {
      this.timings.push(timing);
    });
    this.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      if (params.type === 1) this.serverErrors.push(params.message);
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map(() => this.settings),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    for (const method of ['workspace/inlayHint/refresh', 'workspace/codeLens/refresh']) {
      this.connection.onRequest(method, () => {
        this.refreshWaiters = settle(this.refreshWaiters, method);
        return null;
      });
    }
    runningServers.add(this);
    process.on('exit', () => {
      this.exited = true;
      runningServers.delete(this);
    });
    this.connection.listen();
  }

  static async start(options: ClientOptions = {}): Promise<LspTestClient> {
    const child = spawn(process.execPath, [SERVER_PATH, '--stdio'], { stdio: 'pipe' });
    child.stderr.on('data', () => undefined);
    const client = new LspTestClient(child, options, options.startedBy ?? startedFrom(new Error().stack));
    const exitedEarly = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`the server exited with code ${code} before initializing`))),
    );
    exitedEarly.catch(() => undefined);
    const initialized = client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: {
          configuration: true,
          didChangeWatchedFiles: { dynamicRegistration: false },
          inlayHint: { refreshSupport: true },
          codeLens: { refreshSupport: true },
        },
        textDocument: {
          publishDiagnostics: { versionSupport: true },
          hover: { contentFormat: ['markdown'] },
          completion: { completionItem: { snippetSupport: false } },
        },
      },
      initializationOptions: {
        reportTimings: options.reportTimings === true,
        debugRequests: options.debugRequests === true,
        ...(options.checkBudgetMs !== undefined ? { checkBudgetMs: options.checkBudgetMs } : {}),
        ...(options.workspaceTrust ? { workspaceTrust: options.workspaceTrust } : {}),
      },
    });
    try {
      await Promise.race([initialized, exitedEarly]);
    } catch (error) {
      await client.kill();
      throw error;
    }
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  get alive(): boolean {
    return !this.exited;
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
  }

  /** Opens a document and resolves with its first diagnostics. */
  async open(uri: string, text: string): Promise<Diagnostic[]> {
    const languageId = uri.endsWith('.json') ? 'json' : 'yaml';
    const document = TextDocument.create(uri, languageId, 1, text);
    this.documents.set(uri, document);
    const published = this.nextDiagnostics(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return published;
  }

  /** Replaces a document's whole text; resolves with the diagnostics of the new version. */
  async change(uri: string, text: string): Promise<Diagnostic[]> {
    const previous = this.documents.get(uri);
    if (!previous) throw new Error(`${uri} is not open`);
    const version = previous.version + 1;
    this.documents.set(uri, TextDocument.create(uri, previous.languageId, version, text));
    const published = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return published;
  }

  /** Applies text edits to an open document (as an editor would) and resolves with the new diagnostics. */
  async applyEdits(uri: string, edits: TextEdit[]): Promise<Diagnostic[]> {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return this.change(uri, TextDocument.applyEdits(document, edits));
  }

  async applyWorkspaceEdit(edit: WorkspaceEdit): Promise<void> {
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) await this.applyEdits(uri, edits);
  }

  text(uri: string): string {
    return this.documents.get(uri)!.getText();
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Diagnostics published for `uri` at `version` (or at any version when not given), from now on. */
  nextDiagnostics(uri: string, version?: number): Promise<Diagnostic[]> {
    return new Promise((resolve) => {
      this.diagnosticWaiters.push({
        accept: (published) => published.uri === uri && (version === undefined || published.version === version),
        resolve: (published) => resolve(published.diagnostics),
      });
    });
  }

  nextAnalysis(uri: string, accept: (analysis: DocumentAnalysis) => boolean = () => true): Promise<DocumentAnalysis> {
    return new Promise((resolve) => {
      this.analysisWaiters.push({ accept: (analysis) => analysis.uri === uri && accept(analysis), resolve });
    });
  }

  /** The server's next request that the client ask again for a kind of editor view (e.g. `workspace/codeLens/refresh`). */
  nextRefresh(method: string): Promise<void> {
    return new Promise((resolve) => {
      this.refreshWaiters.push({ accept: (asked) => asked === method, resolve: () => resolve() });
    });
  }

  async fileChangedOnDisk(uri: string): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri, type: FileChangeType.Changed }] });
  }

  /** Trust granted (or folders changed), as the VS Code client announces it. */
  async setWorkspaceTrust(trust: WorkspaceTrust): Promise<void> {
    await this.connection.sendNotification(WorkspaceTrustNotification, trust);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result: CompletionList | CompletionItem[] | null = await this.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position,
    });
    return result === null ? [] : Array.isArray(result) ? result : result.items;
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
    return (result ?? []).filter((item): item is CodeAction => 'title' in item && !('command' in item && typeof item.command === 'string'));
  }

  async inlayHints(uri: string): Promise<InlayHint[]> {
    const document = this.documents.get(uri)!;
    const range = { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) };
    return (await this.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range })) ?? [];
  }

  async codeLenses(uri: string): Promise<CodeLens[]> {
    return (await this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
  }

  /** Ends the server process at once, as the editor does with one that does not shut down. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.kill('SIGKILL');
    await exited;
    this.connection.dispose();
  }

  /**
   * Shuts the server down as an editor does; one that does not answer and exit within
   * SHUTDOWN_WITHIN_MS is killed, and the stop fails saying so, in the hook of the suite it served.
   */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    let deadline: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      deadline = setTimeout(() => resolve('late'), SHUTDOWN_WITHIN_MS);
    });
    const shutDown = (async () => {
      try {
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        this.process.kill('SIGKILL');
      }
      await exited;
    })();
    const outcome = await Promise.race([shutDown, late]);
    clearTimeout(deadline);
    if (outcome === 'late') {
      await this.kill();
      throw new Error(`the server started at ${this.startedAt} did not shut down within ${SHUTDOWN_WITHIN_MS / 1000} s; it was killed`);
    }
    this.connection.dispose();
  }
}

/**
 * Kills every server still running and says where each was started: run after the whole tier, so
 * a server a failed or timed-out hook left behind fails the tier by name instead of keeping the
 * test process alive.
 */
export async function endRunningServers(): Promise<string[]> {
  const left = [...runningServers];
  await Promise.all(left.map((client) => client.kill()));
  return left.map((client) => client.startedAt);
}

function settle<T>(waiters: Waiter<T>[], value: T): Waiter<T>[] {
  return waiters.filter((waiter) => {
    if (!waiter.accept(value)) return true;
    waiter.resolve(value);
    return false;
  });
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}
