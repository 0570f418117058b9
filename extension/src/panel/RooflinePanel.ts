/**
 * The roofline panel's host side: one webview panel at a time, created or revived, restricted to
 * the built webview folder, given data only by `postMessage` after the page says `ready`, and
 * following the active deployment editor when the setting asks for it.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis, PlanOutcome, ServingCurve, SetFieldParams, SetFieldResult, SetFieldsParams } from '../../../language-server/src/protocol/lsp';
import { candidateFields } from '../../../language-server/src/plan/candidateFields';
import type { ComparisonRow, EditGesture, FromWebviewMessage, SweepData, SweepMessage, ToWebviewMessage } from '../../../language-server/src/protocol/webview';
import { renderPanelHtml } from '../../../webview/src/html';
import type { AnalysisStore } from '../analysisStore';
import { isDeploymentPath } from '../documents';
import type { ExtensionSettings } from '../settings';
import { baseName, findOpenDocument, folderOf, toVscodeRange } from '../vscodeAdapters';
import { decodeExportData, FILTER_OF_MIME, safeFileName } from './exportData';
import { routeWebviewMessage } from './messageRouter';
import { createNonce } from './nonce';
import { PANEL_VIEW_TYPE } from './viewType';
import { CommandId } from '../commands';
import { decideFieldEdit, decideFieldTarget, refusalOf } from './staleEdit';

export type ComparisonOutcome = { rows: ComparisonRow[] } | { error: string };

/** What the panel needs from the rest of the extension. */
export interface PanelServices {
  extensionUri: vscode.Uri;
  store: AnalysisStore;
  log: vscode.LogOutputChannel;
  settings(): ExtensionSettings;
  analysis(uri: string): Promise<DocumentAnalysis | undefined>;
  setField(params: SetFieldParams): Promise<SetFieldResult>;
  /** The sweeps of the analysis of `uri` at `version`, computed by the language server. */
  sweep(uri: string, version: number): Promise<SweepData | undefined>;
  /** The serving curve of the analysis of `uri` at `version`, computed by the language server. */
  servingCurve(uri: string, version: number): Promise<ServingCurve | undefined>;
  /** The cheapest deployments that meet the targets of `uri` at `version`. */
  plan(uri: string, version: number): Promise<PlanOutcome>;
  /** One edit setting several fields (a plan candidate). */
  setFields(params: SetFieldsParams): Promise<SetFieldResult>;
  compare(uri: string, hardwareIds?: readonly string[]): Promise<ComparisonOutcome>;
  /** The range of the node at `path` in the document, if it exists. */
  locate(document: vscode.TextDocument, path: readonly (string | number)[]): vscode.Range | undefined;
}

function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

/** The document uri the page stored with `setState`, if it stored one. */
function uriFromState(state: unknown): vscode.Uri | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const uri = (state as Record<string, unknown>).uri;
  if (typeof uri !== 'string') return undefined;
  try {
    return vscode.Uri.parse(uri, true);
  } catch {
    return undefined;
  }
}

export class RooflinePanel implements vscode.Disposable {
  private static current: RooflinePanel | undefined;

  private documentUri: string | undefined;
  private pageReady = false;
  private disposed = false;
  /** The gesture whose edits are still being merged into one undo step. */
  private openGesture: number | undefined;
  /** Hardware ids of a comparison to send once the page is ready (empty list: every preset). */
  private pendingComparison: { hardwareIds?: readonly string[] } | undefined;
  /** A plan to run once the page is ready (the code action on `targets:` opened the panel). */
  private pendingPlan = false;
  /** The last plan sent to the page: candidates are applied from here, not from what the page sends. */
  private lastPlan: PlanOutcome | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static get currentPanel(): RooflinePanel | undefined {
    return RooflinePanel.current;
  }

  /** Shows the panel beside the editor, for `documentUri` when given. */
  static createOrShow(services: PanelServices, documentUri?: vscode.Uri): RooflinePanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const existing = RooflinePanel.current;
    if (existing) {
      existing.panel.reveal(column, true);
      if (documentUri) void existing.showDocument(documentUri.toString());
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Roofline', { viewColumn: column, preserveFocus: true }, webviewOptions(services.extensionUri));
    RooflinePanel.current = new RooflinePanel(panel, services, documentUri?.toString());
    return RooflinePanel.current;
  }

  /** Restores a panel after a reload (`registerWebviewPanelSerializer`). */
  static revive(panel: vscode.WebviewPanel, services: PanelServices, state: unknown): RooflinePanel {
    RooflinePanel.current?.dispose();
    panel.webview.options = webviewOptions(services.extensionUri);
    const activeUri = vscode.window.activeTextEditor?.document.uri;
    const documentUri = uriFromState(state) ?? (activeUri && isDeploymentPath(activeUri.path) ? activeUri : undefined);
    RooflinePanel.current = new RooflinePanel(panel, services, documentUri?.toString());
    return RooflinePanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
    documentUri: string | undefined,
  ) {
    this.panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'icon.png');
    this.setDocument(documentUri);
    this.panel.webview.html = this.html();
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      // A hidden panel's page is discarded; it says `ready` again when it is shown.
      this.panel.onDidChangeViewState(() => {
        if (!this.panel.visible) this.pageReady = false;
      }),
      services.store.onDidUpdate((analysis) => {
        if (analysis.uri !== this.documentUri) return;
        this.post({ type: 'analysis', analysis });
        this.sendSweep(analysis);
        this.sendServingCurve(analysis);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.followEditor(editor)),
    );
  }

  get shownDocumentUri(): string | undefined {
    return this.documentUri;
  }

  /** Switches the panel to another deployment. */
  async showDocument(uri: string): Promise<void> {
    if (uri === this.documentUri) return;
    this.setDocument(uri);
    await this.sendDocumentState();
  }

  /** Opens the comparison view: rows are sent as soon as the page can take them. */
  async showComparison(hardwareIds?: readonly string[]): Promise<void> {
    this.pendingComparison = hardwareIds ? { hardwareIds } : {};
    if (this.pageReady) await this.sendPendingComparison();
  }

  /** Opens the Plan view and searches for the cheapest deployments that meet the targets. */
  async showPlan(): Promise<void> {
    this.pendingPlan = true;
    if (this.pageReady) await this.runPendingPlan();
  }

  private async runPendingPlan(): Promise<void> {
    if (!this.pendingPlan || !this.documentUri) return;
    this.pendingPlan = false;
    const uri = this.documentUri;
    const analysis = this.services.store.get(uri) ?? (await this.services.analysis(uri));
    if (!analysis || uri !== this.documentUri) return;
    await this.runPlan(uri, analysis.version);
  }

  private async runPlan(uri: string, version: number): Promise<void> {
    this.post({ type: 'planStarted', uri });
    const outcome = await this.services.plan(uri, version);
    if (uri !== this.documentUri) return;
    this.lastPlan = outcome;
    this.post({ type: 'plan', outcome });
  }

  private setDocument(uri: string | undefined): void {
    if (uri !== this.documentUri) this.lastPlan = undefined;
    this.documentUri = uri;
    this.panel.title = uri ? `Roofline: ${baseName(vscode.Uri.parse(uri))}` : 'Roofline';
  }

  private followEditor(editor: vscode.TextEditor | undefined): void {
    // A panel showing nothing takes the first deployment it sees, whatever the setting.
    if (!editor || (this.documentUri && !this.services.settings().panel.followActiveEditor)) return;
    const uri = editor.document.uri;
    if (isDeploymentPath(uri.path)) void this.showDocument(uri.toString());
  }

  private html(): string {
    const root = webviewRoot(this.services.extensionUri);
    const webview = this.panel.webview;
    return renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'webview.css')).toString(),
      title: 'LLM Roofline',
    });
  }

  /**
   * The sweeps for an analysis, asked of the server, which resolved that version already (a newer
   * edit gets its own analysis and sweep).
   */
  private sendSweep(analysis: DocumentAnalysis): void {
    if (!analysis.result || !this.pageReady) return;
    void this.services.sweep(analysis.uri, analysis.version).then(
      (sweep) => {
        if (sweep) this.post({ type: 'sweep', uri: analysis.uri, version: analysis.version, sweep });
      },
      (error: unknown) => this.services.log.error(`Sweep failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`),
    );
  }

  /** The serving curve for an analysis of a deployment with `serving:`. */
  private sendServingCurve(analysis: DocumentAnalysis): void {
    if (!analysis.result?.serving || !this.pageReady) return;
    void this.services.servingCurve(analysis.uri, analysis.version).then(
      (curve) => {
        if (curve) this.post({ type: 'servingCurve', uri: analysis.uri, version: analysis.version, curve });
      },
      (error: unknown) => this.services.log.error(`Serving curve failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`),
    );
  }

  private post(message: ToWebviewMessage | SweepMessage): void {
    // Before `ready` the page has no listener; it gets the current state when it says `ready`.
    if (!this.pageReady) return;
    void this.panel.webview.postMessage(message);
  }

  private async sendDocumentState(): Promise<void> {
    const uri = this.documentUri;
    if (!uri) {
      this.post({ type: 'noDocument' });
      return;
    }
    const analysis = this.services.store.get(uri) ?? (await this.services.analysis(uri));
    if (uri !== this.documentUri) return;
    this.post(analysis ? { type: 'analysis', analysis } : { type: 'noDocument' });
    if (analysis) {
      this.sendSweep(analysis);
      this.sendServingCurve(analysis);
    }
    // A plan made for this document is still worth showing after the page was hidden.
    if (this.lastPlan?.uri === uri) this.post({ type: 'plan', outcome: this.lastPlan });
  }

  private async sendPendingComparison(): Promise<void> {
    const pending = this.pendingComparison;
    const uri = this.documentUri;
    if (!pending || !uri) return;
    this.pendingComparison = undefined;
    await this.sendComparison(uri, pending.hardwareIds);
  }

  private async sendComparison(uri: string, hardwareIds?: readonly string[]): Promise<void> {
    const outcome = await this.services.compare(uri, hardwareIds);
    if ('error' in outcome) {
      void vscode.window.showWarningMessage(`Hardware comparison: ${outcome.error}`);
      this.post({ type: 'comparison', rows: [] });
      return;
    }
    this.post({ type: 'comparison', rows: outcome.rows });
  }

  private async receive(raw: unknown): Promise<void> {
    try {
      const routed = await routeWebviewMessage(raw, {
        ready: () => this.onReady(),
        setField: (message) => this.onSetField(message),
        requestComparison: (message) => this.sendComparison(message.uri, message.hardware),
        exportFile: (message) => this.onExportFile(message),
        undoRedo: (message) => this.onUndoRedo(message),
        openSource: (message) => this.onOpenSource(message),
        requestPlan: (message) => (message.uri === this.documentUri ? this.runPlan(message.uri, message.version) : undefined),
        applyCandidate: (message) => this.onApplyCandidate(message),
        copyCommand: async (message) => {
          // The page may copy only the deployment it shows.
          if (message.uri !== this.documentUri) return;
          await vscode.commands.executeCommand(message.engine === 'vllm' ? CommandId.copyVllmCommand : CommandId.copySglangCommand, vscode.Uri.parse(message.uri));
        },
        importMeasured: async (message) => {
          if (message.uri === this.documentUri) await vscode.commands.executeCommand(CommandId.importMeasured, vscode.Uri.parse(message.uri));
        },
        fitMeasured: async (message) => {
          if (message.uri === this.documentUri) await vscode.commands.executeCommand(CommandId.fitMeasured, vscode.Uri.parse(message.uri));
        },
      });
      if (!routed) this.services.log.warn(`Ignored a malformed message from the roofline panel: ${JSON.stringify(raw)?.slice(0, 200)}`);
    } catch (error) {
      this.services.log.error(`Roofline panel message failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }

  private async onReady(): Promise<void> {
    this.pageReady = true;
    await this.sendDocumentState();
    await this.sendPendingComparison();
    await this.runPendingPlan();
  }

  /**
   * Writes a plan candidate into the document: the fields the planner varies, as one edit (one
   * undo step), refused when the document changed since the page's analysis.
   */
  private async onApplyCandidate(message: Extract<FromWebviewMessage, { type: 'applyCandidate' }>): Promise<void> {
    const plan = this.lastPlan;
    const row = plan && 'candidates' in plan && plan.uri === message.uri ? plan.candidates.find((candidate) => candidate.rank === message.index) : undefined;
    if (message.uri !== this.documentUri || !row) return this.refuseEdit(message.uri, 'That candidate is not in the plan the panel shows.');
    const document = findOpenDocument(message.uri) ?? (await this.openQuietly(message.uri));
    const before = decideFieldEdit(message.version, document?.version);
    if (!document || !before.apply) return this.refuseEdit(message.uri, before.apply ? 'The document could not be opened.' : before.reason);
    const result = await this.services.setFields({ uri: message.uri, version: message.version, fields: candidateFields(row.deployment) });
    const refusal = refusalOf(result);
    if (refusal !== undefined || !result.edits) return this.refuseEdit(message.uri, refusal ?? 'The language server made no edit.');
    if (result.edits.length === 0) return;
    const after = decideFieldEdit(message.version, document.version);
    if (!after.apply) return this.refuseEdit(message.uri, after.reason);
    if (!(await this.applyToDocument(document, result.edits, undefined))) await this.refuseEdit(message.uri, 'The editor did not apply the edit.');
  }

  private async onSetField(message: Extract<FromWebviewMessage, { type: 'setField' }>): Promise<void> {
    const known = message.uri === this.documentUri ? (this.services.store.get(message.uri) ?? (await this.services.analysis(message.uri))) : undefined;
    const target = decideFieldTarget(message.uri, message.path, this.documentUri, known?.editableFields);
    if (!target.apply) {
      this.services.log.warn(`Refused a panel edit of ${JSON.stringify(message.path)} in ${message.uri}: ${target.reason}`);
      // Only the panel's own document gets a fresh analysis back.
      if (message.uri !== this.documentUri) return this.post({ type: 'editRefused', reason: target.reason });
      return this.refuseEdit(message.uri, target.reason);
    }
    const document = findOpenDocument(message.uri) ?? (await this.openQuietly(message.uri));
    const before = decideFieldEdit(message.version, document?.version);
    if (!document || !before.apply) return this.refuseEdit(message.uri, before.apply ? 'The document could not be opened.' : before.reason);

    const result = await this.services.setField({ uri: message.uri, version: message.version, path: message.path, value: message.value });
    const refusal = refusalOf(result);
    if (refusal !== undefined || !result.edits) return this.refuseEdit(message.uri, refusal ?? 'The language server made no edit.');

    // The user may have typed while the server computed the edit.
    const after = decideFieldEdit(message.version, document.version);
    if (!after.apply) return this.refuseEdit(message.uri, after.reason);

    if (!(await this.applyToDocument(document, result.edits, message.gesture))) await this.refuseEdit(message.uri, 'The editor did not apply the edit.');
  }

  /**
   * Applies an edit so that Ctrl+Z in the editor undoes it, and a gesture's edits (a slider drag)
   * undo as one step: in a visible editor, the edits of one gesture share one undo stop. Without a
   * visible editor a workspace edit goes on the document's undo stack, one step per edit.
   */
  private async applyToDocument(document: vscode.TextDocument, edits: NonNullable<SetFieldResult['edits']>, gesture: EditGesture | undefined): Promise<boolean> {
    const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document === document);
    if (editor) {
      const continuing = gesture !== undefined && gesture.id === this.openGesture;
      this.openGesture = gesture && !gesture.last ? gesture.id : undefined;
      return editor.edit(
        (builder) => {
          for (const textEdit of edits) builder.replace(toVscodeRange(textEdit.range), textEdit.newText);
        },
        { undoStopBefore: !continuing, undoStopAfter: gesture === undefined || gesture.last },
      );
    }
    this.openGesture = undefined;
    const edit = new vscode.WorkspaceEdit();
    for (const textEdit of edits) edit.replace(document.uri, toVscodeRange(textEdit.range), textEdit.newText);
    return vscode.workspace.applyEdit(edit);
  }

  /**
   * Undo and redo pressed in the panel act on the document (the panel keeps no state of its own):
   * the document's editor runs VS Code's own command, then the panel takes the focus back.
   */
  private async onUndoRedo(message: Extract<FromWebviewMessage, { type: 'undoRedo' }>): Promise<void> {
    const document = findOpenDocument(message.uri);
    if (!document) return;
    this.openGesture = undefined;
    const visible = vscode.window.visibleTextEditors.find((candidate) => candidate.document === document);
    const column = visible?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    await vscode.window.showTextDocument(document, { viewColumn: column, preserveFocus: false });
    await vscode.commands.executeCommand(message.action);
    this.panel.reveal(this.panel.viewColumn, false);
  }

  private async openQuietly(uri: string): Promise<vscode.TextDocument | undefined> {
    try {
      return await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
    } catch {
      return undefined;
    }
  }

  private async refuseEdit(uri: string, reason: string): Promise<void> {
    this.post({ type: 'editRefused', reason });
    // The panel's values were stale or wrong: give it the document as it is now.
    const fresh = await this.services.analysis(uri);
    if (fresh && uri === this.documentUri) this.post({ type: 'analysis', analysis: fresh });
  }

  private async onExportFile(message: Extract<FromWebviewMessage, { type: 'exportFile' }>): Promise<void> {
    const decoded = decodeExportData(message.mime, message.data);
    if ('error' in decoded) {
      void vscode.window.showErrorMessage(`Export failed: ${decoded.error}`);
      return;
    }
    const fileName = safeFileName(message.suggestedName, message.mime);
    const folder = this.documentUri ? folderOf(vscode.Uri.parse(this.documentUri)) : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
      filters: FILTER_OF_MIME[message.mime],
      saveLabel: 'Export',
      title: 'Export from the roofline panel',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, decoded.bytes);
    vscode.window.setStatusBarMessage(`LLM Roofline: saved ${baseName(target)}`, 5000);
  }

  private async onOpenSource(message: Extract<FromWebviewMessage, { type: 'openSource' }>): Promise<void> {
    // The page may open only the deployment it shows.
    if (message.uri !== this.documentUri) return;
    const document = findOpenDocument(message.uri) ?? (await this.openQuietly(message.uri));
    if (!document) return;
    const range = this.services.locate(document, message.path);
    // Open beside nothing: the source goes to the editor group the panel is not in.
    const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(document, { viewColumn: column, preserveFocus: false });
    if (range) {
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (RooflinePanel.current === this) RooflinePanel.current = undefined;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }
}
