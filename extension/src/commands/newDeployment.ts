/**
 * `LLM Roofline: New Deployment File`: pick a model preset and a hardware preset, and get a new
 * (unsaved) deployment file, named after them, filled with a commented template. Callers may pass
 * `{ model, hardware }` to skip the pickers.
 */
import * as vscode from 'vscode';
import { listHardwarePresets, listModelPresets } from '../../../language-server/src/presets/index';
import { formatParameters } from '../../../language-server/src/format/units';
import { deploymentFileName, deploymentTemplate, type TemplateChoice } from '../newDeployment/template';
import { activeDeploymentUri, folderOf } from '../vscodeAdapters';

interface NewDeploymentArguments {
  model?: unknown;
  hardware?: unknown;
}

/** Largest suffix tried when the natural file name is taken (`-2`, `-3`, ...). */
const MAX_NAME_SUFFIX = 99;

/** `fallbackFolder`: where the file goes when no folder is open (the home folder on the desktop; none in the browser). */
export async function newDeployment(argument: unknown, fallbackFolder: vscode.Uri | undefined): Promise<vscode.TextEditor | undefined> {
  const given = (typeof argument === 'object' && argument !== null ? argument : {}) as NewDeploymentArguments;
  const modelId = typeof given.model === 'string' ? given.model : await pickModel();
  if (!modelId) return undefined;
  const hardwareId = typeof given.hardware === 'string' ? given.hardware : await pickHardware();
  if (!hardwareId) return undefined;
  const choice: TemplateChoice = { modelId, hardwareId };

  const folder = targetFolder(fallbackFolder);
  // An untitled document with a path: it is named like a deployment (so it is checked as one while
  // unsaved) and saving it writes to that path without asking. With no folder at all (a browser
  // tab with nothing open) it has only its name, and saving asks where.
  const fileUri = folder ? (await freeFileUri(folder, deploymentFileName(choice))).with({ scheme: 'untitled' }) : vscode.Uri.from({ scheme: 'untitled', path: deploymentFileName(choice) });
  const document = await vscode.workspace.openTextDocument(fileUri);
  const editor = await vscode.window.showTextDocument(document);
  await editor.edit((builder) => builder.replace(fullRange(document), deploymentTemplate(choice)));
  return editor;
}

async function pickModel(): Promise<string | undefined> {
  const items = listModelPresets().map((preset) => ({
    label: preset.id,
    description: preset.publishedParameters ?? (preset.parameters === undefined ? undefined : `${formatParameters(preset.parameters)} parameters`),
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'New deployment (1/2): model',
    placeHolder: 'Model preset (you can change it to a config.json path later)',
    matchOnDescription: true,
  });
  return picked?.label;
}

interface HardwareItem extends vscode.QuickPickItem {
  id?: string;
}

async function pickHardware(): Promise<string | undefined> {
  const presets = listHardwarePresets().filter((preset) => preset.spec !== undefined);
  const section = (label: string, origin: 'reference' | 'llm-viewer'): HardwareItem[] => [
    { label, kind: vscode.QuickPickItemKind.Separator },
    ...presets.filter((preset) => preset.origin === origin).map((preset) => ({ label: preset.name, description: preset.id, id: preset.id })),
  ];
  const picked = await vscode.window.showQuickPick<HardwareItem>(
    [...section('Datasheet figures', 'reference'), ...section("LLM-Viewer's table (for conventions: llm-viewer)", 'llm-viewer')],
    {
      title: 'New deployment (2/2): hardware',
      placeHolder: 'Hardware preset (you can change it to a *.hardware.yaml path later)',
      matchOnDescription: true,
    },
  );
  return picked?.id;
}

function targetFolder(fallbackFolder: vscode.Uri | undefined): vscode.Uri | undefined {
  const active = activeDeploymentUri();
  const besideActive = active ? folderOf(active) : undefined;
  return besideActive ?? vscode.workspace.workspaceFolders?.[0]?.uri ?? fallbackFolder;
}

/** Taken on disk, or by an unsaved document made earlier with the same name. */
async function exists(uri: vscode.Uri): Promise<boolean> {
  if (vscode.workspace.textDocuments.some((document) => document.uri.path === uri.path)) return true;
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function freeFileUri(folder: vscode.Uri, fileName: string): Promise<vscode.Uri> {
  const first = vscode.Uri.joinPath(folder, fileName);
  if (!(await exists(first))) return first;
  const stem = fileName.replace(/\.roofline\.yaml$/, '');
  for (let suffix = 2; suffix <= MAX_NAME_SUFFIX; suffix++) {
    const candidate = vscode.Uri.joinPath(folder, `${stem}-${suffix}.roofline.yaml`);
    if (!(await exists(candidate))) return candidate;
  }
  return first;
}

function fullRange(document: vscode.TextDocument): vscode.Range {
  return new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
}
