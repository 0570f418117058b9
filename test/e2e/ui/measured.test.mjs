// Measured results in real VS Code: the measured example (six real vllm bench serve runs of
// Llama-3.2-3B on L40S) opened from the explorer, the panel drawing the runs on the roofline (each
// TPOT as the engine step it times, beside the predicted step), the sweep and the serving chart,
// with what is not on the roofline said under it; dark and light. Run by ui/run.mjs.
import assert from 'node:assert/strict';
import { KEYS } from './selectors.mjs';
import { inDarkThenLight, openFromExplorerFolder, readmeScreenshot, STEP_TIMEOUT_MS, tokenInEditor, waitForPaintedCanvases, workbenchSuite } from './workbench.mjs';

const screenshots = process.env.E2E_SCREENSHOTS;
const EXAMPLE = 'llama-3.2-3b-l40s-measured.roofline.yaml';

describe('measured results on the charts in VS Code', function () {
  this.timeout(180_000);
  const suite = workbenchSuite({
    viewport: { width: 1400, height: 900 },
    failedPrefix: 'failed-measured',
    prepare: async (page) => {
      await page.keyboard.press(KEYS.closeBottomPanel);
      await openFromExplorerFolder(page, 'examples', EXAMPLE, 'nvidia-l40s');
      await page.keyboard.press(KEYS.closeSidebar);
    },
  });
  let page;
  before(() => {
    page = suite.page;
  });

  it('draws the runs on the roofline, the sweep and the serving chart, dark and light', async () => {
    await tokenInEditor(page, 'measured').click();
    await page.keyboard.press(KEYS.openRooflinePanel);
    await inDarkThenLight(page, async (theme, frame) => {
      const roofline = frame.locator('#card-roofline');
      // The comparison arrives with the analysis: the steps are drawn once it has.
      await roofline.locator('input[data-series="Measured decode steps (TPOT)"]').waitFor({ timeout: 3 * STEP_TIMEOUT_MS });
      const steps = await frame.evaluate(() => {
        const snapshot = window.llmRooflinePanel.snapshot('roofline');
        const pick = (label) => snapshot.datasets.find((dataset) => dataset.label === label)?.data ?? [];
        return { measured: pick('Measured decode steps (TPOT)'), predicted: pick('Predicted decode steps') };
      });
      assert.equal(steps.measured.length, 6, 'one decode step per run');
      assert.deepEqual(steps.measured.map((datum) => datum.x), steps.predicted.map((datum) => datum.x), 'measured and predicted steps at one intensity');
      assert.ok(steps.measured.every((datum) => datum.y > 1e12 && datum.y < 362e12), `rates between 1 TFLOP/s and the L40S peak: ${steps.measured.map((datum) => datum.y).join(', ')}`);
      assert.equal(await roofline.locator('details.chart-note summary').innerText(), '4 measured figures are not on the roofline: why');
      await frame.locator('#card-sweep input[data-series="Measured TPOT"]').waitFor();
      await frame.locator('#card-serving input[data-series="Measured TPOT"]').waitFor();
      await roofline.evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await waitForPaintedCanvases(frame, { minimumCharts: 2 });
      await readmeScreenshot(page, screenshots, `measured-roofline-${theme}`);
      await frame.locator('#card-sweep').evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await readmeScreenshot(page, screenshots, `measured-sweep-${theme}`);
    });
  });
});
