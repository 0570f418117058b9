// Restricted Mode in a real VS Code: a private code-server with workspace trust on (the other tiers
// run with it off), the packaged .vsix installed, and a folder opened for the first time, which VS
// Code opens in Restricted Mode. A deployment naming a hardware file outside the folder gets the
// error saying it was not read; one naming a file inside the folder is read. Run by ui/run.mjs,
// which provides E2E_VSIX (the package), E2E_RUN_DIR and E2E_SCREENSHOTS.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium } from '../lib/browser.mjs';
import { startCodeServer, UI_TEST_PROFILE } from '../lib/codeServer.mjs';
import { SELECTORS } from './selectors.mjs';
import { focusProblems, openFromExplorer, openWorkbench, screenshot, STEP_TIMEOUT_MS } from './workbench.mjs';

const vsix = process.env.E2E_VSIX;
const screenshots = process.env.E2E_SCREENSHOTS;
const runDir = path.resolve(process.env.E2E_RUN_DIR || '.test-run/ui', 'restricted');
const REFUSAL = 'Not read in Restricted Mode: ../outside/far.hardware.yaml is outside the workspace folders. Trust the workspace to read it.';

describe('Restricted Mode in the workbench', function () {
  this.timeout(180_000);
  let base;
  let server;
  let browser;
  let page;

  before(async function () {
    assert.ok(vsix && screenshots, 'E2E_VSIX and E2E_SCREENSHOTS are set (ui/run.mjs)');
    base = mkdtempSync(path.join(tmpdir(), 'roofline-restricted-'));
    const folder = path.join(base, 'workspace');
    mkdirSync(folder);
    mkdirSync(path.join(base, 'outside'));
    writeFileSync(path.join(base, 'outside', 'far.hardware.yaml'), 'extends: nvidia-h100-sxm\nname: far card\n');
    writeFileSync(path.join(folder, 'near.hardware.yaml'), 'extends: nvidia-h100-sxm\nname: near card\n');
    writeFileSync(path.join(folder, 'far.roofline.yaml'), 'model: meta-llama/Llama-2-7b-hf\nhardware: ../outside/far.hardware.yaml\n');
    writeFileSync(path.join(folder, 'near.roofline.yaml'), 'model: meta-llama/Llama-2-7b-hf\nhardware: ./near.hardware.yaml\n');
    server = await startCodeServer({ ...UI_TEST_PROFILE, runDir, vsixPaths: [path.resolve(vsix)], workspaceTrust: true });
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
      await screenshot(page, screenshots, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => undefined);
    }
  });

  it('reads no file outside the workspace folder, and says so on the reference', async () => {
    // VS Code says the folder is in Restricted Mode (its status bar entry).
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    await openFromExplorer(page, 'far.roofline.yaml', 'hardware:');
    await page.locator(SELECTORS.errorSquiggle).first().waitFor();
    const problems = await focusProblems(page);
    const row = problems.locator('.monaco-list-row', { hasText: 'Not read in Restricted Mode' }).first();
    await row.waitFor();
    assert.ok((await row.innerText()).includes(REFUSAL), await row.innerText());
    await screenshot(page, screenshots, 'restricted-mode');
  });

  it('reads a file inside the workspace folder', async () => {
    await openFromExplorer(page, 'near.roofline.yaml', 'near.hardware.yaml');
    // Its analysis shows as a code lens with the verdict (TTFT, TPOT, fits): the hardware file was read.
    await page.locator(SELECTORS.codeLens, { hasText: /TTFT .* ms/ }).first().waitFor();
    const problems = await focusProblems(page);
    const text = await problems.innerText();
    assert.ok(!text.includes('near.hardware.yaml'), `no problem about the file inside the folder: ${text}`);
  });
});
