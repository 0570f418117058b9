import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { BROKEN_DEPLOYMENT, isErrorOn, languageServerReady, openInEditor, positionOf, revertAndCloseAll, UNKNOWN_HARDWARE_ID, waitForDiagnostics } from './helpers';

suite('Quick fix', () => {
  suiteSetup(languageServerReady);
  teardown(revertAndCloseAll);

  test('the preferred fix of an unknown hardware id replaces it with a known one and clears the error', async () => {
    const editor = await openInEditor(BROKEN_DEPLOYMENT);
    const document = editor.document;
    const unknownId = positionOf(document, UNKNOWN_HARDWARE_ID, 1);
    const [diagnostic] = await waitForDiagnostics(document.uri, (ours) => ours.some((d) => isErrorOn(d, unknownId)), 'the unknown-hardware error').then((ours) =>
      ours.filter((d) => isErrorOn(d, unknownId)),
    );

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic!.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fixes = actions.filter((action) => action.edit !== undefined);
    assert.ok(fixes.length > 0, `a quick fix is offered (got: ${actions.map((a) => a.title).join(' | ') || 'none'})`);
    const fix = fixes.find((action) => action.isPreferred) ?? fixes[0]!;

    const hardwareLine = unknownId.line;
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), `the edit of "${fix.title}" applies`);
    const fixedLine = document.lineAt(hardwareLine).text;
    assert.ok(!fixedLine.includes(UNKNOWN_HARDWARE_ID), `the unknown id is gone: ${fixedLine}`);
    assert.match(fixedLine, /^hardware:\s*\S+/, `the line still sets hardware: ${fixedLine}`);

    await waitForDiagnostics(
      document.uri,
      (ours) => ours.every((d) => !(d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === hardwareLine)),
      'the hardware error to clear',
    );
  });
});
