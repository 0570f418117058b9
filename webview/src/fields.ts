/**
 * The deployment fields the panel's controls edit, and how to read their current values from the
 * last analysis. The document is the source of truth: a control shows what `editableFields` says,
 * or the documented default when the field is not written.
 */
import type { DocumentAnalysis, EditableField } from '../../language-server/src/protocol/lsp';

export type FieldPath = readonly (string | number)[];

export const NUMBER_FORMAT_CHOICES = ['fp16', 'bf16', 'fp8', 'int8', 'int4', 'fp4'] as const;

export type ControlId =
  | 'batchSize'
  | 'promptTokens'
  | 'outputTokens'
  | 'weightFormat'
  | 'activationFormat'
  | 'kvCacheFormat'
  | 'flashAttention'
  | 'tensorParallel';

export interface ControlField {
  id: ControlId;
  label: string;
  path: FieldPath;
  kind: 'positiveInteger' | 'format' | 'boolean';
}

/** Defaults of the deployment format (see the shared brief: workload 1/1024/256, fp16, tensor 1). */
export const CONTROL_FIELDS: readonly ControlField[] = [
  { id: 'batchSize', label: 'Batch size', path: ['workload', 'batch_size'], kind: 'positiveInteger' },
  { id: 'promptTokens', label: 'Prompt tokens', path: ['workload', 'prompt_tokens'], kind: 'positiveInteger' },
  { id: 'outputTokens', label: 'Output tokens', path: ['workload', 'output_tokens'], kind: 'positiveInteger' },
  { id: 'weightFormat', label: 'Weights', path: ['quantization', 'weights'], kind: 'format' },
  { id: 'activationFormat', label: 'Activations', path: ['quantization', 'activations'], kind: 'format' },
  { id: 'kvCacheFormat', label: 'KV cache', path: ['quantization', 'kv_cache'], kind: 'format' },
  { id: 'flashAttention', label: 'FlashAttention', path: ['flash_attention'], kind: 'boolean' },
  { id: 'tensorParallel', label: 'Tensor parallel', path: ['parallelism', 'tensor'], kind: 'positiveInteger' },
];

export function samePath(a: FieldPath, b: FieldPath): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}

export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

export function findField(analysis: DocumentAnalysis, path: FieldPath): EditableField | undefined {
  return analysis.editableFields.find((field) => samePath(field.path, path));
}

function defaultValue(analysis: DocumentAnalysis, field: ControlField): unknown {
  switch (field.id) {
    case 'batchSize':
      return 1;
    case 'promptTokens':
      return 1024;
    case 'outputTokens':
      return 256;
    case 'weightFormat':
    case 'activationFormat':
    case 'kvCacheFormat':
      return 'fp16';
    case 'flashAttention':
      // LLM-Viewer's conventions default to no FlashAttention; ours default to using it.
      return analysis.result?.conventions !== 'llm-viewer';
    case 'tensorParallel':
      return 1;
  }
}

/** The value a control shows: the document's, else the default. */
export function controlValue(analysis: DocumentAnalysis, field: ControlField): unknown {
  const written = findField(analysis, field.path);
  return written !== undefined && written.value !== undefined && written.value !== null ? written.value : defaultValue(analysis, field);
}

/** A control is usable when the document is a deployment and the server lists the field as editable. */
export function isControlEditable(analysis: DocumentAnalysis, field: ControlField): boolean {
  return analysis.kind === 'deployment' && findField(analysis, field.path) !== undefined;
}

/** Parses what a user typed into a count field; undefined when it is not a whole number ≥ 1. */
export function parsePositiveInteger(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}

/** How a number format is shown in a select: names as they are, bit counts as "8-bit". */
export function formatChoiceLabel(value: unknown): string {
  if (typeof value === 'number') return `${value}-bit`;
  return String(value);
}
