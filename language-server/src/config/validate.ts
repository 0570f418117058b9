/**
 * Schema validation of a parsed document: ajv's errors become problems on the exact key or value,
 * with stable codes and messages a user understands:
 * `unknown-key` (with did-you-mean from the schema's keys), `wrong-type`, `out-of-range`,
 * `bad-enum` (with the allowed values), `missing-key`, `invalid-value`, and `empty-document`.
 */
import type { ErrorObject } from 'ajv';
import { NAMED_FORMATS } from '../engine/formats';
import { suggestIds } from '../presets/suggest';
import { countCheckWork, lookAtCheckBudget } from './checkBudget';
import { valueAt } from './parse';
import { firstLineRange, formatPath, hasErrors, problemAt, quoteValue, withField } from './problems';
import { propertyNames, schemaErrors } from './schemas';
import type { ConfigProblem, JsonPath, ParsedDocument } from './types';

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'a map of keys',
  array: 'a list',
  null: 'nothing',
};

const KIND_WORDS: Record<ParsedDocument['kind'], string> = {
  deployment: 'a deployment needs at least `model:` and `hardware:`',
  hardware: 'a hardware file needs `extends:` or `memory_bandwidth_gb_s` and `peak_tflops`',
  model: 'a model file needs `extends:` or the Hugging Face config fields',
  'hf-config': 'a Hugging Face config needs at least hidden_size, num_hidden_layers, num_attention_heads and vocab_size',
};

const MISSING_KEY_HINTS: Record<string, string> = {
  model: 'a preset id such as meta-llama/Llama-3.1-8B, a path to a config.json, or an inline config',
  hardware: 'a preset id such as nvidia-h100-sxm, a path to a *.hardware.yaml, or an inline object',
  bandwidth_gb_s: 'one-direction interconnect bandwidth in GB/s',
};

/** `got` wording: the value and what it is. */
function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map of keys';
  if (typeof value === 'string') return `the text ${quoteValue(value)}`;
  if (typeof value === 'number' && !Number.isFinite(value)) return `${Number.isNaN(value) ? '.nan' : '.inf'} (not a finite number)`;
  return quoteValue(value);
}

function pointerToPath(pointer: string, root: unknown): (string | number)[] {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key: string | number = Array.isArray(current) && /^\d+$/.test(segment) ? Number(segment) : segment;
    path.push(key);
    current = current !== null && typeof current === 'object' ? (current as Record<string | number, unknown>)[key] : undefined;
  }
  return path;
}

function typesOf(schema: unknown): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const type = (schema as { type?: unknown }).type;
  return Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function expectedTypes(types: string[]): string {
  const words = [...new Set(types.filter((type) => type !== 'null' || types.length === 1).map((type) => TYPE_WORDS[type] ?? type))];
  return words.length <= 1 ? (words[0] ?? 'a value') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function listValues(values: readonly unknown[]): string {
  return values.map((value) => (typeof value === 'string' ? value : quoteValue(value))).join(', ');
}

function enumMessage(value: unknown, allowed: readonly unknown[]): { message: string; suggestions: string[] } {
  const names = allowed.filter((item): item is string => typeof item === 'string');
  const numbers = allowed.filter((item): item is number => typeof item === 'number');
  const close = typeof value === 'string' ? suggestIds(value, names) : [];
  const didYouMean = close.length > 0 ? `; did you mean "${close[0]}"?` : '';
  if (names.includes('fp16') && numbers.includes(16)) {
    const what = typeof value === 'number' ? `${quoteValue(value)} is not a supported bit width` : `${quoteValue(value)} is not a supported number format`;
    const plain = names.filter((name) => NAMED_FORMATS[name] !== undefined);
    const grouped = names.filter((name) => NAMED_FORMATS[name] === undefined);
    const groupedHint = grouped.length > 0 ? `, a format with group scales (${grouped.join(', ')}) or a map { format, group_size, scale, zero_point }` : '';
    return {
      message: `${what}: use a format name (${plain.join(', ')}) or a bit count (${numbers.join(', ')})${groupedHint}${didYouMean}`,
      suggestions: close.length > 0 ? close : allowed.map(String),
    };
  }
  return {
    message: `${describeValue(value)} is not allowed: use one of ${listValues(allowed)}${didYouMean}`,
    suggestions: close.length > 0 ? close : allowed.map(String),
  };
}

/** A schema bound as people read it: 1,000,000,000 rather than 1000000000. */
function formatLimit(limit: number): string {
  return Math.abs(limit) >= 1e4 ? limit.toLocaleString('en-US') : String(limit);
}

function rangeMessage(error: ErrorObject, value: unknown): string {
  const rawLimit = (error.params as { limit: number }).limit;
  const limit = formatLimit(rawLimit);
  const integer = typesOf(error.parentSchema).includes('integer');
  const got = `got ${quoteValue(value)}`;
  switch (error.keyword) {
    case 'minimum':
      if (rawLimit === 1 && integer) return `must be a positive whole number, ${got}`;
      if (rawLimit === 0) return `must not be negative, ${got}`;
      return `must be at least ${limit}, ${got}`;
    case 'exclusiveMinimum':
      return rawLimit === 0 ? `must be a positive number, ${got}` : `must be more than ${limit}, ${got}`;
    case 'maximum':
      return `must be at most ${limit}, ${got}`;
    default:
      return `must be less than ${limit}, ${got}`;
  }
}

/**
 * `anyOf` alternatives (`model:` is a preset id, a path or a map): when the value's type picks an
 * alternative, the other alternatives' type errors are noise; when none fits, one wrong-type
 * error lists what would.
 */
function resolveAlternatives(errors: ErrorObject[], root: unknown): { kept: ErrorObject[]; replaced: { error: ErrorObject; types: string[] }[] } {
  const dropped = new Set<ErrorObject>();
  const replaced: { error: ErrorObject; types: string[] }[] = [];
  for (const error of errors) {
    // One error per unknown key: a document can give thousands.
    countCheckWork();
    // `if`/`then`/`else` (a format map or a per-kind map) reports the branch's own errors; its
    // summary "must match then schema" adds nothing.
    if (error.keyword === 'if') dropped.add(error);
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') continue;
    dropped.add(error);
    const value = valueAt(root, pointerToPath(error.instancePath, root));
    const branches = (error.schema as unknown[]) ?? [];
    const branchTypes = branches.flatMap((branch) => {
      const ref = (branch as { $ref?: string }).$ref;
      return ref ? ['object'] : typesOf(branch);
    });
    const typeErrorsHere = errors.filter((other) => other.keyword === 'type' && other.instancePath === error.instancePath);
    typeErrorsHere.forEach((other) => dropped.add(other));
    // A map given where a list of names is also allowed (`weights: { format: int4, ... }`) is
    // checked by the map branch; the names branch's "not one of" says nothing useful about it.
    if (value !== null && typeof value === 'object') {
      errors.filter((other) => other.keyword === 'enum' && other.instancePath === error.instancePath).forEach((other) => dropped.add(other));
    }
    if (!branchTypes.some((type) => matchesType(value, type))) replaced.push({ error, types: branchTypes });
  }
  return { kept: errors.filter((error) => !dropped.has(error)), replaced };
}

function problemFor(doc: ParsedDocument, error: ErrorObject): ConfigProblem {
  const path = pointerToPath(error.instancePath, doc.value);
  const value = error.data;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = propertyNames(error.parentSchema);
      const suggestions = suggestIds(key, allowed);
      const where = path.length > 0 ? ` in ${formatPath(path)}` : '';
      const hint = suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : `; allowed keys: ${allowed.join(', ')}`;
      return problemAt(doc, [...path, key], 'unknown-key', `unknown key "${key}"${where}${hint}`, {
        onKey: true,
        suggestions,
      });
    }
    case 'required': {
      const key = (error.params as { missingProperty: string }).missingProperty;
      const hint = MISSING_KEY_HINTS[key];
      const range = path.length > 0 ? undefined : firstLineRange(doc.text);
      return problemAt(doc, path, 'missing-key', withField(path, `missing required key "${key}"${hint ? ` (${hint})` : ''}`), {
        onKey: true,
        ...(range ? { range } : {}),
      });
    }
    case 'type': {
      const types = typesOf(error.parentSchema);
      return problemAt(doc, path, 'wrong-type', withField(path, `expected ${expectedTypes(types)}, got ${describeValue(value)}`));
    }
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return problemAt(doc, path, 'out-of-range', withField(path, rangeMessage(error, value)));
    case 'enum': {
      const { message, suggestions } = enumMessage(value, (error.params as { allowedValues: unknown[] }).allowedValues);
      return problemAt(doc, path, 'bad-enum', withField(path, message), { suggestions });
    }
    case 'minLength':
      return problemAt(doc, path, 'invalid-value', withField(path, 'must not be empty'));
    default:
      return problemAt(doc, path, 'invalid-value', withField(path, error.message ?? 'invalid value'));
  }
}

/** Problems reported per document (syntax and schema); past this many, a file is not a config file. */
export const MAX_SCHEMA_PROBLEMS = 100;

/** Schema problems of a document (its syntax problems first; nothing else when the syntax is broken). */
export function validateDocument(doc: ParsedDocument): ConfigProblem[] {
  if (hasErrors(doc.syntaxProblems)) return capped(doc, doc.syntaxProblems, doc.syntaxProblems.length + (doc.unlistedSyntaxProblems ?? 0));
  const problems: ConfigProblem[] = [...doc.syntaxProblems];
  if (doc.value === undefined || doc.value === null) {
    problems.push(problemAt(doc, [], 'empty-document', `the file is empty: ${KIND_WORDS[doc.kind]}`, { range: firstLineRange(doc.text) }));
    return problems;
  }
  const errors = schemaErrors(doc.kind, doc.value);
  // A small document counts too few units for the meter to look, but a first check compiles the
  // validators (up to about 15 ms): the check's budget is looked at once each document is validated.
  lookAtCheckBudget();
  // A valid document (every keystroke that does not break it): nothing to place or sort.
  if (errors.length === 0 && problems.length === 0) return problems;
  const { kept, replaced } = resolveAlternatives(errors, doc.value);
  // Each problem costs a lookup of its place in the text: a file of 40,000 unknown keys took minutes.
  const room = Math.max(0, MAX_SCHEMA_PROBLEMS - problems.length);
  const total = problems.length + kept.length + replaced.length;
  for (const error of kept.slice(0, room)) problems.push(problemFor(doc, error));
  for (const { error, types } of replaced.slice(0, Math.max(0, room - kept.length))) {
    const path = pointerToPath(error.instancePath, doc.value);
    const expected = path.length === 1 && (path[0] === 'model' || path[0] === 'hardware')
      ? `a preset id, a relative path or a map of ${path[0]} fields`
      : expectedTypes(types);
    problems.push(problemAt(doc, path, 'wrong-type', withField(path, `expected ${expected}, got ${describeValue(error.data)}`)));
  }
  return capped(doc, problems.sort((left, right) => left.range.start - right.range.start || left.range.end - right.range.end), total);
}

/** The first `MAX_SCHEMA_PROBLEMS` problems, and a note of how many more there are of `total`. */
export function capped(doc: ParsedDocument, problems: readonly ConfigProblem[], total: number): ConfigProblem[] {
  if (total <= MAX_SCHEMA_PROBLEMS) return [...problems];
  return [
    ...problems.slice(0, MAX_SCHEMA_PROBLEMS),
    problemAt(doc, [], 'too-many-problems', `${total - MAX_SCHEMA_PROBLEMS} more problems are not shown (the first ${MAX_SCHEMA_PROBLEMS} are)`, {
      range: firstLineRange(doc.text),
      severity: 'warning',
    }),
  ];
}

export type { JsonPath };
