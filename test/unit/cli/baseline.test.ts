import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../config/fixtures';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

function cli(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const DEPLOYMENT = `model: meta-llama/Llama-2-7b-hf
hardware: nvidia-a100-80gb-sxm4
workload: { batch_size: 1, prompt_tokens: 2048, output_tokens: 256 }
techniques:
  weight_sparsity: "2:4"
`;

describe('llm-roofline techniques on the command line', () => {
  let folder: string;
  before(function () {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node scripts/build.mjs` first');
    folder = mkdtempSync(join(tmpdir(), 'roofline-techniques-'));
    writeFileSync(join(folder, 'sparse.roofline.yaml'), DEPLOYMENT);
  });

  it('analyze --baseline prints the deployment without and with its techniques and the speed-up per stage', () => {
    const run = cli(folder, 'analyze', 'sparse.roofline.yaml', '--baseline');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Without techniques:/);
    assert.match(run.stdout, /\nWith techniques:\n/);
    // 2:4 on the A100's sparse tensor cores: compute-bound prefill ≈ 1.8× faster; decode reads 0.58× the weights.
    assert.match(run.stdout, /TTFT\s+[\d.]+ ms\s+[\d.]+ ms\s+1\.[78]\d*× faster/);
    assert.match(run.stdout, /TPOT\s+[\d.]+ ms\s+[\d.]+ ms\s+1\.[4-6]\d*× faster/);
    assert.match(run.stdout, /- 2:4 sparsity: Block projections store 0\.5625×/);
  });

  it('--baseline --json gives both results, and --set adds a technique like any other key', () => {
    const run = cli(folder, 'analyze', 'sparse.roofline.yaml', '--baseline', '--json', '--set', 'techniques.early_exit={mean_layers: 0.5}');
    assert.equal(run.status, 0, run.stderr);
    const { baseline, result } = JSON.parse(run.stdout) as { baseline: { techniques?: unknown; metrics: { tpot_seconds: number } }; result: { techniques: { key: string }[]; metrics: { tpot_seconds: number } } };
    assert.equal(baseline.techniques, undefined);
    assert.deepEqual(result.techniques.map((t) => t.key), ['weight_sparsity', 'early_exit']);
    assert.ok(result.metrics.tpot_seconds < 0.5 * baseline.metrics.tpot_seconds);
  });

  it('sweep --baseline prints both sweeps', () => {
    const run = cli(folder, 'sweep', 'sparse.roofline.yaml', '--baseline', '--vary', 'workload.batch_size=1,8');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.match(/Sweep of workload\.batch_size \(2 points/g)?.length, 2);
  });

  it('analyze prints the variants beside this deployment, with the decode speed of each', () => {
    writeFileSync(join(folder, 'variants.roofline.yaml'), `${DEPLOYMENT}variants:\n  - name: no sparsity\n    techniques: {}\n  - model: mistralai/Mistral-7B-v0.1\n`);
    const run = cli(folder, 'analyze', 'variants.roofline.yaml');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Variants \(decode speed relative to this deployment/);
    assert.match(run.stdout, /^this deployment\s+meta-llama\/Llama-2-7b-hf\s+[\d.]+ ms\s+[\d.]+ ms\s+\d+ tok\/s\s+[\d.]+ GiB\s+yes\s+1×$/m);
    // Without 2:4 the same model decodes slower: its speed relative to this deployment is below 1.
    assert.match(run.stdout, /^no sparsity\s+meta-llama\/Llama-2-7b-hf\s+.*\s0\.\d+×$/m);
    assert.match(run.stdout, /^mistralai\/Mistral-7B-v0\.1\s+mistralai\/Mistral-7B-v0\.1\s+/m);
  });

  it('a bad technique is an error on its line', () => {
    const run = cli(folder, 'analyze', 'sparse.roofline.yaml', '--set', 'techniques.weight_sparsity=5:4');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /sparse\.roofline\.yaml:5:\d+: error/);
  });
});
