// The web extension in a real browser workbench: a private code-server whose user settings put LLM
// Roofline in the web worker extension host (`remote.extensionKind: ["web"]`), where it runs from
// its `browser` entry as in vscode.dev: no node, the language server in a web worker, files read
// through VS Code's file system. VS Code's Running Extensions view must say "web worker" for it;
// then a deployment gets its diagnostic, a hover answers, a referenced hardware file is read, and
// the panel draws its charts. Run by ui/run.mjs (E2E_VSIX, E2E_RUN_DIR, E2E_SCREENSHOTS).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium } from '../lib/browser.mjs';
import { startCodeServer, UI_TEST_PROFILE } from '../lib/codeServer.mjs';
import { KEYS, PRODUCT, SELECTORS } from './selectors.mjs';
import { editorContaining, focusProblems, openFromExplorer, openWorkbench, screenshot, STEP_TIMEOUT_MS, tokenInEditor, waitForPaintedCanvases, webviewContentFrame } from './workbench.mjs';

const vsix = process.env.E2E_VSIX;
const screenshots = process.env.E2E_SCREENSHOTS;
const runDir = path.resolve(process.env.E2E_RUN_DIR || '.test-run/ui', 'web');
const EXTENSION_ID = 'llm-roofline.llm-roofline';

describe('The web extension in a browser workbench', function () {
  this.timeout(180_000);
  let base;
  let server;
  let browser;
  let page;

  before(async function () {
    assert.ok(vsix && screenshots, 'E2E_VSIX and E2E_SCREENSHOTS are set (ui/run.mjs)');
    base = mkdtempSync(path.join(tmpdir(), 'roofline-web-'));
    const folder = path.join(base, 'workspace');
    mkdirSync(folder);
    // An H100 under another name: its ridge point (989 TFLOP/s over 3.35 TB/s = 295 FLOP/B) in
    // the deployment's hint shows that the file was read, through the client, in the browser.
    writeFileSync(path.join(folder, 'lab.hardware.yaml'), 'extends: nvidia-h100-sxm\nname: lab card\n');
    writeFileSync(
      path.join(folder, 'web.roofline.yaml'),
      'model: meta-llama/Llama-2-7b-hf\nhardware: ./lab.hardware.yaml\nworkload:\n  batch_size: 4\n  prompt_tokens: 1024\n  output_tokens: 256\n',
    );
    writeFileSync(path.join(folder, 'typo.roofline.yaml'), `model: meta-llama/Llama-2-7b-hf\nhardware: ${PRODUCT.unknownHardwareId}\n`);
    server = await startCodeServer({
      ...UI_TEST_PROFILE,
      runDir,
      vsixPaths: [path.resolve(vsix)],
      settings: { 'remote.extensionKind': { [EXTENSION_ID]: ['web'] } },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await openWorkbench(page, server.url, folder);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await screenshot(page, screenshots, `failed-web-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => undefined);
    }
  });

  it('analyses a deployment in the web worker extension host, reading its hardware file through VS Code', async () => {
    await openFromExplorer(page, 'web.roofline.yaml', 'lab.hardware.yaml');
    // The code lens and the hardware hint come from the language server in its web worker.
    await page.locator(SELECTORS.codeLens, { hasText: /TTFT .* ms/ }).first().waitFor();
    await editorContaining(page, /ridge\s+295\s+FLOP\/B/).waitFor();
    await page.keyboard.press(KEYS.showRunningExtensions);
    const row = page.locator(SELECTORS.runningExtensionRow, { hasText: 'LLM Roofline' }).first();
    await row.waitFor();
    // VS Code labels each extension with the host it runs in: "web worker" is the browser's.
    await row.filter({ hasText: /web worker/i }).waitFor();
    await screenshot(page, screenshots, 'web-running-extensions');
    await page.keyboard.press('Control+w');
    await row.waitFor({ state: 'detached' });
  });

  it('shows an error in the editor and the Problems panel', async () => {
    await openFromExplorer(page, 'typo.roofline.yaml', PRODUCT.unknownHardwareId);
    await page.locator(SELECTORS.errorSquiggle).first().waitFor();
    const problems = await focusProblems(page);
    const row = problems.locator('.monaco-list-row', { hasText: PRODUCT.unknownHardwareId }).first();
    await row.waitFor();
    assert.match(await problems.innerText(), new RegExp(PRODUCT.diagnosticSource));
    await screenshot(page, screenshots, 'web-problems');
    await page.keyboard.press(KEYS.closeBottomPanel);
  });

  it('answers a hover', async () => {
    await openFromExplorer(page, 'web.roofline.yaml', 'lab.hardware.yaml');
    await tokenInEditor(page, PRODUCT.hoverField).click();
    await page.keyboard.press(KEYS.showHover);
    const hover = page.locator(SELECTORS.hover).filter({ hasText: PRODUCT.hoverText }).first();
    await hover.waitFor();
    assert.match(await hover.innerText(), /\d/);
    await screenshot(page, screenshots, 'web-hover');
    await page.keyboard.press('Escape');
  });

  it('opens the roofline panel and its charts draw', async () => {
    await editorContaining(page, PRODUCT.hoverField).click();
    await page.keyboard.press(KEYS.openRooflinePanel);
    const frame = await webviewContentFrame(page);
    const painted = await waitForPaintedCanvases(frame);
    assert.ok(painted.some((count) => count > 2_000), `a chart is drawn (painted pixels per canvas: ${painted.join(', ')})`);
    await frame.locator(SELECTORS.webviewCanvas).first().scrollIntoViewIfNeeded();
    await screenshot(page, screenshots, 'web-panel');
  });
});
