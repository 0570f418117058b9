import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hoverText, languageServerReady, openInEditor, positionOf, revertAndCloseAll, VALID_DEPLOYMENT } from './helpers';

suite('Hover', () => {
  suiteSetup(languageServerReady);
  teardown(revertAndCloseAll);

  test('hovering batch_size shows the KV cache, decode and memory figures it drives', async () => {
    const editor = await openInEditor(VALID_DEPLOYMENT);
    const onKey = positionOf(editor.document, 'batch_size', 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, onKey);
    const text = hoverText(hovers);

    assert.match(text, /workload\.batch_size/, `hover names the field: ${text}`);
    assert.match(text, /KV cache/, `hover has the KV cache: ${text}`);
    assert.match(text, /\d[\d.,]*\s*(?:[kMGT]i?B)\b/, `hover has a byte figure: ${text}`);
    assert.match(text, /tokens\/s/, `hover has the decode rate: ${text}`);
  });

  test('hovering a hardware preset id shows its bandwidth and ridge point', async () => {
    const editor = await openInEditor(VALID_DEPLOYMENT);
    const onId = positionOf(editor.document, 'nvidia-a100-80gb-sxm4', 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, onId);
    const text = hoverText(hovers);

    assert.match(text, /bandwidth/i, `hover has the bandwidth: ${text}`);
    assert.match(text, /ridge\s+\d/i, `hover has the ridge point: ${text}`);
  });
});
