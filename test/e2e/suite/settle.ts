/**
 * "Settled": the language server has checked the document's current version. Diagnostics are
 * published after the validation delay, so a test first waits for the publication that follows
 * opening the document, then asks the server for its analysis and checks that it is of the
 * version the editor has. Everything waits on events and answers, never on a fixed delay.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LlmRooflineApi } from '../../../extension/src/extension';
import type { DocumentAnalysis } from '../../../language-server/src/protocol/lsp';

const EXTENSION_ID = 'llm-roofline.llm-roofline';
const SETTLE_TIMEOUT_MS = 30_000;

/** The extension's API (activating it if needed), with its language server started. */
export async function extensionApi(): Promise<LlmRooflineApi> {
  const extension = vscode.extensions.getExtension<LlmRooflineApi>(EXTENSION_ID);
  assert.ok(extension, `the extension ${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  await api.serverReady();
  return api;
}

/** Resolves at the next diagnostics publication for `uri`; subscribe before causing it. */
function nextDiagnosticsPublication(uri: vscode.Uri): { published: Promise<void>; cancel(): void } {
  let subscription: vscode.Disposable | undefined;
  let timer: NodeJS.Timeout | undefined;
  const cancel = (): void => {
    subscription?.dispose();
    clearTimeout(timer);
  };
  const published = new Promise<void>((resolve, reject) => {
    subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === uri.toString())) return;
      cancel();
      resolve();
    });
    timer = setTimeout(() => {
      cancel();
      reject(new Error(`no diagnostics were published for ${uri.path} within ${SETTLE_TIMEOUT_MS} ms`));
    }, SETTLE_TIMEOUT_MS);
  });
  return { published, cancel };
}

/** The server's analysis of the editor's current version of `document`. */
async function analysisOfCurrentVersion(document: vscode.TextDocument): Promise<DocumentAnalysis> {
  const api = await extensionApi();
  const analysis = await api.analysis(document.uri.toString());
  assert.ok(analysis, `the server answers the analysis request for ${document.uri.path}`);
  assert.equal(analysis.version, document.version, `the analysis is of the editor's version of ${document.uri.path}`);
  return analysis;
}

export interface Settled {
  document: vscode.TextDocument;
  analysis: DocumentAnalysis;
  /** Every diagnostic on the document once settled, from any source. */
  diagnostics: vscode.Diagnostic[];
}

/**
 * Opens a document that is not open yet, in an editor, and resolves once its diagnostics have been
 * published and the server's analysis is of its current version.
 */
export async function openAndSettle(uri: vscode.Uri): Promise<Settled> {
  assert.ok(
    !vscode.workspace.textDocuments.some((open) => open.uri.toString() === uri.toString()),
    `${uri.path} is not open yet (its first diagnostics are what settling waits for)`,
  );
  const publication = nextDiagnosticsPublication(uri);
  try {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    await publication.published;
    const analysis = await analysisOfCurrentVersion(document);
    return { document, analysis, diagnostics: vscode.languages.getDiagnostics(uri) };
  } finally {
    publication.cancel();
  }
}

/**
 * Opens a document (open already or not) and resolves with the server's analysis of its current
 * version: the request is answered from the document the server holds, so providers asked after
 * it (hover, code actions) see the same version.
 */
export async function settledAnalysis(uri: vscode.Uri): Promise<Omit<Settled, 'diagnostics'>> {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  return { document, analysis: await analysisOfCurrentVersion(document) };
}
