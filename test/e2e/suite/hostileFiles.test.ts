/**
 * Referenced files that used to freeze or exhaust the extension host's hardware comparison and the
 * language server (a FIFO, a symlink to /dev/zero), in a real VS Code: each gets a diagnostic on
 * its reference, the comparison answers with the reason at once, and hovers on other documents
 * still work. The harness trusts its workspace (code-server runs with --disable-workspace-trust),
 * so a file outside the workspace folder is read; Restricted Mode is covered in a workbench with
 * trust on (ui/restrictedMode.test.mjs) and through a real LSP connection (test/server/hostileFiles.test.ts).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { hoverText, languageServerReady, openInEditor, positionOf, revertAndCloseAll, VALID_DEPLOYMENT, waitForDiagnostics, workspaceFile } from './helpers';
import { extensionApi } from './settle';

const HOSTILE_DEPLOYMENT = 'hostile.roofline.yaml';
const OUTSIDE_DEPLOYMENT = 'outside.roofline.yaml';
const CREATED = ['pipe.hardware.yaml', 'zero.model.json', HOSTILE_DEPLOYMENT, OUTSIDE_DEPLOYMENT];

suite('Hostile referenced files', () => {
  let outsideFolder: string;

  suiteSetup(async () => {
    await languageServerReady();
    execFileSync('mkfifo', [workspaceFile('pipe.hardware.yaml').fsPath]);
    symlinkSync('/dev/zero', workspaceFile('zero.model.json').fsPath);
    writeFileSync(workspaceFile(HOSTILE_DEPLOYMENT).fsPath, 'model: ./zero.model.json\nhardware: ./pipe.hardware.yaml\n');
    outsideFolder = mkdtempSync(join(tmpdir(), 'roofline-outside-'));
    writeFileSync(join(outsideFolder, 'far.hardware.yaml'), 'extends: nvidia-h100-sxm\nname: far card\n');
    writeFileSync(workspaceFile(OUTSIDE_DEPLOYMENT).fsPath, `model: meta-llama/Llama-2-7b-hf\nhardware: ${join(outsideFolder, 'far.hardware.yaml')}\n`);
  });
  teardown(revertAndCloseAll);
  suiteTeardown(() => {
    for (const name of CREATED) rmSync(workspaceFile(name).fsPath, { force: true });
    rmSync(outsideFolder, { recursive: true, force: true });
  });

  test('a FIFO and a symlink to /dev/zero get an error on their reference; the comparison says why; hovers elsewhere still work', async () => {
    const editor = await openInEditor(HOSTILE_DEPLOYMENT);
    const document = editor.document;
    const onModel = positionOf(document, './zero.model.json', 1);
    const onHardware = positionOf(document, './pipe.hardware.yaml', 1);
    const ours = await waitForDiagnostics(
      document.uri,
      (list) => list.some((d) => d.range.contains(onModel)) && list.some((d) => d.range.contains(onHardware)),
      'errors on both references',
    );
    const model = ours.find((d) => d.range.contains(onModel))!;
    assert.equal(document.getText(model.range), './zero.model.json');
    assert.match(model.message, /^model file \.\/zero\.model\.json was not read: not a regular file/);
    assert.match(ours.find((d) => d.range.contains(onHardware))!.message, /^hardware file \.\/pipe\.hardware\.yaml was not read: not a regular file/);

    const api = await extensionApi();
    const outcome = await api.compareHardware(document.uri.toString(), ['nvidia-l4']);
    assert.ok('error' in outcome, `the comparison refused: ${JSON.stringify(outcome)}`);
    assert.match(outcome.error, /model file \.\/zero\.model\.json was not read: not a regular file/);
    assert.match(outcome.error, /hardware file \.\/pipe\.hardware\.yaml was not read: not a regular file/);

    const valid = await openInEditor(VALID_DEPLOYMENT);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', valid.document.uri, positionOf(valid.document, 'batch_size', 2));
    assert.match(hoverText(hovers), /workload\.batch_size/);
  });

  test('in a trusted workspace a hardware file outside the workspace folder is read, by the server and by the comparison', async () => {
    const editor = await openInEditor(OUTSIDE_DEPLOYMENT);
    const api = await extensionApi();
    const analysis = await api.analysis(editor.document.uri.toString());
    assert.deepEqual(analysis?.errors, []);
    assert.equal(analysis?.hardwareName, 'far card');
    const outcome = await api.compareHardware(editor.document.uri.toString(), ['nvidia-l4']);
    assert.ok('rows' in outcome, JSON.stringify(outcome));
  });
});
