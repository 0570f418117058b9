/**
 * The language server core, platform-neutral: `startServer(connection, runtime)` wires documents,
 * settings and the LSP features to the services in this folder. The node entry (../node/main.ts)
 * creates the connection and injects file reading and timers.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  type Command,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  AnalysisChangedNotification,
  AnalysisRequest,
  EngineCommandRequest,
  FitMeasuredRequest,
  ImportMeasuredRequest,
  PingRequest,
  PlanRequest,
  ServingCurveRequest,
  SetFieldRequest,
  SetFieldsRequest,
  SweepRequest,
  WorkspaceTrustNotification,
  type DocumentAnalysis,
  type ServerExperimentalCapabilities,
  type ServerInitializationOptions,
} from '../protocol/lsp';
import { CHECK_BUDGET_MS } from '../config/checkBudget';
import { readPolicyOfTrust, TRUSTED, type ReadPolicy } from '../config/readPolicy';
import type { SweepData } from '../protocol/webview';
import { documentAnalysis, setField } from './analysisProtocol';
import { DocumentChecker, type CheckedEntry } from './checker';
import { codeActionsFor } from './codeActions';
import { COPY_COMMAND_KIND, copyCommandActions, engineCommandFor } from './engineCommand';
import { completeAt } from './completion';
import { kindOf } from './configApi';
import { BlockEventLoopRequest, CheckTimingNotification, MAX_BLOCK_MILLISECONDS } from './debugProtocol';
import { toDiagnostics } from './diagnostics';
import { hoverAt } from './hover';
import { inlayHintsFor } from './inlayHints';
import { isModelKind, modelFiguresOf, modelHeadline } from './modelFigures';
import { documentSweeps } from './sweeps';
import { servingCurveOf } from './servingCurve';
import { setFields } from './setFields';
import { documentPlan } from './planRequest';
import { fitMeasured } from './fitMeasured';
import { importMeasured } from './importMeasured';
import { compactHeadline, headline } from '../report/headline';
import type { AnalysisResult } from '../engine/types';
import type { Disposable, ServerRuntime } from './runtime';
import { DEFAULT_SETTINGS, SETTINGS_SECTION, readSettings, type ServerSettings } from './settings';

export const OPEN_PANEL_COMMAND = 'llmRoofline.openPanel';

/**
 * What one document check may cost on the event loop (config/checkBudget.ts): a check past it stops
 * at its next step with a `check-stopped` diagnostic, and the pauses between steps keep it from
 * delaying other documents.
 */
export { CHECK_BUDGET_MS } from '../config/checkBudget';

export function startServer(connection: Connection, runtime: ServerRuntime): void {
  const documents = new TextDocuments(TextDocument);
  const log = (message: string) => connection.console.error(message);
  // Until the client says otherwise (initializationOptions.workspaceTrust), read what documents name.
  let readPolicy: ReadPolicy = TRUSTED;
  const checker = new DocumentChecker(
    {
      openText: (uri) => {
        const document = documents.get(uri);
        return document ? { text: document.getText(), version: document.version } : undefined;
      },
      readPolicy: () => readPolicy,
    },
    runtime,
    log,
    () => checkBudgetMs,
  );
  const pending = new Map<string, Disposable>();
  const settingsByUri = new Map<string, Promise<ServerSettings>>();
  const lastAnalysis = new Map<string, string>();
  let supportsConfiguration = false;
  let supportsInlayRefresh = false;
  let supportsCodeLensRefresh = false;
  let reportTimings = false;
  let debugRequests = false;
  /**
   * What a check may take; a test that sends `checkBudgetMs` with `debugRequests` sets another: a
   * smaller one to hold where checks stop, a larger one where a limit other than time is under test.
   */
  let checkBudgetMs = CHECK_BUDGET_MS;

  /** Runs a handler; a throw is logged and answered with `fallback`, never propagated. */
  function guard<P, R>(name: string, fallback: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
    return async (params: P) => {
      try {
        return await handler(params);
      } catch (error) {
        log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return fallback;
      }
    };
  }

  function settingsFor(uri: string): Promise<ServerSettings> {
    if (!supportsConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
    let settings = settingsByUri.get(uri);
    if (!settings) {
      settings = connection.workspace
        .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        .then(readSettings, () => DEFAULT_SETTINGS);
      settingsByUri.set(uri, settings);
    }
    return settings;
  }

  connection.onInitialize((params): InitializeResult => {
    const capabilities = params.capabilities;
    supportsConfiguration = capabilities.workspace?.configuration === true;
    supportsInlayRefresh = capabilities.workspace?.inlayHint?.refreshSupport === true;
    supportsCodeLensRefresh = capabilities.workspace?.codeLens?.refreshSupport === true;
    const options = params.initializationOptions as { [key in keyof ServerInitializationOptions]?: unknown } | undefined;
    reportTimings = options?.reportTimings === true;
    debugRequests = options?.debugRequests === true;
    const budget = options?.checkBudgetMs;
    if (debugRequests && typeof budget === 'number' && Number.isFinite(budget) && budget > 0) checkBudgetMs = budget;
    readPolicy = readPolicyOfTrust(options?.workspaceTrust);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', '"', '/', '.', '-'] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, COPY_COMMAND_KIND] },
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        ...(runtime.processId !== undefined ? { experimental: { processId: runtime.processId } satisfies ServerExperimentalCapabilities } : {}),
      },
      serverInfo: { name: 'llm-roofline' },
    };
  });

  connection.onInitialized(() => {
    if (supportsConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
    }
  });

  /**
   * Checks a document after the debounce of its settings, or at once (`immediately`) when it was
   * just opened: the debounce waits out a burst of keystrokes, and opening is not one.
   */
  function schedule(uri: string, immediately = false): void {
    pending.get(uri)?.dispose();
    void settingsFor(uri).then((settings) => {
      pending.get(uri)?.dispose();
      pending.set(
        uri,
        runtime.timer.setTimeout(() => {
          pending.delete(uri);
          void validate(uri);
        }, immediately ? 0 : settings.validation.debounceMs),
      );
    });
  }

  /** Gives the event loop back: queued requests (hovers on other documents) are answered first. */
  const pause = (): Promise<void> => new Promise((resolve) => runtime.timer.setTimeout(resolve, 0));

  async function validate(uri: string): Promise<void> {
    try {
      const document = documents.get(uri);
      if (!document) return;
      const entry = await checker.checkAfterReads(uri, pause);
      // Publish only for the version that was checked: a newer edit has its own validation queued.
      if (documents.get(uri)?.version !== document.version) return;
      if (entry && !entry.stopped && entry.handlingMs > checkBudgetMs) {
        log(`checking ${uri} took ${Math.round(entry.handlingMs)} ms, over the ${checkBudgetMs} ms budget of a document check`);
      }
      if (!entry) {
        void connection.sendDiagnostics({ uri, version: document.version, diagnostics: [] });
        return;
      }
      // The timing first: a test that waits for the diagnostics then finds it.
      if (reportTimings) void connection.sendNotification(CheckTimingNotification, { uri, version: entry.version, handlingMs: entry.handlingMs, cpuMs: entry.cpuMs, steps: entry.steps, longestStepCpuMs: entry.longestStepCpuMs, stopped: entry.stopped });
      void connection.sendDiagnostics({ uri, version: entry.version, diagnostics: toDiagnostics(entry) });
      if (entry.kind === 'deployment') announceAnalysis(entry);
      if (changedByReference.delete(uri)) refreshLensesAndHints();
    } catch (error) {
      log(`validation of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const version = documents.get(uri)?.version;
      void connection.sendDiagnostics({
        uri,
        ...(version !== undefined ? { version } : {}),
        diagnostics: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            severity: 2,
            code: 'internal-error',
            source: 'llm-roofline',
            message: 'This document could not be checked (internal error; see the LLM Roofline output).',
          },
        ],
      });
    }
  }

  function announceAnalysis(entry: CheckedEntry): void {
    const analysis: DocumentAnalysis = documentAnalysis(entry);
    const serialized = JSON.stringify(analysis);
    if (lastAnalysis.get(entry.uri) === serialized) return;
    lastAnalysis.set(entry.uri, serialized);
    void connection.sendNotification(AnalysisChangedNotification, analysis);
  }

  /**
   * Documents checked again because a file they reference changed: VS Code asks again for the
   * lenses and hints of a document only when that document is edited, so once their new check is
   * published the client is told to ask again.
   */
  const changedByReference = new Set<string>();

  function fileChanged(uri: string): void {
    for (const dependent of checker.invalidate(uri)) {
      if (dependent !== uri && documents.get(dependent)) {
        changedByReference.add(dependent);
        schedule(dependent);
      }
    }
  }

  function refreshLensesAndHints(): void {
    if (supportsInlayRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
    if (supportsCodeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }

  // TextDocuments fires onDidOpen and then onDidChangeContent for an opened document: the flag
  // makes that one content event check at once, without the keystroke debounce.
  const justOpened = new Set<string>();
  documents.onDidOpen((event) => {
    justOpened.add(event.document.uri);
  });
  documents.onDidChangeContent((event) => {
    schedule(event.document.uri, justOpened.delete(event.document.uri));
    fileChanged(event.document.uri);
  });
  documents.onDidClose((event) => {
    const uri = event.document.uri;
    pending.get(uri)?.dispose();
    pending.delete(uri);
    settingsByUri.delete(uri);
    lastAnalysis.delete(uri);
    changedByReference.delete(uri);
    checker.forget(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    // Dependents now read the file from disk again.
    fileChanged(uri);
  });

  connection.onDidChangeWatchedFiles(
    guard('didChangeWatchedFiles', undefined, (params) => {
      for (const change of params.changes) {
        if (change.type === FileChangeType.Changed || change.type === FileChangeType.Created || change.type === FileChangeType.Deleted) {
          fileChanged(change.uri);
        }
      }
    }),
  );

  connection.onDidChangeConfiguration(
    guard('didChangeConfiguration', undefined, () => {
      settingsByUri.clear();
      for (const document of documents.all()) schedule(document.uri);
      refreshLensesAndHints();
    }),
  );

  connection.onNotification(
    WorkspaceTrustNotification,
    guard('workspaceTrust', undefined, (trust) => {
      readPolicy = readPolicyOfTrust(trust);
      // Every check may have read (or been refused) files under the old policy.
      checker.forgetChecks();
      for (const document of documents.all()) schedule(document.uri);
      refreshLensesAndHints();
    }),
  );

  connection.onHover(
    guard('hover', null, async (params) => {
      const entry = await checker.checkAfterReads(params.textDocument.uri, pause);
      if (!entry) return null;
      return hoverAt(entry, entry.lines.offsetAt(params.position)) ?? null;
    }),
  );

  connection.onCompletion(
    guard('completion', null, (params) => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const entry = checker.parse(document.uri);
      const text = document.getText();
      const kind = entry?.kind ?? kindOf(document.uri, text);
      if (!kind) return null;
      return completeAt((folder) => runtime.listDirectory(folder, readPolicy), document.uri, text, document.offsetAt(params.position), kind, entry, (offset) => document.positionAt(offset));
    }),
  );

  connection.onCodeAction(
    guard('codeAction', [], async (params) => {
      const entry = checker.parse(params.textDocument.uri);
      const fixes = entry
        ? codeActionsFor(entry, params.context.diagnostics, { start: entry.lines.offsetAt(params.range.start), end: entry.lines.offsetAt(params.range.end) })
        : [];
      const only = params.context.only;
      const wantsCopy = !only || only.some((kind) => COPY_COMMAND_KIND === kind || COPY_COMMAND_KIND.startsWith(`${kind}.`));
      if (!wantsCopy || entry?.kind !== 'deployment') return fixes;
      // The engine command needs the analysis, so the referenced files first (as the lens).
      return [...fixes, ...copyCommandActions(await checker.checkAfterReads(params.textDocument.uri, pause))];
    }),
  );

  connection.languages.inlayHint.on(
    guard('inlayHint', [], async (params) => {
      const uri = params.textDocument.uri;
      if (!(await settingsFor(uri)).inlayHints.enabled) return [];
      const entry = await checker.checkAfterReads(uri, pause);
      if (!entry) return [];
      return inlayHintsFor(entry, entry.lines.offsetAt(params.range.start), entry.lines.offsetAt(params.range.end));
    }),
  );

  /**
   * The lens above a deployment: the graph icon and its verdict, short enough to read whole in a
   * narrow editor; clicking it opens the panel, its tooltip says so and gives the verdict in full.
   */
  function codeLensCommand(uri: string, result: AnalysisResult | undefined): Command & { tooltip?: string } {
    const title = result ? `$(graph-line) ${compactHeadline(result)}` : '$(graph-line) Open roofline panel';
    const tooltip = result ? `Open the roofline panel. ${headline(result)}` : 'Open the roofline panel';
    return { title, tooltip, command: OPEN_PANEL_COMMAND, arguments: [uri] };
  }

  connection.onCodeLens(
    guard('codeLens', [], async (params) => {
      const uri = params.textDocument.uri;
      if (!(await settingsFor(uri)).codeLens.enabled) return [];
      // After the reads, as hovers and hints: a lens computed before a referenced file arrives (read
      // through the client in the browser) would say nothing, and VS Code would keep it.
      const entry = await checker.checkAfterReads(uri, pause);
      const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      if (entry && isModelKind(entry.kind)) {
        // A model file has no panel of its own: the lens states its figures and does nothing on click.
        const figures = modelFiguresOf(entry);
        return figures ? [{ range: top, command: { title: modelHeadline(figures), command: '' } }] : [];
      }
      if (!entry || entry.kind !== 'deployment') return [];
      return [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          command: codeLensCommand(uri, entry.result),
        },
      ];
    }),
  );

  connection.onRequest(
    AnalysisRequest,
    guard('analysis', undefined as unknown as DocumentAnalysis, async (params) => {
      const entry = await checker.checkAfterReads(params.uri, pause);
      if (entry) return documentAnalysis(entry);
      const document = documents.get(params.uri);
      return {
        uri: params.uri,
        version: document?.version ?? 0,
        kind: 'deployment',
        errors: [document ? 'not an LLM Roofline config file' : `${params.uri} is not open`],
        editableFields: [],
      } satisfies DocumentAnalysis;
    }),
  );

  connection.onRequest(
    SweepRequest,
    guard('sweep', null as SweepData | null, async (params) => {
      const entry = await checker.checkAfterReads(params.uri, pause);
      if (!entry || entry.version !== params.version || entry.kind !== 'deployment') return null;
      return documentSweeps(entry.input, entry.result) ?? null;
    }),
  );

  connection.onRequest(
    ServingCurveRequest,
    guard('servingCurve', null, async (params) => {
      const entry = await checker.checkAfterReads(params.uri, pause);
      if (!entry || entry.version !== params.version || entry.kind !== 'deployment') return null;
      return servingCurveOf(entry.input, entry.result) ?? null;
    }),
  );

  connection.onRequest(
    PlanRequest,
    guard('plan', { uri: '', version: 0, error: 'internal error' }, async (params) => {
      const entry = await checker.checkAfterReads(params.uri, pause);
      return documentPlan(entry, params, checker.readHost, {
        now: () => runtime.now(),
        pause,
        currentVersion: () => documents.get(params.uri)?.version,
      });
    }),
  );

  connection.onRequest(
    FitMeasuredRequest,
    guard('fitMeasured', { error: 'internal error' }, async (params) => {
      const entry = await checker.checkAfterReads(params.uri, pause);
      return fitMeasured(entry, params, checker.readHost, {
        now: () => runtime.now(),
        pause,
        currentVersion: () => documents.get(params.uri)?.version,
      });
    }),
  );

  connection.onRequest(
    ImportMeasuredRequest,
    guard('importMeasured', { refusedBecause: 'invalid-value' as const, message: 'internal error' }, (params) => {
      const document = documents.get(params.uri);
      return importMeasured(document ? checker.parse(params.uri) : undefined, document?.version, params);
    }),
  );

  connection.onRequest(
    SetFieldsRequest,
    guard('setFields', { refusedBecause: 'invalid-value' as const, message: 'internal error' }, (params) => {
      const document = documents.get(params.uri);
      const checked = document ? checker.check(params.uri) : undefined;
      return setFields(document ? checker.parse(params.uri) : undefined, document?.version, checked?.input, params);
    }),
  );

  connection.onRequest(
    SetFieldRequest,
    guard('setField', { refusedBecause: 'invalid-value' as const, message: 'internal error' }, (params) => {
      const document = documents.get(params.uri);
      return setField(document ? checker.parse(params.uri) : undefined, document?.version, params);
    }),
  );

  connection.onRequest(
    EngineCommandRequest,
    guard('engineCommand', { notExpressed: [], error: 'internal error' }, async (params) => engineCommandFor(await checker.checkAfterReads(params.uri, pause), params.engine)),
  );

  // Answered straight from the event loop: the client's sign that the server is not stuck.
  connection.onRequest(PingRequest, () => ({ ok: true as const }));

  connection.onRequest(BlockEventLoopRequest, (params) => {
    if (!debugRequests) return { blocked: false };
    const until = runtime.now() + Math.min(Math.max(0, Number(params.milliseconds) || 0), MAX_BLOCK_MILLISECONDS);
    while (runtime.now() < until) {
      // Busy on purpose: this stands for a check that never yields.
    }
    return { blocked: true };
  });

  documents.listen(connection);
  connection.listen();
}
