#!/usr/bin/env node
// Starts a code-server for scripts/e2e-run.sh and returns once it is healthy, leaving it running in
// its own process group: prints `<url> <pid>`; the caller stops it with `kill -- -<pid>`.
//   node test/e2e/start-code-server.mjs <run-dir> [extension.vsix ...]
import path from 'node:path';
import { startCodeServer, UI_TEST_PROFILE } from './lib/codeServer.mjs';

const [runDir, ...vsixPaths] = process.argv.slice(2);
if (!runDir) {
  console.error('usage: start-code-server.mjs <run-dir> [extension.vsix ...]');
  process.exit(2);
}
try {
  const server = await startCodeServer({ ...UI_TEST_PROFILE, runDir: path.resolve(runDir), vsixPaths: vsixPaths.map((p) => path.resolve(p)), outliveThisProcess: true });
  console.log(`${server.url} ${server.pid}`);
  process.exit(0);
} catch (error) {
  console.error(`start-code-server: ${error.message}`);
  process.exit(1);
}
