/**
 * The checker reads referenced files asynchronously: a check that needs a file not read yet is
 * provisional, the file is read once however many checks ask, and a read that never finishes (a
 * slow disk) holds up only the document that needs it.
 */
import assert from 'node:assert/strict';
import { DocumentChecker, type CheckedEntry } from '../../../language-server/src/server/checker';
import type { ServerRuntime } from '../../../language-server/src/server/runtime';
import { TRUSTED, type ReadPolicy } from '../../../language-server/src/config/readPolicy';
import type { FileRead } from '../../../language-server/src/config/types';

const DEPLOYMENT = 'file:///w/lab.roofline.yaml';
const PRESETS_ONLY = 'file:///w/presets.roofline.yaml';
const HARDWARE = 'file:///w/lab.hardware.yaml';
const SLOW_HARDWARE = 'file:///w/slow.hardware.yaml';

/** A runtime whose reads finish when the test says, counting them. */
function controlledRuntime(): { runtime: ServerRuntime; reads: string[]; policies: ReadPolicy[]; finish(uri: string, text: FileRead): void } {
  const reads: string[] = [];
  const policies: ReadPolicy[] = [];
  const waiting = new Map<string, (text: FileRead) => void>();
  const runtime: ServerRuntime = {
    readFile: (uri, policy) => {
      reads.push(uri);
      policies.push(policy);
      return new Promise((resolve) => waiting.set(uri, resolve));
    },
    listDirectory: async () => [],
    timer: { setTimeout: () => ({ dispose: () => undefined }) },
    now: () => 0,
  };
  return { runtime, reads, policies, finish: (uri, text) => waiting.get(uri)!(text) };
}

/** Lets every pending promise callback and immediate run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function checkerOver(runtime: ServerRuntime, open: Record<string, string>): DocumentChecker {
  return new DocumentChecker(
    { openText: (uri) => (open[uri] === undefined ? undefined : { text: open[uri]!, version: 1 }), readPolicy: () => TRUSTED },
    runtime,
    (message) => assert.fail(message),
  );
}

describe('DocumentChecker: asynchronous reads', () => {
  it('gives a provisional check until the file is read, reads it once, then checks with it', async () => {
    const { runtime, reads, policies, finish } = controlledRuntime();
    const checker = checkerOver(runtime, { [DEPLOYMENT]: 'model: meta-llama/Llama-2-7b-hf\nhardware: ./lab.hardware.yaml\n' });
    const provisional = checker.check(DEPLOYMENT)!;
    assert.deepEqual(provisional.unreadFiles, [HARDWARE]);
    const first = checker.checkAfterReads(DEPLOYMENT);
    const second = checker.checkAfterReads(DEPLOYMENT);
    // Checks pause between their phases: the read starts once the resolve phase has run.
    await settle();
    finish(HARDWARE, 'extends: nvidia-l4\nname: lab card\n');
    const [a, b] = await Promise.all([first, second]);
    assert.deepEqual(reads, [HARDWARE]);
    assert.deepEqual(policies, [TRUSTED]);
    assert.deepEqual(a!.unreadFiles, []);
    assert.deepEqual(a!.problems, []);
    assert.equal(a!.input?.hardware.name, 'lab card');
    assert.equal(b, a, 'the second request gets the same finished check');
  });

  it('a read that never finishes holds up only the document that needs it', async () => {
    const { runtime } = controlledRuntime();
    const checker = checkerOver(runtime, {
      [DEPLOYMENT]: 'model: meta-llama/Llama-2-7b-hf\nhardware: ./slow.hardware.yaml\n',
      [PRESETS_ONLY]: 'model: meta-llama/Llama-2-7b-hf\nhardware: nvidia-l4\n',
    });
    let slowDone = false;
    void checker.checkAfterReads(DEPLOYMENT).then(() => (slowDone = true));
    const other = await checker.checkAfterReads(PRESETS_ONLY);
    assert.ok(other?.result, 'the other document is analysed');
    assert.equal(slowDone, false, `still waiting on ${SLOW_HARDWARE}`);
  });

  it('reads its files again for a new version of the document (a file outside the workspace sends no change event)', async () => {
    const { runtime, reads, finish } = controlledRuntime();
    const open: Record<string, string> = { [DEPLOYMENT]: 'model: meta-llama/Llama-2-7b-hf\nhardware: ./lab.hardware.yaml\n' };
    let version = 1;
    const checker = new DocumentChecker(
      { openText: (uri) => (open[uri] === undefined ? undefined : { text: open[uri]!, version }), readPolicy: () => TRUSTED },
      runtime,
      (message) => assert.fail(message),
    );
    const first = checker.checkAfterReads(DEPLOYMENT);
    await settle();
    finish(HARDWARE, 'extends: nvidia-l4\nname: lab card\n');
    assert.equal((await first)?.input?.hardware.name, 'lab card');
    version = 2;
    open[DEPLOYMENT] = 'model: meta-llama/Llama-2-7b-hf\nhardware: ./lab.hardware.yaml\nworkload: { batch_size: 2 }\n';
    const second = checker.checkAfterReads(DEPLOYMENT);
    await settle();
    finish(HARDWARE, 'extends: nvidia-l4\nname: edited elsewhere\n');
    assert.equal((await second)?.input?.hardware.name, 'edited elsewhere');
    assert.deepEqual(reads, [HARDWARE, HARDWARE]);
  });

  it('reads a file again after it changed on disk', async () => {
    const { runtime, reads, finish } = controlledRuntime();
    const checker = checkerOver(runtime, { [DEPLOYMENT]: 'model: meta-llama/Llama-2-7b-hf\nhardware: ./lab.hardware.yaml\n' });
    const first = checker.checkAfterReads(DEPLOYMENT);
    await settle();
    finish(HARDWARE, 'extends: nvidia-l4\nname: lab card\n');
    assert.equal((await first)?.input?.hardware.name, 'lab card');
    assert.deepEqual(checker.invalidate(HARDWARE), [DEPLOYMENT]);
    const second = checker.checkAfterReads(DEPLOYMENT);
    await settle();
    finish(HARDWARE, 'extends: nvidia-l4\nname: renamed card\n');
    assert.equal((await second)?.input?.hardware.name, 'renamed card');
    assert.deepEqual(reads, [HARDWARE, HARDWARE]);
  });
});

describe('DocumentChecker: one analysis per version', () => {
  const TEXT = 'model: meta-llama/Llama-2-7b-hf\nhardware: nvidia-l4\ntargets: { tpot_ms: 1 }\n';

  it('a check paused while another request checked the same version at once takes that check instead of analysing again', async () => {
    const { runtime } = controlledRuntime();
    let pauses = 0;
    await checkerOver(runtime, { [PRESETS_ONLY]: TEXT }).checkYielding(PRESETS_ONLY, async () => {
      pauses++;
    });
    assert.ok(pauses >= 2, `the check pauses before its analysis and before its advice (${pauses} pauses)`);
    // A code lens asks while the validation's check has given the event loop back, at any of its pauses.
    for (let at = 1; at <= pauses; at++) {
      const checker = checkerOver(runtime, { [PRESETS_ONLY]: TEXT });
      let atOnce: CheckedEntry | undefined;
      let pause = 0;
      const paused = await checker.checkYielding(PRESETS_ONLY, async () => {
        if (++pause === at) atOnce = checker.check(PRESETS_ONLY);
      });
      assert.ok(atOnce?.result, 'the check made at once analysed the deployment');
      assert.equal(paused, atOnce, `paused at ${at} of ${pauses}: the same check, not a second analysis`);
    }
  });
});

describe('DocumentChecker: advice on a busy machine', () => {
  it('names the same cheapest change when the wall clock races ahead of the CPU time the check spends', () => {
    const text = 'model: meta-llama/Llama-2-7b-hf\nhardware: nvidia-l4\ntargets: { tpot_ms: 40 }\n';
    const cheapest = (runtime: ServerRuntime) => checkerOver(runtime, { [PRESETS_ONLY]: text }).check(PRESETS_ONLY)?.targetChange?.label;
    const idle = controlledRuntime().runtime;
    const busy = { ...controlledRuntime().runtime, cpuNow: () => 0 };
    // Other processes hold the cores: every reading of the wall clock is 30 ms later.
    let wallMs = 0;
    busy.now = () => (wallMs += 30);
    const found = cheapest({ ...idle, cpuNow: () => 0 });
    assert.ok(found, 'a change meets the target');
    assert.equal(cheapest(busy), found);
  });
});
