/**
 * The message guards check a message's envelope; before drawing, the analysis itself is checked
 * field by field, so a malformed result shows a message instead of broken charts (or NaN).
 */
import type { AnalysisResult } from '../../language-server/src/engine/types';
import type { DocumentAnalysis, EditableField } from '../../language-server/src/protocol/lsp';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function allFinite(value: unknown, keys: readonly string[]): boolean {
  return isObject(value) && keys.every((key) => isFiniteNumber(value[key]));
}

function isLayer(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.name === 'string' &&
    allFinite(value, ['count', 'flops', 'arithmetic_intensity', 'seconds']) &&
    allFinite(value.bytes, ['weights', 'activations_in', 'activations_out', 'kv_read', 'kv_write']) &&
    (value.bound === 'memory' || value.bound === 'compute' || value.bound === 'network')
  );
}

const MEMORY_KEYS = ['weights_bytes', 'kv_cache_bytes', 'activations_bytes', 'total_bytes'] as const;

function isStage(value: unknown): boolean {
  return (
    isObject(value) &&
    Array.isArray(value.layers) &&
    value.layers.every(isLayer) &&
    allFinite(value.totals, ['flops', 'bytes', 'seconds']) &&
    allFinite(value.memory, MEMORY_KEYS)
  );
}

export function isRenderableResult(value: unknown): value is AnalysisResult {
  if (!isObject(value) || !isObject(value.stages)) return false;
  const memory = value.memory;
  const hardware = value.hardware;
  const model = value.model;
  return (
    isStage(value.stages.prefill) &&
    isStage(value.stages.decode) &&
    allFinite(memory, MEMORY_KEYS) &&
    isObject(memory) &&
    typeof memory.fits === 'boolean' &&
    (memory.capacity_bytes === undefined || isFiniteNumber(memory.capacity_bytes)) &&
    allFinite(value.metrics, ['ttft_seconds', 'tpot_seconds', 'e2e_seconds', 'output_tokens_per_second']) &&
    allFinite(hardware, ['memory_bandwidth_bytes_per_second', 'peak_ops_per_second', 'ridge_point']) &&
    isObject(hardware) &&
    typeof hardware.name === 'string' &&
    typeof hardware.compute_precision === 'string' &&
    isObject(model) &&
    typeof model.name === 'string' &&
    isFiniteNumber(model.parameters) &&
    Array.isArray(value.notes) &&
    value.notes.every((note) => typeof note === 'string') &&
    (value.conventions === 'default' || value.conventions === 'llm-viewer')
  );
}

function isEditableField(value: unknown): value is EditableField {
  return isObject(value) && Array.isArray(value.path) && value.path.every((part) => typeof part === 'string' || typeof part === 'number');
}

export interface ReadAnalysis {
  analysis: DocumentAnalysis;
  /** Set when a result was sent but could not be read. */
  problem?: string;
}

/** The analysis with unreadable parts dropped (and said so). */
export function readAnalysis(analysis: DocumentAnalysis): ReadAnalysis {
  const errors = Array.isArray(analysis.errors) ? analysis.errors.filter((e): e is string => typeof e === 'string') : [];
  const editableFields = Array.isArray(analysis.editableFields) ? analysis.editableFields.filter(isEditableField) : [];
  const resultReadable = analysis.result === undefined || isRenderableResult(analysis.result);
  const cleaned: DocumentAnalysis = { ...analysis, errors, editableFields, result: resultReadable ? analysis.result : undefined };
  return resultReadable ? { analysis: cleaned } : { analysis: cleaned, problem: 'The analysis result could not be read, so nothing is drawn.' };
}
