/** Conversions between the protocol's plain shapes and VS Code's classes. */
import * as vscode from 'vscode';
import type { WireRange } from '../../language-server/src/protocol/lsp';
import { isDeploymentPath } from './documents';

export function toVscodeRange(range: WireRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function findOpenDocument(uri: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri);
}

/** The text of an open document, for the config layer's file reading. */
export function openDocumentText(uri: string): string | undefined {
  return findOpenDocument(uri)?.getText();
}

/** Commands get a `Uri` from menus, a string from code lenses, nothing from the palette. */
export function uriFromArgument(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  if (typeof argument === 'string' && argument.length > 0) {
    try {
      return vscode.Uri.parse(argument, true);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function activeDeploymentUri(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri && isDeploymentPath(uri.path) ? uri : undefined;
}

export function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

/** The folder next to a document, when it is a real one (untitled documents have none yet); any file system's. */
export function folderOf(uri: vscode.Uri): vscode.Uri | undefined {
  if (uri.scheme === 'untitled') return vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.Uri.joinPath(uri, '..');
}
