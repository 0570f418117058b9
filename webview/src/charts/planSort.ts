/**
 * Sorting the Plan view's candidates table by any of its numeric columns. The plan arrives ranked
 * by cost, so that is the default; a sort the user picks is kept in the panel state and applied to
 * every plan that follows (a new search, or the panel reopened).
 */
import type { PlanRow } from '../../../language-server/src/protocol/lsp';

export type PlanSortColumn = 'rank' | 'cost' | 'gpus' | 'inFlight' | 'perGpu' | 'perUser' | 'ttft' | 'tpot';

export interface PlanSort {
  column: PlanSortColumn;
  descending: boolean;
}

export const DEFAULT_PLAN_SORT: PlanSort = { column: 'cost', descending: false };

/** The sortable columns by the header they sit under (PLAN_COLUMNS in planFront.ts). */
export const PLAN_SORT_COLUMNS: Readonly<Record<string, PlanSortColumn>> = {
  '#': 'rank',
  '$/M output': 'cost',
  GPUs: 'gpus',
  'In flight': 'inFlight',
  'tok/s per GPU': 'perGpu',
  'tok/s per user': 'perUser',
  TTFT: 'ttft',
  TPOT: 'tpot',
};

const SORT_COLUMNS = new Set<string>(Object.values(PLAN_SORT_COLUMNS));

/** Columns where more is better start with the largest first. */
const LARGEST_FIRST = new Set<PlanSortColumn>(['perGpu', 'perUser', 'inFlight']);

function sortKey(row: PlanRow, column: PlanSortColumn): number | undefined {
  switch (column) {
    case 'rank':
      return row.rank;
    case 'cost':
      return row.cost_per_million_output_tokens_usd;
    case 'gpus':
      return row.gpus;
    case 'inFlight':
      return row.metrics.concurrency;
    case 'perGpu':
      return row.metrics.output_tokens_per_second_per_gpu;
    case 'perUser':
      return row.metrics.output_tokens_per_second_per_user;
    case 'ttft':
      return row.metrics.ttft_ms;
    case 'tpot':
      return row.metrics.tpot_ms;
  }
}

/** Rows in the order of `sort`; rows without the figure (no price) go last, ties keep the plan's rank. */
export function sortPlanRows(rows: readonly PlanRow[], sort: PlanSort): PlanRow[] {
  return [...rows].sort((a, b) => {
    const left = sortKey(a, sort.column);
    const right = sortKey(b, sort.column);
    const leftKnown = typeof left === 'number' && Number.isFinite(left);
    const rightKnown = typeof right === 'number' && Number.isFinite(right);
    if (leftKnown !== rightKnown) return leftKnown ? -1 : 1;
    const order = leftKnown && rightKnown ? (sort.descending ? right! - left! : left! - right!) : 0;
    return order !== 0 ? order : a.rank - b.rank;
  });
}

/** The sorted column again flips the direction; another starts smallest first, or largest for rates and load. */
export function nextPlanSort(current: PlanSort, column: PlanSortColumn): PlanSort {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: LARGEST_FIRST.has(column) };
}

/** A stored sort read back, or the default. */
export function restorePlanSort(stored: unknown): PlanSort {
  if (stored === null || typeof stored !== 'object') return DEFAULT_PLAN_SORT;
  const { column, descending } = stored as Record<string, unknown>;
  return typeof column === 'string' && SORT_COLUMNS.has(column) && typeof descending === 'boolean' ? { column: column as PlanSortColumn, descending } : DEFAULT_PLAN_SORT;
}
