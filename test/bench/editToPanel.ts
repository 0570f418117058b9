/**
 * Edit to panel, end to end: a batch_size edit goes to the real language server (dist/server.js
 * over stdio) as didChange; the server checks the document and sends llmRoofline/analysisChanged;
 * that DocumentAnalysis is posted into the panel page (headless Chromium), which draws its charts
 * and fires its rendered event after the next paint. The figure is the wall time of the whole
 * chain. The server's debounce is set to 0 so the figure is work, not waiting: with the default
 * setting (validation.debounceMs, 250 ms) users see that much more.
 */
import { performance } from 'node:perf_hooks';
import type { DocumentAnalysis } from '../../language-server/src/protocol/lsp';
import { RENDERED_EVENT } from '../../webview/src/testHooks';
import { buildPanelBundle, launchChromium, PanelPage, startPanelServer, type PanelWindow } from '../panel/harness';
import { loadFixture } from '../server/fixtures';
import { LspTestClient } from '../server/lspClient';

const EDITS = 30;

interface EventWindow extends PanelWindow {
  addEventListener(type: string, listener: (event: { detail: unknown }) => void): void;
  removeEventListener(type: string, listener: (event: { detail: unknown }) => void): void;
}

function percentile(sortedMs: number[], fraction: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor(fraction * sortedMs.length))]!;
}

/** Posts the analysis as the extension host does and resolves once the panel has painted that version. */
function showInPanel(panel: PanelPage, analysis: DocumentAnalysis): Promise<void> {
  return panel.page.evaluate(
    ({ message, eventName }) =>
      new Promise<void>((resolve) => {
        const w = globalThis as unknown as EventWindow;
        const listener = (event: { detail: unknown }) => {
          if (event.detail !== message.analysis.version) return;
          w.removeEventListener(eventName, listener);
          resolve();
        };
        w.addEventListener(eventName, listener);
        w.postMessage(message, '*');
      }),
    { message: { type: 'analysis' as const, analysis }, eventName: RENDERED_EVENT },
  );
}

export async function benchEditToPanel(): Promise<string[]> {
  const client = await LspTestClient.start({ settings: { validation: { debounceMs: 0 } } });
  const panelServer = await startPanelServer(await buildPanelBundle());
  const browser = await launchChromium();
  try {
    const panel = await PanelPage.open(browser, panelServer, { width: 1200, height: 900 });
    const fixture = loadFixture('llama-70b-h100.roofline.yaml');
    const opened = client.nextAnalysis(fixture.uri, (analysis) => analysis.version === 1);
    await client.open(fixture.uri, fixture.text);
    // The first analysis creates the charts; the edits below measure updates.
    await showInPanel(panel, await opened);

    const samples: number[] = [];
    for (let edit = 0; edit < EDITS; edit++) {
      const version = edit + 2;
      // Batch sizes 9 … 32 in turn, as a user trying values would type them.
      const text = fixture.text.replace('batch_size: 8', `batch_size: ${9 + (edit % 24)}`);
      const started = performance.now();
      const arrived = client.nextAnalysis(fixture.uri, (analysis) => analysis.version === version);
      const diagnostics = client.change(fixture.uri, text);
      const analysis = await arrived;
      if (!analysis.result) throw new Error(`version ${version} was not analysed: ${analysis.errors.join('; ')}`);
      await showInPanel(panel, analysis);
      samples.push(performance.now() - started);
      await diagnostics;
    }
    if (panel.pageErrors.length > 0) throw new Error(`the panel reported errors: ${panel.pageErrors.join('; ')}`);
    const sorted = [...samples].sort((a, b) => a - b);
    return [
      `Edit to panel (stdio server with debounce 0, headless Chromium, Llama 3.1 70B on H100 SXM, ${EDITS} batch_size edits):`,
      `  edit → panel charts updated: p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p95 ${percentile(sorted, 0.95).toFixed(1)} ms`,
    ];
  } finally {
    await browser.close();
    await panelServer.close();
    await client.stop();
  }
}
