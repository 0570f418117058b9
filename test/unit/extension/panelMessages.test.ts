import assert from 'node:assert/strict';
import type { FromWebviewMessage } from '../../../language-server/src/protocol/webview';
import { decodeExportData, safeFileName } from '../../../extension/src/panel/exportData';
import { routeWebviewMessage, type WebviewMessageHandlers } from '../../../extension/src/panel/messageRouter';
import { decideFieldEdit, decideFieldTarget, refusalOf } from '../../../extension/src/panel/staleEdit';

function recordingHandlers(): { handlers: WebviewMessageHandlers; received: FromWebviewMessage[] } {
  const received: FromWebviewMessage[] = [];
  const record = (message: FromWebviewMessage): void => {
    received.push(message);
  };
  return {
    received,
    handlers: { ready: record, setField: record, requestComparison: record, exportFile: record, openSource: record, undoRedo: record, requestPlan: record, applyCandidate: record, copyCommand: record, importMeasured: record, fitMeasured: record },
  };
}

describe('panel message routing', () => {
  const valid: FromWebviewMessage[] = [
    { type: 'ready' },
    { type: 'setField', uri: 'file:///w/a.roofline.yaml', version: 3, path: ['workload', 'batch_size'], value: 8 },
    { type: 'requestComparison', uri: 'file:///w/a.roofline.yaml', hardware: ['nvidia-h100-sxm'] },
    { type: 'exportFile', suggestedName: 'roofline.csv', mime: 'text/csv', data: 'a,b\n1,2\n' },
    { type: 'openSource', uri: 'file:///w/a.roofline.yaml', path: ['hardware'] },
    { type: 'requestPlan', uri: 'file:///w/a.roofline.yaml', version: 4 },
    { type: 'applyCandidate', uri: 'file:///w/a.roofline.yaml', version: 4, index: 0 },
    { type: 'copyCommand', uri: 'file:///w/a.roofline.yaml', engine: 'sglang' },
    { type: 'importMeasured', uri: 'file:///w/a.roofline.yaml' },
    { type: 'fitMeasured', uri: 'file:///w/a.roofline.yaml' },
  ];

  for (const message of valid) {
    it(`sends a valid '${message.type}' message to its handler only`, async () => {
      const { handlers, received } = recordingHandlers();
      const calls: string[] = [];
      const tracking = Object.fromEntries(
        Object.entries(handlers).map(([type, handler]) => [type, (m: never) => (calls.push(type), (handler as (m: never) => void)(m))]),
      ) as unknown as WebviewMessageHandlers;
      assert.equal(await routeWebviewMessage(message, tracking), true);
      assert.deepEqual(calls, [message.type]);
      assert.deepEqual(received, [message]);
    });
  }

  const malformed: [string, unknown][] = [
    ['a string', 'ready'],
    ['null', null],
    ['an unknown type', { type: 'deleteEverything' }],
    ['setField without a version', { type: 'setField', uri: 'file:///a', path: ['x'], value: 1 }],
    ['setField with an object in its path', { type: 'setField', uri: 'file:///a', version: 1, path: [{}], value: 1 }],
    ['exportFile with another mime type', { type: 'exportFile', suggestedName: 'x.html', mime: 'text/html', data: '<script>' }],
    ['requestComparison with numeric hardware', { type: 'requestComparison', uri: 'file:///a', hardware: [1] }],
    ['openSource without a path', { type: 'openSource', uri: 'file:///a' }],
    ['requestPlan without a version', { type: 'requestPlan', uri: 'file:///a' }],
    ['applyCandidate with a fractional index', { type: 'applyCandidate', uri: 'file:///a', version: 1, index: 0.5 }],
    ['applyCandidate with a negative index', { type: 'applyCandidate', uri: 'file:///a', version: 1, index: -1 }],
    ['copyCommand for an engine we do not write', { type: 'copyCommand', uri: 'file:///a', engine: 'tensorrt-llm' }],
    ['fitMeasured without a uri', { type: 'fitMeasured' }],
  ];

  for (const [label, raw] of malformed) {
    it(`drops ${label}`, async () => {
      const { handlers, received } = recordingHandlers();
      assert.equal(await routeWebviewMessage(raw, handlers), false);
      assert.deepEqual(received, []);
    });
  }

  it('waits for an asynchronous handler', async () => {
    let finished = false;
    const { handlers } = recordingHandlers();
    handlers.ready = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      finished = true;
    };
    await routeWebviewMessage({ type: 'ready' }, handlers);
    assert.equal(finished, true);
  });
});

describe('stale-edit decision', () => {
  it('applies an edit made against the current version', () => {
    assert.deepEqual(decideFieldEdit(7, 7), { apply: true });
  });

  it('refuses an edit made against an older version, naming both versions', () => {
    const decision = decideFieldEdit(7, 9);
    assert.equal(decision.apply, false);
    assert.match(!decision.apply ? decision.reason : '', /version 7, now 9/);
  });

  it('refuses an edit when the panel is ahead of the document (a reopened document starts again)', () => {
    assert.equal(decideFieldEdit(7, 1).apply, false);
  });

  it('refuses an edit to a document that is not open', () => {
    assert.equal(decideFieldEdit(7, undefined).apply, false);
  });

  it('reads the server result: edits mean go, a refusal gives its message or a reason for its code', () => {
    assert.equal(refusalOf({ edits: [] }), undefined);
    assert.equal(refusalOf({ refusedBecause: 'invalid-value', message: 'batch_size must be a positive integer' }), 'batch_size must be a positive integer');
    assert.match(refusalOf({ refusedBecause: 'stale-version' }) ?? '', /changed since/);
    assert.match(refusalOf({ refusedBecause: 'unknown-document' }) ?? '', /does not know/);
    assert.match(refusalOf({}) ?? '', /no edit/);
  });
});

describe('panel edit target', () => {
  const panelUri = 'file:///w/a.roofline.yaml';
  const fields = [{ path: ['workload', 'batch_size'], value: 8 }, { path: ['quantization', 'weights'], value: 'bf16' }];

  it('accepts a field the panel has a control for, in the document it shows', () => {
    assert.deepEqual(decideFieldTarget(panelUri, ['workload', 'batch_size'], panelUri, fields), { apply: true });
  });

  it('refuses another document, whatever the path', () => {
    const decision = decideFieldTarget('file:///etc/passwd.roofline.yaml', ['workload', 'batch_size'], panelUri, fields);
    assert.deepEqual(decision, { apply: false, reason: 'The panel edits only the deployment it shows.' });
    assert.equal(decideFieldTarget(panelUri, ['workload', 'batch_size'], undefined, fields).apply, false);
  });

  it('refuses a field the panel has no control for, or any field before the analysis arrived', () => {
    assert.deepEqual(decideFieldTarget(panelUri, ['hardware', 'memory_bandwidth_gb_s'], panelUri, fields), {
      apply: false,
      reason: 'The panel has no control for that field.',
    });
    assert.equal(decideFieldTarget(panelUri, ['workload'], panelUri, fields).apply, false);
    assert.equal(decideFieldTarget(panelUri, ['workload', 'batch_size'], panelUri, undefined).apply, false);
  });
});

describe('panel exports', () => {
  // The smallest valid PNG header: signature + the start of an IHDR chunk.
  const pngBytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

  it('decodes a PNG data URL to its bytes', () => {
    const decoded = decodeExportData('image/png', `data:image/png;base64,${pngBytes.toString('base64')}`);
    assert.ok('bytes' in decoded);
    assert.deepEqual(Buffer.from(decoded.bytes), pngBytes);
  });

  it('refuses a PNG export that is not a PNG data URL or not a PNG', () => {
    assert.ok('error' in decodeExportData('image/png', 'not a data url'));
    assert.ok('error' in decodeExportData('image/png', `data:image/png;base64,${Buffer.from('GIF89a').toString('base64')}`));
  });

  it('writes text exports as UTF-8, whether plain or a data URL', () => {
    const csv = 'layer,seconds\nq_proj,1.5e-5\n';
    for (const data of [csv, `data:text/csv;base64,${Buffer.from(csv).toString('base64')}`, `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`]) {
      const decoded = decodeExportData('text/csv', data);
      assert.ok('bytes' in decoded);
      assert.equal(new TextDecoder().decode(decoded.bytes), csv);
    }
  });

  it('keeps file names plain and gives them the right extension', () => {
    assert.equal(safeFileName('roofline-decode.png', 'image/png'), 'roofline-decode.png');
    assert.equal(safeFileName('../../etc/passwd', 'text/csv'), 'passwd.csv');
    assert.equal(safeFileName('a:b?.md', 'text/markdown'), 'a-b-.md');
    assert.equal(safeFileName('', 'image/png'), 'roofline.png');
    assert.equal(safeFileName('..hidden', 'text/csv'), 'hidden.csv');
  });
});
