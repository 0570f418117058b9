/**
 * Speed of the roofline panel in headless Chromium: time from posting an analysis to the charts
 * being updated and painted, and frame times while the batch slider is dragged (input events →
 * throttled setField posts). Returns one line per figure.
 */
import type { DocumentAnalysis } from '../../language-server/src/protocol/lsp';
import { buildPanelBundle, launchChromium, loadFixture, PanelPage, startPanelServer, type PanelWindow } from '../panel/harness';

interface BenchWindow extends PanelWindow {
  addEventListener(type: string, listener: () => void, options: { once: boolean }): void;
  requestAnimationFrame(callback: (time: number) => void): number;
  performance: { now(): number };
  __frameTimes?: number[];
  __recording?: boolean;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

function describe(name: string, samples: number[], unit = 'ms'): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = percentile(sorted, 0.5);
  return `${name}: median ${median.toFixed(1)} ${unit}, p95 ${percentile(sorted, 0.95).toFixed(1)} ${unit}, max ${sorted[sorted.length - 1].toFixed(1)} ${unit} (${samples.length} samples)`;
}

export async function benchPanel(): Promise<string[]> {
  const server = await startPanelServer(await buildPanelBundle());
  const browser = await launchChromium();
  const lines: string[] = [];
  try {
    const panel = await PanelPage.open(browser, server, { width: 1200, height: 900 });
    const fixtures = ['llama-3.1-8b-l4', 'llama-3.1-8b-l4-does-not-fit', 'llama-3.1-8b-l4-int4'].map(loadFixture);

    // First analysis: charts are created (chart.js set-up included).
    const measure = (analysis: DocumentAnalysis) =>
      panel.page.evaluate(
        (a) =>
          new Promise<number>((resolve) => {
            const w = globalThis as unknown as BenchWindow;
            const start = w.performance.now();
            w.addEventListener('llm-roofline-rendered', () => resolve(w.performance.now() - start), { once: true });
            w.postMessage({ type: 'analysis', analysis: a }, '*');
          }),
        analysis,
      );
    const first = await measure(fixtures[0]);
    lines.push(`panel: first analysis → charts created and painted: ${first.toFixed(1)} ms`);

    const updates: number[] = [];
    for (let run = 0; run < 24; run += 1) {
      const analysis = structuredClone(fixtures[run % fixtures.length]);
      analysis.version = 100 + run;
      updates.push(await measure(analysis));
    }
    lines.push(describe('panel: analysis → charts updated and painted', updates));

    // Drag the batch slider across its track while recording every frame's time.
    await measure(fixtures[0]);
    const slider = panel.page.locator('input[data-control="batchSizeSlider"]');
    const box = await slider.boundingBox();
    if (!box) throw new Error('batch slider not visible');
    await panel.page.evaluate(() => {
      const w = globalThis as unknown as BenchWindow;
      w.__frameTimes = [];
      w.__recording = true;
      let last = w.performance.now();
      const tick = (time: number) => {
        w.__frameTimes?.push(time - last);
        last = time;
        if (w.__recording) w.requestAnimationFrame(tick);
      };
      w.requestAnimationFrame(tick);
    });
    const postedBefore = (await panel.postedOfType('setField')).length;
    const y = box.y + box.height / 2;
    const moves = 120;
    const dragStart = Date.now();
    await panel.page.mouse.move(box.x + 2, y);
    await panel.page.mouse.down();
    for (let step = 1; step <= moves; step += 1) await panel.page.mouse.move(box.x + 2 + ((box.width - 4) * step) / moves, y);
    await panel.page.mouse.up();
    const dragMilliseconds = Date.now() - dragStart;
    const frames = await panel.page.evaluate(() => {
      const w = globalThis as unknown as BenchWindow;
      w.__recording = false;
      return (w.__frameTimes ?? []).slice(1);
    });
    const posts = (await panel.postedOfType('setField')).length - postedBefore;
    lines.push(describe('panel: frame time while dragging the batch slider', frames));
    lines.push(`panel: slider drag of ${moves} input moves over ${dragMilliseconds} ms → ${posts} setField posts (one in flight until the host answers)`);
    await panel.close();
  } finally {
    await browser.close();
    await server.close();
  }
  return lines;
}
