import { strict as assert } from 'node:assert';
import type { ComparisonRow } from '../../../language-server/src/protocol/webview';
import { readAnalysis } from '../../../webview/src/analysisShape';
import { nextSort, sortComparisonRows } from '../../../webview/src/charts/comparison';
import { EditQueue } from '../../../webview/src/editQueue';
import { csvField, layersCsv } from '../../../webview/src/export/csv';
import { renderMarkdownReport } from '../../../language-server/src/report/markdownReport';
import { CONTROL_FIELDS, controlValue, parsePositiveInteger } from '../../../webview/src/fields';
import { renderPanelHtml } from '../../../webview/src/html';
import { defaultPanelState, restorePanelState } from '../../../webview/src/panelState';
import { isSweepData, isSweepMessage } from '../../../webview/src/sweepData';
import { checkTargets } from '../../../webview/src/targets';
import { throttleTrailing, type Timers } from '../../../webview/src/throttle';
import { batchFromSlider, sliderFromBatch } from '../../../webview/src/batchSlider';
import { undoRedoOf } from '../../../webview/src/undoKeys';
import { loadAnalysis } from './fixtures';
import { analyze } from '../../../language-server/src/api';
import { expectedFactText } from '../../../webview/src/expectedFact';

/** A clock the tests move by hand. */
class ManualTimers implements Timers {
  time = 0;
  private queue: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.push({ at: this.time + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.queue.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.queue = this.queue.filter((t) => t !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = until;
  }
}

describe('webview panel logic', () => {
  it('under efficiency: expected, the panel gives expected TTFT and TPOT beside the ideal bound and what dominates decode', () => {
    const result = analyze({ model: 'meta-llama/Llama-3.1-8B', hardware: 'nvidia-h100-sxm', workload: { batch_size: 1, prompt_tokens: 512, output_tokens: 128 }, efficiency: 'expected' });
    const text = expectedFactText(result);
    assert.ok(text);
    assert.match(text, /^Expected: TTFT \S+ \S*s \(ideal bound \S+ \S*s\), TPOT \S+ \S*s \(bound \S+ \S*s\); decode gap: .+ [\d.]+%, .+ [\d.]+%\.$/);
  });

  it('throttles to a leading call and one trailing call with the latest value', () => {
    const timers = new ManualTimers();
    const calls: number[] = [];
    const throttled = throttleTrailing((value: number) => calls.push(value), 50, timers);
    throttled(1);
    throttled(2);
    throttled(3);
    assert.deepEqual(calls, [1]);
    timers.advance(50);
    assert.deepEqual(calls, [1, 3]);
    throttled(4);
    throttled.flush();
    assert.deepEqual(calls, [1, 3, 4]);
    throttled(5);
    throttled.cancel();
    timers.advance(100);
    assert.deepEqual(calls, [1, 3, 4]);
  });

  it('keeps one edit in flight, coalesces the rest, and drops them when refused', () => {
    const timers = new ManualTimers();
    const posted: { version: number; value: unknown }[] = [];
    let documentValue: unknown = 16;
    const queue = new EditQueue({ post: (m) => posted.push({ version: m.version, value: m.value }), currentValue: () => documentValue, timers, answerTimeoutMs: 2000 });
    queue.request(['workload', 'batch_size'], 32);
    assert.deepEqual(posted, [], 'nothing is sent before an analysis');
    queue.analysisArrived('file:///a.roofline.yaml', 1);
    queue.request(['workload', 'batch_size'], 32);
    queue.request(['workload', 'batch_size'], 48);
    queue.request(['workload', 'batch_size'], 64);
    assert.deepEqual(posted, [{ version: 1, value: 32 }]);
    documentValue = 32;
    queue.analysisArrived('file:///a.roofline.yaml', 2);
    assert.deepEqual(posted, [{ version: 1, value: 32 }, { version: 2, value: 64 }]);
    queue.request(['workload', 'batch_size'], 128);
    queue.refused();
    queue.analysisArrived('file:///a.roofline.yaml', 2);
    assert.equal(posted.length, 2, 'a refused edit drops what was pending');
    documentValue = 64;
    queue.request(['workload', 'batch_size'], 64);
    assert.equal(posted.length, 2, 'no edit that changes nothing');
    queue.request(['workload', 'batch_size'], 8);
    queue.request(['workload', 'prompt_tokens'], 2048);
    assert.equal(posted.length, 3);
    timers.advance(2000);
    assert.deepEqual(posted.at(-1), { version: 2, value: 2048 }, 'sent anyway when an edit gets no answer');
  });

  it('marks a drag as one gesture and always sends its closing edit, so the editor makes one undo step', () => {
    const timers = new ManualTimers();
    const posted: { value: unknown; gesture?: unknown }[] = [];
    let documentValue: unknown = 8;
    const queue = new EditQueue({ post: (m) => posted.push({ value: m.value, ...(m.gesture ? { gesture: m.gesture } : {}) }), currentValue: () => documentValue, timers, answerTimeoutMs: 2000 });
    queue.analysisArrived('file:///a.roofline.yaml', 1);
    queue.request(['workload', 'batch_size'], 16, { id: 1, last: false });
    documentValue = 16;
    queue.analysisArrived('file:///a.roofline.yaml', 2);
    queue.request(['workload', 'batch_size'], 32, { id: 1, last: false });
    documentValue = 32;
    queue.analysisArrived('file:///a.roofline.yaml', 3);
    // Released where the last drag edit left it: the value changes nothing, but the step must close.
    queue.request(['workload', 'batch_size'], 32, { id: 1, last: true });
    assert.deepEqual(posted, [
      { value: 16, gesture: { id: 1, last: false } },
      { value: 32, gesture: { id: 1, last: false } },
      { value: 32, gesture: { id: 1, last: true } },
    ]);
    // A drag that ends where it started sent nothing, so it closes nothing.
    queue.analysisArrived('file:///a.roofline.yaml', 4);
    queue.request(['workload', 'batch_size'], 32, { id: 2, last: true });
    assert.equal(posted.length, 3);
  });

  it('reads undo and redo shortcuts (Ctrl or Cmd + Z, Shift for redo, Ctrl + Y)', () => {
    const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) =>
      undoRedoOf({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
    assert.equal(key('z', { ctrlKey: true }), 'undo');
    assert.equal(key('z', { metaKey: true }), 'undo');
    assert.equal(key('Z', { ctrlKey: true, shiftKey: true }), 'redo');
    assert.equal(key('y', { ctrlKey: true }), 'redo');
    assert.equal(key('z'), undefined);
    assert.equal(key('z', { ctrlKey: true, altKey: true }), undefined);
  });

  it('maps the batch slider on a log scale', () => {
    assert.equal(batchFromSlider(0), 1);
    assert.equal(batchFromSlider(1000), 1024);
    assert.equal(batchFromSlider(400), 16);
    for (const batch of [1, 2, 16, 100, 1024]) assert.equal(batchFromSlider(sliderFromBatch(batch)), batch);
  });

  it('reads control values from the document, with the defaults where a field is not written', () => {
    const analysis = loadAnalysis('llama-3.1-8b-l4');
    const batch = CONTROL_FIELDS.find((f) => f.id === 'batchSize');
    const flash = CONTROL_FIELDS.find((f) => f.id === 'flashAttention');
    assert.ok(batch && flash);
    assert.equal(controlValue(analysis, batch), 8);
    analysis.editableFields = [];
    assert.equal(controlValue(analysis, batch), 1);
    assert.equal(controlValue(analysis, flash), true);
    assert.equal(parsePositiveInteger(' 32 '), 32);
    for (const bad of ['0', '-1', '1.5', 'x', '', '1e3']) assert.equal(parsePositiveInteger(bad), undefined, bad);
  });

  it('checks targets from the document against the result', () => {
    const analysis = loadAnalysis('llama-3.1-8b-l4-does-not-fit');
    assert.ok(analysis.result);
    const checks = checkTargets(analysis, analysis.result);
    assert.deepEqual(checks.map((c) => [c.name, c.met]), [
      ['TTFT', false],
      ['TPOT', false],
      ['Tokens/s', false],
    ]);
  });

  it('sorts comparison rows, errors last', () => {
    const rows: ComparisonRow[] = [
      { hardware: 'b', fits: true, ttft_seconds: 1, tpot_seconds: 0.02, output_tokens_per_second: 50, total_memory_bytes: 1 },
      { hardware: 'a', fits: false, ttft_seconds: 2, tpot_seconds: 0.01, output_tokens_per_second: 100, total_memory_bytes: 1 },
      { hardware: 'c', fits: true, ttft_seconds: 0, tpot_seconds: 0, output_tokens_per_second: 0, total_memory_bytes: 0, error: 'x' },
    ];
    assert.deepEqual(sortComparisonRows(rows, { column: 'tpot', descending: false }).map((r) => r.hardware), ['a', 'b', 'c']);
    assert.deepEqual(sortComparisonRows(rows, { column: 'hardware', descending: true }).map((r) => r.hardware), ['b', 'a', 'c']);
    assert.deepEqual(nextSort({ column: 'tpot', descending: false }, 'tpot'), { column: 'tpot', descending: true });
    assert.deepEqual(nextSort({ column: 'tpot', descending: true }, 'hardware'), { column: 'hardware', descending: false });
  });

  it('exports CSV with every layer and quoted fields, and a Markdown report', () => {
    const analysis = loadAnalysis('llama-3.1-8b-l4');
    assert.ok(analysis.result);
    const lines = layersCsv(analysis.result).trimEnd().split('\r\n');
    assert.equal(lines.length, 1 + analysis.result.stages.prefill.layers.length + analysis.result.stages.decode.layers.length);
    assert.equal(csvField('a,"b"'), '"a,""b"""');
    assert.equal(csvField(Number.NaN), '');
    const outcome = renderMarkdownReport(analysis, { documentName: 'llama-3.1-8b-l4.roofline.yaml' });
    assert.ok('markdown' in outcome);
    assert.match(outcome.markdown, /\| time to first token \(TTFT\) \| 1\.11 s \|/);
    assert.doesNotMatch(outcome.markdown, /NaN|Infinity/);
  });

  it('restores saved view state field by field', () => {
    assert.deepEqual(restorePanelState(undefined), defaultPanelState());
    const restored = restorePanelState({ stage: 'prefill', bottleneckMode: 'nonsense', hiddenSeries: { roofline: ['Decode layers', 3] }, comparisonSort: { column: 'memory', descending: true } });
    assert.equal(restored.stage, 'prefill');
    assert.equal(restored.bottleneckMode, 'total');
    assert.deepEqual(restored.hiddenSeries.roofline, ['Decode layers']);
    assert.deepEqual(restored.comparisonSort, { column: 'memory', descending: true });
    // The deployment shown is remembered, so a revived panel reopens on it; junk is dropped.
    assert.equal(restorePanelState({ uri: 'file:///w/a.roofline.yaml' }).uri, 'file:///w/a.roofline.yaml');
    assert.equal(restorePanelState({ uri: 42 }).uri, undefined);
    // The notes start folded; a user who opened them finds them open again.
    assert.equal(defaultPanelState().showNotes, false);
    assert.equal(restorePanelState({ showNotes: true }).showNotes, true);
    assert.equal(restorePanelState({ showNotes: 'yes' }).showNotes, false);
  });

  it('validates sweeps and analyses before drawing', () => {
    const analysis = loadAnalysis('llama-3.1-8b-l4');
    const sweep = (analysis as unknown as { sweep: unknown }).sweep;
    assert.equal(isSweepData(sweep), true);
    assert.equal(isSweepData({ batch_size: { points: [{ x: 1 }], current: 1 } }), false);
    assert.equal(isSweepData({ other_axis: { points: [], current: 1 } }), false);
    assert.equal(isSweepMessage({ type: 'sweep', uri: 'u', version: 1, sweep }), true);
    assert.equal(isSweepMessage({ type: 'sweep', uri: 'u', sweep }), false);
    assert.equal(readAnalysis(analysis).problem, undefined);
    const broken = structuredClone(analysis);
    (broken.result as unknown as { metrics: { tpot_seconds: unknown } }).metrics.tpot_seconds = null;
    const read = readAnalysis(broken);
    assert.equal(read.analysis.result, undefined);
    assert.ok(read.problem);
  });

  it('renders the panel HTML with a strict CSP, a nonce script and escaped values', () => {
    const html = renderPanelHtml({ cspSource: 'vscode-webview://abc', nonce: 'n0nce', scriptUri: 'vscode-webview://abc/webview.js', styleUri: 'vscode-webview://abc/webview.css', title: 'Roofline <x>' });
    assert.match(html, /default-src 'none'; script-src 'nonce-n0nce'; style-src vscode-webview:\/\/abc; img-src vscode-webview:\/\/abc data:/);
    assert.match(html, /<script nonce="n0nce" src="vscode-webview:\/\/abc\/webview.js"><\/script>/);
    assert.match(html, /<title>Roofline &lt;x&gt;<\/title>/);
    assert.doesNotMatch(html, /style=|onclick|https?:/);
  });
});
