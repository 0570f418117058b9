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
