/**
 * Sweeps: the same deployment evaluated across batch sizes and prompt lengths. The host sends
 * them with a `sweep` message after each analysis (types in the protocol module); a `sweep`
 * field on the analysis object carries the same data. Both are validated here before anything
 * is drawn.
 */
import type { DocumentAnalysis } from '../../language-server/src/protocol/lsp';
import type { SweepAxis, SweepData, SweepMessage, SweepPoint, SweepSeries } from '../../language-server/src/protocol/webview';

export type { SweepAxis, SweepData, SweepMessage, SweepPoint, SweepSeries };

export const SWEEP_AXES: readonly SweepAxis[] = ['batch_size', 'prompt_tokens'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isSweepPoint(value: unknown): value is SweepPoint {
  return (
    isObject(value) &&
    isFiniteNumber(value.x) &&
    value.x > 0 &&
    isFiniteNumber(value.ttft_seconds) &&
    isFiniteNumber(value.tpot_seconds) &&
    isFiniteNumber(value.output_tokens_per_second) &&
    isFiniteNumber(value.total_memory_bytes) &&
    typeof value.fits === 'boolean'
  );
}

function isSweepSeries(value: unknown): value is SweepSeries {
  return (
    isObject(value) &&
    Array.isArray(value.points) &&
    value.points.every(isSweepPoint) &&
    isFiniteNumber(value.current) &&
    (value.memory_limit === undefined || isFiniteNumber(value.memory_limit))
  );
}

export function isSweepData(value: unknown): value is SweepData {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => (SWEEP_AXES as readonly string[]).includes(key) && isSweepSeries(value[key]));
}

export function isSweepMessage(value: unknown): value is SweepMessage {
  return (
    isObject(value) &&
    value.type === 'sweep' &&
    typeof value.uri === 'string' &&
    isFiniteNumber(value.version) &&
    isSweepData(value.sweep)
  );
}

/** The sweep carried on an analysis object, if it has a valid one. */
export function sweepOfAnalysis(analysis: DocumentAnalysis): SweepData | undefined {
  const candidate: unknown = (analysis as DocumentAnalysis & { sweep?: unknown }).sweep;
  return isSweepData(candidate) ? candidate : undefined;
}

/** The axis to draw: the requested one when present, else the first available. */
export function chooseSweepAxis(sweep: SweepData, requested: SweepAxis): SweepAxis | undefined {
  if (sweep[requested]) return requested;
  return SWEEP_AXES.find((axis) => sweep[axis] !== undefined);
}

export function sweepAxisLabel(axis: SweepAxis): string {
  switch (axis) {
    case 'batch_size':
      return 'Batch size';
    case 'prompt_tokens':
      return 'Prompt tokens';
  }
}
