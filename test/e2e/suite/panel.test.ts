import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { languageServerReady, OPEN_PANEL_COMMAND, openInEditor, openPanelTabs, revertAndCloseAll, VALID_DEPLOYMENT, waitForEvent } from './helpers';

suite('Roofline panel', () => {
  suiteSetup(languageServerReady);
  teardown(revertAndCloseAll);

  test('the open-panel command opens one roofline webview beside the deployment', async () => {
    const editor = await openInEditor(VALID_DEPLOYMENT);
    assert.equal(openPanelTabs().length, 0, 'no panel before the command');

    await vscode.commands.executeCommand(OPEN_PANEL_COMMAND);
    const [tab] = await waitForEvent(
      vscode.window.tabGroups.onDidChangeTabs,
      () => (openPanelTabs().length > 0 ? openPanelTabs() : undefined),
      () => `a roofline panel tab (tabs now: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')})`,
    );
    assert.ok(tab, 'a panel tab exists');
    // The deployment stays visible next to the panel, so that its edits can be seen.
    assert.ok(
      vscode.window.visibleTextEditors.some((visible) => visible.document.uri.toString() === editor.document.uri.toString()),
      'the deployment editor is still visible',
    );

    await vscode.commands.executeCommand(OPEN_PANEL_COMMAND);
    assert.equal(openPanelTabs().length, 1, 'running the command again reuses the panel');
  });
});
