/**
 * The LLM Roofline extension: a language client for deployment, hardware and model files, the
 * roofline panel, and the commands around them. Activation only wires things up; the language
 * server starts when one of our documents is open (or a command needs it). The same code runs on
 * the desktop and in the browser; the entries (./node/main.ts, ./browser/main.ts) pass in what
 * differs (./platform/platform.ts).
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../../language-server/src/protocol/lsp';
import { AnalysisStore } from './analysisStore';
import { ResolvedStatusItem, ServerHealthItem } from './client/languageStatus';
import { ServerController } from './client/serverController';
import { CommandId } from './commands';
import { exportReport } from './commands/exportReport';
import { fitMeasuredResults, importMeasuredResults } from './commands/measuredResults';
import { copyEngineCommand } from './commands/copyEngineCommand';
import { newDeployment } from './commands/newDeployment';
import { targetDeployment } from './commands/targetDeployment';
import { compareDeployment } from './comparison/deploymentComparison';
import { createFileReader } from './configHost';
import type { ExtensionPlatform } from './platform/platform';
import { currentReadPolicy } from './client/workspaceTrust';
import { isWorthStartingServerFor } from './documents';
import { locateField } from './panel/locateField';
import { RooflinePanel, type ComparisonOutcome, type PanelServices } from './panel/RooflinePanel';
import { PANEL_VIEW_TYPE } from './panel/viewType';
import { readExtensionSettings, SETTINGS_SECTION } from './settings';
import { serverHealthContent, type StatusContent } from './statusText';
import { findOpenDocument, openDocumentText } from './vscodeAdapters';

/** What the extension gives to other extensions and to its end-to-end tests. */
export interface LlmRooflineApi {
  /** Resolves once the language server is running (starting it if needed). */
  serverReady(): Promise<void>;
  /** The server's analysis of a document. */
  analysis(uri: string): Promise<DocumentAnalysis | undefined>;
  /** The deployment at `uri` run on other hardware (the presets named, or every complete one), as the panel shows it. */
  compareHardware(uri: string, hardwareIds?: readonly string[]): Promise<ComparisonOutcome>;
  /** What the language status item says about the language server (answering, not responding, stopped). */
  serverStatus(): StatusContent;
  /** Fires when the language server stops answering, answers again, is restarted or given up on. */
  onDidChangeServerStatus: vscode.Event<StatusContent>;
  /** End-to-end tests only (LLM_ROOFLINE_TEST_REQUESTS=1 in the extension host): makes the server hang for a while. */
  blockServerForTest?: (milliseconds: number) => Promise<void>;
}

let controller: ServerController | undefined;

export function activateOn(platform: ExtensionPlatform, context: vscode.ExtensionContext): LlmRooflineApi {
  const output = vscode.window.createOutputChannel('LLM Roofline', { log: true });
  const store = new AnalysisStore();
  const server = new ServerController(platform, output, store);
  controller = server;
  context.subscriptions.push(output, server);

  const startServer = (): Promise<void> =>
    server.ensureStarted().then(
      () => undefined,
      (error: unknown) => {
        output.error(`The language server did not start: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      },
    );
  const analysis = (uri: string): Promise<DocumentAnalysis | undefined> => server.analysis(uri);

  startServerWithOurDocuments(context, () => void startServer().catch(() => undefined));

  const services: PanelServices = {
    extensionUri: context.extensionUri,
    store,
    log: output,
    settings: () => readExtensionSettings((key) => vscode.workspace.getConfiguration(SETTINGS_SECTION).get(key)),
    analysis,
    setField: (params) => server.setField(params),
    sweep: (uri, version) => server.sweep(uri, version),
    servingCurve: (uri, version) => server.servingCurve(uri, version),
    plan: (uri, version) => server.plan(uri, version),
    setFields: (params) => server.setFields(params),
    compare: (uri, hardwareIds) => compareInExtensionHost(uri, hardwareIds),
    locate: (document, path) => {
      const range = locateField(document.uri.toString(), document.getText(), path);
      return range && new vscode.Range(document.positionAt(range.start), document.positionAt(range.end));
    },
  };

  context.subscriptions.push(
    new ResolvedStatusItem(store, analysis),
    new ServerHealthItem(server.health, server.onDidChangeHealth, platform.kind),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => {
        RooflinePanel.revive(panel, services, state);
      },
    }),
    vscode.commands.registerCommand(CommandId.openPanel, async (argument?: unknown) => {
      const uri = await targetDeployment(argument, 'Open the roofline panel for which deployment?');
      RooflinePanel.createOrShow(services, uri);
    }),
    vscode.commands.registerCommand(CommandId.compareHardware, async (argument?: unknown) => {
      const uri = await targetDeployment(argument, 'Compare hardware for which deployment?');
      if (!uri) {
        void vscode.window.showInformationMessage('Open a deployment file (*.roofline.yaml) to compare hardware for it.');
        return;
      }
      await RooflinePanel.createOrShow(services, uri).showComparison();
    }),
    vscode.commands.registerCommand(CommandId.planDeployment, async (argument?: unknown) => {
      const uri = await targetDeployment(argument, 'Find the cheapest deployment for which file?');
      if (!uri) {
        void vscode.window.showInformationMessage('Open a deployment file (*.roofline.yaml) with targets: to plan for it.');
        return;
      }
      await RooflinePanel.createOrShow(services, uri).showPlan();
    }),
    vscode.commands.registerCommand(CommandId.exportReport, (argument?: unknown) => exportReport(argument, analysis)),
    vscode.commands.registerCommand(CommandId.newDeployment, (argument?: unknown) => newDeployment(argument, platform.fallbackFolder())),
    vscode.commands.registerCommand(CommandId.restartServer, () => server.restart()),
    vscode.commands.registerCommand(CommandId.copyVllmCommand, (argument?: unknown) => copyEngineCommand(argument, 'vllm', (uri, engine) => server.engineCommand(uri, engine))),
    vscode.commands.registerCommand(CommandId.copySglangCommand, (argument?: unknown) => copyEngineCommand(argument, 'sglang', (uri, engine) => server.engineCommand(uri, engine))),
    vscode.commands.registerCommand(CommandId.importMeasured, (argument?: unknown, files?: unknown) =>
      importMeasuredResults(argument, server, Array.isArray(files) && files.every((file) => file instanceof vscode.Uri) ? (files as vscode.Uri[]) : undefined),
    ),
    vscode.commands.registerCommand(CommandId.fitMeasured, (argument?: unknown, options?: unknown) =>
      fitMeasuredResults(argument, server, !(options !== null && typeof options === 'object' && (options as { confirm?: unknown }).confirm === false)),
    ),
    { dispose: () => RooflinePanel.currentPanel?.dispose() },
  );

  const onDidChangeServerStatus = new vscode.EventEmitter<StatusContent>();
  context.subscriptions.push(onDidChangeServerStatus, server.onDidChangeHealth((health) => onDidChangeServerStatus.fire(serverHealthContent(health, platform.kind))));
  /** Hardware comparison, computed here through the shared config layer rather than by the server. */
  async function compareInExtensionHost(uri: string, hardwareIds?: readonly string[]): Promise<ComparisonOutcome> {
    const document = findOpenDocument(uri) ?? (await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true)));
    return compareDeployment(uri, document.getText(), createFileReader(openDocumentText, platform.readFile(currentReadPolicy())), hardwareIds);
  }

  return {
    serverReady: startServer,
    analysis,
    compareHardware: compareInExtensionHost,
    serverStatus: () => serverHealthContent(server.health, platform.kind),
    onDidChangeServerStatus: onDidChangeServerStatus.event,
    ...(server.blockServerForTest ? { blockServerForTest: server.blockServerForTest } : {}),
  };
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}

/** Starts the server now if one of our documents is open, else when the first one opens. */
function startServerWithOurDocuments(context: vscode.ExtensionContext, start: () => void): void {
  const isOurs = (document: vscode.TextDocument): boolean => isWorthStartingServerFor(document.uri.path, () => document.getText());
  if (vscode.workspace.textDocuments.some(isOurs)) {
    start();
    return;
  }
  const listener = vscode.workspace.onDidOpenTextDocument((document) => {
    if (!isOurs(document)) return;
    listener.dispose();
    start();
  });
  context.subscriptions.push(listener);
}
