// Techniques in real VS Code: the panel's before/after view of the techniques example (Llama-2-7B
// on an A100 with 2:4 sparsity, fusion and KV eviction), dark and light, and the hover on a
// technique key. Also the README's before/after pictures: test-results/e2e/readme-techniques-*.png.
import assert from 'node:assert/strict';
import { KEYS, SELECTORS } from './selectors.mjs';
import { hoverWithMouse, inDarkThenLight, openFromExplorerFolder, readmeScreenshot, tokenInEditor, waitForPaintedCanvases, workbenchSuite } from './workbench.mjs';

const screenshots = process.env.E2E_SCREENSHOTS;

const EXAMPLE = 'llama-2-7b-a100-techniques.roofline.yaml';

describe('techniques: before and after in VS Code', function () {
  this.timeout(120_000);
  const suite = workbenchSuite({
    viewport: { width: 1400, height: 800 },
    failedPrefix: 'failed-techniques',
    prepare: async (page) => {
      await openFromExplorerFolder(page, 'examples', EXAMPLE, 'nvidia-a100-80gb-sxm4');
      await page.keyboard.press(KEYS.closeSidebar);
      await page.locator(SELECTORS.explorerRow).first().waitFor({ state: 'hidden' });
    },
  });
  let page;
  before(() => {
    page = suite.page;
  });

  it('hovers a technique key with its own effect on TTFT, TPOT and memory', async () => {
    const hover = await hoverWithMouse(page, 'kv_cache_eviction', /alone, against no techniques/);
    await hover.filter({ hasText: /alone, against no techniques/ }).waitFor();
    const text = await hover.innerText();
    assert.match(text, /KV eviction to 2,048 tokens/);
    assert.match(text, /TPOT [\d.]+ ms → [\d.]+ ms \(1\.\d+× faster\)/);
    assert.match(text, /StreamingLLM, Xiao et al\. 2023/);
    await readmeScreenshot(page, screenshots, 'techniques-hover');
    await page.mouse.move(0, 0);
    await hover.waitFor({ state: 'hidden' });
  });

  it('shows the deployment with and without its techniques in the panel, dark and light', async () => {
    await tokenInEditor(page, 'weight_sparsity').click();
    await page.keyboard.press(KEYS.openRooflinePanel);
    await inDarkThenLight(page, async (theme, frame) => {
      const section = frame.locator('#before-after');
      await section.waitFor();
      // 2:4 on the A100's sparse tensor cores halves the compute-bound prefill projections.
      assert.match(await section.locator('[data-speedup="ttft"]').innerText(), /416 ms → 238 ms\s+1\.75× faster/);
      assert.match(await section.locator('[data-speedup="tpot"]').innerText(), /8\.63 ms → [\d.]+ ms\s+2\.0\d× faster/);
      await section.evaluate((element) => element.scrollIntoView({ block: 'start' }));
      const painted = await waitForPaintedCanvases(frame, { minimumCharts: 2 });
      assert.ok(painted.filter((count) => count > 2_000).length >= 2, `before/after charts drawn (painted pixels per canvas: ${painted.join(', ')})`);
      await readmeScreenshot(page, screenshots, `techniques-${theme}`);
    });
  });
});
