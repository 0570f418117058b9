/**
 * Every message between the extension host and the roofline panel, as discriminated unions.
 * Both sides import this module; each side validates what it receives with the guards below.
 */
import type { DocumentAnalysis, PlanOutcome, ServingCurve } from './lsp';

/** Hardware comparison: the same deployment on other hardware. */
export interface ComparisonRow {
  hardware: string;
  fits: boolean;
  ttft_seconds: number;
  tpot_seconds: number;
  output_tokens_per_second: number;
  total_memory_bytes: number;
  capacity_bytes?: number;
  /** The share of capacity_bytes a deployment may use to fit (memory.utilization); with capacity_bytes. */
  memory_utilization?: number;
  /** Every `targets:` entry met (engine/targets.ts); absent when the deployment states no targets. */
  meets_targets?: boolean;
  error?: string;
}

/** What a sweep varies in the panel. */
export type SweepAxis = 'batch_size' | 'prompt_tokens';

export interface SweepPoint {
  /** The swept value: a batch size or a prompt length in tokens. */
  x: number;
  ttft_seconds: number;
  tpot_seconds: number;
  output_tokens_per_second: number;
  total_memory_bytes: number;
  fits: boolean;
}

export interface SweepSeries {
  points: SweepPoint[];
  /** The value the document has now. */
  current: number;
  /** The largest swept value that still fits in memory; absent when none fits or capacity is unknown. */
  memory_limit?: number;
}

export type SweepData = Partial<Record<SweepAxis, SweepSeries>>;

/**
 * Extension host → panel, after each analysis: the deployment swept across batch sizes and
 * prompt lengths, for the analysis of `uri` at `version`. Sent beside `ToWebviewMessage` (the
 * panel checks it with its own guard, webview/src/sweepData.ts).
 */
export interface SweepMessage {
  type: 'sweep';
  uri: string;
  version: number;
  sweep: SweepData;
}

/** Extension host → panel. */
export type ToWebviewMessage =
  | { type: 'analysis'; analysis: DocumentAnalysis }
  | { type: 'noDocument' }
  | { type: 'editRefused'; reason: string }
  | { type: 'comparison'; rows: ComparisonRow[] }
  /** The serving curve of the analysis of `uri` at `version` (deployments with `serving:`). */
  | { type: 'servingCurve'; uri: string; version: number; curve: ServingCurve }
  /** A plan search started for `uri` (from the panel or the code action on `targets:`). */
  | { type: 'planStarted'; uri: string }
  | { type: 'plan'; outcome: PlanOutcome };

/**
 * Edits made by one continuous gesture (a slider drag): they make one undo step in the editor.
 * `last` marks the edit that ends it.
 */
export interface EditGesture {
  id: number;
  last: boolean;
}

/** Panel → extension host. */
export type FromWebviewMessage =
  | { type: 'ready' }
  | { type: 'setField'; uri: string; version: number; path: (string | number)[]; value: unknown; gesture?: EditGesture }
  /** Ctrl+Z / Ctrl+Shift+Z (Cmd on macOS) or Ctrl+Y pressed in the panel: undo or redo in the document. */
  | { type: 'undoRedo'; uri: string; action: 'undo' | 'redo' }
  | { type: 'requestComparison'; uri: string; hardware?: string[] }
  | { type: 'exportFile'; suggestedName: string; mime: 'image/png' | 'text/csv' | 'text/markdown'; data: string }
  | { type: 'openSource'; uri: string; path: (string | number)[] }
  /** Search for the cheapest deployments that meet the targets of the document at `version`. */
  | { type: 'requestPlan'; uri: string; version: number }
  /**
   * Write candidate `index` of the last plan the host sent for `uri` into the document, as seen at
   * `version`: the host looks the candidate up itself (the page is not trusted with its values).
   */
  | { type: 'applyCandidate'; uri: string; version: number; index: number }
  /** Copy the shown deployment as the command that runs it on an engine (the extension's copy commands). */
  | { type: 'copyCommand'; uri: string; engine: 'vllm' | 'sglang' }
  /** Pick result files and add them under `measured:` of the shown deployment ("Import Measured Results..."). */
  | { type: 'importMeasured'; uri: string }
  /** Fit the hardware's efficiency terms to the shown deployment's measured results. */
  | { type: 'fitMeasured'; uri: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPath(value: unknown): value is (string | number)[] {
  return Array.isArray(value) && value.every((part) => typeof part === 'string' || typeof part === 'number');
}

function isGesture(value: unknown): value is EditGesture {
  return isObject(value) && typeof value.id === 'number' && Number.isFinite(value.id) && typeof value.last === 'boolean';
}

export function isFromWebviewMessage(value: unknown): value is FromWebviewMessage {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'ready':
      return true;
    case 'setField':
      return typeof value.uri === 'string' && typeof value.version === 'number' && isPath(value.path) && 'value' in value && (value.gesture === undefined || isGesture(value.gesture));
    case 'undoRedo':
      return typeof value.uri === 'string' && (value.action === 'undo' || value.action === 'redo');
    case 'requestComparison':
      return typeof value.uri === 'string' && (value.hardware === undefined || (Array.isArray(value.hardware) && value.hardware.every((h) => typeof h === 'string')));
    case 'exportFile':
      return typeof value.suggestedName === 'string' && typeof value.data === 'string' && ['image/png', 'text/csv', 'text/markdown'].includes(value.mime as string);
    case 'openSource':
      return typeof value.uri === 'string' && isPath(value.path);
    case 'requestPlan':
      return typeof value.uri === 'string' && typeof value.version === 'number';
    case 'applyCandidate':
      return typeof value.uri === 'string' && typeof value.version === 'number' && typeof value.index === 'number' && Number.isSafeInteger(value.index) && value.index >= 0;
    case 'copyCommand':
      return typeof value.uri === 'string' && (value.engine === 'vllm' || value.engine === 'sglang');
    case 'importMeasured':
    case 'fitMeasured':
      return typeof value.uri === 'string';
    default:
      return false;
  }
}

export function isToWebviewMessage(value: unknown): value is ToWebviewMessage {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'analysis':
      return isObject(value.analysis) && typeof value.analysis.uri === 'string' && typeof value.analysis.version === 'number';
    case 'noDocument':
      return true;
    case 'editRefused':
      return typeof value.reason === 'string';
    case 'comparison':
      return Array.isArray(value.rows);
    case 'servingCurve':
      return typeof value.uri === 'string' && typeof value.version === 'number' && isObject(value.curve) && Array.isArray(value.curve.points);
    case 'planStarted':
      return typeof value.uri === 'string';
    case 'plan':
      return isObject(value.outcome) && typeof value.outcome.uri === 'string' && (Array.isArray(value.outcome.candidates) || typeof value.outcome.error === 'string');
    default:
      return false;
  }
}
