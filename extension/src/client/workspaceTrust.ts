/**
 * Workspace trust as the language server and the extension host's own file reading need it: in
 * Restricted Mode nothing outside the workspace folders is read (the server says so on the
 * reference). Folders of every scheme count: files are read from disk (`file:`) and through VS
 * Code's file system (a virtual workspace, the browser).
 */
import * as vscode from 'vscode';
import { readPolicyOfTrust, type ReadPolicy } from '../../../language-server/src/config/readPolicy';
import type { WorkspaceTrust } from '../../../language-server/src/protocol/lsp';

export function currentWorkspaceTrust(): WorkspaceTrust {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString());
  return { trusted: vscode.workspace.isTrusted, folders };
}

export function currentReadPolicy(): ReadPolicy {
  return readPolicyOfTrust(currentWorkspaceTrust());
}

/** Calls `changed` when trust is granted or the workspace folders change (trust is never revoked without a reload). */
export function onWorkspaceTrustChanged(changed: () => void): vscode.Disposable {
  return vscode.Disposable.from(vscode.workspace.onDidGrantWorkspaceTrust(changed), vscode.workspace.onDidChangeWorkspaceFolders(changed));
}
