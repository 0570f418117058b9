/**
 * What the panel remembers across reloads (through `vscode.setState`): view choices only, never
 * document values, which always come from the last analysis. `uri` says which deployment the
 * panel shows, so a panel revived after a restart reopens on the same file.
 */
import type { StageName } from '../../language-server/src/engine/types';
import type { BottleneckMode } from './charts/bottleneck';
import { COMPARISON_COLUMNS, type ComparisonSort } from './charts/comparison';
import { DEFAULT_PLAN_SORT, restorePlanSort, type PlanSort } from './charts/planSort';
import { SWEEP_AXES, type SweepAxis } from './sweepData';

export type ChartId = 'roofline' | 'bottleneck' | 'memory' | 'sweep' | 'serving' | 'plan';

export const CHART_IDS: readonly ChartId[] = ['roofline', 'bottleneck', 'memory', 'sweep', 'serving', 'plan'];

export interface PanelState {
  stage: StageName;
  bottleneckMode: BottleneckMode;
  sweepAxis: SweepAxis;
  /** Data tables shown under the charts (they are always in the page for screen readers). */
  showTables: boolean;
  /** The notes on how the figures were counted, open (they start folded: the charts come first). */
  showNotes: boolean;
  /** Legend entries the user turned off, by chart. */
  hiddenSeries: Record<ChartId, string[]>;
  comparisonSort: ComparisonSort;
  /** How the Plan view's candidates table is sorted (cost, cheapest first, by default). */
  planSort: PlanSort;
  /** The deployment shown; absent until the first analysis. */
  uri?: string;
}

export function defaultPanelState(): PanelState {
  return {
    stage: 'decode',
    bottleneckMode: 'total',
    sweepAxis: 'batch_size',
    showTables: false,
    showNotes: false,
    hiddenSeries: { roofline: [], bottleneck: [], memory: [], sweep: [], serving: [], plan: [] },
    comparisonSort: { column: 'tpot', descending: false },
    planSort: DEFAULT_PLAN_SORT,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whatever was stored (older versions, hand edits), read back field by field with defaults. */
export function restorePanelState(stored: unknown): PanelState {
  const state = defaultPanelState();
  if (!isObject(stored)) return state;
  if (stored.stage === 'prefill' || stored.stage === 'decode') state.stage = stored.stage;
  if (stored.bottleneckMode === 'total' || stored.bottleneckMode === 'breakdown') state.bottleneckMode = stored.bottleneckMode;
  if ((SWEEP_AXES as readonly unknown[]).includes(stored.sweepAxis)) state.sweepAxis = stored.sweepAxis as SweepAxis;
  if (typeof stored.showTables === 'boolean') state.showTables = stored.showTables;
  if (typeof stored.showNotes === 'boolean') state.showNotes = stored.showNotes;
  if (isObject(stored.hiddenSeries)) {
    for (const id of CHART_IDS) {
      const labels = stored.hiddenSeries[id];
      if (Array.isArray(labels)) state.hiddenSeries[id] = labels.filter((label): label is string => typeof label === 'string');
    }
  }
  if (typeof stored.uri === 'string' && stored.uri.length > 0) state.uri = stored.uri;
  const sort = stored.comparisonSort;
  if (isObject(sort) && COMPARISON_COLUMNS.some((c) => c.id === sort.column) && typeof sort.descending === 'boolean') {
    state.comparisonSort = { column: sort.column as ComparisonSort['column'], descending: sort.descending };
  }
  state.planSort = restorePlanSort(stored.planSort);
  return state;
}
