/**
 * Which deployment a command is about: the uri it was given (menus, code lenses), else the active
 * editor's, else the one the panel shows, else one picked from the workspace's deployment files.
 */
import * as vscode from 'vscode';
import { DOCUMENT_PATTERNS, isDeploymentPath } from '../documents';
import { RooflinePanel } from '../panel/RooflinePanel';
import { activeDeploymentUri, uriFromArgument } from '../vscodeAdapters';

/** How many deployment files the picker lists at most. */
const MAX_PICKED_FILES = 200;

export async function targetDeployment(argument: unknown, pickTitle: string): Promise<vscode.Uri | undefined> {
  const given = uriFromArgument(argument);
  if (given && isDeploymentPath(given.path)) return given;
  const active = activeDeploymentUri();
  if (active) return active;
  const shown = RooflinePanel.currentPanel?.shownDocumentUri;
  if (shown) return vscode.Uri.parse(shown);
  return pickDeploymentFile(pickTitle);
}

async function pickDeploymentFile(title: string): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles(DOCUMENT_PATTERNS.deployment, '**/node_modules/**', MAX_PICKED_FILES);
  if (files.length === 0) return undefined;
  if (files.length === 1) return files[0];
  const items = files
    .map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Deployment file (*.roofline.yaml)' });
  return picked?.uri;
}
