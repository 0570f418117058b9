/**
 * Language server latency through a real LSP connection (stdio), on a 70B deployment:
 * keystroke-to-diagnostics (debounce set to 0, so the figure is the server's own work plus the
 * round trip), hover and completion. Called by the bench main.
 */
import { performance } from 'node:perf_hooks';
import { loadFixture } from '../server/fixtures';
import { LspTestClient } from '../server/lspClient';

const ROUNDS = 200;

function percentile(sortedMs: number[], fraction: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor(fraction * sortedMs.length))]!;
}

function summary(label: string, samplesMs: number[]): string {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return `${label.padEnd(38)} p50 ${percentile(sorted, 0.5).toFixed(2).padStart(7)} ms   p95 ${percentile(sorted, 0.95).toFixed(2).padStart(7)} ms   (${sorted.length} samples)`;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

export async function benchLanguageServer(): Promise<string[]> {
  const client = await LspTestClient.start({ settings: { validation: { debounceMs: 0 } }, reportTimings: true });
  try {
    const fixture = loadFixture('llama-70b-h100.roofline.yaml');
    await client.open(fixture.uri, fixture.text);
    const keystroke: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the batch size, as a user typing digits would.
      const text = fixture.text.replace('batch_size: 8', `batch_size: ${8 + (round % 24)}`);
      keystroke.push(await timed(() => client.change(fixture.uri, text)));
    }
    const handling = client.timings.map((timing) => timing.handlingMs);
    const [hardwarePosition, batchPosition] = fixture.cursors;
    const hover: number[] = [];
    for (let round = 0; round < ROUNDS; round++) hover.push(await timed(() => client.hover(fixture.uri, batchPosition!)));
    const completion: number[] = [];
    for (let round = 0; round < ROUNDS; round++) completion.push(await timed(() => client.completion(fixture.uri, hardwarePosition!)));
    return [
      'Language server (stdio, Llama 3.1 70B on H100 SXM):',
      summary('  keystroke → diagnostics (debounce 0)', keystroke),
      summary('  check time inside the server', handling),
      summary('  hover on batch_size', hover),
      summary('  completion of hardware ids', completion),
    ];
  } finally {
    await client.stop();
  }
}
