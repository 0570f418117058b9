import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyOffsetEdits } from '../../../language-server/src/config/edit';
import { parseDocument } from '../../../language-server/src/config/parse';
import type { ParsedEntry } from '../../../language-server/src/server/checker';
import { setFields, singleSpanEdit } from '../../../language-server/src/server/setFields';

function entryOf(uri: string, text: string): ParsedEntry {
  return { uri, version: 4, text, kind: 'deployment', parsed: parseDocument(uri, text, 'deployment'), lines: TextDocument.create(uri, 'yaml', 4, text) };
}

function applied(entry: ParsedEntry, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  return applyOffsetEdits(
    entry.text,
    edits.map((edit) => ({ start: entry.lines.offsetAt(edit.range.start), end: entry.lines.offsetAt(edit.range.end), newText: edit.newText })),
  );
}

const YAML = `# Serving Llama on one L4
model: meta-llama/Llama-3.1-8B
hardware: nvidia-l4   # what we have
parallelism:
  tensor: 1
quantization:
  weights: bf16       # full precision for now
serving:
  concurrency: 32     # in flight
targets:
  tpot_ms: 60
`;

describe('SetFields: a candidate written as one edit', () => {
  it('finds the one span between the common prefix and suffix', () => {
    assert.deepEqual(singleSpanEdit('abcXdef', 'abcYYdef'), { start: 3, end: 4, newText: 'YY' });
    assert.deepEqual(singleSpanEdit('aaa', 'aaaa'), { start: 3, end: 3, newText: 'a' });
    assert.deepEqual(singleSpanEdit('abc', 'ac'), { start: 1, end: 2, newText: '' });
    assert.equal(singleSpanEdit('same', 'same'), undefined);
  });

  it('writes only the fields that change, keeps every comment, in one edit', () => {
    const entry = entryOf('file:///w/a.roofline.yaml', YAML);
    const result = setFields(entry, 4, undefined, {
      uri: entry.uri,
      version: 4,
      fields: [
        { path: ['hardware'], value: 'nvidia-a100-80gb-sxm4' },
        { path: ['parallelism', 'tensor'], value: 1 },
        { path: ['parallelism', 'pipeline'], value: 1 },
        { path: ['quantization', 'weights'], value: 'fp8' },
        { path: ['quantization', 'activations'], value: 'fp8' },
        { path: ['serving', 'concurrency'], value: 256 },
        { path: ['cost', 'gpu_hour_usd'], value: 1.79 },
      ],
    });
    assert.equal(result.edits?.length, 1, JSON.stringify(result));
    assert.equal(
      applied(entry, result.edits!),
      `# Serving Llama on one L4
model: meta-llama/Llama-3.1-8B
hardware: nvidia-a100-80gb-sxm4   # what we have
parallelism:
  tensor: 1
quantization:
  weights: fp8       # full precision for now
  activations: fp8
serving:
  concurrency: 256     # in flight
targets:
  tpot_ms: 60
cost:
  gpu_hour_usd: 1.79
`,
    );
  });

  it('writes a disaggregated candidate\'s pools, and takes them out again for a co-located one', () => {
    const entry = entryOf('file:///w/a.roofline.yaml', YAML);
    const pooled = setFields(entry, 4, undefined, {
      uri: entry.uri,
      version: 4,
      fields: [
        { path: ['hardware'], value: 'nvidia-h100-sxm' },
        { path: ['serving', 'concurrency'], value: 8 },
        { path: ['serving', 'disaggregated'], value: { prefill_gpus: 7, decode_gpus: 1 } },
      ],
    });
    assert.equal(pooled.edits?.length, 1, JSON.stringify(pooled));
    const withPools = applied(entry, pooled.edits!);
    assert.equal(
      withPools,
      YAML.replace('hardware: nvidia-l4', 'hardware: nvidia-h100-sxm').replace(
        '  concurrency: 32     # in flight\n',
        '  concurrency: 8     # in flight\n  disaggregated:\n    prefill_gpus: 7\n    decode_gpus: 1\n',
      ),
    );
    const again = entryOf(entry.uri, withPools);
    const colocated = setFields(again, 4, undefined, {
      uri: entry.uri,
      version: 4,
      fields: [
        { path: ['serving', 'concurrency'], value: 64 },
        { path: ['serving', 'disaggregated'], value: null },
      ],
    });
    assert.equal(colocated.edits?.length, 1, JSON.stringify(colocated));
    assert.equal(applied(again, colocated.edits!), YAML.replace('hardware: nvidia-l4', 'hardware: nvidia-h100-sxm').replace('concurrency: 32', 'concurrency: 64'));
  });

  it('takes pools written as a flow map, with their comment, out of YAML and JSON; no edit when there are none', () => {
    const flow = YAML.replace('  concurrency: 32     # in flight\n', '  concurrency: 32     # in flight\n  disaggregated: { prefill_gpus: 2, decode_gpus: 6 }   # two nodes\n');
    const entry = entryOf('file:///w/a.roofline.yaml', flow);
    const removed = setFields(entry, 4, undefined, { uri: entry.uri, version: 4, fields: [{ path: ['serving', 'disaggregated'], value: null }] });
    assert.equal(applied(entry, removed.edits!), YAML);
    const inline = entryOf('file:///w/b.roofline.yaml', 'model: m\nhardware: h\nserving: { disaggregated: { prefill_gpus: 1, decode_gpus: 1 }, concurrency: 4 }\n');
    const inlineRemoved = setFields(inline, 4, undefined, { uri: inline.uri, version: 4, fields: [{ path: ['serving', 'disaggregated'], value: null }] });
    assert.equal(applied(inline, inlineRemoved.edits!), 'model: m\nhardware: h\nserving: { concurrency: 4 }\n');
    const json = entryOf('file:///w/c.roofline.json', '{\n  "model": "m",\n  "serving": {\n    "concurrency": 4,\n    "disaggregated": { "prefill_gpus": 1, "decode_gpus": 3 }\n  }\n}\n');
    const jsonRemoved = setFields(json, 4, undefined, { uri: json.uri, version: 4, fields: [{ path: ['serving', 'disaggregated'], value: null }] });
    assert.equal(applied(json, jsonRemoved.edits!), '{\n  "model": "m",\n  "serving": {\n    "concurrency": 4\n  }\n}\n');
    const none = setFields(entryOf('file:///w/a.roofline.yaml', YAML), 4, undefined, { uri: entry.uri, version: 4, fields: [{ path: ['serving', 'disaggregated'], value: null }] });
    assert.deepEqual(none, { edits: [] });
    const bad = setFields(entry, 4, undefined, { uri: entry.uri, version: 4, fields: [{ path: ['serving', 'disaggregated'], value: { prefill_gpus: 0, decode_gpus: 1 } }] });
    assert.equal(bad.refusedBecause, 'invalid-value');
  });

  it('answers no edit when the document already is the candidate', () => {
    const entry = entryOf('file:///w/a.roofline.yaml', YAML);
    const result = setFields(entry, 4, undefined, { uri: entry.uri, version: 4, fields: [{ path: ['hardware'], value: 'nvidia-l4' }, { path: ['parallelism', 'expert'], value: 1 }] });
    assert.deepEqual(result, { edits: [] });
  });

  it('refuses a stale version, fields a candidate does not set, and invalid values', () => {
    const entry = entryOf('file:///w/a.roofline.yaml', YAML);
    assert.equal(setFields(entry, 5, undefined, { uri: entry.uri, version: 4, fields: [] }).refusedBecause, 'stale-version');
    assert.equal(setFields(undefined, undefined, undefined, { uri: entry.uri, version: 4, fields: [] }).refusedBecause, 'unknown-document');
    const outside = setFields(entry, 4, undefined, { uri: entry.uri, version: 4, fields: [{ path: ['plan', 'max_gpus'], value: 2 }] });
    assert.equal(outside.refusedBecause, 'invalid-value');
    const negative = setFields(entry, 4, undefined, { uri: entry.uri, version: 4, fields: [{ path: ['parallelism', 'pipeline'], value: -2 }] });
    assert.equal(negative.refusedBecause, 'invalid-value');
    assert.match(negative.message ?? '', /parallelism\.pipeline must be a positive whole number/);
  });
});
