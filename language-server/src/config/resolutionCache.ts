/**
 * Resolutions of deployments given as plain values (the library's `analyze()`, the planner), kept
 * for the next call with the same deployment but another workload: a user (or a loop) changing the
 * batch size, prompt or output length resolves model, hardware, formats and serving again for
 * nothing. A resolution is found by a deep comparison of the whole deployment but its `workload:`
 * with a copy taken when it was made, so an object edited in place or replaced never finds a stale
 * one. The workload is then checked against the schema's own rules for it (types, minimums, no
 * other keys); anything else, or anything unusual, goes the full way, which places the problems.
 *
 * Only resolutions that read no file are kept (presets and inline objects: a file may change on
 * disk between calls), with no `vllm:`/`sglang:`/`trtllm:` arguments and no `measured:` results
 * (both read files and workload lengths), without problems of any kind, and with finite numbers
 * only: a deployment found here has none other (its workload's are checked), so the library's
 * walk for NaN and infinities is left for deployments not found.
 */
import { SCHEMAS, type SchemaObject } from './schemas';
import type { ConfigHost, ResolvedDeployment } from './types';
import type { EngineInput, WorkloadSpec } from '../engine/types';
import { DEFAULT_WORKLOAD } from './resolveDeployment';

/** Deployments kept: enough for a few files or API callers alternating, small enough to scan. */
const ENTRIES_KEPT = 8;
/** Nesting followed when copying and comparing (the resolution bounds depth the same way). */
const MAX_DEPTH = 64;

interface Entry {
  host: ConfigHost;
  uri: string;
  /** The deployment without `workload`, as it was when resolved; every number in it finite. */
  copy: Record<string, unknown>;
  /** `Object.keys(copy)`, which never changes (the copy is this cache's own). */
  copyKeys: string[];
  input: EngineInput;
  resolved: ResolvedDeployment;
}

interface WorkloadRule {
  key: 'batch_size' | 'prompt_tokens' | 'output_tokens';
  field: keyof WorkloadSpec;
  integer: boolean;
  minimum: number;
}

/** Keywords of a workload field the fast check knows how to apply; any other turns the check off. */
const KNOWN_KEYWORDS = new Set(['title', 'description', 'markdownDescription', 'default', 'examples', 'type', 'minimum']);
const FIELDS: Record<string, keyof WorkloadSpec> = { batch_size: 'batchSize', prompt_tokens: 'promptTokens', output_tokens: 'outputTokens' };

/** The schema's rules for `workload:`, or undefined when it says more than the fast check applies. */
function workloadRulesOf(schema: SchemaObject): WorkloadRule[] | undefined {
  const workload = (schema.properties as Record<string, SchemaObject> | undefined)?.workload;
  if (!workload || workload.type !== 'object' || workload.additionalProperties !== false) return undefined;
  for (const keyword of Object.keys(workload)) {
    if (!['title', 'description', 'markdownDescription', 'type', 'additionalProperties', 'properties'].includes(keyword)) return undefined;
  }
  const rules: WorkloadRule[] = [];
  for (const [key, rule] of Object.entries((workload.properties ?? {}) as Record<string, SchemaObject>)) {
    const field = FIELDS[key];
    if (!field || Object.keys(rule).some((keyword) => !KNOWN_KEYWORDS.has(keyword))) return undefined;
    if ((rule.type !== 'integer' && rule.type !== 'number') || typeof rule.minimum !== 'number') return undefined;
    rules.push({ key: key as WorkloadRule['key'], field, integer: rule.type === 'integer', minimum: rule.minimum });
  }
  return rules.length === Object.keys(FIELDS).length ? rules : undefined;
}

const WORKLOAD_RULES = workloadRulesOf(SCHEMAS.deployment);

/** The engine's workload of a `workload:` value the schema accepts, or undefined (the full way then reports it). */
function workloadOf(value: unknown): WorkloadSpec | undefined {
  if (!WORKLOAD_RULES) return undefined;
  let batchSize: number = DEFAULT_WORKLOAD.batchSize;
  let promptTokens: number = DEFAULT_WORKLOAD.promptTokens;
  let outputTokens: number = DEFAULT_WORKLOAD.outputTokens;
  if (value === undefined) return { batchSize, promptTokens, outputTokens };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const written = value as Record<string, unknown>;
  let seen = 0;
  for (const rule of WORKLOAD_RULES) {
    const number = written[rule.key];
    if (number === undefined) continue;
    seen++;
    if (typeof number !== 'number' || !Number.isFinite(number) || (rule.integer && !Number.isInteger(number)) || number < rule.minimum) return undefined;
    // Named stores rather than workload[rule.field]: a store by a key that varies is a hash lookup.
    if (rule.field === 'batchSize') batchSize = number;
    else if (rule.field === 'promptTokens') promptTokens = number;
    else outputTokens = number;
  }
  // Another key (or an inherited one) would be an unknown-key problem.
  for (const key in written) {
    if (!Object.prototype.hasOwnProperty.call(written, key) || !(key in FIELDS)) return undefined;
  }
  return seen <= WORKLOAD_RULES.length ? { batchSize, promptTokens, outputTokens } : undefined;
}

function isPlainRecord(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A copy of plain data (what a deployment is) with finite numbers only; throws when it is not plain, too deep or has another number. */
function copyOf(value: unknown, depth: number): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('not a finite number');
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) throw new Error('too deep');
  if (Array.isArray(value)) return value.map((item) => copyOf(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) throw new Error('not plain data');
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyOf((value as Record<string, unknown>)[key], depth + 1);
  return copy;
}

/** Same plain data, keys in the same order (the order a problem list or a report would follow). */
function sameData(value: unknown, copy: unknown, depth: number): boolean {
  if (Object.is(value, copy)) return true;
  if (value === null || copy === null || typeof value !== 'object' || typeof copy !== 'object' || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    if (!Array.isArray(copy) || value.length !== copy.length) return false;
    for (let index = 0; index < value.length; index++) if (!sameData(value[index], copy[index], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(copy)) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const keys = Object.keys(value);
  const copyKeys = Object.keys(copy);
  if (keys.length !== copyKeys.length) return false;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (key !== copyKeys[index] || !sameData((value as Record<string, unknown>)[key], (copy as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** The same deployment but its workload: every top-level key in order, `workload` skipped. */
function sameButWorkload(deployment: Record<string, unknown>, copy: Record<string, unknown>, copyKeys: readonly string[]): boolean {
  const keys = Object.keys(deployment);
  let at = 0;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (key === 'workload') continue;
    if (copyKeys[at] !== key || !sameData(deployment[key], copy[key], 1)) return false;
    at++;
  }
  return at === copyKeys.length;
}

export class ResolutionCache {
  /** Most recently used last. */
  private readonly entries: Entry[] = [];

  /**
   * The engine input of `deployment` from a kept resolution, with its own workload, or undefined
   * when none is kept for it or its workload is not one the schema plainly accepts.
   */
  inputFor(deployment: Record<string, unknown>, uri: string, host: ConfigHost): { input: EngineInput; resolved: ResolvedDeployment } | undefined {
    const entries = this.entries;
    if (entries.length === 0 || !isPlainRecord(deployment)) return undefined;
    for (let index = entries.length - 1; index >= 0; index--) {
      const entry = entries[index]!;
      if (entry.host !== host || entry.uri !== uri || !sameButWorkload(deployment, entry.copy, entry.copyKeys)) continue;
      const workload = workloadOf(deployment.workload);
      if (!workload) return undefined;
      if (index !== entries.length - 1) {
        entries.splice(index, 1);
        entries.push(entry);
      }
      // The input is the caller's: its own object and workload, the resolved parts shared (the engine reads them only).
      const input = { ...entry.input, workload };
      return { input, resolved: entry.resolved };
    }
    return undefined;
  }

  /** Keeps the resolution of `deployment` when it may be reused (see the file's comment). */
  remember(deployment: Record<string, unknown>, uri: string, host: ConfigHost, resolved: ResolvedDeployment, readsMore: boolean): void {
    const input = resolved.input;
    if (!input || readsMore || !isPlainRecord(deployment) || resolved.problems.length > 0 || resolved.dependencies.length > 0 || resolved.checkpoint) return;
    let copy: Record<string, unknown>;
    try {
      copy = {};
      for (const key of Object.keys(deployment)) if (key !== 'workload') copy[key] = copyOf(deployment[key], 1);
    } catch {
      return;
    }
    if (this.entries.length >= ENTRIES_KEPT) this.entries.shift();
    this.entries.push({ host, uri, copy, copyKeys: Object.keys(copy), input, resolved });
  }

  get size(): number {
    return this.entries.length;
  }
}
