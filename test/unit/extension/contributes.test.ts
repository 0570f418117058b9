import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS as SERVER_DEFAULTS } from '../../../language-server/src/server/settings';
import { COMMAND_CATEGORY, COMMAND_DECLARATIONS } from '../../../extension/src/commands';
import { PANEL_VIEW_TYPE } from '../../../extension/src/panel/viewType';
import {
  DEFAULT_EXTENSION_SETTINGS,
  qualifiedKey,
  readExtensionSettings,
  SETTING_DECLARATIONS,
} from '../../../extension/src/settings';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
  icon?: string;
}

interface PackageJson {
  main: string;
  browser: string;
  icon: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: unknown; description?: string }; virtualWorkspaces: { supported: unknown; description?: string } };
  contributes: {
    commands: ContributedCommand[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { title: string; properties: Record<string, Record<string, unknown>> };
  };
}

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

describe('package.json contributes match the extension code', () => {
  it('declares exactly the settings of extension/src/settings.ts, with the same types, defaults and ranges', () => {
    const properties = pkg.contributes.configuration.properties;
    assert.deepEqual(Object.keys(properties).sort(), SETTING_DECLARATIONS.map((d) => qualifiedKey(d.key)).sort());
    for (const declaration of SETTING_DECLARATIONS) {
      const contributed = properties[qualifiedKey(declaration.key)]!;
      assert.equal(contributed.type, declaration.type, declaration.key);
      assert.deepEqual(contributed.default, declaration.default, declaration.key);
      assert.deepEqual(contributed.enum, declaration.enum, declaration.key);
      assert.equal(contributed.minimum, declaration.minimum, declaration.key);
      assert.equal(contributed.maximum, declaration.maximum, declaration.key);
      assert.ok(
        typeof contributed.description === 'string' || typeof contributed.markdownDescription === 'string',
        `${declaration.key} has a description`,
      );
    }
    assert.equal(pkg.contributes.configuration.title, 'LLM Roofline');
  });

  it('gives the settings the server also reads the server defaults', () => {
    assert.equal(DEFAULT_EXTENSION_SETTINGS.validation.debounceMs, SERVER_DEFAULTS.validation.debounceMs);
    assert.equal(DEFAULT_EXTENSION_SETTINGS.inlayHints.enabled, SERVER_DEFAULTS.inlayHints.enabled);
    assert.equal(DEFAULT_EXTENSION_SETTINGS.codeLens.enabled, SERVER_DEFAULTS.codeLens.enabled);
  });

  it('declares exactly the commands of extension/src/commands.ts, in the LLM Roofline category', () => {
    assert.deepEqual(
      pkg.contributes.commands,
      COMMAND_DECLARATIONS.map((declaration) => ({ ...declaration, category: COMMAND_CATEGORY })),
    );
  });

  it('only puts declared commands in menus, and the editor title button only on deployment files', () => {
    const declared = new Set(COMMAND_DECLARATIONS.map((d) => d.command));
    for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
      for (const item of items) assert.ok(declared.has(item.command as never), `${menu}: ${item.command}`);
    }
    const [titleButton] = pkg.contributes.menus['editor/title']!;
    assert.equal(titleButton!.command, 'llmRoofline.openPanel');
    const pattern = /resourceFilename =~ \/(.*)\/$/.exec(titleButton!.when ?? '')![1]!;
    const deploymentName = new RegExp(pattern);
    for (const name of ['a.roofline.yaml', 'a.roofline.yml', 'a.roofline.json']) assert.ok(deploymentName.test(name), name);
    for (const name of ['a.hardware.yaml', 'roofline.yaml', 'a.roofline.yaml.bak', 'config.json']) assert.ok(!deploymentName.test(name), name);
  });

  it('activates for the panel it restores and on workspaces with deployments, and points at the bundle', () => {
    assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${PANEL_VIEW_TYPE}`));
    assert.ok(pkg.activationEvents.includes('workspaceContains:**/*.roofline.{yaml,yml,json}'));
    assert.equal(pkg.main, './dist/extension.js');
    // The web extension (vscode.dev, github.dev): scripts/build.mjs bundles it for the browser.
    assert.equal(pkg.browser, './dist/web/extension.js');
    assert.equal(pkg.icon, 'media/icon.png');
  });

  it('says what Restricted Mode and a virtual workspace lack', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.untrustedWorkspaces.description ?? '', /Restricted Mode.*outside the workspace folders are not read/);
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, 'limited');
    assert.match(pkg.capabilities.virtualWorkspaces.description ?? '', /read through VS Code's file system.*cannot be read there, and the reference says so/);
  });
});

describe('readExtensionSettings', () => {
  it('returns the defaults when nothing is set', () => {
    assert.deepEqual(readExtensionSettings(() => undefined), DEFAULT_EXTENSION_SETTINGS);
  });

  it('keeps values of the right type and replaces the others with defaults', () => {
    const values: Record<string, unknown> = {
      'inlayHints.enabled': false,
      'codeLens.enabled': 'no',
      'validation.debounceMs': 99999,
      'trace.server': 'chatty',
      'panel.followActiveEditor': false,
    };
    const settings = readExtensionSettings((key) => values[key]);
    assert.equal(settings.inlayHints.enabled, false);
    assert.equal(settings.codeLens.enabled, true);
    assert.equal(settings.validation.debounceMs, 10_000);
    assert.equal(settings.trace.server, 'off');
    assert.equal(settings.panel.followActiveEditor, false);
  });

  it('rounds the debounce and refuses a non-finite one', () => {
    assert.equal(readExtensionSettings((key) => (key === 'validation.debounceMs' ? 120.6 : undefined)).validation.debounceMs, 121);
    assert.equal(
      readExtensionSettings((key) => (key === 'validation.debounceMs' ? Number.NaN : undefined)).validation.debounceMs,
      SERVER_DEFAULTS.validation.debounceMs,
    );
  });
});
