#!/usr/bin/env node
// Extension-host tests against an already running code-server (the engine under vscode-shim.mjs):
//   node test/e2e/host-tests.mjs <server-url> <extension-path> <tests-entry> <workspace>
// Exits with the suite's code.
import { runExtensionHostTests } from './lib/hostRun.mjs';

const [serverUrl, extensionPath, testsPath, workspace] = process.argv.slice(2);
if (!serverUrl || !extensionPath || !testsPath || !workspace) {
  console.error('usage: host-tests.mjs <server-url> <extension-path> <tests-entry> <workspace>');
  process.exit(2);
}
try {
  const code = await runExtensionHostTests({
    serverUrl,
    folder: workspace,
    extensionDevelopmentPaths: [extensionPath],
    extensionTestsPath: testsPath,
    // The server honours the test request that makes it hang (suite/watchdog.test.ts).
    extensionEnvironment: { LLM_ROOFLINE_TEST_REQUESTS: '1' },
    fullLog: process.env.E2E_RUN_DIR ? `${process.env.E2E_RUN_DIR}/extension-host-console.log` : undefined,
  });
  console.log(`Exit code:   ${code}`);
  process.exit(code);
} catch (error) {
  console.error(`host tests: ${error.message}`);
  process.exit(1);
}
