#!/usr/bin/env node
// UI tier: runs the mocha UI tests in ui/*.test.mjs with Chromium against a code-server that has
// the packaged extension installed, on a fresh copy of the test workspace.
//   node test/e2e/ui/run.mjs <extension.vsix>   starts (and stops) a private code-server
//   E2E_SERVER_URL=http://127.0.0.1:PORT node test/e2e/ui/run.mjs   uses a running one
// Environment: E2E_CODE_SERVER_DIR and E2E_NODE24_HOME (test/e2e/env.sh); E2E_VSIX (the package,
// set from the argument when given) for the tests that start their own server; optional E2E_RUN_DIR
// (default .test-run/ui), E2E_SCREENSHOTS (default test-results/e2e, emptied first), E2E_UI_GREP
// (run only the tests whose titles match it).
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';
import { startCodeServer, UI_TEST_PROFILE } from '../lib/codeServer.mjs';
import { freshWorkspace } from '../lib/workspace.mjs';

const uiDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(uiDir, '..', '..', '..');
const vsix = process.argv[2];
if (!vsix && !process.env.E2E_SERVER_URL) {
  console.error('usage: ui/run.mjs <extension.vsix>  (or set E2E_SERVER_URL to a running code-server)');
  process.exit(2);
}

const runDir = path.resolve(process.env.E2E_RUN_DIR || path.join(repoRoot, '.test-run', 'ui'));
process.env.E2E_WORKSPACE = freshWorkspace(path.join(runDir, 'workspace'));
const screenshots = path.resolve(process.env.E2E_SCREENSHOTS || path.join(repoRoot, 'test-results', 'e2e'));
rmSync(screenshots, { recursive: true, force: true });
process.env.E2E_SCREENSHOTS = screenshots;
// The package, for tests that start a code-server of their own (restrictedMode.test.mjs).
if (vsix) process.env.E2E_VSIX = path.resolve(vsix);
process.env.E2E_RUN_DIR = runDir;
const server = process.env.E2E_SERVER_URL ? undefined : await startCodeServer({ ...UI_TEST_PROFILE, runDir, vsixPaths: [path.resolve(vsix)] });
if (server) process.env.E2E_SERVER_URL = server.url;

let failures = 1;
try {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, ...(process.env.E2E_UI_GREP ? { grep: process.env.E2E_UI_GREP } : {}) });
  for (const name of readdirSync(uiDir).filter((file) => file.endsWith('.test.mjs')).sort()) {
    mocha.addFile(path.join(uiDir, name));
  }
  await mocha.loadFilesAsync();
  failures = await new Promise((resolve) => mocha.run(resolve));
} finally {
  await server?.stop();
}
process.exit(failures > 0 ? 1 : 0);
