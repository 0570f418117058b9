/**
 * The custom requests of protocol/lsp.ts: a document's full analysis (with the fields the panel can
 * edit and where they are), and SetField (the smallest edit, refused on a stale version).
 */
import { setValueEdits, syntaxOfUri } from '../config/edit';
import type { JsonPath } from '../config/types';
import { NAMED_FORMATS, parseNumberFormat } from '../engine/index';
import type { DocumentAnalysis, EditableField, SetFieldParams, SetFieldResult } from '../protocol/lsp';
import { hasPath, valueAt } from '../config/parse';
import type { CheckedEntry, ParsedEntry } from './checker';
import { hasTechniques } from '../engine/techniques/spec';
import type { AnalysisResult, EngineInput } from '../engine/types';
import { techniqueBaseline } from './figures';
import { compareMeasured } from '../measured/compare';
import type { MeasuredComparison } from '../measured/types';

/** Predictions of the measured points, once per check (each point is a serving analysis). */
const measuredOfCheck = new WeakMap<CheckedEntry, MeasuredComparison>();

function measuredOf(entry: CheckedEntry): { measured?: MeasuredComparison } {
  const points = entry.check.measuredPoints;
  if (!points || !entry.input || !entry.result) return {};
  let measured = measuredOfCheck.get(entry);
  if (!measured) {
    measured = compareMeasured(entry.input, points);
    measuredOfCheck.set(entry, measured);
  }
  return { measured };
}

export const EDITABLE_PATHS: readonly JsonPath[] = [
  ['workload', 'batch_size'],
  ['workload', 'prompt_tokens'],
  ['workload', 'output_tokens'],
  ['quantization', 'weights'],
  ['quantization', 'activations'],
  ['quantization', 'kv_cache'],
  ['flash_attention'],
  ['parallelism', 'tensor'],
  ['conventions'],
  ['hardware'],
  ['model'],
];

/**
 * Performance targets: the panel checks the analysis against them. They have no default, so they
 * are reported only when the file writes them.
 */
export const TARGET_PATHS: readonly JsonPath[] = [
  ['targets', 'ttft_ms'],
  ['targets', 'tpot_ms'],
  ['targets', 'min_tokens_per_second'],
];

/** The value the analysis used for a field the file leaves out (the resolved default). */
function effectiveValue(entry: CheckedEntry, path: JsonPath): unknown {
  const input = entry.input;
  if (!input) return undefined;
  switch (path.join('.')) {
    case 'workload.batch_size':
      return input.workload.batchSize;
    case 'workload.prompt_tokens':
      return input.workload.promptTokens;
    case 'workload.output_tokens':
      return input.workload.outputTokens;
    case 'quantization.weights':
      return input.quantization.weights.name;
    case 'quantization.activations':
      return input.quantization.activations.name;
    case 'quantization.kv_cache':
      return input.quantization.kvCache.name;
    case 'flash_attention':
      return input.flashAttention;
    case 'parallelism.tensor':
      return input.parallelism.tensor;
    case 'conventions':
      return input.conventions;
    case 'hardware':
      return input.hardware.name;
    case 'model':
      return input.modelName;
    default:
      return undefined;
  }
}

function editableFields(entry: CheckedEntry): EditableField[] {
  if (entry.kind !== 'deployment') return [];
  const writtenTargets = TARGET_PATHS.filter((path) => hasPath(entry.parsed.value, path));
  return [...EDITABLE_PATHS, ...writtenTargets].map((path) => {
    const written = hasPath(entry.parsed.value, path);
    const location = written ? entry.parsed.locate(path) : undefined;
    const field: EditableField = {
      path: [...path],
      value: written ? valueAt(entry.parsed.value, path) : effectiveValue(entry, path),
    };
    if (location) {
      field.range = {
        start: entry.lines.positionAt(location.valueRange.start),
        end: entry.lines.positionAt(location.valueRange.end),
      };
    }
    return field;
  });
}

/** The deployment without its techniques, for the panel's before/after view. */
function baselineOf(input: EngineInput): { baseline?: AnalysisResult } {
  if (!hasTechniques(input.techniques)) return {};
  const baseline = techniqueBaseline(input);
  return baseline ? { baseline } : {};
}

export function documentAnalysis(entry: CheckedEntry): DocumentAnalysis {
  const errors = entry.result ? [] : entry.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.message);
  return {
    uri: entry.uri,
    version: entry.version,
    kind: entry.kind,
    ...(entry.result ? { result: entry.result } : {}),
    ...(entry.result && entry.input ? baselineOf(entry.input) : {}),
    errors,
    editableFields: editableFields(entry),
    ...(entry.input ? { modelName: entry.input.modelName, hardwareName: entry.input.hardware.name } : {}),
    ...measuredOf(entry),
  };
}

function positiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** Why a value cannot be written at `path`, or undefined when it can. */
export function invalidReason(path: JsonPath, value: unknown): string | undefined {
  const key = path.join('.');
  if (value === undefined) return 'a value is required';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'the value must be a finite number';
  switch (key) {
    case 'workload.batch_size':
    case 'workload.prompt_tokens':
    case 'workload.output_tokens':
    case 'parallelism.tensor':
    case 'parallelism.pipeline':
    case 'parallelism.expert':
      return positiveInteger(value) ? undefined : `${key} must be a positive whole number`;
    case 'quantization.weights':
    case 'quantization.activations':
    case 'quantization.kv_cache':
      try {
        parseNumberFormat(value, path);
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : `${key} must be one of ${Object.keys(NAMED_FORMATS).join(', ')}`;
      }
    case 'targets.ttft_ms':
    case 'targets.tpot_ms':
    case 'targets.min_tokens_per_second':
      return typeof value === 'number' && value > 0 ? undefined : `${key} must be a positive number`;
    case 'serving.disaggregated': {
      const pools = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
      const keys = pools ? Object.keys(pools).sort().join(',') : '';
      return pools && keys === 'decode_gpus,prefill_gpus' && positiveInteger(pools.prefill_gpus) && positiveInteger(pools.decode_gpus)
        ? undefined
        : `${key} must be { prefill_gpus, decode_gpus } in whole GPUs`;
    }
    case 'flash_attention':
      return typeof value === 'boolean' ? undefined : 'flash_attention must be true or false';
    case 'conventions':
      return value === 'default' || value === 'llm-viewer' ? undefined : "conventions must be 'default' or 'llm-viewer'";
    case 'hardware':
    case 'model':
      return (typeof value === 'string' && value.trim() !== '') || (value !== null && typeof value === 'object' && !Array.isArray(value))
        ? undefined
        : `${key} must be a preset id, a relative path or an inline map`;
    default:
      return undefined;
  }
}

export function setField(entry: ParsedEntry | undefined, openVersion: number | undefined, params: SetFieldParams): SetFieldResult {
  if (!entry || openVersion === undefined) return { refusedBecause: 'unknown-document', message: `${params.uri} is not open` };
  if (params.version !== openVersion) {
    return { refusedBecause: 'stale-version', message: `the document is at version ${openVersion}, the edit was made against ${params.version}` };
  }
  const key = JSON.stringify(params.path);
  if (entry.kind !== 'deployment' || ![...EDITABLE_PATHS, ...TARGET_PATHS].some((path) => JSON.stringify(path) === key)) {
    return { refusedBecause: 'invalid-value', message: `the panel does not edit ${params.path.join('.') || 'the whole document'}` };
  }
  // An edit of text that does not parse would land in the wrong place (after a JSON object's closing brace).
  if (entry.parsed.syntaxProblems.some((problem) => problem.severity === 'error')) {
    return { refusedBecause: 'invalid-value', message: 'the document has syntax errors: fix them before editing from the panel' };
  }
  const reason = invalidReason(params.path, params.value);
  if (reason) return { refusedBecause: 'invalid-value', message: reason };
  const edits = setValueEdits(entry.text, syntaxOfUri(entry.uri), params.path, params.value);
  if (!edits) return { refusedBecause: 'invalid-value', message: `cannot write ${params.path.join('.')} into this document (fix its syntax first)` };
  return {
    edits: edits.map((edit) => ({
      range: { start: entry.lines.positionAt(edit.start), end: entry.lines.positionAt(edit.end) },
      newText: edit.newText,
    })),
  };
}
