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

/** The README's images are 800 px high (and 1400 or 1040 px wide): readable on a page, small as PNGs. */
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
    // The theme is a user setting kept by the server: an earlier test may have left it light.
    if ((await page.locator('.monaco-workbench.vs').count()) > 0) {
      // Focus in the editor (not on a token a later step clicks) so the shortcut reaches the workbench.
      await tokenInEditor(page, 'workload').click();
      await page.keyboard.press(KEYS.toggleLightDark);
      await page.locator('.monaco-workbench.vs-dark').waitFor();
    }
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await screenshot(page, screenshots, `failed-readme-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => undefined);
    }
  });

  // Wide is a 1400 px window; narrow gives the panel about 495 px beside the editor (1040 px window).
  const WIDTHS = [
    { name: 'wide', width: 1400 },
    { name: 'narrow', width: 1040 },
  ];

  it('panel and hover of the 70B int4 TP 2 deployment, dark and light, wide and narrow', async () => {
    await tokenInEditor(page, README.hoverField).click();
    await page.keyboard.press(KEYS.openRooflinePanel);
    for (const theme of ['dark', 'light']) {
      if (theme === 'light') {
        await page.keyboard.press(KEYS.toggleLightDark);
        await page.locator('.monaco-workbench.vs').waitFor();
      }
      for (const { name, width } of WIDTHS) {
        await page.setViewportSize({ width, height: README_VIEWPORT.height });
        const frame = await webviewContentFrame(page);
        await frame.waitForFunction((light) => document.body.classList.contains(light ? 'vscode-light' : 'vscode-dark'), theme === 'light');
        const card = frame.locator(SELECTORS.rooflineCard);
        await card.waitFor();
        const painted = await waitForPaintedCanvases(frame);
        assert.ok(painted.some((count) => count > 2_000), `the roofline is drawn (painted pixels per canvas: ${painted.join(', ')})`);
        assert.match(await card.innerText(), /ridge point/i, 'the chart card names the ridge point');
        // The top of the panel (figures, verdict, targets) once, dark and wide.
        await frame.locator('body').evaluate(() => window.scrollTo(0, 0));
        if (theme === 'dark' && name === 'wide') await readmeScreenshot(page, screenshots, 'panel-summary');
        // The charts are what the panel is for: scroll them into view, and check that they are.
        await card.evaluate((element) => element.scrollIntoView({ block: 'start' }));
        const inView = await card.evaluate((element) => {
          const box = element.getBoundingClientRect();
          return { top: box.top, bottom: box.bottom, viewport: window.innerHeight };
        });
        assert.ok(inView.top >= -1 && inView.top < 40 && Math.min(inView.bottom, inView.viewport) - inView.top > 300, `the roofline is in view: ${JSON.stringify(inView)}`);
        const labels = await frame.evaluate(() => window.llmRooflinePanel.snapshot('roofline')?.pointLabels.map((label) => label.text) ?? []);
        assert.ok(labels.length >= 2, `roofline points are named: ${labels.join(', ')}`);
        await readmeScreenshot(page, screenshots, `panel-${theme}-${name}`);
        // The README's lead picture is the dark, wide one.
        if (theme === 'dark' && name === 'wide') await readmeScreenshot(page, screenshots, 'panel');

        // A chart's tooltip, over the slowest decode layers, once per theme at the narrow width.
        if (name === 'narrow') {
          const position = await frame.evaluate(() => {
            const snapshot = window.llmRooflinePanel.snapshot('roofline');
            const decode = snapshot?.datasets.find((dataset) => dataset.label === 'Decode layers');
            if (!decode) return undefined;
            const weights = decode.data.map((datum) => datum.weight ?? 0);
            return window.llmRooflinePanel.pointPosition('roofline', 'Decode layers', weights.indexOf(Math.max(...weights)));
          });
          assert.ok(position, 'the slowest decode layer is drawn');
          await frame.locator('canvas[data-chart="roofline"]').hover({ position });
          const tooltip = frame.locator('.chart-tooltip');
          await tooltip.waitFor({ state: 'visible' });
          assert.match(await tooltip.innerText(), /Decode/);
          await readmeScreenshot(page, screenshots, `chart-tooltip-${theme}-narrow`);
          await page.mouse.move(0, 0);
          await tooltip.waitFor({ state: 'hidden' });
        }

        const hover = await hoverWithMouse(page, README.hoverField, README.hoverText);
        await hover.filter({ hasText: README.hoverText }).waitFor();
        assert.match(await hover.innerText(), /\d/, 'the hover has figures');
        await readmeScreenshot(page, screenshots, `hover-${theme}-${name}`);
        if (theme === 'dark' && name === 'wide') await readmeScreenshot(page, screenshots, 'hover');
        await page.mouse.move(0, 0);
        await hover.waitFor({ state: 'hidden' });
      }
    }
    // Back to the theme and size the next step's picture is taken in.
    await page.keyboard.press(KEYS.toggleLightDark);
    await page.locator('.monaco-workbench.vs-dark').waitFor();
    await page.setViewportSize(README_VIEWPORT);
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
