#!/usr/bin/env node
// Stands in for the VS Code executable that `@vscode/test-electron`'s runTests() spawns
// (`vscodeExecutablePath`): no desktop VS Code or Electron can be installed from npm or apt, so the
// same command line is turned into a private code-server plus a headless Chromium running the suite
// in the real Node extension host (lib/hostRun.mjs). Exits with the suite's code, as VS Code does.
// Needs E2E_CODE_SERVER_DIR and E2E_NODE24_HOME (test/e2e/env.sh).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startCodeServer } from './lib/codeServer.mjs';
import { runExtensionHostTests } from './lib/hostRun.mjs';

/** Flags desktop VS Code takes that mean nothing to a browser workbench. */
const IGNORED_FLAGS = new Set([
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-updates',
  '--skip-welcome',
  '--skip-release-notes',
  '--disable-workspace-trust',
  '--disable-extensions',
  '--new-window',
  '--wait',
]);

function parseArguments(argv) {
  const parsed = { extensionDevelopmentPaths: [], folders: [], ignored: [] };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const match = /^--([^=]+)(?:=(.*))?$/.exec(argument);
    if (!match) {
      parsed.folders.push(path.resolve(argument));
      continue;
    }
    const [, name, inlineValue] = match;
    const takesValue = ['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir'].includes(name);
    const value = takesValue && inlineValue === undefined ? argv[++index] : inlineValue;
    switch (name) {
      case 'extensionDevelopmentPath':
        parsed.extensionDevelopmentPaths.push(path.resolve(value));
        break;
      case 'extensionTestsPath':
        parsed.extensionTestsPath = path.resolve(value);
        break;
      case 'user-data-dir':
        parsed.userDataDir = path.resolve(value);
        break;
      case 'extensions-dir':
        parsed.extensionsDir = path.resolve(value);
        break;
      default:
        if (!IGNORED_FLAGS.has(argument)) parsed.ignored.push(argument);
    }
  }
  return parsed;
}

const options = parseArguments(process.argv.slice(2));
if (!options.extensionTestsPath || options.extensionDevelopmentPaths.length === 0) {
  console.error('vscode-shim: --extensionTestsPath and --extensionDevelopmentPath are required');
  process.exit(2);
}
if (options.ignored.length > 0) console.error(`vscode-shim: ignoring ${options.ignored.join(' ')}`);

// The run folder holds code-server's config, logs and XDG folders; profile folders default into it.
const runDir = path.resolve(process.env.E2E_RUN_DIR || path.join(options.userDataDir ?? '.test-run/shim', '..', 'code-server'));
mkdirSync(runDir, { recursive: true });
let server;
let code = 1;
try {
  // The server's environment is this process's: runTests' extensionTestsEnv reaches the extension host.
  server = await startCodeServer({ runDir, userDataDir: options.userDataDir, extensionsDir: options.extensionsDir });
  code = await runExtensionHostTests({
    serverUrl: server.url,
    folder: options.folders[0],
    extensionDevelopmentPaths: options.extensionDevelopmentPaths,
    extensionTestsPath: options.extensionTestsPath,
    fullLog: path.join(runDir, 'extension-host-console.log'),
  });
} catch (error) {
  console.error(`vscode-shim: ${error.message}`);
  code = 1;
} finally {
  await server?.stop();
}
process.exit(code);
