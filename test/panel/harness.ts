/**
 * Browser harness for the roofline panel: builds the webview bundle once, serves the page the
 * extension host would make (renderPanelHtml) over http on 127.0.0.1, with a stand-in for
 * `acquireVsCodeApi` that records posted messages and keeps `setState` in sessionStorage (so a
 * reload restores it, as VS Code does), and drives it with headless Chromium.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { DocumentAnalysis } from '../../language-server/src/protocol/lsp';
import type { FromWebviewMessage } from '../../language-server/src/protocol/webview';
import { renderPanelHtml } from '../../webview/src/html';
import type { ChartId } from '../../webview/src/panelState';
import type { ChartSnapshot, PanelInspector } from '../../webview/src/testHooks';

/** The repository root: the nearest folder up with package.json (this file also runs bundled into dist/). */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  let folder = start;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = resolve(folder, '..');
    if (parent === folder) throw new Error(`no package.json above ${start}`);
    folder = parent;
  }
  return folder;
}
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'panel');
const FIXTURE_DIR = join(REPO_ROOT, 'test', 'fixtures', 'analysis');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** What the stand-in records in the page. */
export interface PageRecorder {
  posted: FromWebviewMessage[];
  violations: string[];
  acquireCalls: number;
}

/** The parts of the page's global scope the tests touch (the root tsconfig has no DOM types). */
export interface PanelWindow {
  llmRooflinePanel: PanelInspector;
  __panelTest: PageRecorder;
  postMessage(message: unknown, targetOrigin: string): void;
  innerWidth: number;
  getComputedStyle(element: unknown): { backgroundColor: string };
  document: {
    body: { className: string; dataset: Record<string, string | undefined> };
    documentElement: { scrollWidth: number; style: { setProperty(name: string, value: string): void; removeProperty(name: string): void } };
    activeElement: { getAttribute(name: string): string | null } | null;
  };
}

export function loadFixture(name: string): DocumentAnalysis {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8')) as DocumentAnalysis;
}

let bundleDirPromise: Promise<string> | undefined;

/** Builds webview/src/main.ts exactly as scripts/build.mjs does, into a temporary folder. */
export function buildPanelBundle(): Promise<string> {
  bundleDirPromise ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'llm-roofline-panel-'));
    await build({
      entryPoints: { webview: join(REPO_ROOT, 'webview', 'src', 'main.ts') },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      outdir,
      logLevel: 'warning',
      legalComments: 'none',
    });
    process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
    return outdir;
  })();
  return bundleDirPromise;
}

/** The stand-in VS Code API: recorded messages, state in sessionStorage, one acquire per page. */
function standInScript(): string {
  return `(() => {
  const recorder = { posted: [], violations: [], acquireCalls: 0 };
  window.__panelTest = recorder;
  // The test code is compiled with names kept; functions it sends into the page may refer to this.
  window.__name = (target) => target;
  document.addEventListener('securitypolicyviolation', (event) => {
    recorder.violations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
  });
  const stateKey = 'llm-roofline-test-state';
  window.acquireVsCodeApi = () => {
    recorder.acquireCalls += 1;
    if (recorder.acquireCalls > 1) throw new Error('An instance of the VS Code API has already been acquired');
    return {
      postMessage: (message) => { recorder.posted.push(JSON.parse(JSON.stringify(message))); },
      getState: () => { const text = sessionStorage.getItem(stateKey); return text ? JSON.parse(text) : undefined; },
      setState: (state) => { sessionStorage.setItem(stateKey, JSON.stringify(state)); return state; },
    };
  };
})();`;
}

/** VS Code's dark-theme variables (the subset the panel reads), set on <html> as VS Code does. */
export const DARK_THEME_VARIABLES: Record<string, string> = {
  '--vscode-foreground': '#cccccc',
  '--vscode-editor-foreground': '#d4d4d4',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-errorForeground': '#f48771',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-button-background': '#0e639c',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-focusBorder': '#007fd4',
  '--vscode-panel-border': 'rgba(128, 128, 128, 0.35)',
  '--vscode-input-background': '#3c3c3c',
  '--vscode-input-foreground': '#cccccc',
};

export const LIGHT_THEME_VARIABLES: Record<string, string> = {
  ...DARK_THEME_VARIABLES,
  '--vscode-foreground': '#616161',
  '--vscode-editor-foreground': '#3b3b3b',
  '--vscode-editor-background': '#ffffff',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-charts-lines': 'rgba(97, 97, 97, 0.5)',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-charts-red': '#e51400',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-purple': '#652d90',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-yellow': '#bf8803',
  '--vscode-errorForeground': '#a1260d',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#616161',
};

export interface PanelServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves the panel page and the bundle; each page load gets a fresh nonce. */
export async function startPanelServer(bundleDir: string): Promise<PanelServer> {
  let origin = '';
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/panel.html') {
      const nonce = randomBytes(16).toString('base64url');
      const html = renderPanelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css`, title: 'LLM Roofline' });
      const marker = `<script nonce="${nonce}" src=`;
      const themeClass = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('theme') ?? 'vscode-dark';
      const variables = themeClass === 'vscode-light' ? LIGHT_THEME_VARIABLES : DARK_THEME_VARIABLES;
      const setTheme = `document.body.className = ${JSON.stringify(themeClass)};` +
        Object.entries(variables).map(([name, value]) => `document.documentElement.style.setProperty(${JSON.stringify(name)}, ${JSON.stringify(value)});`).join('');
      const page = html.replace(marker, `<script nonce="${nonce}">${standInScript()}${setTheme}</script>\n${marker}`);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(page);
      return;
    }
    const files: Record<string, string> = { '/webview.js': 'text/javascript', '/webview.css': 'text/css' };
    const type = files[path];
    if (type) {
      response.writeHead(200, { 'content-type': `${type}; charset=utf-8` });
      response.end(readFileSync(join(bundleDir, path.slice(1))));
      return;
    }
    response.writeHead(404);
    response.end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** One open panel page and the helpers to talk to it. */
export class PanelPage {
  readonly pageErrors: string[] = [];

  private constructor(
    readonly page: Page,
    private readonly origin: string,
  ) {
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
  }

  static async open(browser: Browser, server: PanelServer, options: { width?: number; height?: number; theme?: string } = {}): Promise<PanelPage> {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1200, height: options.height ?? 900 } });
    const panel = new PanelPage(page, server.origin);
    await panel.load(options.theme);
    return panel;
  }

  async load(theme = 'vscode-dark'): Promise<void> {
    await this.page.goto(`${this.origin}/panel.html?theme=${theme}`);
    await this.page.waitForFunction(() => (globalThis as unknown as PanelWindow).__panelTest.posted.some((m) => m.type === 'ready'));
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.page.waitForFunction(() => (globalThis as unknown as PanelWindow).__panelTest.posted.some((m) => m.type === 'ready'));
  }

  async renderCount(): Promise<number> {
    return this.page.evaluate(() => (globalThis as unknown as PanelWindow).llmRooflinePanel.renderCount());
  }

  /** Posts a message as the extension host does and waits until the panel has painted it. */
  async send(message: unknown): Promise<void> {
    const before = await this.renderCount();
    await this.post(message);
    await this.page.waitForFunction((count) => (globalThis as unknown as PanelWindow).llmRooflinePanel.renderCount() > count, before);
  }

  /** Posts a message without waiting for a render (for messages that draw nothing). */
  async post(message: unknown): Promise<void> {
    await this.page.evaluate((m) => (globalThis as unknown as PanelWindow).postMessage(m, '*'), message);
  }

  async showAnalysis(analysis: DocumentAnalysis): Promise<void> {
    await this.send({ type: 'analysis', analysis });
  }

  /** Switches the open panel to VS Code's light theme (body class and theme variables), as VS Code does, and waits for the redraw. */
  async switchToLightTheme(): Promise<void> {
    await this.afterRender(() =>
      this.page.evaluate((variables) => {
        const w = globalThis as unknown as PanelWindow;
        for (const [name, value] of Object.entries(variables)) w.document.documentElement.style.setProperty(name, value);
        w.document.body.className = 'vscode-light';
      }, LIGHT_THEME_VARIABLES),
    );
  }

  /** Waits for the render a user action (click, key) causes. */
  async afterRender(action: () => Promise<void>): Promise<void> {
    const before = await this.renderCount();
    await action();
    await this.page.waitForFunction((count) => (globalThis as unknown as PanelWindow).llmRooflinePanel.renderCount() > count, before);
  }

  async snapshot(chart: ChartId): Promise<ChartSnapshot> {
    const snapshot = await this.page.evaluate((id) => (globalThis as unknown as PanelWindow).llmRooflinePanel.snapshot(id), chart);
    if (!snapshot) throw new Error(`no ${chart} chart drawn`);
    return snapshot;
  }

  async posted(): Promise<FromWebviewMessage[]> {
    return this.page.evaluate(() => (globalThis as unknown as PanelWindow).__panelTest.posted);
  }

  async postedOfType<T extends FromWebviewMessage['type']>(type: T): Promise<Extract<FromWebviewMessage, { type: T }>[]> {
    return (await this.posted()).filter((m): m is Extract<FromWebviewMessage, { type: T }> => m.type === type);
  }

  async violations(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as PanelWindow).__panelTest.violations);
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await this.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

/**
 * A panel suite's browser, page server and current page, started and stopped by mocha hooks: every
 * test's page is checked for CSP violations and page errors, then closed. `openEach` opens a
 * default page before each test; otherwise a test opens its own with `open`.
 */
export class PanelSuite {
  browser!: Browser;
  server!: PanelServer;
  /** The page the running test opened, if it opened one: checked and closed after the test. */
  opened: PanelPage | undefined;

  /** The page the running test opened. */
  get panel(): PanelPage {
    if (!this.opened) throw new Error('no panel page is open in this test');
    return this.opened;
  }

  async open(options: { width?: number; height?: number; theme?: string } = {}): Promise<PanelPage> {
    this.opened = await PanelPage.open(this.browser, this.server, options);
    return this.opened;
  }
}

export function panelSuite(options: { openEach?: boolean } = {}): PanelSuite {
  const suite = new PanelSuite();
  before(async () => {
    suite.server = await startPanelServer(await buildPanelBundle());
    suite.browser = await launchChromium();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  if (options.openEach) {
    beforeEach(async () => {
      await suite.open();
    });
  }
  afterEach(async () => {
    const panel = suite.opened;
    // A test that opens no page of its own is not held to the last test's.
    suite.opened = undefined;
    if (!panel) return;
    assert.deepEqual(await panel.violations(), [], 'no CSP violations');
    assert.deepEqual(panel.pageErrors, [], 'no page errors');
    await panel.close();
  });
  return suite;
}
