/**
 * Engine speed through the public API (`dist/api.js`, as a library user calls it): the first call
 * in a fresh process (schemas compiled, presets loaded, the model prepared) beside steady-state
 * calls, each with a batch size it has not seen just before (as typing digits gives), for a 70B
 * deployment under both conventions; and the end-to-end estimate of a long generation.
 *
 * The reference is LLM-Viewer's own Python `analyze()` on the same deployment (Llama-2-70b,
 * H100 SXM, batch 16, 1024 tokens, flash attention): measured on this 2-core machine with
 * tools/llm-viewer/run_upstream.py timing (hahnyuan/LLM-Viewer @ 472f71f, Python 3.11.7):
 * 55.6 µs warm (median of 300), 3.8 ms for the first call (adapter import and config included,
 * Python's start-up not). With LLM_VIEWER_ROOT set to a checkout, the bench measures it again.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const RECORDED_LLM_VIEWER = { warmMicroseconds: 55.6, firstCallMicroseconds: 3800, source: 'recorded (LLM-Viewer @ 472f71f on this machine)' };

const API = join(__dirname, 'api.js');
const DEPLOYMENT = {
  model: 'meta-llama/Llama-2-70b-hf',
  hardware: 'nvidia-h100-sxm',
  workload: { batch_size: 16, prompt_tokens: 1024, output_tokens: 256 },
  flash_attention: true,
};

interface ApiTiming {
  firstCallMicroseconds: number;
  warmMicroseconds: number;
  steadyMicroseconds: number;
  longGenerationMicroseconds: number;
  longGenerationSeconds: number;
}

/** Runs in a fresh node process so the first call is really the first. */
function timeApi(conventions: string): ApiTiming {
  const script = `
    const { performance } = require('node:perf_hooks');
    const api = require(${JSON.stringify(API)});
    const deployment = ${JSON.stringify(DEPLOYMENT)};
    deployment.conventions = ${JSON.stringify(conventions)};
    const withBatch = (batch, output = 256) => ({ ...deployment, workload: { ...deployment.workload, batch_size: batch, output_tokens: output } });
    let started = performance.now();
    api.analyze(deployment);
    const first = (performance.now() - started) * 1000;
    for (let index = 0; index < 2000; index++) api.analyze(withBatch(1 + (index % 61)));
    // Median µs of 5,000 calls, each with a batch size it has not just seen.
    const medianOfWindow = () => {
      const times = [];
      for (let index = 0; index < 5000; index++) {
        const batch = withBatch(1 + (index % 61));
        started = performance.now();
        api.analyze(batch);
        times.push((performance.now() - started) * 1000);
      }
      times.sort((a, b) => a - b);
      return times[times.length >> 1];
    };
    const warm = medianOfWindow();
    // The same window again, once V8 has compiled the engine: the steady state beside the one above.
    const steady = medianOfWindow();
    const long = [];
    let longSeconds = 0;
    for (let index = 0; index < 500; index++) {
      const batch = withBatch(1 + (index % 61), 4096);
      started = performance.now();
      longSeconds = api.analyze(batch).metrics.e2e_seconds;
      long.push((performance.now() - started) * 1000);
    }
    long.sort((a, b) => a - b);
    process.stdout.write(JSON.stringify({ firstCallMicroseconds: first, warmMicroseconds: warm, steadyMicroseconds: steady, longGenerationMicroseconds: long[long.length >> 1], longGenerationSeconds: longSeconds }));
  `;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as ApiTiming;
}

function llmViewerReference(): { warmMicroseconds: number; firstCallMicroseconds: number; source: string } {
  const root = process.env.LLM_VIEWER_ROOT;
  if (!root) return RECORDED_LLM_VIEWER;
  const run = spawnSync(
    'python3',
    [join(__dirname, '../tools/llm-viewer/run_upstream.py'), 'timing', join(__dirname, '../test/fixtures/hf/llama-2-70b/config.json'), 'meta-llama/Llama-2-70b-hf', 'nvidia_H100_SXM'],
    { encoding: 'utf8', env: process.env },
  );
  const line = run.stdout.split('\n').find((text) => text.startsWith('{'));
  if (run.status !== 0 || !line) return RECORDED_LLM_VIEWER;
  const measured = JSON.parse(line) as { warm_median_us: number; first_call_us: number };
  return { warmMicroseconds: measured.warm_median_us, firstCallMicroseconds: measured.first_call_us, source: `measured now (${root})` };
}

export async function benchEngine(): Promise<string[]> {
  const reference = llmViewerReference();
  const started = performance.now();
  const lines = [
    `Engine through the public API (dist/api.js; Llama-2-70b, H100 SXM, batch 1…61 in turn, 1024 prompt, flash attention):`,
    `  LLM-Viewer's Python analyze(), same deployment: ${reference.warmMicroseconds.toFixed(1)} µs warm, ${(reference.firstCallMicroseconds / 1000).toFixed(1)} ms first call; ${reference.source}`,
  ];
  for (const conventions of ['default', 'llm-viewer']) {
    const timing = timeApi(conventions);
    lines.push(
      `  analyze(), conventions ${conventions}: ${timing.warmMicroseconds.toFixed(1)} µs warm (${(reference.warmMicroseconds / timing.warmMicroseconds).toFixed(1)}× LLM-Viewer), first call ${(timing.firstCallMicroseconds / 1000).toFixed(1)} ms (after require)`,
      `    steady state (calls 7,001–12,000, after V8 has compiled the engine): ${timing.steadyMicroseconds.toFixed(1)} µs (${(reference.warmMicroseconds / timing.steadyMicroseconds).toFixed(1)}×)`,
      `    with 4096 output tokens: ${timing.longGenerationMicroseconds.toFixed(1)} µs (e2e estimate ${timing.longGenerationSeconds.toFixed(2)} s, summed in closed form)`,
    );
  }
  lines.push(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return lines;
}
