/** The per-layer table as CSV: raw numbers in base units, one row per layer and stage. */
import type { AnalysisResult } from '../../../language-server/src/engine/types';
import { layerBytes } from '../charts/roofline';

const COLUMNS = [
  'stage',
  'layer',
  'count',
  'flops',
  'weight_bytes',
  'activation_in_bytes',
  'activation_out_bytes',
  'kv_read_bytes',
  'kv_write_bytes',
  'total_bytes',
  'arithmetic_intensity',
  'bound',
  'seconds',
  'stage_seconds',
];

/** RFC 4180 quoting: fields with commas, quotes or line breaks are quoted, quotes doubled. */
export function csvField(value: string | number): string {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function layersCsv(result: AnalysisResult): string {
  const lines = [COLUMNS.join(',')];
  for (const stage of ['prefill', 'decode'] as const) {
    for (const layer of result.stages[stage].layers) {
      lines.push(
        [
          stage,
          layer.name,
          layer.count,
          layer.flops,
          layer.bytes.weights,
          layer.bytes.activations_in,
          layer.bytes.activations_out,
          layer.bytes.kv_read,
          layer.bytes.kv_write,
          layerBytes(layer.bytes),
          layer.arithmetic_intensity,
          layer.bound,
          layer.seconds,
          layer.seconds * layer.count,
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
