/**
 * Waiting on the editor's state from inside the extension host: every wait is on an event
 * (diagnostics, tabs, document changes) with a deadline, never on a fixed delay.
 */
import * as vscode from 'vscode';

export const DIAGNOSTIC_SOURCE = 'llm-roofline';
export const OPEN_PANEL_COMMAND = 'llmRoofline.openPanel';
export const PANEL_VIEW_TYPE = 'llmRoofline.panel';

const DEFAULT_TIMEOUT_MS = 30_000;

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder (the test workspace is opened with them)');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openInEditor(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * Resolves with the first value `probe` returns that is not undefined, probing now and after
 * every `event`; rejects after `timeoutMs` with `describe()` in the message.
 */
export function waitForEvent<T>(
  event: vscode.Event<unknown>,
  probe: () => T | undefined,
  describe: () => string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<T> {
  const now = probe();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const subscription = event(() => {
      const value = probe();
      if (value === undefined) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`));
    }, timeoutMs);
  });
}

function describeDiagnostics(uri: vscode.Uri): string {
  const list = vscode.languages.getDiagnostics(uri);
  if (list.length === 0) return 'none';
  return list.map((d) => `[${d.source ?? '?'} ${String(typeof d.code === 'object' ? d.code.value : d.code ?? '')}] ${d.message}`).join('; ');
}

/** Our diagnostics on `uri` once `accept` holds for them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (ours: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  return waitForEvent(
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
      return accept(ours) ? ours : undefined;
    },
    () => `${what} on ${uri.path} (diagnostics now: ${describeDiagnostics(uri)})`,
  );
}

/** The position `offsetInMatch` characters into the first occurrence of `text` in the document. */
export function positionOf(document: vscode.TextDocument, text: string, offsetInMatch = 0): vscode.Position {
  const index = document.getText().indexOf(text);
  if (index < 0) throw new Error(`"${text}" is not in ${document.uri.path}`);
  return document.positionAt(index + offsetInMatch);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

export function isOurPanel(tab: vscode.Tab): boolean {
  // The workbench prefixes extension webview types (e.g. `mainThreadWebview-llmRoofline.panel`).
  return tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(PANEL_VIEW_TYPE);
}

export function openPanelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter(isOurPanel);
}

function isInWorkspace(uri: vscode.Uri): boolean {
  return vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

/**
 * Reverts what a test changed in the workspace (so that closing asks nothing) and closes every
 * editor and panel. Documents outside the workspace are left alone: the workbench itself may hold
 * the user settings open and dirty.
 */
export async function revertAndCloseAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty && isInWorkspace(d.uri))) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export const BROKEN_DEPLOYMENT = 'broken.roofline.yaml';
export const VALID_DEPLOYMENT = 'valid.roofline.yaml';
/** The misspelt hardware id in the broken deployment. */
export const UNKNOWN_HARDWARE_ID = 'nvidia-h100-sxn';

export function isErrorOn(diagnostic: vscode.Diagnostic, position: vscode.Position): boolean {
  return diagnostic.severity === vscode.DiagnosticSeverity.Error && diagnostic.range.contains(position);
}

/** Kept on the global object: each test file is bundled with its own copy of this module. */
const READY_KEY = Symbol.for('llmRoofline.e2e.languageServerReady');
const shared = globalThis as { [READY_KEY]?: Promise<void> };

/**
 * Opens the broken deployment and waits for its diagnostic: proof that the extension activated and
 * its language server answers, so that the provider commands below reach it. Awaited once per run;
 * when it fails, every suite that needs the server fails at once with the same reason.
 */
export function languageServerReady(): Promise<void> {
  shared[READY_KEY] ??= (async () => {
    const editor = await openInEditor(BROKEN_DEPLOYMENT);
    const unknownId = positionOf(editor.document, UNKNOWN_HARDWARE_ID, 1);
    await waitForDiagnostics(editor.document.uri, (ours) => ours.some((d) => isErrorOn(d, unknownId)), 'the unknown-hardware error');
  })();
  return shared[READY_KEY];
}
