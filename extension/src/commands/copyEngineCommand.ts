/**
 * "Copy as vllm serve Command" / "Copy as SGLang Launch Command": the deployment as the command
 * that runs it, on the clipboard, with what the command cannot say shown beside it.
 */
import * as vscode from 'vscode';
import type { EngineCommandResult } from '../../../language-server/src/protocol/lsp';
import { targetDeployment } from './targetDeployment';

const ENGINE_NAMES = { vllm: 'vllm serve', sglang: 'SGLang launch' } as const;

export async function copyEngineCommand(
  argument: unknown,
  engine: 'vllm' | 'sglang',
  request: (uri: string, engine: 'vllm' | 'sglang') => Promise<EngineCommandResult>,
): Promise<string | undefined> {
  const uri = await targetDeployment(argument, `Copy which deployment as a ${ENGINE_NAMES[engine]} command?`);
  if (!uri) {
    void vscode.window.showInformationMessage('Open a deployment file (*.roofline.yaml) to copy it as a command.');
    return undefined;
  }
  const result = await request(uri.toString(), engine);
  if (!result.command) {
    void vscode.window.showWarningMessage(`No ${ENGINE_NAMES[engine]} command: ${result.error ?? 'the deployment could not be analysed'}.`);
    return undefined;
  }
  const missing = result.notExpressed.length > 0 ? ` Not in the command: ${result.notExpressed.join('; ')}.` : '';
  try {
    await vscode.env.clipboard.writeText(result.command);
  } catch {
    // A browser may refuse the clipboard (no permission, the page not focused): the command opens
    // in an editor instead, to copy from there.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'shellscript', content: `${result.command}\n` }));
    void vscode.window.showInformationMessage(`The browser did not allow the clipboard; the ${ENGINE_NAMES[engine]} command is in a new editor.${missing}`);
    return result.command;
  }
  void vscode.window.showInformationMessage(`Copied: ${result.command}${missing}`);
  return result.command;
}
