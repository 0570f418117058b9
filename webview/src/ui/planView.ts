/**
 * The Plan view: a button asks the host for the cheapest deployments that meet the targets; the
 * answer is drawn as the Pareto front (the chart card given) and listed in a table whose rows can
 * be selected (marked on the chart) and applied (the host writes the candidate into the file). The
 * table sorts by any numeric column from buttons in its header (so the keyboard works too); the
 * sort stays for the next plan.
 */
import type { PlanOutcome } from '../../../language-server/src/protocol/lsp';
import { PLAN_COLUMNS, planCells, showableRows, type PlanSuccess } from '../charts/planFront';
import { nextPlanSort, PLAN_SORT_COLUMNS, sortPlanRows, type PlanSort, type PlanSortColumn } from '../charts/planSort';
import { clear, el } from './dom';

export interface PlanViewCallbacks {
  onRequest(): void;
  onApply(rank: number): void;
  /** A row was selected: the chart marks it. */
  onSelect(rank: number | undefined): void;
  /** The user sorted the table another way (to keep in the panel state). */
  onSortChanged(sort: PlanSort): void;
}

export class PlanView {
  readonly element: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly tableBox: HTMLElement;
  private readonly chart: HTMLElement;
  private readonly staleNote: HTMLElement;
  private outcome: PlanSuccess | undefined;
  private selected: number | undefined;
  private applied: number | undefined;
  private revealPending = false;

  constructor(
    chart: HTMLElement,
    private sort: PlanSort,
    private readonly callbacks: PlanViewCallbacks,
  ) {
    this.button = el('button', { type: 'button', text: 'Find cheapest deployment', 'data-action': 'plan' });
    this.button.addEventListener('click', () => {
      this.started();
      this.callbacks.onRequest();
    });
    this.status = el('p', { className: 'plan-status', role: 'status' });
    this.staleNote = el('p', { className: 'plan-stale', hidden: true, text: 'The file changed since this plan was made: Find cheapest deployment plans it again.' });
    this.tableBox = el('div', { className: 'plan-table' });
    chart.hidden = true;
    this.element = el('section', { className: 'card card-wide plan-view', id: 'plan-view', 'aria-labelledby': 'plan-heading' }, [
      el('header', { className: 'card-header' }, [el('h2', { id: 'plan-heading', text: 'Plan: the cheapest deployment that meets the targets' }), this.button]),
      this.status,
      this.staleNote,
      chart,
      this.tableBox,
    ]);
    this.chart = chart;
  }

  /** The plan shown, when there is one. */
  get shown(): PlanSuccess | undefined {
    return this.outcome;
  }

  get selectedRank(): number | undefined {
    return this.selected;
  }

  get sortedBy(): PlanSort {
    return this.sort;
  }

  setEnabled(enabled: boolean, reason: string): void {
    this.button.disabled = !enabled;
    this.button.title = enabled ? 'Search hardware, parallelism, formats and concurrency for the cheapest deployment that meets the targets' : reason;
  }

  /** A search started (here or from the code action): say so, and bring the view into sight. */
  started(): void {
    this.status.textContent = 'Searching hardware, parallelism, formats and concurrency…';
    this.element.setAttribute('aria-busy', 'true');
    this.revealPending = true;
    this.revealIfPending();
  }

  show(outcome: PlanOutcome): void {
    this.element.removeAttribute('aria-busy');
    if ('error' in outcome) {
      this.outcome = undefined;
      this.status.textContent = `No plan: ${outcome.error}`;
      this.chart.hidden = true;
      clear(this.tableBox);
      return;
    }
    this.outcome = outcome;
    this.selected = undefined;
    this.applied = undefined;
    const rows = showableRows(outcome);
    this.status.textContent =
      rows.length === 0
        ? `None of the ${outcome.evaluated} deployments analysed meets every target.`
        : `${outcome.meeting} of ${outcome.evaluated} deployments analysed meet every target. Select a row to mark it on the chart; Apply writes it into the file (one undo step).`;
    this.chart.hidden = rows.length === 0;
    this.renderTable();
    this.revealPending = true;
    this.revealIfPending();
  }

  /** The version of the document the panel shows: a plan made for another one says so. */
  setDocumentVersion(version: number | undefined): void {
    this.staleNote.hidden = this.outcome === undefined || version === undefined || this.outcome.version === version;
  }

  clear(): void {
    this.staleNote.hidden = true;
    this.outcome = undefined;
    this.selected = undefined;
    this.status.textContent = '';
    this.chart.hidden = true;
    this.element.removeAttribute('aria-busy');
    clear(this.tableBox);
  }

  /** Scrolls the view into sight once it is laid out, if a search or result has not been shown yet. */
  revealIfPending(): void {
    if (!this.revealPending || this.element.getClientRects().length === 0) return;
    this.revealPending = false;
    this.element.scrollIntoView({ block: 'start' });
  }

  private select(rank: number): void {
    this.selected = this.selected === rank ? undefined : rank;
    this.renderTable();
    this.callbacks.onSelect(this.selected);
    this.tableBox.querySelector<HTMLElement>(`tr[data-rank="${rank}"] button.choose`)?.focus();
  }

  private setSort(column: PlanSortColumn): void {
    this.sort = nextPlanSort(this.sort, column);
    this.callbacks.onSortChanged(this.sort);
    this.renderTable();
    this.tableBox.querySelector<HTMLButtonElement>(`button[data-sort="${column}"]`)?.focus();
  }

  /** A column header: a sort button with aria-sort for the numeric columns, plain text for the rest. */
  private headerCell(label: string): HTMLElement {
    const column = PLAN_SORT_COLUMNS[label];
    if (!column) return el('th', { scope: 'col', text: label });
    const sorted = this.sort.column === column;
    const button = el('button', { type: 'button', className: 'sort', 'data-sort': column, text: label, title: `Sort by ${label}` });
    if (sorted) button.append(el('span', { 'aria-hidden': 'true', text: this.sort.descending ? ' ▼' : ' ▲' }));
    button.addEventListener('click', () => this.setSort(column));
    return el('th', { scope: 'col', 'aria-sort': sorted ? (this.sort.descending ? 'descending' : 'ascending') : 'none' }, [button]);
  }

  private renderTable(): void {
    clear(this.tableBox);
    const outcome = this.outcome;
    if (!outcome) return;
    const rows = sortPlanRows(showableRows(outcome), this.sort);
    if (rows.length === 0) return;
    // Apply sits beside the rank, so it stays in sight when a narrow panel scrolls the table.
    const header = el('tr', {}, [this.headerCell(PLAN_COLUMNS[0]), el('th', { scope: 'col', text: 'Apply' }), ...PLAN_COLUMNS.slice(1).map((column) => this.headerCell(column))]);
    const body = el(
      'tbody',
      {},
      rows.map((row) => {
        const cells = planCells(row);
        const selected = row.rank === this.selected;
        const choose = el('button', { type: 'button', className: 'choose', text: cells[0], 'aria-pressed': String(selected), title: 'Mark this candidate on the chart' });
        choose.addEventListener('click', (event) => {
          event.stopPropagation();
          this.select(row.rank);
        });
        const apply = el('button', { type: 'button', className: 'secondary apply', text: this.applied === row.rank ? 'Applied' : 'Apply', 'data-apply': row.rank, title: 'Write this candidate into the deployment file' });
        apply.addEventListener('click', (event) => {
          event.stopPropagation();
          this.applied = row.rank;
          apply.textContent = 'Applied';
          this.callbacks.onApply(row.rank);
        });
        const tr = el('tr', { className: ['choosable', row.rank === 0 ? 'best' : '', selected ? 'selected' : ''].filter(Boolean).join(' '), 'data-rank': row.rank }, [
          el('th', { scope: 'row' }, [choose]),
          el('td', {}, [apply]),
          ...cells.slice(1).map((cell) => el('td', { text: cell })),
        ]);
        tr.addEventListener('click', () => this.select(row.rank));
        return tr;
      }),
    );
    this.tableBox.append(el('table', { className: 'data-table' }, [el('caption', { className: 'visually-hidden', text: 'Candidates that meet every target, sortable by each numeric column (cheapest first until sorted otherwise); ◆ marks the Pareto front' }), el('thead', {}, [header]), body]));
  }
}
