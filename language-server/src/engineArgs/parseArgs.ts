/**
 * An engine's words (from a command line, a list or a config file) → its options, the way
 * argparse reads them: `--name value`, `--name=value`, aliases (`-tp`), flags and their `--no-`
 * form, lists, underscores for dashes (vLLM's FlexibleArgumentParser accepts both), and the program
 * in front (`vllm serve MODEL`, `python -m sglang.launch_server`, `VAR=value` prefixes). Unknown
 * arguments and malformed values become problems on the word.
 */
import { readJsonArgument } from './jsonArgs';
import { suggestIds } from '../presets/suggest';
import { countCheckWork } from '../config/checkBudget';
import type { ArgSpec, EngineArgTable } from './argSpecs';

export interface ArgItem {
  value: string;
  start: number;
  end: number;
}

export interface TextRange {
  start: number;
  end: number;
}

export interface ArgProblem extends TextRange {
  message: string;
  code: string;
  severity: 'error' | 'warning' | 'information';
  /** Replacements of the problem's range, best first (quick fixes). */
  replacements?: string[];
}

export interface ParsedOption {
  spec: ArgSpec;
  /** The canonical name (`--tensor-parallel-size` for `-tp`). */
  name: string;
  /** The value as a string; undefined for a flag (see `enabled`). */
  value?: string;
  /** A flag's state: false for `--no-NAME`. */
  enabled: boolean;
  nameRange: TextRange;
  valueRange?: TextRange;
  /** The whole argument, name and value. */
  range: TextRange;
  /** `--speculative-config.method`: the part after the dot. */
  subKey?: string;
}

export interface ParsedArgs {
  options: ParsedOption[];
  model?: { value: string; range: TextRange };
  problems: ArgProblem[];
}

/** The programs a command may start with; what follows them is the engine's arguments. */
const PROGRAMS: Readonly<Record<string, readonly string[][]>> = {
  vLLM: [['vllm', 'serve'], ['serve'], ['python', '-m', 'vllm.entrypoints.openai.api_server'], ['python3', '-m', 'vllm.entrypoints.openai.api_server']],
  SGLang: [['python', '-m', 'sglang.launch_server'], ['python3', '-m', 'sglang.launch_server'], ['sglang', 'serve']],
  'TensorRT-LLM': [['trtllm-serve', 'serve'], ['trtllm-serve']],
};

/** Engines whose model is the first positional argument (`vllm serve MODEL`, `trtllm-serve MODEL`). */
const POSITIONAL_MODEL = new Set(['vLLM', 'TensorRT-LLM']);

const INTEGER = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const HUMAN_INTEGER = /^(\d+(?:\.\d+)?)([kKmMgGtT])$/;
/** The names people write for a dtype that the engines spell otherwise. */
const SYNONYMS: Readonly<Record<string, string>> = { bf16: 'bfloat16', fp16: 'float16', fp32: 'float32', float8: 'fp8', e4m3: 'fp8_e4m3', e5m2: 'fp8_e5m2' };
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** vLLM's `human_readable_int`: 25.6k = 25,600 (decimal), 1K = 1,024 (binary, whole numbers only). */
export function readHumanInteger(text: string): number | undefined {
  if (INTEGER.test(text)) return Number(text);
  const match = HUMAN_INTEGER.exec(text);
  if (!match) return undefined;
  const [, number, suffix] = match as unknown as [string, string, string];
  const decimal: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
  const binary: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
  if (suffix in decimal) return Math.floor(Number(number) * decimal[suffix]!);
  return /^\d+$/.test(number) ? Number(number) * binary[suffix]! : undefined;
}

function looksLikeOption(value: string): boolean {
  return value.startsWith('-') && !FLOAT.test(value);
}

function valueProblem(spec: ArgSpec, name: string, value: string, range: TextRange, source: string | undefined): ArgProblem | undefined {
  switch (spec.kind) {
    case 'int':
      return INTEGER.test(value) ? undefined : { ...range, message: `${name} takes a whole number, got ${JSON.stringify(value)}`, code: 'engine-arg-value', severity: 'error' };
    case 'human-int':
      return readHumanInteger(value) !== undefined
        ? undefined
        : { ...range, message: `${name} takes a whole number (or one with k, K, m, M, g, G: 32k, 1M), got ${JSON.stringify(value)}`, code: 'engine-arg-value', severity: 'error' };
    case 'float':
      return FLOAT.test(value) ? undefined : { ...range, message: `${name} takes a number, got ${JSON.stringify(value)}`, code: 'engine-arg-value', severity: 'error' };
    case 'choice': {
      const choices = spec.choices ?? [];
      if (choices.includes(value)) return undefined;
      const synonym = SYNONYMS[value.toLowerCase()];
      const close = synonym && choices.includes(synonym) ? [synonym] : suggestIds(value, choices);
      return {
        ...range,
        message: `${JSON.stringify(value)} is not a choice of ${name}: use one of ${choices.join(', ')}${close.length > 0 ? `; did you mean ${close[0]}?` : ''}`,
        code: 'engine-arg-value',
        severity: 'error',
        ...(close.length > 0 ? { replacements: close.slice(0, 3) } : {}),
      };
    }
    case 'json':
      if (/^[[{]/.test(value.trim())) {
        const error = readJsonArgument(value, range, source).error;
        if (error) return { ...error.range, message: `${name} takes JSON: ${error.message}`, code: 'engine-arg-value', severity: 'error' };
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Where the engine's own arguments start: after the program and any `VAR=value` in front. */
function skipProgram(items: readonly ArgItem[], engine: string): { index: number; positionalModel: boolean } {
  let index = 0;
  while (index < items.length && ENV_ASSIGNMENT.test(items[index]!.value)) index++;
  for (const program of PROGRAMS[engine] ?? []) {
    if (program.every((word, offset) => items[index + offset]?.value === word || (offset === 0 && items[index]?.value.endsWith(`/${word}`)))) {
      // `vllm serve MODEL`: the model is the first positional argument.
      return { index: index + program.length, positionalModel: program.includes('serve') || POSITIONAL_MODEL.has(engine) };
    }
  }
  return { index, positionalModel: POSITIONAL_MODEL.has(engine) };
}

/** `source`: the text the items' offsets point into, to place problems inside a JSON value. */
export function parseEngineArgs(items: readonly ArgItem[], table: EngineArgTable, source?: string): ParsedArgs {
  const options: ParsedOption[] = [];
  const problems: ArgProblem[] = [];
  let model: ParsedArgs['model'];
  const { index: first, positionalModel } = skipProgram(items, table.engine);
  let index = first;
  const engine = table.engine;
  while (index < items.length) {
    // A command can have thousands of words (a check while the user types counts each).
    countCheckWork();
    const item = items[index]!;
    index++;
    if (!looksLikeOption(item.value)) {
      if (positionalModel && model === undefined) {
        model = { value: item.value, range: { start: item.start, end: item.end } };
      } else {
        problems.push({ start: item.start, end: item.end, message: `${JSON.stringify(item.value)} is not an argument of ${engine}: a value must follow the option it belongs to`, code: 'engine-arg-unexpected', severity: 'error' });
      }
      continue;
    }
    const equals = item.value.startsWith('--') ? item.value.indexOf('=') : -1;
    const written = equals >= 0 ? item.value.slice(0, equals) : item.value;
    let inline = equals >= 0 ? item.value.slice(equals + 1) : undefined;
    let lookup = written.startsWith('--') && table.dashesForUnderscores ? written.replace(/_/g, '-') : written;
    // `-O3`: the compilation level glued to vLLM's short option.
    if (engine === 'vLLM' && /^-O[.\d]/.test(written)) {
      lookup = '-O';
      inline = written.slice(2).replace(/^\./, '');
    }
    const dot = lookup.startsWith('--') ? lookup.indexOf('.') : -1;
    const subKey = dot >= 0 ? lookup.slice(dot + 1) : undefined;
    if (dot >= 0) lookup = lookup.slice(0, dot);
    let spec = table.byName.get(lookup);
    let enabled = true;
    if (!spec && lookup.startsWith('--no-')) {
      const positive = table.byName.get(`--${lookup.slice(5)}`);
      if (positive?.kind === 'flag') {
        spec = positive;
        enabled = false;
      }
    }
    const nameRange = { start: item.start, end: equals >= 0 ? item.start + equals : item.end };
    if (!spec || (subKey !== undefined && spec.kind !== 'json')) {
      // Click reads names as written: `--tp-size` for `--tp_size` is a spelling, not a typo.
      const underscored = !table.dashesForUnderscores && lookup.startsWith('--') ? `--${lookup.slice(2).replace(/-/g, '_')}` : undefined;
      const close = underscored && table.byName.has(underscored) ? [underscored] : suggestIds(lookup, table.canonicalNames);
      const near = close.length > 0 && close[0]!.length > 3;
      problems.push({
        ...nameRange,
        message: near
          ? `${engine} has no argument ${written}; did you mean ${close[0]}?`
          : `${written} is not an argument of ${engine} that LLM Roofline knows (${table.source}); ${engine} refuses arguments it does not know`,
        code: 'engine-arg-unknown',
        // vLLM's argparse and TensorRT-LLM's click refuse unknown options; SGLang's list changes often.
        severity: near || engine !== 'SGLang' ? 'error' : 'warning',
        ...(near ? { replacements: close.slice(0, 3) } : {}),
      });
      // Its value, if it has one, goes with it.
      if (inline === undefined) while (index < items.length && !looksLikeOption(items[index]!.value)) index++;
      continue;
    }
    const name = spec.names[0]!;
    if (spec.kind === 'flag') {
      if (inline !== undefined) {
        problems.push({ start: item.start, end: item.end, message: `${written} takes no value`, code: 'engine-arg-value', severity: 'error' });
      }
      options.push({ spec, name, enabled, nameRange, range: { start: item.start, end: item.end } });
      continue;
    }
    if (spec.kind === 'optional') {
      const next = items[index];
      if (inline === undefined && next && !looksLikeOption(next.value)) index++;
      options.push({ spec, name, enabled, nameRange, range: { start: item.start, end: item.end } });
      continue;
    }
    if (spec.kind === 'list' && inline === undefined) {
      const values: ArgItem[] = [];
      while (index < items.length && !looksLikeOption(items[index]!.value)) values.push(items[index++]!);
      if (values.length === 0) {
        problems.push({ ...nameRange, message: `${written} needs at least one value`, code: 'engine-arg-value', severity: 'error' });
        continue;
      }
      const last = values[values.length - 1]!;
      options.push({ spec, name, enabled, nameRange, value: values.map((value) => value.value).join(' '), valueRange: { start: values[0]!.start, end: last.end }, range: { start: item.start, end: last.end } });
      continue;
    }
    let value: string;
    let valueRange: TextRange;
    if (inline !== undefined) {
      value = inline;
      valueRange = equals >= 0 ? { start: item.start + equals + 1, end: item.end } : nameRange;
    } else {
      const next = items[index];
      if (!next || (looksLikeOption(next.value) && !INTEGER.test(next.value))) {
        problems.push({ ...nameRange, message: `${written} needs a value`, code: 'engine-arg-value', severity: 'error' });
        continue;
      }
      index++;
      value = next.value;
      valueRange = { start: next.start, end: next.end };
    }
    const problem = valueProblem(spec, written, value, valueRange, source);
    if (problem) {
      problems.push(problem);
      continue;
    }
    options.push({ spec, name, value, enabled, nameRange, valueRange, range: { start: item.start, end: valueRange.end }, ...(subKey !== undefined ? { subKey } : {}) });
  }
  return { options, ...(model ? { model } : {}), problems };
}
