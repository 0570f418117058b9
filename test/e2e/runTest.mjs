#!/usr/bin/env node
// Extension-host tests through the stock `@vscode/test-electron` runTests(), with the VS Code
// executable replaced by vscode-shim.mjs (desktop VS Code cannot be downloaded here).
// Environment: E2E_EXTENSION_PATH (default: the repository), E2E_WORKSPACE (default: a copy of
// test/e2e/workspace), E2E_RUN_DIR (default: .test-run/host).
import { runTests } from '@vscode/test-electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshWorkspace } from './lib/workspace.mjs';

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(e2eDir, '..', '..');
const runDir = path.resolve(process.env.E2E_RUN_DIR || path.join(repoRoot, '.test-run', 'host'));
const workspace = process.env.E2E_WORKSPACE || freshWorkspace(path.join(runDir, 'workspace'));

try {
  await runTests({
    vscodeExecutablePath: path.join(e2eDir, 'vscode-shim.mjs'),
    extensionDevelopmentPath: path.resolve(process.env.E2E_EXTENSION_PATH || repoRoot),
    extensionTestsPath: path.join(repoRoot, 'out', 'e2e', 'suite', 'index.js'),
    launchArgs: [workspace, `--user-data-dir=${path.join(runDir, 'user-data')}`, `--extensions-dir=${path.join(runDir, 'extensions')}`],
    // LLM_ROOFLINE_TEST_REQUESTS: the server honours the test request that makes it hang (suite/watchdog.test.ts).
    extensionTestsEnv: { E2E_RUN_DIR: runDir, LLM_ROOFLINE_TEST_REQUESTS: '1' },
  });
} catch (error) {
  console.error(`extension-host tests failed: ${error.message}`);
  process.exit(1);
}
