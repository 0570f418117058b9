import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectationsOf, FIXTURES, filesIn, REPO_ROOT } from '../config/fixtures';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI from the fixtures folder (paths in output are relative to it). */
function cli(...args: string[]): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: FIXTURES, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertNoCrash(run: Run): void {
  const output = run.stdout + run.stderr;
  assert.ok(!/^\s+at .+:\d+:\d+\)?$/m.test(output), `stack trace in output:\n${output}`);
  assert.ok(!/\b(NaN|Infinity)\b/.test(output), `NaN or Infinity in output:\n${output}`);
}

describe('llm-roofline CLI (dist/cli.js)', () => {
  before(function () {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node scripts/build.mjs` first');
  });

  it('prints help with exit 0', () => {
    const run = cli('--help');
    assert.equal(run.status, 0);
    assert.match(run.stdout, /Usage: llm-roofline <command>/);
    assert.match(run.stdout, /analyze FILE/);
  });

  it('prints usage and exits 2 for an unknown command or no command', () => {
    const unknown = cli('frobnicate');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    assert.match(unknown.stderr, /Usage:/);
    assert.equal(cli().status, 2);
    assert.equal(cli('analyze').status, 2);
    assert.equal(cli('analyze', 'x.roofline.yaml', '--bogus').status, 2);
    assertNoCrash(unknown);
  });

  it('analyzes a deployment into a readable report', () => {
    const run = cli('analyze', 'deployments/llama-3.1-8b-hf-file.roofline.yaml');
    assert.equal(run.status, 0, run.stderr);
    for (const expected of [/llama-3\.1-8b on nvidia-l4/, /GiB/, /fits/, /TTFT\s+\d/, /TPOT\s+\d/, /end to end/, /tok\/s/, /^Prefill: /m, /^Decode: /m, /q_proj/, /memory|compute/]) {
      assert.match(run.stdout, expected);
    }
    // The editor's formatter and its definition of fits: memory.utilization (90%) of the L4's 24 GiB.
    assert.match(run.stdout, /^ {2}verdict {6}fits: 15\.4 GiB of 21\.6 GiB \(90% of 24\.0 GiB\)$/m);
    assert.match(run.stdout, /^ {2}weights {6}15\.0 GiB$/m);
    assert.match(run.stdout, /^ {2}throughput {3}75\.5 tok\/s /m);
    assertNoCrash(run);
  });

  it('reports pipeline figures and network rows of a parallel deployment', () => {
    const run = cli('analyze', 'deployments/llama-2-70b-h100-tp4.roofline.yaml', '--set', 'parallelism.pipeline=2');
    assert.equal(run.status, 0, run.stderr);
    // Two stages: while one works the other waits, (pp − 1)/pp = 50% of the time.
    assert.match(run.stdout, /^ {2}pipeline {5}2 stages: .* each device idles 50% of the time \(bubble\)$/m);
    assert.match(run.stdout, /^ {15}with 2 batches in flight: \d+ tok\/s decoding \(the slowest stage takes [\d.]+% of a step\)$/m);
    // Tensor parallelism 4 all-reduces after attention and the MLP: network-bound rows with no intensity.
    assert.match(run.stdout, /^attn_all_reduce +80 +\S+ \S+ +\S+ \S*B +- +network /m);
    assert.match(run.stdout, /^ {2}\(network: communication over the interconnect/m);
    assertNoCrash(run);
  });

  it('shows expected times beside the ideal bound, the dominant effects and what each adds', () => {
    const run = cli('analyze', 'deployments/llama-2-70b-h100-tp4.roofline.yaml', '--set', 'efficiency=expected');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^ {2}ideal bound  TTFT \S+ \S*s, TPOT \S+ \S*s, .* \(no run is faster\)$/m);
    assert.match(run.stdout, /^ {2}dominant {5}TTFT: .*%.*; TPOT: .*%.* \(share of the gap over the bound\)$/m);
    // Tensor parallelism 4: the all-reduces add time over the bound.
    assert.match(run.stdout, /^ {2}collectives as libraries run them +\d\S* \S*s +\d\S* \S*s$/m);
    assert.match(run.stdout, /^ {2}fixed cost per kernel +\d/m);
    assertNoCrash(run);
  });

  it('prints the analysis result as JSON with --json', () => {
    const run = cli('analyze', 'deployments/opt-defaults.roofline.yaml', '--json');
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.conventions, 'default');
    assert.ok(result.metrics.ttft_seconds > 0);
    assert.ok(result.stages.prefill.layers.length > 0);
  });

  it('overrides a dotted key with --set, reading the value as YAML', () => {
    const base = JSON.parse(cli('analyze', 'deployments/opt-defaults.roofline.yaml', '--json').stdout);
    const run = cli('analyze', 'deployments/opt-defaults.roofline.yaml', '--json', '--set', 'workload.batch_size=32', '--set=quantization.weights=int4');
    assert.equal(run.status, 0, run.stderr);
    const changed = JSON.parse(run.stdout);
    assert.ok(changed.memory.weights_bytes < base.memory.weights_bytes / 3, 'int4 weights are a quarter of fp16');
    assert.ok(changed.metrics.output_tokens_per_second > base.metrics.output_tokens_per_second * 4, 'batch 32 decodes more tokens per second');
    const report = cli('analyze', 'deployments/opt-defaults.roofline.yaml', '--set', 'workload.batch_size=32');
    assert.match(report.stdout, /batch 32/);
  });

  it('reports a --set that makes the file invalid at the edited position', () => {
    const run = cli('analyze', 'deployments/opt-defaults.roofline.yaml', '--set', 'workload.batch_size=-1');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /opt-defaults\.roofline\.yaml:\d+:\d+: error out-of-range: workload\.batch_size: must be a positive whole number, got -1/);
    assert.equal(cli('analyze', 'deployments/opt-defaults.roofline.yaml', '--set', 'nokey').status, 2);
  });

  it('check prints every expected problem of the invalid fixtures as file:line:col and exits 1', () => {
    const names = filesIn('invalid');
    const run = cli('check', ...names.map((name) => `invalid/${name}`));
    assert.equal(run.status, 1);
    assertNoCrash(run);
    for (const name of names) {
      for (const expectation of expectationsOf(readFileSync(join(FIXTURES, 'invalid', name), 'utf8')).problems) {
        const file = `invalid/${expectation.file ?? name}`;
        const prefix = `${file}:${expectation.position}: error ${expectation.code}: `;
        const line = run.stdout.split('\n').find((candidate) => candidate.startsWith(prefix) && candidate.includes(expectation.message));
        assert.ok(line, `${name}: no line starting "${prefix}" with "${expectation.message}" in:\n${run.stdout}`);
      }
    }
  });

  it('check runs the engine-backed checks the editor runs: a deployment that does not fit', () => {
    // Llama-3.1-70B in 16-bit on a 24 GB L4 at batch 64: 141 GB of weights alone.
    const run = cli('check', 'semantic/does-not-fit.roofline.yaml');
    assert.equal(run.status, 1);
    assertNoCrash(run);
    assert.equal(
      run.stdout.trim(),
      'semantic/does-not-fit.roofline.yaml:5:3: error does-not-fit: Does not fit in memory: needs 168 GiB (weights 131 GiB + KV cache 25.0 GiB + activations 11.5 GiB) but nvidia-l4 may use 21.6 GiB (90% of 24.0 GiB). No smaller batch or format makes it fit: use more devices (parallelism.tensor) or larger hardware.',
    );
  });

  it('prints no terminal control sequence found in a config file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'llm-roofline-cli-'));
    const file = join(folder, 'escape.roofline.yaml');
    // An OSC title change and a colour change inside a hardware id, which the messages quote.
    writeFileSync(file, 'model: meta-llama/Llama-2-7b-hf\nhardware: "x\\e]0;pwned\\a\\e[31mred"\n');
    for (const args of [['check', file], ['analyze', file]]) {
      const run = cli(...args);
      assert.equal(run.status, 1);
      assert.match(run.stdout + run.stderr, /unknown hardware preset "x\uFFFD\]0;pwned\uFFFD\uFFFD\[31mred"/);
      assert.doesNotMatch(run.stdout + run.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
  });

  it('check passes the valid fixtures with exit 0', () => {
    const files = [
      ...filesIn('deployments').map((name) => `deployments/${name}`),
      ...filesIn('hardware').map((name) => `hardware/${name}`),
      ...filesIn('models').map((name) => `models/${name}`),
      'hf/llama-2-7b/config.json',
    ];
    const run = cli('check', ...files);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /no problems/);
  });

  describe('bad input gives a clear error naming the field', () => {
    const cases: [string, RegExp][] = [
      ['invalid/unknown-hardware-preset.roofline.yaml', /:4:11: error unknown-preset: hardware: unknown hardware preset "nvidia-h100"; did you mean "nvidia-h100-/],
      ['invalid/negative-batch.roofline.yaml', /:4:25: error out-of-range: workload\.batch_size: must be a positive whole number, got -1/],
      ['invalid/heads-not-dividing.roofline.yaml', /:6:24: error heads-not-divisible: model\.num_attention_heads: hidden_size \(4096\) is not divisible by num_attention_heads \(48\)/],
      ['invalid/bits-3.roofline.yaml', /:5:12: error bad-enum: quantization\.weights: 3 is not a supported bit width/],
      ['invalid/missing-file.roofline.yaml', /:2:8: error missing-file: model file not found: \.\/nowhere\/config\.json/],
    ];
    for (const [file, expected] of cases) {
      it(`analyze ${file}`, () => {
        const run = cli('analyze', file);
        assert.equal(run.status, 1);
        assert.match(run.stderr, expected);
        assert.equal(run.stdout, '');
        assertNoCrash(run);
      });
    }

    it('a file that does not exist', () => {
      const run = cli('analyze', 'no/such.roofline.yaml');
      assert.equal(run.status, 1);
      assert.match(run.stderr, /missing-file: cannot read no\/such\.roofline\.yaml/);
      assertNoCrash(run);
    });

    it('a file of another kind', () => {
      const run = cli('analyze', 'hardware/h100-capped.hardware.yaml');
      assert.equal(run.status, 1);
      assert.match(run.stderr, /analyze takes a deployment file/);
      const unknown = cli('check', 'llm-viewer/public_cases.json');
      assert.equal(unknown.status, 1);
      assert.match(unknown.stderr, /unknown-kind: cannot tell what/);
    });
  });

  it('lists presets with memory, bandwidth, peaks, source and parameters, as the hovers print them', () => {
    const run = cli('presets');
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^nvidia-h100-sxm\s+80\.0 GiB\s+3\.35 TB\/s\s+989 TFLOP\/s\s+989 TFLOP\/s\s+reference, high/m);
    // LLM-Viewer's A6000: 154.8 TFLOP/s fp16, three significant digits as everywhere else.
    assert.match(run.stdout, /^nvidia_A6000\s+48\.0 GiB\s+768 GB\/s\s+155 TFLOP\/s\s+-\s+LLM-Viewer/m);
    assert.match(run.stdout, /^apple-m2-ultra .*lacks peak_tflops/m);
    assert.match(run.stdout, /^nvidia-b300\s+269 GiB\s+8\.00 TB\/s\s+2\.25 PFLOP\/s\s+2\.25 PFLOP\/s\s+project, medium/m);
    assert.match(run.stdout, /^meta-llama\/Llama-2-7b-hf\s+6\.74 B/m);
    assert.match(run.stdout, /^mistralai\/Mixtral-8x7B-v0\.1\s+46\.7 B\s+12\.9 B/m);
  });
});
