/**
 * Seeded random and mutated config documents for the fuzz tier: broken YAML and JSON, huge, tiny,
 * negative, fractional and NaN-like numbers, deep flow and block nesting, explicit and complex keys,
 * anchors and aliases, unicode and control characters, and 1 MB files, built from the real server
 * fixtures, the examples and the invalid fixtures (the hostile-input reproducers among them), so
 * most mutations land on meaningful keys.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIXTURE_DIR, withoutMarkers } from './fixtures';

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomDocument {
  /** File name suffix that decides the document kind, e.g. `.roofline.yaml`. */
  suffix: string;
  text: string;
  /** How it was made, for the failure message. */
  recipe: string;
}

const WEIRD_NUMBERS = [
  '1e400', '-1e400', '-5', '0', '0.5', '-0.0', '3.7', 'NaN', '.nan', '.inf', '-.inf', 'Infinity', '-Infinity',
  '99999999999999999999999999', '1e-320', '1e308', '"12"', 'null', '~', '[]', '{}', '0x10', '1_000', '"nan"', 'true',
  '2147483648', '9007199254740993', '-2147483649', "'∞'", '5e-324', '1e-300', '4.9e-324', '16777217', '1048577', '1.7976931348623157e308',
];
const NOISE = [
  ':', '{', '}', '[', ']', ',', '-', '"', "'", '&a', '*a', '!', '|', '>', '#', '\n', ' ', '\t', '?', '? ', '%', '@', '`', '\\',
  '\u0000', '\ufeff', '😀', '\u001b[31m', '\u001b]0;title\u0007', '\u0085', '\u2028', '\u202e', '\u200b', 'é', '\ud800', '![x](http://x/y.png)', '<img src=x>',
];
const KEYS = ['model', 'hardware', 'workload', 'batch_size', 'prompt_tokens', 'quantization', 'weights', 'kv_cache', 'targets', 'extends', 'memory_gib', 'peak_tflops', 'num_key_value_heads', 'hidden_size', 'conventions', 'parallelism', 'tensor'];

const SUFFIXES = ['.roofline.yaml', '.roofline.yml', '.roofline.json', '.hardware.yaml', '.hardware.json', '.model.yaml', '.model.json'];

function suffixOf(name: string): string {
  return SUFFIXES.find((suffix) => name.endsWith(suffix)) ?? '.roofline.yaml';
}

/** The config files of a folder as bases (invalid fixtures and examples have no cursor markers). */
function filesOf(folder: string, markers: boolean): RandomDocument[] {
  return readdirSync(folder)
    .filter((name) => SUFFIXES.some((suffix) => name.endsWith(suffix)))
    .map((name) => {
      const text = readFileSync(resolve(folder, name), 'utf8');
      return { suffix: suffixOf(name), text: markers ? withoutMarkers(text, name).text : text, recipe: name };
    });
}

function bases(): RandomDocument[] {
  const fromFixtures = [
    ...filesOf(FIXTURE_DIR, true),
    ...filesOf(resolve(FIXTURE_DIR, '../invalid'), false),
    ...filesOf(resolve(FIXTURE_DIR, '../../../examples'), false),
  ];
  const extra: RandomDocument[] = [
    {
      suffix: '.roofline.json',
      text: '{\n  "model": { "hidden_size": 4096, "num_attention_heads": 32, "num_hidden_layers": 32, "vocab_size": 32000 },\n  "hardware": { "memory_bandwidth_gb_s": 2000, "memory_gib": 40, "peak_tflops": { "fp16": 312 } },\n  "workload": { "batch_size": 2, "prompt_tokens": 64, "output_tokens": 64 },\n  "conventions": "llm-viewer"\n}\n',
      recipe: 'inline-json',
    },
    {
      suffix: '.roofline.yaml',
      text: 'model: meta-llama/Llama-3.1-405B\nhardware: nvidia_A6000\nworkload: { batch_size: 1024, prompt_tokens: 32768, output_tokens: 4096 }\nquantization: { weights: 4, activations: 16, kv_cache: 8 }\nparallelism: { tensor: 8 }\nconventions: llm-viewer\nflash_attention: false\ntargets: { ttft_ms: 10, tpot_ms: 5, min_tokens_per_second: 1000 }\n',
      recipe: 'huge-flow',
    },
  ];
  return [...fromFixtures, ...extra];
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function spliceText(text: string, start: number, deleteCount: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(start + deleteCount);
}

type Mutation = (text: string, random: () => number) => string;

/** Cheap mutations, picked uniformly. */
const MUTATIONS: [string, Mutation][] = [
  ['delete', (text, random) => spliceText(text, Math.floor(random() * text.length), 1 + Math.floor(random() * 12), '')],
  ['noise', (text, random) => spliceText(text, Math.floor(random() * (text.length + 1)), 0, Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(random, NOISE)).join(''))],
  [
    'weird-number',
    (text, random) => {
      const numbers = [...text.matchAll(/-?\d+(\.\d+)?/g)];
      if (numbers.length === 0) return text;
      const target = pick(random, numbers);
      return spliceText(text, target.index!, target[0].length, pick(random, WEIRD_NUMBERS));
    },
  ],
  [
    'weird-value',
    (text, random) => {
      const values = [...text.matchAll(/: ([^\s#,}{][^\n#,}]*)/g)];
      if (values.length === 0) return text;
      const target = pick(random, values);
      return spliceText(text, target.index! + 2, target[1]!.length, pick(random, [...WEIRD_NUMBERS, 'nvidia-h100-sx', 'int3', 'fp16x', './x.hardware.yaml', '../../etc/passwd', 'meta-llama/Llama-2-7b', '']));
    },
  ],
  [
    'duplicate-line',
    (text, random) => {
      const lines = text.split('\n');
      const at = Math.floor(random() * lines.length);
      lines.splice(at, 0, lines[at]!);
      return lines.join('\n');
    },
  ],
  [
    'indent',
    (text, random) => {
      const lines = text.split('\n');
      const at = Math.floor(random() * lines.length);
      lines[at] = random() < 0.5 ? ` ${' '.repeat(Math.floor(random() * 6))}${lines[at]}` : lines[at]!.trimStart();
      return lines.join('\n');
    },
  ],
  ['truncate', (text, random) => text.slice(0, Math.floor(random() * text.length))],
  ['random-key', (text, random) => `${text}\n${pick(random, KEYS)}: ${pick(random, WEIRD_NUMBERS)}\n`],
  ['swap-chars', (text, random) => {
    const at = Math.floor(random() * Math.max(1, text.length - 1));
    return text.slice(0, at) + (text[at + 1] ?? '') + (text[at] ?? '') + text.slice(at + 2);
  }],
];

/**
 * Hostile inputs the parser must refuse quickly (deep nesting, alias bombs): about 1 in 100
 * mutations, so the run stays short while still covering them a hundred times.
 */
const HOSTILE_MUTATIONS: [string, Mutation][] = [
  ['explicit-keys', (text, random) => `${text}\n${'? '.repeat(1 + Math.floor(random() * 400))}a\n`],
  [
    'block-nesting',
    (text, random) => `${text}\n${pick(random, KEYS)}:\n${'- '.repeat(1 + Math.floor(random() * 15_000))}a\n`,
  ],
  [
    'indented-nesting',
    (text, random) =>
      `${text}\n${Array.from({ length: 1 + Math.floor(random() * 200) }, (_, depth) => `${' '.repeat(depth)}k${depth}:`).join('\n')} 1\n`,
  ],
  ['anchors', (text, random) => `${text}\nbase: &base { batch_size: ${pick(random, WEIRD_NUMBERS)} }\nworkload: *base\n${pick(random, KEYS)}: *missing\nx: &self [*self]\n`],
  [
    'deep-nesting',
    (text, random) => {
      const depth = 50 + Math.floor(random() * 5000);
      const nested = random() < 0.5 ? '['.repeat(depth) + ']'.repeat(depth) : '{a: '.repeat(depth) + '1' + '}'.repeat(depth);
      return `${text}\n${pick(random, KEYS)}: ${nested}\n`;
    },
  ],
  [
    'alias-bomb',
    (text) =>
      `${text}\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nworkload: *f\n`,
  ],
];
const HOSTILE_PROBABILITY = 0.03;

/**
 * About 1 MB, as large config files really are: a long comment block, a long `source:` text, or
 * (JSON) a long array.
 */
function megabyteDocument(random: () => number, base: RandomDocument): RandomDocument {
  const targetLength = 1024 * 1024;
  if (base.suffix.endsWith('.json')) {
    const text = `${base.text.trimEnd().slice(0, -1)},\n  "architectures": [${'"LlamaForCausalLM", '.repeat(Math.ceil(targetLength / 20))}"x"]\n}\n`;
    return { suffix: base.suffix, text, recipe: `${base.recipe} + 1 MB array` };
  }
  const line = 'padding line to make a one-megabyte document ....................................\n';
  const lines = Math.ceil(targetLength / line.length);
  if (random() < 0.5) return { suffix: base.suffix, text: base.text + `# ${line}`.repeat(lines), recipe: `${base.recipe} + 1 MB comments` };
  return { suffix: base.suffix, text: `${base.text}source: |\n${`  ${line}`.repeat(lines)}`, recipe: `${base.recipe} + 1 MB block scalar` };
}

export function* randomDocuments(seed: number, count: number): Generator<RandomDocument> {
  const random = seededRandom(seed);
  const baseDocuments = bases();
  for (let index = 0; index < count; index++) {
    const base = pick(random, baseDocuments);
    if (index % 2000 === 1999) {
      yield megabyteDocument(random, base);
      continue;
    }
    let text = base.text;
    const applied: string[] = [];
    const mutationCount = random() < 0.1 ? 0 : 1 + Math.floor(random() * 3);
    for (let step = 0; step < mutationCount; step++) {
      const [name, mutate] = random() < HOSTILE_PROBABILITY ? pick(random, HOSTILE_MUTATIONS) : pick(random, MUTATIONS);
      text = mutate(text, random);
      applied.push(name);
    }
    yield { suffix: base.suffix, text, recipe: `${base.recipe}: ${applied.join(', ') || 'unchanged'}` };
  }
}
