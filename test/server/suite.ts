/**
 * What server test suites share: a language server started over stdio before a suite's tests and
 * stopped after them, and the readings most tests make of its answers.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspTestClient, SERVER_PATH } from './lspClient';

/** Settings that publish diagnostics without waiting. */
export const FAST = { validation: { debounceMs: 0 } };

/** The suite's client, set once its `before` hook has started the server. */
export function lspSuite(settings: Record<string, unknown> = FAST): { client: LspTestClient } {
  const suite = {} as { client: LspTestClient };
  before(async function () {
    assert.ok(existsSync(SERVER_PATH), `${SERVER_PATH} is missing: run \`node scripts/build.mjs\` first`);
    suite.client = await LspTestClient.start({ settings, startedBy: `the suite "${this.test?.parent?.fullTitle()}"` });
  });
  after(async function () {
    await suite.client?.stop();
  });
  return suite;
}

export function hoverMarkdown(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover');
  return (hover.contents as MarkupContent).value;
}

export function diagnosticWithCode(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.find((diagnostic) => diagnostic.code === code);
  assert.ok(found, `expected a ${code} diagnostic, got ${JSON.stringify(diagnostics.map((d) => [d.code, d.message]))}`);
  return found;
}
