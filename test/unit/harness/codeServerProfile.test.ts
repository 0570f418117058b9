/**
 * The code-server profiles the project writes: `npm start`'s is the product as users get it, with
 * none of the UI tests' key bindings (with them, hovers offer "Quick Fix (Ctrl+Shift+Alt+F7)"
 * instead of Ctrl+.); the UI tests' profile has the shortcuts they press.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface Layout {
  userDataDir: string;
  extensionsDir: string;
  configFile: string;
}
interface Profile {
  testDriver: boolean;
  uiTestKeybindings: boolean;
}
interface CodeServerModule {
  START_PROFILE: Profile;
  UI_TEST_PROFILE: Profile;
  UI_TEST_KEYBINDINGS_FILE: string;
  runLayout(runDir: string): Layout;
  prepareLayout(layout: Layout, options: Partial<Profile>): void;
}

describe('code-server profiles', function () {
  let harness: CodeServerModule;
  let runDir: string;

  before(async function () {
    const modulePath = '../../e2e/lib/codeServer.mjs';
    harness = (await import(modulePath)) as CodeServerModule;
  });
  beforeEach(function () {
    runDir = mkdtempSync(path.join(tmpdir(), 'llm-roofline-profile-'));
  });
  afterEach(function () {
    rmSync(runDir, { recursive: true, force: true });
  });

  function keybindingsOf(layout: Layout): string {
    return path.join(layout.userDataDir, 'User', 'keybindings.json');
  }

  it("npm start's profile has no key bindings, and the quiet settings", function () {
    const layout = harness.runLayout(runDir);
    harness.prepareLayout(layout, harness.START_PROFILE);
    assert.equal(existsSync(keybindingsOf(layout)), false);
    assert.ok(existsSync(path.join(layout.userDataDir, 'User', 'settings.json')));
    assert.equal(harness.START_PROFILE.testDriver, false);
  });

  it("npm start removes the UI tests' key bindings an earlier run left in its profile", function () {
    const layout = harness.runLayout(runDir);
    mkdirSync(path.dirname(keybindingsOf(layout)), { recursive: true });
    writeFileSync(keybindingsOf(layout), readFileSync(harness.UI_TEST_KEYBINDINGS_FILE, 'utf8'));
    harness.prepareLayout(layout, harness.START_PROFILE);
    assert.equal(existsSync(keybindingsOf(layout)), false);
  });

  it("npm start keeps key bindings the user wrote in its profile", function () {
    const layout = harness.runLayout(runDir);
    const own = '[{ "key": "ctrl+k ctrl+r", "command": "llmRoofline.openPanel" }]\n';
    mkdirSync(path.dirname(keybindingsOf(layout)), { recursive: true });
    writeFileSync(keybindingsOf(layout), own);
    harness.prepareLayout(layout, harness.START_PROFILE);
    assert.equal(readFileSync(keybindingsOf(layout), 'utf8'), own);
  });

  it("the UI tests' profile binds the shortcuts they press, quick fix included", function () {
    const layout = harness.runLayout(runDir);
    harness.prepareLayout(layout, harness.UI_TEST_PROFILE);
    const bindings = JSON.parse(readFileSync(keybindingsOf(layout), 'utf8')) as { key: string; command: string }[];
    assert.deepEqual(
      bindings.find((binding) => binding.command === 'editor.action.quickFix')?.key,
      'ctrl+alt+shift+f7',
    );
  });
});
