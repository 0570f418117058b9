/**
 * Labels of the reference lines as drawn in a real browser. The memory chart's bar fills its plot,
 * so capacity and usable memory are labelled in a band above it, where no line or bar crosses
 * them; the sweep labels the current batch and the memory limit beside their lines, on a side no
 * other line crosses when there is one.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ChartSnapshot } from '../../webview/src/testHooks';
import { loadFixture, panelSuite, SCREENSHOT_DIR, type PanelPage } from './harness';

type Label = ChartSnapshot['lineLabels'][number];

function overlap(a: Label, b: Label): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

describe('roofline panel: reference line labels', function () {
  this.timeout(60_000);
  const suite = panelSuite();
  let panel: PanelPage;

  for (const width of [1200, 495]) {
    it(`labels capacity and usable memory above the bar, and the sweep's lines on a clear side (${width} px)`, async () => {
      panel = await suite.open({ width, height: 900 });
      // The L4 fixture: 16.9 GiB of 21.6 GiB usable (90% of 24 GiB): the bar reaches under both
      // labels in a narrow panel. On the sweep, batch 8 and the memory limit (26) are close.
      await panel.showAnalysis(loadFixture('llama-3.1-8b-l4'));

      const memory = await panel.snapshot('memory');
      const band = memory.lineLabels.filter((label) => label.axis === 'x');
      assert.deepEqual(band.map((label) => label.text), ['Capacity 24.0 GiB', 'Usable 90%']);
      for (const label of band) {
        assert.ok(label.top >= 0 && label.top + label.height <= memory.chartArea.top, `"${label.text}" above the plot: ${JSON.stringify(label)} / ${JSON.stringify(memory.chartArea)}`);
        assert.ok(label.left >= memory.chartArea.left && label.left + label.width <= memory.chartArea.right, `"${label.text}" within the plot's width`);
      }
      assert.ok(!overlap(band[0]!, band[1]!), 'the two labels do not overprint');
      assert.ok(memory.chartArea.bottom - memory.chartArea.top >= 40, `the bar keeps its height: ${JSON.stringify(memory.chartArea)}`);
      await panel.page.locator('#card-memory').screenshot({ path: join(SCREENSHOT_DIR, `line-labels-memory-${width}.png`) });

      const sweep = await panel.snapshot('sweep');
      const area = sweep.chartArea;
      const vertical = sweep.lineLabels.filter((label) => label.axis === 'x');
      assert.deepEqual(vertical.map((label) => label.text), ['Current: 8', 'Memory limit: 26']);
      const crossed = (left: number, labelWidth: number, self: number): boolean =>
        vertical.some((other, index) => index !== self && other.pixel >= left && other.pixel <= left + labelWidth);
      vertical.forEach((label, index) => {
        assert.ok(label.left >= area.left && label.left + label.width <= area.right, `"${label.text}" inside the plot`);
        const rightOfLine = Math.abs(label.left - (label.pixel + 4)) < 0.01;
        const leftOfLine = Math.abs(label.left + label.width - (label.pixel - 4)) < 0.01;
        assert.ok(rightOfLine || leftOfLine, `"${label.text}" next to its line`);
        if (!crossed(label.left, label.width, index)) return;
        const otherLeft = rightOfLine ? label.pixel - 4 - label.width : label.pixel + 4;
        const otherFits = otherLeft >= area.left && otherLeft + label.width <= area.right;
        assert.ok(!otherFits || crossed(otherLeft, label.width, index), `"${label.text}" is struck through though its other side is clear`);
      });
      if (width === 1200) {
        // Room on the chart for both: neither is struck through.
        vertical.forEach((label, index) => assert.ok(!crossed(label.left, label.width, index), `"${label.text}" is clear of the other line`));
      }
      await panel.page.locator('#card-sweep').screenshot({ path: join(SCREENSHOT_DIR, `line-labels-sweep-${width}.png`) });
    });
  }
});
