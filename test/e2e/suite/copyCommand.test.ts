import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { languageServerReady, openInEditor, revertAndCloseAll } from './helpers';

suite('Copy as engine command', () => {
  suiteSetup(languageServerReady);
  teardown(revertAndCloseAll);

  test('offers the copy actions under Source Action and puts the vllm serve command on the clipboard', async () => {
    const editor = await openInEditor('valid.roofline.yaml');
    const document = editor.document;
    const start = new vscode.Range(0, 0, 0, 0);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, start, vscode.CodeActionKind.Source.value);
    const copy = actions.find((action) => action.title === 'Copy as vllm serve command');
    assert.ok(copy?.command, `the copy action is offered (got: ${actions.map((a) => a.title).join(' | ') || 'none'})`);
    await vscode.env.clipboard.writeText('');
    const copied = await vscode.commands.executeCommand<string | undefined>(copy.command.command, ...(copy.command.arguments ?? []));
    assert.ok(copied?.startsWith('vllm serve '), `the command: ${copied}`);
    assert.equal(await vscode.env.clipboard.readText(), copied);
  });
});
