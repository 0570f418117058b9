/**
 * CI's closing line, `N passed, N failed`, counts every tier: mocha's summaries of the unit,
 * server, panel and VS Code tiers, the steps that print no summary (setup, type-check, build), and
 * a tier that crashes before mocha can print its summary (scripts/tiers.sh adds a failing line).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

interface Counts {
  passed: number;
  failed: number;
}
interface CountModule {
  countResults(text: string, exitStatus?: number): Counts;
  closingLine(counts: Counts): string;
}

/** Runs `script` in bash with scripts/tiers.sh sourced, from the repository root; its output. */
function withTiers(script: string): string {
  return execFileSync('bash', ['-c', `source scripts/tiers.sh\n${script}`], { cwd: repoRoot, encoding: 'utf8' });
}

describe('the closing count of a CI run', function () {
  let counter: CountModule;

  before(async function () {
    const modulePath = '../../../scripts/count-results.mjs';
    counter = (await import(modulePath)) as CountModule;
  });

  it('sums every tier, colour codes and all', function () {
    const log = [
      '=== unit',
      '  812 passing (41s)',
      '=== server',
      '  95 passing (12s)',
      '  2 failing',
      '=== panel',
      '\x1b[32m  30 passing\x1b[0m\x1b[90m (9s)\x1b[0m',
      '=== e2e',
      '== e2e tier: host',
      '  14 passing (58s)',
      '== e2e tier: ui',
      '  9 passing (1m)',
      '  1 failing',
      'e2e host: 14 passed, 0 failed in 70s',
      'e2e ui: 9 passed, 1 failed in 80s',
    ].join('\n');
    // 812 + 95 + 30 + 14 + 9 = 960 passed; 2 + 1 = 3 failed.
    assert.deepEqual(counter.countResults(log, 1), { passed: 960, failed: 3 });
  });

  it('counts a tier that crashes before printing a summary, and a failed build, as one failure each', function () {
    const output = withTiers(
      [
        `run_tier unit node -e "require('./no-such-test-file')"`,
        'check_step build false',
        `run_tier panel node -e "console.log('  3 passing (1s)')"`,
        'echo "failed: ${failed_tiers[*]}"',
      ].join('\n'),
    );
    assert.match(output, /1 failing \(unit did not complete: exit 1\)/);
    assert.match(output, /failed: unit build$/m);
    assert.deepEqual(counter.countResults(output, 1), { passed: 3, failed: 2 });
  });

  it('adds nothing to a tier that failed with its own summary', function () {
    const output = withTiers(`run_tier server node -e "console.log('  2 passing (1s)\\n  1 failing'); process.exit(1)"`);
    assert.deepEqual(counter.countResults(output, 1), { passed: 2, failed: 1 });
  });

  it('never reads as green when the run failed with nothing counted', function () {
    assert.deepEqual(counter.countResults('npm ERR! could not determine executable to run\n', 1), { passed: 0, failed: 1 });
    assert.deepEqual(counter.countResults('  4 passing (1s)\n', 0), { passed: 4, failed: 0 });
  });

  it('prints one plain line from a log file', function () {
    const folder = mkdtempSync(path.join(tmpdir(), 'llm-roofline-count-'));
    try {
      const log = path.join(folder, 'run.log');
      writeFileSync(log, '  5 passing (2s)\n  1 failing (typecheck)\n');
      const line = execFileSync(process.execPath, ['scripts/count-results.mjs', log, '1'], { cwd: repoRoot, encoding: 'utf8' });
      assert.equal(line, '5 passed, 1 failed\n');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
