// What the panel does with VS Code, seen in the workbench: Compare Hardware from a shortcut shows
// the table, Ctrl+Z in a panel field undoes in the document, a slider drag is one undo step, and
// Save PNG writes a PNG file. Run by ui/run.mjs (E2E_SERVER_URL, E2E_WORKSPACE, E2E_SCREENSHOTS).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KEYS, PRODUCT, SELECTORS } from './selectors.mjs';
import { editorContaining, openFromExplorer, screenshot, STEP_TIMEOUT_MS, waitForPaintedCanvases, webviewContentFrame, workbenchSuite } from './workbench.mjs';

const workspace = process.env.E2E_WORKSPACE;
const screenshots = process.env.E2E_SCREENSHOTS;

/** Resolves once `check` returns something truthy, polling (the file system has no events here). */
async function eventually(check, what) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('The panel and VS Code together', function () {
  this.timeout(180_000);
  let page;
  let frame;
  const suite = workbenchSuite({
    failedPrefix: 'failed-actions',
    prepare: async (workbench) => {
      await workbench.keyboard.press(KEYS.closeBottomPanel);
      await openFromExplorer(workbench, PRODUCT.validDeployment, 'batch_size');
      await editorContaining(workbench, 'batch_size').click();
      await workbench.keyboard.press(KEYS.openRooflinePanel);
      frame = await webviewContentFrame(workbench);
      await waitForPaintedCanvases(frame);
    },
  });
  before(() => {
    page = suite.page;
  });

  it('Ctrl+Z in a panel field undoes the edit in the document, and the field follows the file', async () => {
    const field = frame.locator(PRODUCT.batchSizeControl);
    await field.fill('16');
    await field.press('Enter');
    await editorContaining(page, /batch_size:\s*16\b/).waitFor();
    await field.focus();
    await field.press('Control+z');
    await editorContaining(page, /batch_size:\s*4\b/).waitFor();
    await frame.waitForFunction((selector) => document.querySelector(selector)?.value === '4', PRODUCT.batchSizeControl);
    // Leaving the field writes nothing back: the file keeps 4.
    await field.blur();
    assert.match(await editorContaining(page, 'batch_size').innerText(), /batch_size:\s*4\b/);
  });

  it('one slider drag is one undo step', async () => {
    const slider = frame.locator(SELECTORS.batchSlider);
    await slider.scrollIntoViewIfNeeded();
    const box = await slider.boundingBox();
    assert.ok(box);
    const y = box.y + box.height / 2;
    const start = await slider.evaluate((element) => Number(element.value));
    const startX = box.x + (box.width * start) / 1000;
    await page.mouse.move(startX, y);
    await page.mouse.down();
    for (let step = 1; step <= 12; step += 1) await page.mouse.move(startX + step * 12, y);
    await page.mouse.up();
    const finalBatch = Number(await frame.locator(PRODUCT.batchSizeControl).inputValue());
    assert.ok(finalBatch > 4, `dragged to a larger batch (${finalBatch})`);
    await editorContaining(page, new RegExp(`batch_size:\\s*${finalBatch}\\b`)).waitFor();
    // One Ctrl+Z in the editor brings the value from before the drag back.
    await page.keyboard.press(KEYS.focusFirstEditorGroup);
    await page.keyboard.press('Control+z');
    await editorContaining(page, /batch_size:\s*4\b/).waitFor();
  });

  it('Compare Hardware from a shortcut builds the table where it can be seen', async () => {
    await page.keyboard.press(KEYS.compareHardware);
    const rows = frame.locator(SELECTORS.comparisonRow);
    await rows.first().waitFor();
    const where = await frame.locator(SELECTORS.comparisonCard).evaluate((card) => {
      const box = card.getBoundingClientRect();
      return { top: box.top, viewHeight: window.innerHeight, scrollY: window.scrollY, pageHeight: document.scrollingElement?.scrollHeight };
    });
    // scrollIntoView places the card at the top to within a fraction of a pixel (a zoomed page can
    // report -0.06).
    assert.ok(where.top > -1 && where.top < where.viewHeight, `the comparison card is scrolled into view (${JSON.stringify(where)})`);
    assert.ok((await rows.count()) > 5, 'rows for the hardware presets');
    await screenshot(page, screenshots, 'actions-comparison');
  });

  it('Save PNG writes a PNG file', async () => {
    const target = path.join(workspace, 'valid-roofline.png');
    await frame.locator(SELECTORS.savePng).click();
    // VS Code's save dialog proposes the file beside the deployment; accept it.
    const dialog = page.locator(SELECTORS.quickInput);
    await dialog.waitFor();
    await page.keyboard.press('Enter');
    const bytes = await eventually(() => (existsSync(target) ? readFileSync(target) : undefined), target);
    assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(bytes.length > 5_000, `the image has content (${bytes.length} bytes)`);
  });
});
