/** `LLM Roofline: Export Markdown Report`: the active deployment's analysis as a Markdown file. */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../../../language-server/src/protocol/lsp';
import { renderMarkdownReport } from '../../../language-server/src/report/markdownReport';
import { baseName, folderOf } from '../vscodeAdapters';
import { targetDeployment } from './targetDeployment';

export async function exportReport(argument: unknown, analysisOf: (uri: string) => Promise<DocumentAnalysis | undefined>): Promise<void> {
  const uri = await targetDeployment(argument, 'Export the report of which deployment?');
  if (!uri) {
    void vscode.window.showInformationMessage('Open a deployment file (*.roofline.yaml) to export its report.');
    return;
  }
  const analysis = await analysisOf(uri.toString());
  if (!analysis) {
    void vscode.window.showErrorMessage(`No analysis of ${baseName(uri)}: the language server did not answer.`);
    return;
  }
  const outcome = renderMarkdownReport(analysis, { documentName: baseName(uri), generatedAt: new Date().toISOString() });
  if ('error' in outcome) {
    void vscode.window.showErrorMessage(`No report for ${baseName(uri)}: ${outcome.error}`);
    return;
  }
  const reportName = baseName(uri).replace(/\.roofline\.(ya?ml|json)$/i, '') + '.roofline-report.md';
  const folder = folderOf(uri);
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, reportName) : undefined,
    filters: { Markdown: ['md'] },
    saveLabel: 'Export report',
    title: 'Export the roofline report',
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(outcome.markdown));
  const open = 'Open';
  if ((await vscode.window.showInformationMessage(`Saved ${baseName(target)}.`, open)) === open) {
    await vscode.window.showTextDocument(target);
  }
}
