import assert from 'node:assert/strict';
import { detectKind } from '../../../language-server/src/config/detect';
import { parseDocument } from '../../../language-server/src/config/parse';
import { MAX_ALIAS_COUNT } from '../../../language-server/src/config/parseYaml';
import type { OffsetRange, ParsedDocument } from '../../../language-server/src/config/types';

function slice(doc: ParsedDocument, range: OffsetRange | undefined): string | undefined {
  return range && doc.text.slice(range.start, range.end);
}

const YAML_TEXT = `# a comment
model: meta-llama/Llama-2-7b-hf
hardware:
  extends: nvidia-h100-sxm   # trailing comment
  peak_tflops: { fp16: 900, bf16: 900 }
workload:
  batch_size: 16
list: [10, 20, 30]
empty:
quoted: "int4"
`;

const JSON_TEXT = `{
  // comment
  "model": "meta-llama/Llama-2-7b-hf",
  "hardware": { "extends": "nvidia-h100-sxm", "peak_tflops": { "fp16": 900 } },
  "workload": {
    "batch_size": 16,
  },
  "list": [10, 20, 30]
}
`;

describe('parseDocument: YAML positions', () => {
  const doc = parseDocument('file:///w/a.roofline.yaml', YAML_TEXT, 'deployment');

  it('reads the value and no syntax problems', () => {
    assert.deepEqual(doc.syntaxProblems, []);
    assert.deepEqual((doc.value as Record<string, unknown>).workload, { batch_size: 16 });
  });

  it('locates keys and values exactly', () => {
    const model = doc.locate(['model'])!;
    assert.equal(slice(doc, model.keyRange), 'model');
    assert.equal(slice(doc, model.valueRange), 'meta-llama/Llama-2-7b-hf');
    const extendsLocation = doc.locate(['hardware', 'extends'])!;
    assert.equal(slice(doc, extendsLocation.valueRange), 'nvidia-h100-sxm');
    assert.equal(slice(doc, doc.locate(['hardware', 'peak_tflops', 'bf16'])!.valueRange), '900');
    assert.equal(slice(doc, doc.locate(['hardware', 'peak_tflops', 'bf16'])!.keyRange), 'bf16');
    assert.equal(slice(doc, doc.locate(['list', 1])!.valueRange), '20');
    assert.equal(slice(doc, doc.locate(['quoted'])!.valueRange), '"int4"');
  });

  it('gives block maps a range without trailing blank lines', () => {
    assert.equal(slice(doc, doc.locate(['workload'])!.valueRange), 'batch_size: 16');
  });

  it('points at the key of a key with no value', () => {
    const empty = doc.locate(['empty'])!;
    assert.equal(slice(doc, empty.keyRange), 'empty');
    assert.equal(slice(doc, empty.valueRange), 'empty');
  });

  it('falls back to the closest existing ancestor for a missing path', () => {
    const location = doc.locate(['workload', 'prompt_tokens'])!;
    assert.equal(slice(doc, location.keyRange), 'workload');
    assert.equal(slice(doc, doc.locate(['nothing'])!.valueRange), doc.text.trimEnd().replace(/^# a comment\n/, ''));
  });

  it('finds the path at an offset, on keys and values', () => {
    const keyOffset = YAML_TEXT.indexOf('batch_size') + 3;
    assert.deepEqual(doc.pathAt(keyOffset), { path: ['workload', 'batch_size'], onKey: true });
    const valueOffset = YAML_TEXT.indexOf('batch_size: 16') + 'batch_size: '.length;
    assert.deepEqual(doc.pathAt(valueOffset), { path: ['workload', 'batch_size'], onKey: false });
    assert.deepEqual(doc.pathAt(YAML_TEXT.indexOf('900')), { path: ['hardware', 'peak_tflops', 'fp16'], onKey: false });
    assert.deepEqual(doc.pathAt(YAML_TEXT.indexOf('30')), { path: ['list', 2], onKey: false });
    // The end of a value still belongs to it (cursor right after the last character).
    assert.deepEqual(doc.pathAt(YAML_TEXT.indexOf('nvidia-h100-sxm') + 'nvidia-h100-sxm'.length), { path: ['hardware', 'extends'], onKey: false });
  });

  it('round-trips: pathAt at the start of every located value gives that path', () => {
    for (const path of [['model'], ['hardware', 'extends'], ['hardware', 'peak_tflops', 'bf16'], ['workload', 'batch_size'], ['list', 0]]) {
      const location = doc.locate(path)!;
      assert.deepEqual(doc.pathAt(location.valueRange.start)!.path, path);
      assert.deepEqual(doc.pathAt(location.keyRange?.start ?? location.valueRange.start)!.path, path);
    }
  });
});

describe('parseDocument: JSON positions', () => {
  const doc = parseDocument('file:///w/a.roofline.json', JSON_TEXT, 'deployment');

  it('accepts comments and trailing commas', () => {
    assert.deepEqual(doc.syntaxProblems, []);
    assert.deepEqual((doc.value as Record<string, unknown>).list, [10, 20, 30]);
  });

  it('locates keys (with their quotes) and values exactly', () => {
    const model = doc.locate(['model'])!;
    assert.equal(slice(doc, model.keyRange), '"model"');
    assert.equal(slice(doc, model.valueRange), '"meta-llama/Llama-2-7b-hf"');
    assert.equal(slice(doc, doc.locate(['hardware', 'peak_tflops', 'fp16'])!.valueRange), '900');
    assert.equal(slice(doc, doc.locate(['list', 2])!.valueRange), '30');
    assert.equal(slice(doc, doc.locate(['workload', 'missing'])!.keyRange), '"workload"');
  });

  it('finds the path at an offset', () => {
    assert.deepEqual(doc.pathAt(JSON_TEXT.indexOf('batch_size')), { path: ['workload', 'batch_size'], onKey: true });
    assert.deepEqual(doc.pathAt(JSON_TEXT.indexOf('": 16') + 3), { path: ['workload', 'batch_size'], onKey: false });
    assert.deepEqual(doc.pathAt(JSON_TEXT.indexOf('20')), { path: ['list', 1], onKey: false });
    assert.deepEqual(doc.pathAt(JSON_TEXT.indexOf('900')), { path: ['hardware', 'peak_tflops', 'fp16'], onKey: false });
  });

  it('reports syntax errors with their range', () => {
    const text = '{\n  "model": "x"\n  "hardware": "y"\n}\n';
    const broken = parseDocument('file:///w/b.roofline.json', text, 'deployment');
    assert.equal(broken.syntaxProblems.length, 1);
    const [problem] = broken.syntaxProblems;
    assert.equal(problem!.code, 'json-syntax');
    assert.equal(text.slice(problem!.range.start, problem!.range.end), '"hardware"');
    assert.match(problem!.message, /comma/);
  });

  it('reports duplicate keys', () => {
    const text = '{ "model": "a", "model": "b" }';
    const doc = parseDocument('file:///w/c.roofline.json', text, 'deployment');
    assert.equal(doc.syntaxProblems[0]!.code, 'duplicate-key');
    assert.equal(doc.syntaxProblems[0]!.range.start, text.lastIndexOf('"model"'));
  });
});

describe('parseDocument: YAML errors and hostile input', () => {
  it('reports syntax errors with their range', () => {
    const text = 'model: x\nhardware: [a, b\n';
    const doc = parseDocument('file:///w/a.roofline.yaml', text, 'deployment');
    assert.ok(doc.syntaxProblems.length > 0);
    assert.ok(doc.syntaxProblems.every((problem) => problem.code === 'yaml-syntax' && problem.range.start >= text.indexOf('[')));
  });

  it('stops an alias bomb quickly with a problem, not a hang', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    let previous = 'a';
    for (const name of 'bcdefghijkl') {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
      previous = name;
    }
    const started = Date.now();
    const doc = parseDocument('file:///w/bomb.roofline.yaml', lines.join('\n'), 'deployment');
    assert.ok(Date.now() - started < 2000, 'parsing took too long');
    assert.equal(doc.value, undefined);
    assert.equal(doc.syntaxProblems[0]!.code, 'yaml-alias-limit');
    assert.match(doc.syntaxProblems[0]!.message, new RegExp(`more than ${MAX_ALIAS_COUNT}`));
  });

  it('accepts a few aliases', () => {
    const doc = parseDocument('file:///w/a.roofline.yaml', 'base: &q { weights: int4 }\nquantization: *q\n', 'deployment');
    assert.deepEqual(doc.syntaxProblems, []);
    assert.deepEqual((doc.value as Record<string, unknown>).quantization, { weights: 'int4' });
  });

  it('survives deeply nested input', () => {
    for (const [uri, text] of [
      ['file:///w/deep.roofline.yaml', '['.repeat(200_000)],
      ['file:///w/deep.roofline.json', '['.repeat(200_000)],
    ] as const) {
      const doc = parseDocument(uri, text, 'deployment');
      assert.ok(doc.syntaxProblems.length > 0, uri);
      assert.doesNotThrow(() => doc.locate(['model']));
      assert.doesNotThrow(() => doc.pathAt(10));
    }
    const nested = `model: ${'['.repeat(50)}1${']'.repeat(50)}\n`;
    assert.deepEqual(parseDocument('file:///w/ok.roofline.yaml', nested, 'deployment').syntaxProblems, []);
  });

  it('refuses huge input with a problem', () => {
    const doc = parseDocument('file:///w/huge.roofline.yaml', `model: "${'x'.repeat(5 * 1024 * 1024)}"\n`, 'deployment');
    assert.equal(doc.syntaxProblems[0]!.code, 'too-large');
    assert.equal(doc.value, undefined);
  });

  it('reports duplicate keys and multiple documents', () => {
    const doc = parseDocument('file:///w/a.roofline.yaml', 'model: a\nmodel: b\n---\nx: 1\n', 'deployment');
    const messages = doc.syntaxProblems.map((problem) => problem.message).join('\n');
    assert.match(messages, /unique/);
    assert.match(messages, /multiple documents/);
    assert.ok(doc.syntaxProblems.every((problem) => !/line \d+, column/.test(problem.message)), 'messages do not repeat the position');
  });

  it('measures nesting on tokens: brackets in strings and comments do not count, a stray quote hides none', () => {
    const quoted = parseDocument('file:///w/a.roofline.yaml', `model: "${'['.repeat(500)}" # ${'{'.repeat(500)}\n`, 'deployment');
    assert.deepEqual(quoted.syntaxProblems, []);
    // A lone apostrophe opened a "string" for the old bracket counter, which then missed the nesting.
    const json = `{"model_type": "llama", "x": ' ${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const doc = parseDocument('file:///w/config.json', json, 'hf-config');
    const tooDeep = doc.syntaxProblems.find((problem) => problem.code === 'too-deep');
    assert.ok(tooDeep, doc.syntaxProblems.map((problem) => problem.code).join());
    // 31 characters of prefix; the brace is level 1, so the 64th bracket is level 65.
    assert.deepEqual(tooDeep.range, { start: 31 + 63, end: 31 + 64 });
  });

  it('gives a 10,000-deep config.json a kind and one positioned problem instead of a stack overflow', () => {
    const text = `{"model_type": "llama", "x": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    assert.equal(detectKind('file:///w/config.json', text), 'hf-config');
    const doc = parseDocument('file:///w/config.json', text, 'hf-config');
    assert.deepEqual(
      doc.syntaxProblems.map((problem) => [problem.code, problem.range.start]),
      // 29 characters of prefix; the brace is level 1, so the 64th bracket is level 65.
      [['too-deep', 29 + 63]],
    );
  });

  it('refuses a long run of indicators on one line even where the parser does not nest (the lexer would take seconds)', () => {
    // Found by the fuzz tier: the indented first line puts the parser in an error state, so its
    // depth stays at 3 while the lexer reads 4,000 `- ` through 4,000 nested generators.
    for (const run of ['- ', '? ', ': ', '&a ', '!t ']) {
      const text = ` model: x\nhardware: y\ntargets:\n${run.repeat(4_000)}a\n`;
      const doc = parseDocument('file:///w/a.roofline.yaml', text, 'deployment');
      assert.deepEqual(doc.syntaxProblems.map((problem) => [problem.code, problem.range.start]), [['too-deep', ' model: x\nhardware: y\ntargets:\n'.length + 64 * run.length]], run);
    }
    const afterKey = `targets: ${': '.repeat(4_000)}a\n`;
    assert.deepEqual(parseDocument('file:///w/a.roofline.yaml', afterKey, 'deployment').syntaxProblems.map((problem) => [problem.code, problem.range.start]), [['too-deep', 7 + 64 * 2]]);
    // Quoted or in a comment, a run is text; 64 levels are allowed.
    const quoted = `model: "${'- '.repeat(100)}" # ${'? '.repeat(100)}\nhardware:\n  ${'- '.repeat(60)}a\n`;
    assert.deepEqual(parseDocument('file:///w/a.roofline.yaml', quoted, 'deployment').syntaxProblems, []);
  });

  it('leaves keys that are collections out of the value, so they are never printed as text', () => {
    const doc = parseDocument('file:///w/a.roofline.yaml', `model: a\n? [b, c]\n: 1\n${'? '.repeat(60)}d\n`, 'deployment');
    assert.deepEqual(doc.value, { model: 'a' });
    assert.deepEqual(
      doc.syntaxProblems.map((problem) => [problem.code, slice(doc, problem.range)?.slice(0, 6)]),
      [
        ['complex-key', '[b, c]'],
        ['complex-key', '? ? ? '],
      ],
    );
  });
});

describe('detectKind', () => {
  it('recognises our formats by name', () => {
    assert.equal(detectKind('file:///w/x.roofline.yaml', ''), 'deployment');
    assert.equal(detectKind('file:///w/x.roofline.yml', ''), 'deployment');
    assert.equal(detectKind('file:///w/x.roofline.json', ''), 'deployment');
    assert.equal(detectKind('file:///w/gpu.hardware.yaml', ''), 'hardware');
    assert.equal(detectKind('file:///w/gpu.hardware.json', ''), 'hardware');
    assert.equal(detectKind('file:///w/m.model.yml', ''), 'model');
    assert.equal(detectKind('file:///w/plain.yaml', 'model: x'), undefined);
  });

  it('recognises Hugging Face config.json by content', () => {
    assert.equal(detectKind('file:///w/m/config.json', '{ "model_type": "llama" }'), 'hf-config');
    assert.equal(detectKind('file:///w/m/config.json', '{ "architectures": ["OPTForCausalLM"] }'), 'hf-config');
    assert.equal(detectKind('file:///w/m/config.json', '{ "compilerOptions": {} }'), undefined);
    assert.equal(detectKind('file:///w/m/config.json', '{ "nested": { "model_type": "llama" } }'), undefined);
    assert.equal(detectKind('file:///w/m/config.json', 'not json'), undefined);
  });

  it('reads a Hugging Face config as JSON whatever else', () => {
    const doc = parseDocument('file:///w/m/config.json', '{ "model_type": "llama", "hidden_size": 4096 }', 'hf-config');
    assert.deepEqual({ ...(doc.value as object) }, { model_type: 'llama', hidden_size: 4096 });
  });
});
