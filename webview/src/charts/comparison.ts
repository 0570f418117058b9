/** Sorting and formatting of the hardware comparison table. */
import type { ComparisonRow } from '../../../language-server/src/protocol/webview';
import { formatBytes, formatSeconds, formatTokensPerSecond } from '../../../language-server/src/format/units';

export type ComparisonColumn = 'hardware' | 'fits' | 'targets' | 'ttft' | 'tpot' | 'tokensPerSecond' | 'memory';

export const COMPARISON_COLUMNS: readonly { id: ComparisonColumn; label: string }[] = [
  { id: 'hardware', label: 'Hardware' },
  { id: 'fits', label: 'Fits' },
  { id: 'targets', label: 'Meets targets' },
  { id: 'ttft', label: 'TTFT' },
  { id: 'tpot', label: 'TPOT' },
  { id: 'tokensPerSecond', label: 'Tokens/s' },
  { id: 'memory', label: 'Memory / usable' },
];

export interface ComparisonSort {
  column: ComparisonColumn;
  descending: boolean;
}

function sortKey(row: ComparisonRow, column: ComparisonColumn): string | number {
  switch (column) {
    case 'hardware':
      return row.hardware.toLowerCase();
    case 'fits':
      return row.fits ? 1 : 0;
    case 'targets':
      return row.meets_targets === undefined ? -1 : row.meets_targets ? 1 : 0;
    case 'ttft':
      return row.ttft_seconds;
    case 'tpot':
      return row.tpot_seconds;
    case 'tokensPerSecond':
      return row.output_tokens_per_second;
    case 'memory':
      return row.total_memory_bytes;
  }
}

/** Rows with an error (no numbers) always go last; ties keep hardware order. */
export function sortComparisonRows(rows: readonly ComparisonRow[], sort: ComparisonSort): ComparisonRow[] {
  return [...rows].sort((a, b) => {
    if (Boolean(a.error) !== Boolean(b.error)) return a.error ? 1 : -1;
    const left = sortKey(a, sort.column);
    const right = sortKey(b, sort.column);
    let order = typeof left === 'string' || typeof right === 'string' ? String(left).localeCompare(String(right)) : left - right;
    if (!Number.isFinite(order)) order = 0;
    if (order === 0) order = a.hardware.localeCompare(b.hardware);
    return sort.descending ? -order : order;
  });
}

/** Clicking the sorted column flips the direction; another column sorts ascending (fits: fitting first). */
export function nextSort(current: ComparisonSort, column: ComparisonColumn): ComparisonSort {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: column === 'fits' || column === 'targets' || column === 'tokensPerSecond' };
}

/**
 * Memory beside the memory the deployment may use, as one figure: "29.2 / 72.0 GiB" (one unit, so
 * it never splits from its number). Usable is memory.utilization × capacity, what `fits` is
 * measured against everywhere (engine/capacity.ts).
 */
function memoryCell(row: ComparisonRow): string {
  if (row.capacity_bytes === undefined) return formatBytes(row.total_memory_bytes);
  const capacity = formatBytes(row.capacity_bytes * (row.memory_utilization ?? 1));
  const unit = capacity.split(' ')[1];
  const total = formatBytes(row.total_memory_bytes);
  return total.endsWith(` ${unit}`) ? `${total.slice(0, -unit!.length - 1)} / ${capacity}` : `${total} / ${capacity}`;
}

export function comparisonCells(row: ComparisonRow): string[] {
  if (row.error) return [row.hardware, '—', '—', '—', '—', '—', row.error];
  const targets = row.meets_targets === undefined ? 'no targets' : row.meets_targets ? 'yes' : 'no';
  return [row.hardware, row.fits ? 'yes' : 'no', targets, formatSeconds(row.ttft_seconds), formatSeconds(row.tpot_seconds), formatTokensPerSecond(row.output_tokens_per_second), memoryCell(row)];
}

