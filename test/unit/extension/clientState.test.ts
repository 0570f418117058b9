import assert from 'node:assert/strict';
import { formatSeconds } from '../../../language-server/src/format/units';
import { AnalysisStore } from '../../../extension/src/analysisStore';
import { RestartPolicy } from '../../../extension/src/restartPolicy';
import { statusContentOf } from '../../../extension/src/statusText';
import { sampleAnalysis, sampleResult } from './fixtures';

describe('analysis store', () => {
  it('keeps the newest version of each document and tells listeners', () => {
    const store = new AnalysisStore();
    const seen: number[] = [];
    store.onDidUpdate((analysis) => seen.push(analysis.version));
    assert.equal(store.update(sampleAnalysis({ version: 2 })), true);
    assert.equal(store.update(sampleAnalysis({ version: 5 })), true);
    // A request answered late must not roll the panel back to an older version.
    assert.equal(store.update(sampleAnalysis({ version: 3 })), false);
    assert.equal(store.get('file:///work/llama.roofline.yaml')?.version, 5);
    assert.deepEqual(seen, [2, 5]);
  });

  it('keeps documents apart, and forgets on request', () => {
    const store = new AnalysisStore();
    store.update(sampleAnalysis({ uri: 'file:///a.roofline.yaml', version: 9 }));
    store.update(sampleAnalysis({ uri: 'file:///b.roofline.yaml', version: 1 }));
    assert.equal(store.get('file:///b.roofline.yaml')?.version, 1);
    store.forget('file:///a.roofline.yaml');
    assert.equal(store.get('file:///a.roofline.yaml'), undefined);
    // After a server restart versions start again: clearing lets version 1 in.
    store.clear();
    assert.equal(store.update(sampleAnalysis({ uri: 'file:///b.roofline.yaml', version: 1 })), true);
  });

  it('stops telling a listener once it is disposed', () => {
    const store = new AnalysisStore();
    let calls = 0;
    const subscription = store.onDidUpdate(() => calls++);
    store.update(sampleAnalysis({ version: 1 }));
    subscription.dispose();
    store.update(sampleAnalysis({ version: 2 }));
    assert.equal(calls, 1);
  });
});

describe('server restart policy', () => {
  const options = { windowMs: 60_000, maxCrashes: 3, initialDelayMs: 100, maxDelayMs: 300 };

  it('doubles the delay with each crash in the window, up to the maximum, then gives up', () => {
    let nowMs = 0;
    const policy = new RestartPolicy(() => nowMs, options);
    const delays = [1, 2, 3].map(() => {
      nowMs += 1_000;
      return policy.onCrash();
    });
    assert.deepEqual(delays, [
      { restart: true, delayMs: 100 },
      { restart: true, delayMs: 200 },
      { restart: true, delayMs: 300 },
    ]);
    nowMs += 1_000;
    assert.deepEqual(policy.onCrash(), { restart: false, delayMs: 0 });
  });

  it('forgets crashes older than the window', () => {
    let nowMs = 0;
    const policy = new RestartPolicy(() => nowMs, options);
    policy.onCrash();
    policy.onCrash();
    nowMs = 61_000;
    assert.deepEqual(policy.onCrash(), { restart: true, delayMs: 100 });
  });

  it('starts afresh after a restart the user asked for', () => {
    const policy = new RestartPolicy(() => 0, options);
    for (let crash = 0; crash < 4; crash++) policy.onCrash();
    policy.reset();
    assert.deepEqual(policy.onCrash(), { restart: true, delayMs: 100 });
  });
});

describe('language status text', () => {
  it('names the resolved model and hardware, with TTFT and TPOT', () => {
    const content = statusContentOf(sampleAnalysis());
    assert.equal(content.text, 'meta-llama/Llama-2-7b-hf on NVIDIA H100 SXM5 80GB');
    // 14.1e9 B = 13.1 GiB of the usable 90% of 80 GiB.
    assert.equal(content.detail, `TTFT ${formatSeconds(0.0032)} · TPOT ${formatSeconds(0.00096)} · fits: 13.1 GiB of 72.0 GiB (90% of 80.0 GiB)`);
    assert.equal(content.severity, 'information');
  });

  it('says when the deployment does not fit in memory', () => {
    const result = sampleResult();
    const content = statusContentOf(sampleAnalysis({ result: { ...result, memory: { ...result.memory, fits: false } } }));
    assert.match(content.detail, /does not fit: 13\.1 GiB of 72\.0 GiB/);
    assert.equal(content.severity, 'error');
  });

  it('shows the error when the deployment cannot be analysed, and what did resolve', () => {
    const one = statusContentOf(sampleAnalysis({ result: undefined, hardwareName: undefined, errors: ['hardware: unknown preset "h200"'] }));
    assert.equal(one.text, 'meta-llama/Llama-2-7b-hf on unresolved hardware');
    assert.equal(one.detail, 'hardware: unknown preset "h200"');
    assert.equal(one.severity, 'error');
    const several = statusContentOf(sampleAnalysis({ result: undefined, errors: ['a', 'b'] }));
    assert.equal(several.detail, '2 errors prevent the analysis');
  });

  it('waits politely before the first analysis', () => {
    assert.equal(statusContentOf(undefined).detail, 'Waiting for the analysis');
  });
});
