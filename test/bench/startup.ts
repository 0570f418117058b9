/**
 * Start-up figures, first call beside warm, each in fresh processes as users meet them:
 * - the CLI: `llm-roofline analyze` on an example against a bare `node -e 0`, run in turn: wall
 *   time with the ratio of each pair, and CPU time (target: at most 2);
 * - the language server: spawn to `initialize` answered, then a document opened right after start
 *   to its diagnostics (default settings, as the editor sends them; target: within 100 ms),
 *   beside a second document opened once the server is warm;
 * - the API: `require('dist/api.js')` and the first `analyze()` in a fresh process, beside a warm
 *   call. Called by the bench main.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadFixture } from '../server/fixtures';
import { LspTestClient, repositoryRoot } from '../server/lspClient';

const ROOT = repositoryRoot();
const CLI_PAIRS = 10;
const SERVER_STARTS = 5;
const API_PROCESSES = 5;
const CLI_EXAMPLE = 'examples/llama-3.1-8b-l4.roofline.yaml';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function range(values: number[], digits = 1): string {
  return `median ${median(values).toFixed(digits)}, min ${Math.min(...values).toFixed(digits)}, max ${Math.max(...values).toFixed(digits)}`;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) of this process's finished children, from /proc/self/stat (Linux);
 * undefined elsewhere. On a busy machine CPU time says more than wall time.
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: cutime and cstime are fields 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

interface ProcessRun {
  wallMs: number;
  cpuMs: number | undefined;
}

function runNode(args: string[]): ProcessRun {
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const wallMs = performance.now() - started;
  const cpuAfter = childrenCpuSeconds();
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${String(run.stderr)}`);
  return { wallMs, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) * 1000 };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function benchCli(): string[] {
  const cli = [join(ROOT, 'dist', 'cli.js'), 'analyze', CLI_EXAMPLE];
  const bare = ['-e', '0'];
  // One of each unmeasured, so that both start from a warm file cache.
  runNode(cli);
  runNode(bare);
  const cliRuns: ProcessRun[] = [];
  const bareRuns: ProcessRun[] = [];
  for (let pair = 0; pair < CLI_PAIRS; pair++) {
    cliRuns.push(runNode(cli));
    bareRuns.push(runNode(bare));
  }
  const ratios = cliRuns.map((run, index) => run.wallMs / bareRuns[index]!.wallMs);
  const lines = [
    `CLI (whole process, ${CLI_PAIRS} pairs run in turn; <example> = ${CLI_EXAMPLE}):`,
    `  llm-roofline analyze <example>, wall ms            ${range(cliRuns.map((run) => run.wallMs))}`,
    `  node -e 0, wall ms                                 ${range(bareRuns.map((run) => run.wallMs))}`,
    `  wall ratio, pair by pair (target ≤ 2)              ${range(ratios, 2)}`,
  ];
  const cliCpu = cliRuns.map((run) => run.cpuMs);
  const bareCpu = bareRuns.map((run) => run.cpuMs);
  if (cliCpu.every((ms) => ms !== undefined) && bareCpu.every((ms) => ms !== undefined)) {
    // /proc counts in 10 ms ticks: the sums over all runs are what is precise enough to compare.
    const cliTotal = sum(cliCpu as number[]);
    const bareTotal = sum(bareCpu as number[]);
    lines.push(
      `  CPU ms per run (user + sys): analyze ${(cliTotal / CLI_PAIRS).toFixed(0)}, node -e 0 ${(bareTotal / CLI_PAIRS).toFixed(0)}; ratio ${(cliTotal / bareTotal).toFixed(2)} (target ≤ 2)`,
    );
  }
  return lines;
}

async function benchServer(): Promise<string[]> {
  const fixture = loadFixture('llama-70b-h100.roofline.yaml');
  const second = loadFixture('targets.roofline.yaml');
  const initializeMs: number[] = [];
  const firstOpenMs: number[] = [];
  const warmOpenMs: number[] = [];
  for (let start = 0; start < SERVER_STARTS; start++) {
    const spawned = performance.now();
    // Default settings: the debounce a user has (it applies to edits, not to opening).
    const client = await LspTestClient.start();
    try {
      const initialized = performance.now();
      initializeMs.push(initialized - spawned);
      await client.open(fixture.uri, fixture.text);
      firstOpenMs.push(performance.now() - initialized);
      const warmStarted = performance.now();
      await client.open(second.uri, second.text);
      warmOpenMs.push(performance.now() - warmStarted);
    } finally {
      await client.stop();
    }
  }
  return [
    `Language server (stdio, ${SERVER_STARTS} fresh starts, ms):`,
    `  spawn → initialize answered                        ${range(initializeMs)}`,
    `  open right after start → diagnostics (target ≤ 100) ${range(firstOpenMs)}`,
    `  a document opened once warm → diagnostics          ${range(warmOpenMs)}`,
  ];
}

/** Runs in a fresh node: times the require, the first analyze() and warm ones; prints JSON. */
const API_PROBE = `
const { performance } = require('node:perf_hooks');
const started = performance.now();
const api = require(process.argv[1]);
const loaded = performance.now();
const deployment = { model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-l4', workload: { batch_size: 8 } };
api.analyze(deployment);
const first = performance.now();
const warm = [];
for (let i = 0; i < 50; i++) { const t = performance.now(); api.analyze(deployment); warm.push(performance.now() - t); }
warm.sort((a, b) => a - b);
console.log(JSON.stringify({ requireMs: loaded - started, firstCallMs: first - loaded, warmCallMs: warm[25] }));
`;

function probeApi(): Promise<{ requireMs: number; firstCallMs: number; warmCallMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', API_PROBE, join(ROOT, 'dist', 'api.js')], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { requireMs: number; firstCallMs: number; warmCallMs: number }) : reject(new Error(`API probe exited ${code}: ${err}`))));
  });
}

async function benchApi(): Promise<string[]> {
  const runs = [];
  for (let run = 0; run < API_PROCESSES; run++) runs.push(await probeApi());
  return [
    `API (dist/api.js, ${API_PROCESSES} fresh processes, ms; Llama-3.1-8B on L4, batch 8):`,
    `  require('dist/api.js')                             ${range(runs.map((r) => r.requireMs))}`,
    `  first analyze()                                    ${range(runs.map((r) => r.firstCallMs))}`,
    `  warm analyze() (median of 50)                      ${range(runs.map((r) => r.warmCallMs), 2)}`,
  ];
}

export async function benchStartup(): Promise<string[]> {
  return ['Start-up, first call beside warm:', ...benchCli(), ...(await benchServer()), ...(await benchApi())];
}
