/**
 * Documents under 1 MB made to be slow to check: the reproducers of issue 9, long runs of flow
 * brackets, huge flat maps, nesting at the limit, long scalars, many anchors and aliases, big JSON
 * arrays and objects, many problems, and deployments whose referenced files are each as large as
 * the limits let through. Each must be checked within the 100 ms budget; the server tests and
 * `npm run bench` run them all and report the slowest.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface AdversarialDocument {
  /** What the document is, as the test and the bench name it. */
  name: string;
  /** The end of its file name, which says its kind and syntax (`.roofline.yaml`, `config.json`). */
  suffix: string;
  text: string;
  /** Files it references, by name relative to it (the test writes them beside it). */
  files?: Record<string, string>;
}

const DEPLOYMENT_HEAD = 'model: meta-llama/Llama-3.1-8B\nhardware: nvidia-h100-sxm\n';
const JSON_HEAD = '"model": "meta-llama/Llama-3.1-8B", "hardware": "nvidia-h100-sxm"';
/** Just under the parsers' size limits (parseYaml.ts: 32 KiB of YAML, 128 KiB of JSON). */
const YAML_BYTES = 32 * 1024 - 64;
const JSON_BYTES = 128 * 1024 - 64;

/** Repeats `unit(index)` until the text would pass `bytes`. */
function fill(bytes: number, head: string, unit: (index: number) => string, separator = '', tail = ''): string {
  const parts: string[] = [];
  let length = head.length + tail.length;
  for (let index = 0; ; index++) {
    const next = unit(index);
    if (length + next.length + separator.length > bytes) break;
    parts.push(next);
    length += next.length + separator.length;
  }
  return head + parts.join(separator) + tail;
}

function nested(depth: number, open: string, close: string, inner: string): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** A deployment of an inline `model_type` model of `blocks` blocks (`extra`: more model fields). */
export function manyBlocks(modelType: string, extra: string, blocks = 5_000_000): string {
  return [
    'model:',
    `  model_type: ${modelType}`,
    '  hidden_size: 4096',
    '  num_attention_heads: 32',
    `  num_hidden_layers: ${blocks}`,
    '  vocab_size: 32000',
    '  intermediate_size: 11008',
    `${extra}hardware: nvidia-h100-sxm`,
    '',
  ].join('\n');
}

/** A Hugging Face config with the fields the engine needs. */
const HF_FIELDS = '"model_type": "llama", "hidden_size": 4096, "num_attention_heads": 32, "num_hidden_layers": 32, "vocab_size": 32000, "intermediate_size": 11008';

export function adversarialDocuments(): AdversarialDocument[] {
  const bigModelJson = fill(JSON_BYTES, `{ ${HF_FIELDS}, "id2label": {`, (i) => `"${i}": "LABEL_${i}"`, ', ', '} }\n');
  const bigHardwareYaml = fill(
    YAML_BYTES,
    'name: Big\nmemory_bandwidth_gb_s: 3350\nmemory_gib: 80\npeak_tflops:\n  fp16: 989\nnotes:\n',
    (i) => `  - "note ${i}: ${'a long line of text in a list of notes, '.repeat(8)}"\n`,
  );
  return [
    // Just under 1 MB: refused by size before any parsing.
    { name: 'YAML map of just under 1 MB', suffix: '.roofline.yaml', text: fill(1024 * 1024 - 1, DEPLOYMENT_HEAD, (i) => `k${i}: ${i}\n`) },
    { name: 'JSON map of just under 1 MB', suffix: '.roofline.json', text: fill(1024 * 1024 - 1, `{ ${JSON_HEAD}`, (i) => `, "k${i}": ${i}`, '', ' }') },
    // Issue 9, reproducer 1: explicit keys.
    { name: 'explicit keys ? ×400', suffix: '.roofline.yaml', text: `${'? '.repeat(400)}a` },
    { name: 'explicit keys ? ×64 per line', suffix: '.roofline.yaml', text: fill(YAML_BYTES, '', () => `${'? '.repeat(60)}a\n`) },
    // Issue 9, reproducer 4: block nesting.
    { name: 'block sequence nesting ×15,000', suffix: '.roofline.yaml', text: '- '.repeat(15_000) + 'a' },
    // Flow brackets: nested past the limit, at the limit, and long runs that do not nest.
    { name: 'flow [ ×16,000', suffix: '.roofline.yaml', text: `a: ${'['.repeat(16_000)}` },
    { name: 'flow [] ×16,000', suffix: '.roofline.yaml', text: `a: ${'[]'.repeat(16_000)}` },
    { name: 'flow [], ×10,000 in a list', suffix: '.roofline.yaml', text: fill(YAML_BYTES, 'a: [', () => '[], ', '', ']') },
    { name: 'flow {} ×16,000', suffix: '.roofline.yaml', text: `a: ${'{}'.repeat(16_000)}` },
    { name: 'flow ][ ×16,000', suffix: '.roofline.yaml', text: `a: ${']['.repeat(16_000)}` },
    { name: 'flow ] ×32,000', suffix: '.roofline.yaml', text: ']'.repeat(YAML_BYTES) },
    { name: 'flow }{ lines', suffix: '.roofline.yaml', text: fill(YAML_BYTES, '', () => `${'}{'.repeat(30)}\n`) },
    { name: 'flow [ at depth 63, repeated', suffix: '.roofline.yaml', text: fill(YAML_BYTES, '', (i) => `k${i}: ${nested(63, '[', ']', '1')}\n`) },
    { name: 'flow { at depth 63, repeated', suffix: '.roofline.yaml', text: fill(YAML_BYTES, '', (i) => `k${i}: ${nested(63, '{a: ', '}', '1')}\n`) },
    { name: 'flow [ ×64 runs per line', suffix: '.roofline.yaml', text: fill(YAML_BYTES, '', () => `${'['.repeat(64)}\n`) },
    // Nesting at the limit.
    {
      name: 'block maps at depth 63',
      suffix: '.roofline.yaml',
      text: DEPLOYMENT_HEAD + Array.from({ length: 63 }, (_, depth) => `${'  '.repeat(depth)}k${depth}:\n`).join('') + `${'  '.repeat(63)}v: 1\n`,
    },
    { name: 'JSON nesting at depth 64', suffix: '.roofline.json', text: `{ ${JSON_HEAD}, "x": ${nested(63, '[', ']', '1')} }` },
    { name: 'JSON nesting ×100,000', suffix: '.roofline.json', text: '['.repeat(100_000) },
    { name: 'JSON objects at depth 63, repeated', suffix: '.roofline.json', text: fill(JSON_BYTES, `{ ${JSON_HEAD}`, (i) => `, "k${i}": ${nested(62, '{"a": ', '}', '1')}`, '', ' }') },
    // Huge flat maps and lists.
    { name: 'YAML flat map of unknown keys', suffix: '.roofline.yaml', text: fill(YAML_BYTES, DEPLOYMENT_HEAD, (i) => `k${i}: ${i}\n`) },
    { name: 'YAML flow map of unknown keys', suffix: '.roofline.yaml', text: fill(YAML_BYTES, `${DEPLOYMENT_HEAD}x: {`, (i) => `k${i}: ${i}`, ', ', '}\n') },
    { name: 'YAML list of 8,000 items', suffix: '.roofline.yaml', text: fill(YAML_BYTES, `${DEPLOYMENT_HEAD}x:\n`, (i) => `- ${i}\n`) },
    { name: 'YAML duplicate keys', suffix: '.roofline.yaml', text: fill(YAML_BYTES, DEPLOYMENT_HEAD, () => 'hardware: nvidia-h100-sxm\n') },
    { name: 'JSON flat map of unknown keys', suffix: '.roofline.json', text: fill(JSON_BYTES, `{ ${JSON_HEAD}`, (i) => `, "k${i}": ${i}`, '', ' }') },
    { name: 'JSON duplicate keys', suffix: '.roofline.json', text: fill(JSON_BYTES, `{ ${JSON_HEAD}`, () => ', "hardware": "nvidia-h100-sxm"', '', ' }') },
    { name: 'JSON duplicate unknown keys', suffix: '.roofline.json', text: fill(JSON_BYTES, `{ ${JSON_HEAD}`, () => ', "k": 1', '', ' }') },
    { name: 'JSON array of 40,000 numbers', suffix: '.roofline.json', text: fill(JSON_BYTES, `{ ${JSON_HEAD}, "x": [`, (i) => String(i), ', ', '] }') },
    { name: 'JSON array of objects', suffix: '.roofline.json', text: fill(JSON_BYTES, `{ ${JSON_HEAD}, "x": [`, (i) => `{"a": ${i}, "b": [${i}]}`, ', ', '] }') },
    { name: 'JSON wrong types in a known list', suffix: '.roofline.json', text: fill(JSON_BYTES, `{ ${JSON_HEAD}, "sweeps": [`, () => '"x"', ', ', '] }') },
    { name: 'config.json with a 128 KB label map', suffix: 'config.json', text: bigModelJson },
    { name: 'config.json of unknown keys', suffix: 'config.json', text: fill(JSON_BYTES, `{ ${HF_FIELDS}`, (i) => `, "k${i}": ${i}`, '', ' }') },
    { name: 'model file of unknown keys', suffix: '.model.json', text: fill(JSON_BYTES, `{ ${HF_FIELDS}`, (i) => `, "k${i}": ${i}`, '', ' }') },
    { name: 'hardware file of unknown keys', suffix: '.hardware.yaml', text: fill(YAML_BYTES, 'memory_bandwidth_gb_s: 3350\nmemory_gib: 80\npeak_tflops: { fp16: 989 }\n', (i) => `k${i}: ${i}\n`) },
    // Long scalars, where a did-you-mean compares them with every preset id.
    { name: 'YAML 32 KB model id', suffix: '.roofline.yaml', text: `hardware: nvidia-h100-sxm\nmodel: ${'m'.repeat(YAML_BYTES - 40)}\n` },
    { name: 'YAML 32 KB hardware id', suffix: '.roofline.yaml', text: `model: meta-llama/Llama-3.1-8B\nhardware: ${'h'.repeat(YAML_BYTES - 50)}\n` },
    { name: 'YAML 32 KB quoted scalar with escapes', suffix: '.roofline.yaml', text: `${DEPLOYMENT_HEAD}name: "${'\\u00e9'.repeat((YAML_BYTES - 80) / 6)}"\n` },
    { name: 'YAML 32 KB folded scalar', suffix: '.roofline.yaml', text: fill(YAML_BYTES, `${DEPLOYMENT_HEAD}name: >\n`, () => '  word word word word\n') },
    { name: 'JSON 128 KB model id', suffix: '.roofline.json', text: `{ "hardware": "nvidia-h100-sxm", "model": "${'m'.repeat(JSON_BYTES - 60)}" }` },
    { name: 'JSON 128 KB hardware id', suffix: '.roofline.json', text: `{ "model": "meta-llama/Llama-3.1-8B", "hardware": "${'h'.repeat(JSON_BYTES - 60)}" }` },
    { name: 'JSON 128 KB quantization name', suffix: '.roofline.json', text: `{ ${JSON_HEAD}, "quantization": { "weights": "${'q'.repeat(JSON_BYTES - 120)}" } }` },
    { name: 'JSON 128 KB key', suffix: '.roofline.json', text: `{ ${JSON_HEAD}, "${'k'.repeat(JSON_BYTES - 100)}": 1 }` },
    { name: 'YAML 32 KB key', suffix: '.roofline.yaml', text: `${DEPLOYMENT_HEAD}${'k'.repeat(YAML_BYTES - 80)}: 1\n` },
    // Anchors and aliases.
    { name: 'YAML 2,000 anchors', suffix: '.roofline.yaml', text: fill(YAML_BYTES, DEPLOYMENT_HEAD, (i) => `k${i}: &a${i} ${i}\n`) },
    {
      name: 'YAML alias doubling',
      suffix: '.roofline.yaml',
      text: DEPLOYMENT_HEAD + Array.from({ length: 30 }, (_, i) => (i === 0 ? 'a0: &a0 [x, x]\n' : `a${i}: &a${i} [*a${i - 1}, *a${i - 1}]\n`)).join(''),
    },
    { name: 'YAML 4,000 aliases of one anchor', suffix: '.roofline.yaml', text: fill(YAML_BYTES, `${DEPLOYMENT_HEAD}base: &b { x: 1 }\nall: [`, () => '*b', ', ', ']\n') },
    { name: 'YAML merge keys', suffix: '.roofline.yaml', text: fill(YAML_BYTES, `${DEPLOYMENT_HEAD}base: &b { x: 1 }\n`, (i) => `m${i}: { <<: *b }\n`) },
    // Many problems of the kinds that carry suggestions.
    { name: 'YAML many misspelled known keys', suffix: '.roofline.yaml', text: fill(YAML_BYTES, DEPLOYMENT_HEAD, (i) => `workloadd${i}: 1\n`) },
    { name: 'YAML many lines of syntax errors', suffix: '.roofline.yaml', text: fill(YAML_BYTES, DEPLOYMENT_HEAD, () => 'a: b: c: "\n') },
    { name: 'JSON many syntax errors', suffix: '.roofline.json', text: fill(JSON_BYTES, '{', () => ' : ,') },
    { name: 'YAML many tabs and stray indicators', suffix: '.roofline.yaml', text: fill(YAML_BYTES, DEPLOYMENT_HEAD, () => '\t- ? : ]\n') },
    // A few hundred bytes that claim millions of blocks: the engine walks the blocks (which attend
    // over a window, which are Mamba, which are MoE), so resolving is quick and analysing is long.
    { name: 'model of 5,000,000 blocks', suffix: '.roofline.yaml', text: manyBlocks('llama', '') },
    { name: 'hybrid model of 5,000,000 blocks', suffix: '.roofline.yaml', text: manyBlocks('jamba', '  num_experts: 16\n  num_experts_per_tok: 2\n') },
    // `vllm:` commands of thousands of words: each is unquoted, read as an option, and an unknown one gets a did-you-mean.
    { name: 'vLLM command of 1,800 options', suffix: '.roofline.yaml', text: `hardware: nvidia-h100-sxm\nvllm: vllm serve meta-llama/Llama-3.1-8B ${'--max-num-seqs 8 '.repeat(1_800)}\n` },
    {
      name: 'vLLM command of 1,500 unknown options',
      suffix: '.roofline.yaml',
      text: `hardware: nvidia-h100-sxm\nvllm: vllm serve meta-llama/Llama-3.1-8B ${Array.from({ length: 1_500 }, (_, index) => `--opt${index} 1`).join(' ')}\n`,
    },
    // Deployments that read files at the limits.
    {
      name: 'deployment reading a 128 KB model and its draft',
      suffix: '.roofline.yaml',
      text: 'model: ./big.model.json\nhardware: ./big.hardware.yaml\nspeculative:\n  draft_model: ./big.model.json\n  acceptance_rate: 0.7\n',
      files: { 'big.model.json': bigModelJson, 'big.hardware.yaml': bigHardwareYaml },
    },
    {
      name: 'deployment reading two 128 KB models and a 32 KB hardware file',
      suffix: '.roofline.yaml',
      text: 'model: ./big.model.json\nhardware: ./big.hardware.yaml\nspeculative:\n  draft_model: ./other.model.json\n  acceptance_rate: 0.7\n',
      files: { 'big.model.json': bigModelJson, 'other.model.json': bigModelJson.replace('LABEL_', 'OTHER_'), 'big.hardware.yaml': bigHardwareYaml },
    },
  ];
}

/** The corpus written into `folder`, a sub-folder per document with the files it references; each with its uri. */
export function writeAdversarialDocuments(folder: string): { document: AdversarialDocument; uri: string }[] {
  return adversarialDocuments().map((document, index) => {
    const directory = join(folder, `d${index}`);
    mkdirSync(directory, { recursive: true });
    for (const [name, text] of Object.entries(document.files ?? {})) writeFileSync(join(directory, name), text);
    const name = document.suffix.startsWith('.') ? `slow${document.suffix}` : document.suffix;
    return { document, uri: pathToFileURL(join(directory, name)).href };
  });
}
