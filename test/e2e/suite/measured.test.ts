import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { languageServerReady, revertAndCloseAll, waitForEvent, workspaceFile } from './helpers';

/** The real vllm bench serve runs and the model config (test/fixtures/measurements/vllm-bench-serve). */
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/measurements/vllm-bench-serve');
const FOLDER = 'measured-e2e';

const DEPLOYMENT = [
  '# One L40S replica of the benchmarked deployment.',
  'model: ./llama-3.2-3b-instruct/config.json',
  'hardware: nvidia-l40s',
  'efficiency: expected',
  'serving:',
  '  concurrency: max',
  '',
].join('\n');

async function write(name: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceFile(`${FOLDER}/${name}`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

suite('Measured results', () => {
  suiteSetup(languageServerReady);
  teardown(async () => {
    await revertAndCloseAll();
    await vscode.workspace.fs.delete(workspaceFile(FOLDER), { recursive: true, useTrash: false });
  });

  test('imports result files under measured: in one undo step, then fits the preset into a new hardware file', async () => {
    await write('llama-3.2-3b-instruct/config.json', readFileSync(path.join(FIXTURES, 'llama-3.2-3b-instruct/config.json'), 'utf8'));
    const runs = await write('results/base.json', readFileSync(path.join(FIXTURES, 'llama-3.2-3b-4xl40s-base.json'), 'utf8'));
    const table = await write('results/kvcache.csv', readFileSync(path.join(FIXTURES, 'llama-3.2-3b-4xl40s-kvcache.csv'), 'utf8'));
    const deploymentUri = await write('l40s.roofline.yaml', DEPLOYMENT);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(deploymentUri), { preview: false });
    const document = editor.document;

    const imported = await vscode.commands.executeCommand<boolean>('llmRoofline.importMeasured', deploymentUri, [runs, table]);
    assert.equal(imported, true);
    assert.match(document.getText(), /^measured: \[\.\/results\/base\.json, \.\/results\/kvcache\.csv\]$/m, document.getText());
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), DEPLOYMENT, 'one undo takes the import back');
    await vscode.commands.executeCommand('redo');
    assert.match(document.getText(), /^measured:/m);
    await document.save();

    const fitted = await vscode.commands.executeCommand<boolean>('llmRoofline.fitMeasured', deploymentUri, { confirm: false });
    assert.equal(fitted, true);
    await waitForEvent(vscode.workspace.onDidChangeTextDocument, () => (/^hardware: \.\/nvidia-l40s\.hardware\.yaml$/m.test(document.getText()) ? true : undefined), () => document.getText());
    const hardware = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceFile(`${FOLDER}/nvidia-l40s.hardware.yaml`)));
    assert.match(hardware, /^extends: nvidia-l40s$/m);
    assert.match(hardware, /^  step_us: \d+$/m);
    assert.match(hardware, /source: "fitted to base\.json, kvcache\.csv \(\d+ figures, efficiency: expected\) on \d{4}-\d\d-\d\d: geometric-mean error \d/);
  });
});
