/**
 * Owns the language client: starts the server on first need (so activation stays cheap),
 * restarts it with backoff when it dies or stops answering, forwards analyses into the store, and
 * exposes the custom requests the rest of the extension uses.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  State,
  type BaseLanguageClient,
  type CloseHandlerResult,
  type ErrorHandlerResult,
  type LanguageClientOptions,
} from 'vscode-languageclient';
import {
  AnalysisChangedNotification,
  AnalysisRequest,
  PingRequest,
  SetFieldRequest,
  SweepRequest,
  PlanRequest,
  ServingCurveRequest,
  SetFieldsRequest,
  type PlanOutcome,
  type ServingCurve,
  type SetFieldsParams,
  EngineCommandRequest,
  type EngineCommandResult,
  FitMeasuredRequest,
  type FitMeasuredParams,
  type FitMeasuredResult,
  ImportMeasuredRequest,
  type ImportMeasuredParams,
  WorkspaceTrustNotification,
  type DocumentAnalysis,
  type ServerInitializationOptions,
  type SetFieldParams,
  type SetFieldResult,
} from '../../../language-server/src/protocol/lsp';
import type { SweepData } from '../../../language-server/src/protocol/webview';
import { BlockEventLoopRequest } from '../../../language-server/src/server/debugProtocol';
import type { AnalysisStore } from '../analysisStore';
import { ALL_ROLES, documentFilters, WATCHED_FILES_PATTERN } from '../documents';
import type { ExtensionPlatform } from '../platform/platform';
import { RestartPolicy } from '../restartPolicy';
import { ServerWatchdog } from '../serverWatchdog';
import { SETTINGS_SECTION } from '../settings';
import type { ServerHealth } from '../statusText';
import { currentWorkspaceTrust, onWorkspaceTrustChanged } from './workspaceTrust';
import { serveWorkspaceFiles } from './workspaceFiles';

/** The client id is also the prefix of the trace setting the client reads (`llmRoofline.trace.server`). */
const CLIENT_ID = SETTINGS_SECTION;
const CLIENT_NAME = 'LLM Roofline';
/** Connection errors tolerated in a row before the server is shut down (then restarted by `closed`). */
const MAX_CONSECUTIVE_ERRORS = 3;

export class ServerController implements vscode.Disposable {
  private client: BaseLanguageClient | undefined;
  private starting: Promise<BaseLanguageClient> | undefined;
  private readonly policy = new RestartPolicy(() => Date.now());
  private readonly disposables: vscode.Disposable[] = [];
  private watchdog: ServerWatchdog | undefined;
  private readonly healthChanged = new vscode.EventEmitter<ServerHealth>();
  private currentHealth: ServerHealth = { state: 'responsive' };
  /** Fires when the server stops answering, and when it answers again or is restarted. */
  readonly onDidChangeHealth = this.healthChanged.event;

  /**
   * Blocks the server's event loop for `milliseconds` (tests only: undefined unless the extension
   * host runs with LLM_ROOFLINE_TEST_REQUESTS=1). Resolves at once; the server answers when the
   * block ends, or never if it is restarted first.
   */
  readonly blockServerForTest: ((milliseconds: number) => Promise<void>) | undefined;

  constructor(
    private readonly platform: ExtensionPlatform,
    private readonly output: vscode.LogOutputChannel,
    private readonly store: AnalysisStore,
  ) {
    this.blockServerForTest = platform.testRequestsEnabled()
      ? async (milliseconds: number): Promise<void> => {
          const client = await this.ensureStarted();
          void client.sendRequest(BlockEventLoopRequest, { milliseconds }).catch(() => undefined);
        }
      : undefined;
  }

  get isStarted(): boolean {
    return this.client !== undefined;
  }

  /** The running client, starting the server if it is not running yet. */
  ensureStarted(): Promise<BaseLanguageClient> {
    this.starting ??= this.start().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  /**
   * `LLM Roofline: Restart Language Server` (also "Restart Now" on the warning about a server that
   * does not respond): also forgives earlier crashes.
   */
  async restart(): Promise<void> {
    this.policy.reset();
    this.store.clear();
    if (!this.client) {
      await this.ensureStarted();
      return;
    }
    // A stuck server cannot answer the shutdown that a restart starts with: it is ended instead,
    // and the client restarts it as after a crash.
    if (this.currentHealth.state === 'unresponsive') {
      if (this.endStuckServer()) return;
      // No process to end (a web worker): stop gives up on the shutdown after two seconds, and
      // start runs a fresh server either way.
      await this.client.stop().catch((error: unknown) => this.output.error(`Stopping the language server failed: ${describe(error)}`));
      await this.client.start();
      return;
    }
    this.output.info('Restarting the language server.');
    await this.client.stop();
    // Under a debugger the old server's debug port takes a moment to be freed.
    if (this.platform.startedUnderDebugger()) await new Promise((resolve) => setTimeout(resolve, 1000));
    await this.client.start();
  }

  /**
   * Ends the server process at once (it stopped answering); the connection then closes and
   * `onServerClosed` restarts it. False when the platform cannot (no process id, a web worker).
   */
  private endStuckServer(): boolean {
    if (!this.client) return false;
    // The ping in flight fails with the connection: that is no answer, and the status stays
    // "not responding" until the new server runs (`watch`).
    this.unwatch();
    return this.platform.endStuckServer(this.client, this.output);
  }

  /** The server's analysis of a document (and the store is updated with it). */
  async analysis(uri: string): Promise<DocumentAnalysis | undefined> {
    const client = await this.ensureStarted();
    try {
      const analysis = await client.sendRequest(AnalysisRequest, { uri });
      this.store.update(analysis);
      return this.store.get(uri);
    } catch (error) {
      this.output.error(`Analysis of ${uri} failed: ${describe(error)}`);
      return undefined;
    }
  }

  /** The sweeps of the analysis of `uri` at `version`, from the server's resolved input. */
  async sweep(uri: string, version: number): Promise<SweepData | undefined> {
    const client = await this.ensureStarted();
    return (await client.sendRequest(SweepRequest, { uri, version })) ?? undefined;
  }

  /** The serving curve of the analysis of `uri` at `version` (deployments with `serving:`). */
  async servingCurve(uri: string, version: number): Promise<ServingCurve | undefined> {
    const client = await this.ensureStarted();
    return (await client.sendRequest(ServingCurveRequest, { uri, version })) ?? undefined;
  }

  /** The cheapest deployments that meet the targets of `uri` at `version`. */
  async plan(uri: string, version: number): Promise<PlanOutcome> {
    const client = await this.ensureStarted();
    return client.sendRequest(PlanRequest, { uri, version });
  }

  async setFields(params: SetFieldsParams): Promise<SetFieldResult> {
    const client = await this.ensureStarted();
    return client.sendRequest(SetFieldsRequest, params);
  }

  /** The hardware's efficiency terms fitted to the deployment's measured results, as edits. */
  async fitMeasured(params: FitMeasuredParams): Promise<FitMeasuredResult> {
    const client = await this.ensureStarted();
    return client.sendRequest(FitMeasuredRequest, params);
  }

  /** The edit that adds result files under the deployment's `measured:`. */
  async importMeasured(params: ImportMeasuredParams): Promise<SetFieldResult> {
    const client = await this.ensureStarted();
    return client.sendRequest(ImportMeasuredRequest, params);
  }

  /** The deployment at `uri` as the command that runs it on `engine`. */
  async engineCommand(uri: string, engine: 'vllm' | 'sglang'): Promise<EngineCommandResult> {
    const client = await this.ensureStarted();
    return client.sendRequest(EngineCommandRequest, { uri, engine });
  }

  async setField(params: SetFieldParams): Promise<SetFieldResult> {
    const client = await this.ensureStarted();
    return client.sendRequest(SetFieldRequest, params);
  }

  get health(): ServerHealth {
    return this.currentHealth;
  }

  private async start(): Promise<BaseLanguageClient> {
    const client = this.platform.createClient(CLIENT_ID, CLIENT_NAME, this.clientOptions());
    this.disposables.push(
      // Referenced files the server cannot read itself (in the browser: all of them).
      serveWorkspaceFiles(client),
      client.onNotification(AnalysisChangedNotification, (analysis: DocumentAnalysis) => {
        this.store.update(analysis);
      }),
      // Every start (the first, and restarts after a crash, a hang or a user's request) is watched.
      client.onDidChangeState((event) => {
        if (event.newState === State.Running) this.watch(client);
        else this.unwatch();
      }),
    );
    this.disposables.push(
      onWorkspaceTrustChanged(() => {
        if (client.isRunning()) void client.sendNotification(WorkspaceTrustNotification, currentWorkspaceTrust());
      }),
    );
    this.client = client;
    this.output.info(this.platform.kind === 'browser' ? 'Starting the language server in a web worker.' : 'Starting the language server.');
    await client.start();
    return client;
  }

  /**
   * Pings the running server; one that stops answering is shown as such (language status, a
   * warning with "Restart Now") and restarted when it stays silent. Not while the server is being
   * debugged: a breakpoint would look like a hang.
   */
  private watch(client: BaseLanguageClient): void {
    this.unwatch();
    this.setHealth({ state: 'responsive' });
    if (this.platform.startedUnderDebugger()) return;
    this.watchdog = new ServerWatchdog(
      () => client.sendRequest(PingRequest),
      {
        unresponsive: (restartInMs) => {
          this.output.warn(`The language server has not answered for a while; restarting it in ${Math.round(restartInMs / 1000)} s unless it answers.`);
          this.setHealth({ state: 'unresponsive', restartInMs });
          void vscode.window
            .showWarningMessage('The LLM Roofline language server is not responding. It will be restarted shortly.', RESTART_NOW)
            .then((choice) => {
              if (choice === RESTART_NOW && this.currentHealth.state === 'unresponsive') void this.restart();
            });
        },
        responsive: () => {
          this.output.info('The language server answers again.');
          this.setHealth({ state: 'responsive' });
        },
        restartDue: () => void this.restartUnresponsive(client),
      },
      {
        setTimeout: (callback, milliseconds) => {
          const handle = setTimeout(callback, milliseconds);
          return { dispose: () => clearTimeout(handle) };
        },
      },
    );
    this.watchdog.start();
  }

  private unwatch(): void {
    this.watchdog?.dispose();
    this.watchdog = undefined;
  }

  private setHealth(health: ServerHealth): void {
    const changed = health.state !== this.currentHealth.state;
    this.currentHealth = health;
    if (changed) this.healthChanged.fire(health);
  }

  /**
   * A hang counts as a crash: the stuck process is ended, and the close handler restarts it with
   * the crash policy (a server that keeps hanging is left stopped, as one that keeps dying). The
   * client's own restart cannot do this: its shutdown request times out and it never starts again.
   */
  private async restartUnresponsive(client: BaseLanguageClient): Promise<void> {
    if (client !== this.client) return;
    if (this.endStuckServer()) return;
    const decision = this.policy.onCrash();
    this.store.clear();
    if (!decision.restart) {
      const message =
        'The LLM Roofline language server stopped answering several times in a row and was stopped. Run "LLM Roofline: Restart Language Server" to try again.';
      this.output.error(message);
      void vscode.window.showErrorMessage(message);
      await this.stop();
      this.setHealth({ state: 'stopped' });
      return;
    }
    this.output.error('The language server stopped answering; restarting it.');
    try {
      // stop() gives the stuck server two seconds to answer the shutdown, then throws (and ends
      // its process two seconds later); start() runs either way.
      await client.stop().catch((error: unknown) => this.output.error(`Stopping the language server failed: ${describe(error)}`));
      await client.start();
    } catch (error) {
      this.output.error(`Restarting the language server failed: ${describe(error)}`);
    }
  }

  private clientOptions(): LanguageClientOptions {
    const watcher = vscode.workspace.createFileSystemWatcher(WATCHED_FILES_PATTERN);
    this.disposables.push(watcher);
    return {
      documentSelector: documentFilters(ALL_ROLES),
      synchronize: {
        configurationSection: SETTINGS_SECTION,
        // A deployment re-checks when a model or hardware file it references changes on disk.
        fileEvents: watcher,
      },
      // A function, so a restarted server gets the trust of the moment it starts.
      initializationOptions: (): ServerInitializationOptions => ({
        workspaceTrust: currentWorkspaceTrust(),
        ...(this.platform.testRequestsEnabled() ? { debugRequests: true } : {}),
      }),
      outputChannel: this.output,
      traceOutputChannel: this.output,
      errorHandler: {
        error: (error, _message, count): ErrorHandlerResult => {
          this.output.error(`Language server connection error: ${describe(error)}`);
          return { action: (count ?? 0) <= MAX_CONSECUTIVE_ERRORS ? ErrorAction.Continue : ErrorAction.Shutdown };
        },
        closed: () => this.onServerClosed(),
      },
    };
  }

  private async onServerClosed(): Promise<CloseHandlerResult> {
    const decision = this.policy.onCrash();
    // Analyses of the dead server may be stale; the restarted server sends fresh ones.
    this.store.clear();
    if (!decision.restart) {
      const message =
        'The LLM Roofline language server stopped several times in a row and was not restarted. Run "LLM Roofline: Restart Language Server" to try again.';
      this.output.error(message);
      void vscode.window.showErrorMessage(message);
      this.setHealth({ state: 'stopped' });
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.output.warn(`The language server stopped; restarting in ${decision.delayMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
    return { action: CloseAction.Restart, handled: true };
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (client?.isRunning()) await client.stop();
  }

  dispose(): void {
    this.unwatch();
    this.healthChanged.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    void this.stop();
  }
}

const RESTART_NOW = 'Restart Now';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
