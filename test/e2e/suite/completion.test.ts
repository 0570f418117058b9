import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { languageServerReady, openInEditor, positionOf, revertAndCloseAll, VALID_DEPLOYMENT } from './helpers';

function labelsOf(list: vscode.CompletionList): string[] {
  return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

suite('Completion', () => {
  suiteSetup(languageServerReady);
  teardown(revertAndCloseAll);

  test('the hardware value lists our hardware presets, and LLM-Viewer\'s ids only under its conventions', async () => {
    const editor = await openInEditor(VALID_DEPLOYMENT);
    const hardwareCompletions = async (): Promise<string[]> => {
      const atValue = positionOf(editor.document, 'nvidia-a100-80gb-sxm4');
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, atValue);
      return labelsOf(list);
    };

    const labels = await hardwareCompletions();
    for (const id of ['nvidia-h100-sxm', 'nvidia-a100-80gb-sxm4']) {
      assert.ok(labels.includes(id), `${id} is offered (got ${labels.length} items: ${labels.slice(0, 20).join(', ')})`);
    }
    assert.ok(!labels.includes('nvidia_A6000'), 'LLM-Viewer\'s alias ids are not offered under the default conventions');
    assert.ok(!labels.includes('meta-llama/Llama-2-7b-hf'), 'model presets are not offered for hardware');

    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    assert.ok(await editor.edit((builder) => builder.insert(end, '\nconventions: llm-viewer\n')), 'the conventions line is written');
    const underLlmViewer = await hardwareCompletions();
    assert.ok(underLlmViewer.includes('nvidia_A6000'), `nvidia_A6000 is offered under conventions: llm-viewer (got ${underLlmViewer.length} items)`);
  });

  test('the model value lists model presets', async () => {
    const editor = await openInEditor(VALID_DEPLOYMENT);
    const atValue = positionOf(editor.document, 'meta-llama/Llama-2-7b-hf');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, atValue);
    const labels = labelsOf(list);

    for (const id of ['meta-llama/Llama-2-7b-hf', 'mistralai/Mistral-7B-v0.1']) {
      assert.ok(labels.includes(id), `${id} is offered (got ${labels.length} items: ${labels.slice(0, 20).join(', ')})`);
    }
  });
});
