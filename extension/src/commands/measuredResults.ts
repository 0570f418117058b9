/**
 * "Import Measured Results...": pick benchmark result files and add them under the deployment's
 * `measured:`; "Fit the Hardware to Measured Results": fit the hardware's efficiency terms to them
 * and write them with their source. Both are edits the server computes from the document (the
 * single source of truth), applied as one workspace edit: one undo step.
 */
import * as vscode from 'vscode';
import type { FitMeasuredParams, FitMeasuredResult, ImportMeasuredParams, SetFieldResult } from '../../../language-server/src/protocol/lsp';
import { targetDeployment } from './targetDeployment';

export interface MeasuredRequests {
  importMeasured(params: ImportMeasuredParams): Promise<SetFieldResult>;
  fitMeasured(params: FitMeasuredParams): Promise<FitMeasuredResult>;
}

async function openDocument(uri: vscode.Uri): Promise<vscode.TextDocument> {
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString()) ?? vscode.workspace.openTextDocument(uri);
}

/** `target` as a path relative to the folder of `base`, with forward slashes: `./results/run-64.json`. */
export function relativeReference(base: vscode.Uri, target: vscode.Uri): string {
  const from = base.path.split('/').slice(0, -1);
  const to = target.path.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

function toRange(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export async function importMeasuredResults(argument: unknown, server: MeasuredRequests, pickFiles?: vscode.Uri[]): Promise<boolean> {
  const uri = await targetDeployment(argument, 'Import measured results into which deployment?');
  if (!uri) {
    void vscode.window.showInformationMessage('Open a deployment file (*.roofline.yaml) to import measured results into it.');
    return false;
  }
  const files =
    pickFiles ??
    (await vscode.window.showOpenDialog({
      title: 'Import measured results',
      openLabel: 'Import',
      canSelectMany: true,
      defaultUri: vscode.Uri.joinPath(uri, '..'),
      filters: { 'Benchmark results (vllm bench serve, GuideLLM, CSV)': ['json', 'csv'] },
    }));
  if (!files || files.length === 0) return false;
  const document = await openDocument(uri);
  const result = await server.importMeasured({ uri: uri.toString(), version: document.version, paths: files.map((file) => relativeReference(uri, file)) });
  if (!result.edits) {
    void vscode.window.showWarningMessage(`Measured results not imported: ${result.message ?? 'the deployment could not be edited'}.`);
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const change of result.edits) edit.replace(uri, toRange(change.range), change.newText);
  return vscode.workspace.applyEdit(edit);
}

export async function fitMeasuredResults(argument: unknown, server: MeasuredRequests, confirm = true): Promise<boolean> {
  const uri = await targetDeployment(argument, 'Fit the hardware to the measured results of which deployment?');
  if (!uri) {
    void vscode.window.showInformationMessage('Open a deployment file (*.roofline.yaml) with measured: to fit its hardware.');
    return false;
  }
  const document = await openDocument(uri);
  const date = new Date().toISOString().slice(0, 10);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Fitting the hardware to the measured results…' }, () =>
    server.fitMeasured({ uri: uri.toString(), version: document.version, date }),
  );
  if ('error' in result) {
    void vscode.window.showWarningMessage(result.error);
    return false;
  }
  if (result.createsFile && confirm) {
    const create = `Create ${result.createsFile}`;
    const answer = await vscode.window.showInformationMessage(`${result.summary} The hardware is a preset: create ${result.createsFile} beside the deployment, extending it with these terms, and use it?`, create, 'Cancel');
    if (answer !== create) return false;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const file of result.files) {
    const fileUri = vscode.Uri.parse(file.uri);
    if (file.create) edit.createFile(fileUri, { ignoreIfExists: false, contents: new TextEncoder().encode(file.text ?? '') });
    else if (file.edit) edit.replace(fileUri, toRange(file.edit.range), file.edit.newText);
  }
  const applied = await vscode.workspace.applyEdit(edit);
  if (applied) void vscode.window.showInformationMessage(result.summary);
  return applied;
}
