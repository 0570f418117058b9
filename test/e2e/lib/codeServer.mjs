// Starts and stops a private code-server (VS Code's server and web workbench) for the tests.
// Everything it writes goes under one run folder: code-server otherwise writes into $HOME.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const e2eDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The code-server entry and the Node 24 that runs it (code-server 4.139 does not load on Node 20). */
export function codeServerTools(env = process.env) {
  const codeServerDir = env.E2E_CODE_SERVER_DIR;
  const node24Home = env.E2E_NODE24_HOME;
  if (!codeServerDir || !node24Home) {
    throw new Error('E2E_CODE_SERVER_DIR and E2E_NODE24_HOME must be set (source test/e2e/env.sh after scripts/e2e-setup.sh)');
  }
  return {
    node: path.join(node24Home, 'bin', 'node'),
    entry: path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Folders of one code-server instance, all under `runDir`. */
export function runLayout(runDir) {
  return {
    runDir,
    userDataDir: path.join(runDir, 'user-data'),
    extensionsDir: path.join(runDir, 'extensions'),
    configFile: path.join(runDir, 'code-server.yaml'),
    logFile: path.join(runDir, 'code-server.log'),
    pidFile: path.join(runDir, 'code-server.pid'),
  };
}

function serverEnv(layout, extraEnv) {
  return {
    ...process.env,
    ...extraEnv,
    XDG_DATA_HOME: path.join(layout.runDir, 'xdg', 'data'),
    XDG_CONFIG_HOME: path.join(layout.runDir, 'xdg', 'config'),
    XDG_CACHE_HOME: path.join(layout.runDir, 'xdg', 'cache'),
  };
}

/** `npm start`: the product as a user runs it, without the test driver or the tests' key bindings. */
export const START_PROFILE = Object.freeze({ testDriver: false, uiTestKeybindings: false });
/** The shared server of the payload and UI tiers: test driver on, and the shortcuts the UI tests press. */
export const UI_TEST_PROFILE = Object.freeze({ testDriver: true, uiTestKeybindings: true });

/** The key bindings the UI tests press (ui/selectors.mjs `KEYS`); never part of a user's profile. */
export const UI_TEST_KEYBINDINGS_FILE = path.join(e2eDir, 'keybindings.json');

/**
 * Writes the profile's quiet user settings, and the UI tests' key bindings only when they are
 * asked for: with them, VS Code labels its commands with the test shortcuts (hovers offer
 * "Quick Fix (Ctrl+Shift+Alt+F7)" instead of Ctrl+.), so `npm start`'s profile must not carry
 * them. A copy left in a profile by an earlier run is removed; key bindings of the user's own are
 * kept.
 */
export function prepareLayout(layout, { userDataDir, extensionsDir, uiTestKeybindings = false } = {}) {
  if (userDataDir) layout.userDataDir = userDataDir;
  if (extensionsDir) layout.extensionsDir = extensionsDir;
  const userDir = path.join(layout.userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  mkdirSync(layout.extensionsDir, { recursive: true });
  copyFileSync(path.join(e2eDir, 'settings.json'), path.join(userDir, 'settings.json'));
  const keybindingsFile = path.join(userDir, 'keybindings.json');
  if (uiTestKeybindings) {
    copyFileSync(UI_TEST_KEYBINDINGS_FILE, keybindingsFile);
  } else if (existsSync(keybindingsFile) && readFileSync(keybindingsFile, 'utf8') === readFileSync(UI_TEST_KEYBINDINGS_FILE, 'utf8')) {
    rmSync(keybindingsFile);
  }
  writeFileSync(layout.configFile, 'auth: none\ncert: false\n');
}

/**
 * Workspace trust on, as a user has it (the tests' settings turn it off): a folder opened for the
 * first time is in Restricted Mode, without the prompt that would ask (`startupPrompt: never`).
 */
function enableWorkspaceTrust(layout) {
  const settingsFile = path.join(layout.userDataDir, 'User', 'settings.json');
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
  settings['security.workspace.trust.enabled'] = true;
  settings['security.workspace.trust.startupPrompt'] = 'never';
  settings['security.workspace.trust.banner'] = 'always';
  writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
}

/** User settings of one test's own on top of the profile's (e.g. where an extension runs). */
function addUserSettings(layout, extra) {
  if (Object.keys(extra).length === 0) return;
  const settingsFile = path.join(layout.userDataDir, 'User', 'settings.json');
  const settings = { ...JSON.parse(readFileSync(settingsFile, 'utf8')), ...extra };
  writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
}

function commonArgs(layout) {
  return ['--config', layout.configFile, '--user-data-dir', layout.userDataDir, '--extensions-dir', layout.extensionsDir];
}

/** `code-server --install-extension <vsix>`; throws with its output when it fails. */
export function installExtension(layout, vsixPath, extraEnv = {}) {
  const tools = codeServerTools();
  const result = spawnSync(tools.node, [tools.entry, ...commonArgs(layout), '--install-extension', vsixPath, '--force'], {
    env: serverEnv(layout, extraEnv),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`installing ${vsixPath} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}

async function waitForHealthy(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let exited;
  child.once('exit', (code, signal) => (exited = code ?? signal));
  for (;;) {
    if (exited !== undefined) throw new Error(`code-server exited (${exited}) before answering /healthz`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts code-server in its own process group (so that stopping it also ends its extension hosts
 * and language servers) and resolves once /healthz answers.
 * `--vscode-option enable-smoke-test-driver` (`testDriver`, on for tests) lets the built workbench
 * honour the payload's extensionDevelopmentPath/extensionTestsPath; without it they are silently
 * ignored. `uiTestKeybindings` adds the UI tests' shortcuts to the profile (see prepareLayout);
 * `settings` adds user settings of the test's own.
 */
export async function startCodeServer({ runDir, port, userDataDir, extensionsDir, vsixPaths = [], env = {}, outliveThisProcess = false, testDriver = true, uiTestKeybindings = false, workspaceTrust = false, settings = {} }) {
  const layout = runLayout(runDir);
  mkdirSync(runDir, { recursive: true });
  prepareLayout(layout, { userDataDir, extensionsDir, uiTestKeybindings });
  if (workspaceTrust) enableWorkspaceTrust(layout);
  addUserSettings(layout, settings);
  for (const vsix of vsixPaths) installExtension(layout, vsix, env);
  const tools = codeServerTools();
  const listenPort = port ?? (await freePort());
  const log = openSync(layout.logFile, 'a');
  const child = spawn(
    tools.node,
    [
      tools.entry,
      ...commonArgs(layout),
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${listenPort}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
      // Extension hosts outlive a closed browser for the reconnection grace period (3 h by default).
      '--reconnection-grace-time', '30',
      ...(testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ],
    { env: serverEnv(layout, env), detached: true, stdio: ['ignore', log, log] },
  );
  writeFileSync(layout.pidFile, String(child.pid));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = `http://127.0.0.1:${listenPort}`;
  const stopSync = () => killGroup(child.pid, 'SIGKILL');
  // A server started for a shell script is stopped by the script (it owns the pid file).
  if (!outliveThisProcess) {
    process.once('exit', stopSync);
    exitOnSignals();
  }
  try {
    await waitForHealthy(url, child, 60_000);
  } catch (error) {
    killGroup(child.pid, 'SIGKILL');
    throw new Error(`${error.message}; see ${layout.logFile}`);
  }
  if (outliveThisProcess) child.unref();
  return {
    url,
    port: listenPort,
    pid: child.pid,
    layout,
    /** Resolves with the exit code (or signal) once the server process ends. */
    exited,
    async stop() {
      process.removeListener('exit', stopSync);
      if (child.exitCode !== null || child.signalCode !== null) return killGroup(child.pid, 'SIGKILL');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      // The group may still hold extension hosts and language servers.
      killGroup(child.pid, 'SIGKILL');
    },
  };
}

let signalHandlersInstalled = false;

/** Interrupted runs still end their servers: the 'exit' handlers above run on process.exit. */
function exitOnSignals() {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.once(signal, () => process.exit(code));
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
