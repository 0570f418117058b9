import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { BROKEN_DEPLOYMENT, isErrorOn, openInEditor, positionOf, revertAndCloseAll, UNKNOWN_HARDWARE_ID, waitForDiagnostics } from './helpers';

suite('Diagnostics', () => {
  teardown(revertAndCloseAll);

  test('an unknown hardware id is one error, on the id, naming it', async () => {
    const editor = await openInEditor(BROKEN_DEPLOYMENT);
    const document = editor.document;
    const unknownId = positionOf(document, UNKNOWN_HARDWARE_ID, 1);
    const ours = await waitForDiagnostics(document.uri, (list) => list.some((d) => isErrorOn(d, unknownId)), 'the unknown-hardware error');

    const errors = ours.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.equal(errors.length, 1, `one error expected, got: ${errors.map((d) => d.message).join(' | ')}`);
    const error = errors[0]!;
    assert.equal(document.getText(error.range), UNKNOWN_HARDWARE_ID, 'the error covers exactly the unknown id');
    assert.match(error.message, new RegExp(UNKNOWN_HARDWARE_ID));
    // The model line is valid: nothing is reported on it.
    const modelLine = positionOf(document, 'meta-llama/Llama-2-7b-hf', 1).line;
    assert.ok(ours.every((d) => d.range.start.line !== modelLine), 'no diagnostic on the valid model line');
  });
});
