/**
 * The built CLI on files that used to freeze it (a FIFO), abort it (exit 134 on /dev/zero) or make
 * it print secrets: each now ends in a message on the reference and exit 1, within seconds.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../config/fixtures';
import { makeHostileWorkspace, onLinux, SECRET, type HostileWorkspace } from '../config/hostileWorkspace';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

(onLinux ? describe : describe.skip)('llm-roofline CLI on hostile files', function () {
  this.timeout(30_000);
  let workspace: HostileWorkspace;

  before(() => {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node scripts/build.mjs` first');
    workspace = makeHostileWorkspace();
  });
  after(() => workspace.remove());

  /** Runs the CLI in the workspace with the secret in its environment; a hang is killed after 15 s. */
  function cli(...args: string[]): { status: number | null; signal: NodeJS.Signals | null; output: string; stderr: string } {
    const result = spawnSync(process.execPath, [CLI, ...args], {
      cwd: workspace.root,
      encoding: 'utf8',
      timeout: 15_000,
      env: { ...process.env, ROOFLINE_TEST_SECRET: SECRET },
    });
    const output = result.stdout + result.stderr;
    assert.ok(!output.includes(SECRET), `the secret was printed:\n${output}`);
    assert.ok(!/^\s+at .+:\d+:\d+\)?$/m.test(output), `stack trace in output:\n${output}`);
    return { status: result.status, signal: result.signal, output, stderr: result.stderr };
  }

  function deployment(name: string, text: string): string {
    writeFileSync(join(workspace.root, name), text);
    return name;
  }

  it('analyze: a FIFO as hardware is refused on its line, not waited on', () => {
    const run = cli('analyze', deployment('fifo.roofline.yaml', 'model: meta-llama/Llama-2-7b-hf\nhardware: ./pipe.hardware.yaml\n'));
    assert.equal(run.signal, null, 'killed: the CLI hung on the FIFO');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^fifo\.roofline\.yaml:2:11: error unreadable-file: hardware file \.\/pipe\.hardware\.yaml was not read: not a regular file/m);
  });

  it('analyze: a symlink to /dev/zero and /dev/zero#.json, as model and draft model, end with exit 1, not an abort', () => {
    const text = [
      'model: /dev/zero#.json',
      'hardware: nvidia-l4',
      'speculative:',
      '  draft_model: ./x.model.json',
      '  acceptance_rate: 0.7',
      '',
    ].join('\n');
    const run = cli('analyze', deployment('zero.roofline.yaml', text));
    assert.equal(run.status, 1, run.output);
    assert.match(run.stderr, /^zero\.roofline\.yaml:1:8: error missing-file: model file not found: \/dev\/zero#\.json/m);
    assert.match(run.stderr, /^zero\.roofline\.yaml:4:16: error unreadable-file: model file \.\/x\.model\.json was not read: not a regular file/m);
  });

  it('check: files named on the command line are read under the same rules', () => {
    const run = cli('check', 'x.model.json', 'pipe.hardware.yaml', 'big.model.json');
    assert.equal(run.signal, null, 'killed: the CLI hung');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^x\.model\.json:1:1: error unreadable-file: cannot read x\.model\.json: not a regular file/m);
    assert.match(run.stderr, /^pipe\.hardware\.yaml:1:1: error unreadable-file: cannot read pipe\.hardware\.yaml: not a regular file/m);
    assert.match(run.stderr, /^big\.model\.json:1:1: error unreadable-file: cannot read big\.model\.json: larger than 1 MiB/m);
  });

  it('never prints the environment or another file: /proc/self/environ#.yaml, /etc/passwd#.yaml, package.json', () => {
    const text = `model: ${join(workspace.root, 'package.json')}\nhardware: /proc/self/environ#.yaml\nspeculative:\n  draft_model: /etc/passwd#.yaml\n  acceptance_rate: 0.7\n`;
    const run = cli('analyze', deployment('secrets.roofline.yaml', text));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /:1:8: error wrong-kind: package\.json is not a model file/);
    assert.match(run.stderr, /:2:11: error wrong-kind: environ#\.yaml is not a hardware file/);
    assert.match(run.stderr, /:4:16: error wrong-kind: passwd#\.yaml is not a model file/);
    assert.ok(!/root:/.test(run.output), run.output);
  });
});
