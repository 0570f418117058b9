// Runs a mocha suite inside the real (Node) extension host of a running code-server, the way
// `@vscode/test-electron` does with desktop VS Code: the workbench is opened with a `payload` naming
// the extension under development and the tests' entry; the workbench forwards the extension
// host's console to `window.codeAutomationLog` and the suite's outcome to `window.codeAutomationExit`.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { isOfflineNoise, launchChromium } from './browser.mjs';

/** Payload URIs must carry the exact authority the browser uses, or the workbench ignores them. */
function remoteUri(serverUrl, absolutePath) {
  const authority = new URL(serverUrl).host;
  return `vscode-remote://${authority}${path.resolve(absolutePath).split(path.sep).map(encodeURIComponent).join('/')}`;
}

export function workbenchUrl({ serverUrl, folder, extensionDevelopmentPaths, extensionTestsPath, extensionEnvironment }) {
  const payload = [
    ...extensionDevelopmentPaths.map((devPath) => ['extensionDevelopmentPath', remoteUri(serverUrl, devPath)]),
    ['extensionTestsPath', remoteUri(serverUrl, extensionTestsPath)],
  ];
  if (extensionEnvironment && Object.keys(extensionEnvironment).length > 0) {
    payload.push(['extensionEnvironment', JSON.stringify(extensionEnvironment)]);
  }
  const query = new URLSearchParams();
  if (folder) query.set('folder', path.resolve(folder));
  query.set('payload', JSON.stringify(payload));
  return `${serverUrl}/?${query}`;
}

/** The workbench's own start-up chatter, which arrives on the same channel as the extension host's console. */
const WORKBENCH_CHATTER = [
  /^Resolv(?:ing|ed) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^\[[\w:. -]+\] /,
  /^Timed out waiting for authentication provider/,
  /^document '.*' already exists!/,
];

export function isWorkbenchChatter(text) {
  return isOfflineNoise(text) || WORKBENCH_CHATTER.some((pattern) => pattern.test(text));
}

/** Console arguments as the extension host's console would print them (mocha uses printf-style `%d`). */
function formatLogArgs(args) {
  const list = Array.isArray(args) ? args : [args];
  return format(...list.map((arg) => (typeof arg === 'string' || typeof arg === 'number' ? arg : JSON.stringify(arg))));
}

/**
 * Resolves with the suite's exit code (0 = all passed). `write` receives the extension host's
 * console output (mocha's reporter included) line by line.
 */
export async function runExtensionHostTests({
  serverUrl,
  folder,
  extensionDevelopmentPaths,
  extensionTestsPath,
  extensionEnvironment,
  write = (line) => process.stdout.write(`${line}\n`),
  /** Every forwarded message, unfiltered. */
  fullLog,
  workbenchTimeoutMs = 90_000,
  runTimeoutMs = 600_000,
}) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let settle;
    const exitCode = new Promise((resolve) => (settle = resolve));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = formatLogArgs(args);
      if (fullLog) appendFileSync(fullLog, `[${type}] ${text}\n`);
      if (isWorkbenchChatter(text)) return;
      for (const line of text.replace(/\n$/, '').split('\n')) write(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
    page.on('pageerror', (error) => {
      if (!isOfflineNoise(String(error))) write(`[page error] ${error.message}`);
    });
    await page.goto(workbenchUrl({ serverUrl, folder, extensionDevelopmentPaths, extensionTestsPath, extensionEnvironment }));
    // Fail fast when the workbench itself never comes up, instead of waiting for the whole run.
    const workbench = page
      .locator('.monaco-workbench')
      .waitFor({ timeout: workbenchTimeoutMs })
      .then(() => new Promise(() => {}))
      .catch(() => {
        throw new Error(`the workbench did not load within ${workbenchTimeoutMs} ms`);
      });
    // The race below may settle first; a late rejection (the browser closing) must not go unhandled.
    workbench.catch(() => {});
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the extension tests did not finish within ${runTimeoutMs} ms`)), runTimeoutMs);
    });
    try {
      return await Promise.race([exitCode, workbench, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await browser.close();
  }
}
