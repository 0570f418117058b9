// The README's screenshots, taken on a realistic example (Llama-3.1-70B int4 on 2 x H100, TP 2) in
// the workbench with the packaged .vsix installed. Each one is also a check of what it shows.
// Saved as test-results/e2e/readme-*.png; E2E_UPDATE_SCREENSHOTS=1 copies them over docs/images/.
import assert from 'node:assert/strict';
import { launchChromium } from '../lib/browser.mjs';
import { KEYS, README, SELECTORS } from './selectors.mjs';
import {
  editorContaining,
  focusProblems,
  hoverWithMouse,
  openFromExplorerFolder,
  openWorkbench,
  readmeScreenshot,
  screenshot,
  STEP_TIMEOUT_MS,
  tokenInEditor,
  waitForPaintedCanvases,
  webviewContentFrame,
} from './workbench.mjs';

const serverUrl = process.env.E2E_SERVER_URL;
const workspace = process.env.E2E_WORKSPACE;
const screenshots = process.env.E2E_SCREENSHOTS;

/** The README's images are 1280 x 800: readable on a page, small as PNGs. */
const README_VIEWPORT = { width: 1280, height: 800 };

describe('README screenshots of a real example', function () {
  this.timeout(120_000);
  let browser;
  let page;

  before(async function () {
    assert.ok(serverUrl && workspace && screenshots, 'E2E_SERVER_URL, E2E_WORKSPACE and E2E_SCREENSHOTS are set');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: README_VIEWPORT });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await openWorkbench(page, serverUrl, workspace);
    await openFromExplorerFolder(page, README.examplesFolder, README.deployment, README.hardwareId);
    // The editor and the panel share the width: the Explorer is not needed from here on.
    await page.keyboard.press(KEYS.closeSidebar);
    await page.locator(SELECTORS.explorerRow).first().waitFor({ state: 'hidden' });
    // Inlay hints and the code lens arrive after the text; the pictures show them.
    await editorContaining(page, README.inlayHint).waitFor();
    await page.locator(SELECTORS.codeLens).first().waitFor();
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await screenshot(page, screenshots, `failed-readme-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => undefined);
    }
  });

  it('panel: the roofline chart of the 70B int4 TP 2 deployment beside its file', async () => {
    await tokenInEditor(page, README.hoverField).click();
    await page.keyboard.press(KEYS.openRooflinePanel);
    const frame = await webviewContentFrame(page);
    await waitForPaintedCanvases(frame);
    const card = frame.locator(SELECTORS.rooflineCard);
    await card.waitFor();
    await card.evaluate((element) => element.scrollIntoView({ block: 'end' }));
    const painted = await waitForPaintedCanvases(frame);
    assert.ok(painted.some((count) => count > 2_000), `the roofline is drawn (painted pixels per canvas: ${painted.join(', ')})`);
    assert.match(await card.innerText(), /ridge point/i, 'the chart card names the ridge point');
    await readmeScreenshot(page, screenshots, 'panel');
  });

  it('hover: the KV cache arithmetic behind batch_size', async () => {
    const hover = await hoverWithMouse(page, README.hoverField);
    await hover.filter({ hasText: README.hoverText }).waitFor();
    assert.match(await hover.innerText(), /\d/, 'the hover has figures');
    await readmeScreenshot(page, screenshots, 'hover');
    await page.mouse.move(0, 0);
    await hover.waitFor({ state: 'hidden' });
  });

  it('problems: a misspelt hardware id, in the Problems panel and with its quick fix', async () => {
    await page.keyboard.press(KEYS.closeOtherEditorGroups);
    await page.locator(SELECTORS.webviewHost).waitFor({ state: 'detached' });
    // Type the mistake as a user would: the last letter of the hardware id.
    await tokenInEditor(page, README.hardwareId).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(README.misspeltHardwareId.slice(-1));
    await page.locator(SELECTORS.errorSquiggle).first().waitFor();

    const problems = await focusProblems(page);
    await problems.locator('.monaco-list-row', { hasText: README.misspeltHardwareId }).first().waitFor();
    await tokenInEditor(page, README.misspeltHardwareId).click();
    await page.keyboard.press(KEYS.quickFix);
    const menu = page.locator(SELECTORS.quickFixMenu, { hasText: README.quickFixTitle }).first();
    await menu.waitFor();
    await readmeScreenshot(page, screenshots, 'problems');

    // The fix is real: choosing it restores the id and the error goes.
    await menu.getByText(README.quickFixTitle).click();
    await editorContaining(page, new RegExp(`hardware:\\s*${README.hardwareId}\\b`)).waitFor();
    await page.locator(SELECTORS.errorSquiggle).first().waitFor({ state: 'detached' });
  });
});
