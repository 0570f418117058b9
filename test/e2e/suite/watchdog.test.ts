/**
 * A language server that stops answering, in a real VS Code: the test makes the server's event
 * loop hang (the test-only request of debugProtocol.ts, standing for a check that never yields).
 * The watchdog's ping goes unanswered, the language status item says the server is not
 * responding, and "Restart Language Server" (what the warning's "Restart Now" and the status item
 * run) ends the stuck process and brings a new server that answers hovers and checks edits; left
 * alone, the watchdog does the same on its own. Runs last: it restarts the server.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StatusContent } from '../../../extension/src/statusText';
import { hoverText, languageServerReady, openInEditor, positionOf, revertAndCloseAll, VALID_DEPLOYMENT, waitForDiagnostics, waitForEvent } from './helpers';
import { extensionApi } from './settle';
import type { LlmRooflineApi } from '../../../extension/src/extension';

/** Longer than the watchdog takes to call the server unresponsive (a 5 s interval, then 3 s) and to restart it (10 s more). */
const BLOCK_MS = 60_000;
const NOTICED_WITHIN_MS = 20_000;
const RESTARTED_WITHIN_MS = 30_000;

function waitForStatus(api: LlmRooflineApi, text: string, timeoutMs: number): Promise<StatusContent> {
  return waitForEvent(
    api.onDidChangeServerStatus,
    () => (api.serverStatus().text === text ? api.serverStatus() : undefined),
    () => `the language status item to say "${text}" (it says "${api.serverStatus().text}")`,
    timeoutMs,
  );
}

/** The server answers: a hover on the valid deployment, and the check of an edit of it. */
async function answersAgain(): Promise<void> {
  const editor = await openInEditor(VALID_DEPLOYMENT);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, positionOf(editor.document, 'batch_size', 2));
  assert.match(hoverText(hovers), /batch/i);
  const line = editor.document.lineAt(positionOf(editor.document, 'hardware:').line);
  await editor.edit((edit) => edit.replace(line.range, 'hardware: nvidia-h100-sxn'));
  const misspelt = positionOf(editor.document, 'nvidia-h100-sxn', 1);
  await waitForDiagnostics(editor.document.uri, (ours) => ours.some((d) => d.range.contains(misspelt)), 'the error on the misspelt hardware id after the restart');
}

suite('A language server that stops answering', () => {
  suiteSetup(languageServerReady);
  teardown(revertAndCloseAll);

  test('is shown as not responding, and the restart command brings back a server that answers', async function () {
    this.timeout(120_000);
    const api = await extensionApi();
    assert.ok(api.blockServerForTest, 'the extension host runs with LLM_ROOFLINE_TEST_REQUESTS=1 (test/e2e/runTest.mjs, host-tests.mjs)');
    assert.equal(api.serverStatus().text, 'Language server');
    const seen: string[] = [];
    const subscription = api.onDidChangeServerStatus((status) => seen.push(status.text));
    try {
      await api.blockServerForTest(BLOCK_MS);
      const stuck = await waitForStatus(api, 'Language server not responding', NOTICED_WITHIN_MS);
      assert.equal(stuck.severity, 'error');
      assert.match(stuck.detail, /^Restarting it in \d+ s unless it answers$/);
      // What "Restart Now" on the warning and the status item's "Restart" run.
      await vscode.commands.executeCommand('llmRoofline.restartServer');
      await waitForStatus(api, 'Language server', RESTARTED_WITHIN_MS);
      assert.deepEqual(seen, ['Language server not responding', 'Language server']);
    } finally {
      subscription.dispose();
    }
    await answersAgain();
  });

  test('left alone, is restarted by the watchdog, and the new server answers', async function () {
    this.timeout(120_000);
    const api = await extensionApi();
    assert.ok(api.blockServerForTest);
    const seen: string[] = [];
    const subscription = api.onDidChangeServerStatus((status) => seen.push(status.text));
    try {
      await api.blockServerForTest(BLOCK_MS);
      await waitForStatus(api, 'Language server not responding', NOTICED_WITHIN_MS);
      await waitForStatus(api, 'Language server', RESTARTED_WITHIN_MS);
      assert.deepEqual(seen, ['Language server not responding', 'Language server']);
    } finally {
      subscription.dispose();
    }
    await answersAgain();
  });
});
