// The product as a user sees it in VS Code's workbench (code-server + Chromium), with the packaged
// .vsix installed. Run by ui/run.mjs, which provides E2E_SERVER_URL, E2E_WORKSPACE, E2E_SCREENSHOTS.
import assert from 'node:assert/strict';
import { PRODUCT, KEYS, SELECTORS } from './selectors.mjs';
import {
  editorContaining,
  focusProblems,
  hoverWithMouse,
  openFromExplorer,
  screenshot,
  waitForPaintedCanvases,
  webviewContentFrame,
  workbenchSuite,
} from './workbench.mjs';

const screenshots = process.env.E2E_SCREENSHOTS;

describe('LLM Roofline in the workbench', function () {
  this.timeout(120_000);
  const suite = workbenchSuite();
  let page;
  before(() => {
    page = suite.page;
  });

  it('shows the unknown hardware id as an error in the editor and the Problems panel', async () => {
    await openFromExplorer(page, PRODUCT.brokenDeployment, PRODUCT.unknownHardwareId);
    await page.locator(SELECTORS.errorSquiggle).first().waitFor();
    const problems = await focusProblems(page);
    const row = problems.locator('.monaco-list-row', { hasText: PRODUCT.unknownHardwareId }).first();
    await row.waitFor();
    assert.match(await problems.innerText(), new RegExp(PRODUCT.diagnosticSource));
    await screenshot(page, screenshots, '01-problems');
  });

  it('shows the figures a field drives when the mouse rests on it', async () => {
    await openFromExplorer(page, PRODUCT.validDeployment, PRODUCT.hoverField);
    const hover = await hoverWithMouse(page, PRODUCT.hoverField, PRODUCT.hoverText);
    await hover.filter({ hasText: PRODUCT.hoverText }).waitFor();
    const text = await hover.innerText();
    assert.match(text, /\d/, `the hover has numbers: ${text}`);
    await screenshot(page, screenshots, '02-hover');
    // Leave the text so that the hover does not cover the next steps.
    await page.mouse.move(0, 0);
  });

  it('opens the roofline panel and its charts draw', async () => {
    // More room for the panel: the Problems panel has been checked.
    await page.keyboard.press(KEYS.closeBottomPanel);
    await page.locator(SELECTORS.problemsPanel).waitFor({ state: 'hidden' });
    await editorContaining(page, PRODUCT.hoverField).click();
    await page.keyboard.press(KEYS.openRooflinePanel);
    const frame = await webviewContentFrame(page);
    const painted = await waitForPaintedCanvases(frame);
    assert.ok(painted.some((count) => count > 2_000), `a chart is drawn (painted pixels per canvas: ${painted.join(', ')})`);
    await frame.locator(SELECTORS.webviewCanvas).first().scrollIntoViewIfNeeded();
    await screenshot(page, screenshots, '03-panel');
  });

  it('a panel control edits the deployment', async () => {
    const frame = await webviewContentFrame(page);
    const control = frame.locator(PRODUCT.batchSizeControl);
    const current = Number(await control.inputValue());
    const next = current === 8 ? 16 : 8;
    await control.fill(String(next));
    await control.press('Enter');
    await editorContaining(page, new RegExp(`batch_size:\\s*${next}\\b`)).waitFor();
    await screenshot(page, screenshots, '04-control-edit');
  });
});
