/** `llm-roofline analyze` on a deployment whose model is a folder: the checkpoint's exact bytes, and its problems on their lines. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, REPO_ROOT } from '../config/fixtures';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

describe('llm-roofline analyze on a model folder', () => {
  let folder: string;
  before(function () {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node scripts/build.mjs` first');
    folder = mkdtempSync(join(tmpdir(), 'llm-roofline-cli-folder-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  function analyze(deployment: string, ...flags: string[]): { status: number | null; stdout: string; stderr: string } {
    const path = join(folder, 'deployment.roofline.yaml');
    writeFileSync(path, deployment);
    const run = spawnSync(process.execPath, [CLI, 'analyze', path, ...flags], { cwd: folder, encoding: 'utf8', timeout: 60_000 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  it('sizes the weights from the folder’s index: 29,540,067,328 bytes = 27.5 GiB', () => {
    const run = analyze(`model: ${join(FIXTURES, 'checkpoints', 'qwen2.5-14b-sakura')}/\nhardware: nvidia-h100-sxm\n`, '--json');
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { memory: { weights_bytes: number }; notes: string[] };
    assert.equal(result.memory.weights_bytes, 29_540_067_328);
    assert.ok(result.notes.some((note) => note.includes('metadata.total_size')));
    const text = analyze(`model: ${join(FIXTURES, 'checkpoints', 'qwen2.5-14b-sakura')}/\nhardware: nvidia-h100-sxm\n`);
    assert.match(text.stdout, /^ {2}weights {6}27\.5 GiB$/m);
  });

  it('a missing folder is an error on the model line, exit 1', () => {
    const run = analyze('hardware: nvidia-h100-sxm\nmodel: ./not-here/\n');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /deployment\.roofline\.yaml:2:8: error missing-file: model folder not found: \.\/not-here\//);
  });
});
