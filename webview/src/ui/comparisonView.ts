/**
 * Hardware comparison: a button asks the host to evaluate the deployment on other hardware; the
 * rows come back in a table sortable by any column (header buttons, so the keyboard works too).
 * Choosing a row (click, or Enter on its hardware button) switches the deployment to it.
 */
import type { ComparisonRow } from '../../../language-server/src/protocol/webview';
import { COMPARISON_COLUMNS, comparisonCells, nextSort, sortComparisonRows, type ComparisonColumn, type ComparisonSort } from '../charts/comparison';
import { clear, el } from './dom';

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Rows that can be shown: a name, and either an error or every number finite. */
export function isShowableRow(value: unknown): value is ComparisonRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  if (typeof row.hardware !== 'string' || typeof row.fits !== 'boolean') return false;
  if (typeof row.error === 'string') return true;
  return (
    isFiniteNumber(row.ttft_seconds) &&
    isFiniteNumber(row.tpot_seconds) &&
    isFiniteNumber(row.output_tokens_per_second) &&
    isFiniteNumber(row.total_memory_bytes) &&
    (row.capacity_bytes === undefined || isFiniteNumber(row.capacity_bytes)) &&
    (row.memory_utilization === undefined || (isFiniteNumber(row.memory_utilization) && row.memory_utilization > 0 && row.memory_utilization <= 1))
  );
}

export class ComparisonView {
  readonly element: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly tableBox: HTMLElement;
  private rows: ComparisonRow[] = [];

  private currentHardware: string | undefined;
  private revealPending = false;

  constructor(
    private sort: ComparisonSort,
    private readonly onRequest: () => void,
    private readonly onSortChanged: (sort: ComparisonSort) => void,
    private readonly onChoose: (hardware: string) => void,
  ) {
    this.button = el('button', { type: 'button', text: 'Compare hardware', 'data-action': 'compare' });
    this.button.addEventListener('click', () => {
      this.status.textContent = 'Evaluating on other hardware…';
      this.onRequest();
    });
    this.status = el('p', { className: 'comparison-status', role: 'status' });
    this.tableBox = el('div', { className: 'comparison-table' });
    this.element = el('section', { className: 'card card-wide', id: 'card-comparison', 'aria-labelledby': 'comparison-heading' }, [
      el('header', { className: 'card-header' }, [el('h2', { id: 'comparison-heading', text: 'Hardware comparison' }), this.button]),
      this.status,
      this.tableBox,
    ]);
  }

  setEnabled(enabled: boolean): void {
    this.button.disabled = !enabled;
  }

  /** The hardware the deployment uses now: its row is marked. */
  setCurrentHardware(hardware: string | undefined): void {
    if (hardware === this.currentHardware) return;
    this.currentHardware = hardware;
    this.render();
  }

  setRows(rows: unknown[]): void {
    this.rows = rows.filter(isShowableRow);
    const ignored = rows.length - this.rows.length;
    this.status.textContent = `${this.rows.length} hardware configurations${ignored > 0 ? ` (${ignored} unreadable rows ignored)` : ''}. Choose a row to switch the deployment to that hardware.`;
    this.render();
    // The table may be far below the charts (Compare Hardware from the command palette): show it,
    // now or, when the rows arrive before the panel has laid out its analysis, once it has.
    this.revealPending = this.rows.length > 0;
    this.revealIfPending();
  }

  /** Scrolls the card into view if new rows have not been shown yet and the card is laid out. */
  revealIfPending(): void {
    if (!this.revealPending || this.element.getClientRects().length === 0) return;
    this.revealPending = false;
    this.element.scrollIntoView({ block: 'start' });
  }

  clearRows(): void {
    this.rows = [];
    this.status.textContent = '';
    clear(this.tableBox);
  }

  private setSort(column: ComparisonColumn): void {
    this.sort = nextSort(this.sort, column);
    this.onSortChanged(this.sort);
    this.render();
    this.tableBox.querySelector<HTMLButtonElement>(`button[data-sort="${column}"]`)?.focus();
  }

  private render(): void {
    clear(this.tableBox);
    if (this.rows.length === 0) return;
    const header = el(
      'tr',
      {},
      COMPARISON_COLUMNS.map((column) => {
        const sorted = this.sort.column === column.id;
        const button = el('button', { type: 'button', className: 'sort', 'data-sort': column.id, text: column.label });
        if (sorted) button.append(el('span', { 'aria-hidden': 'true', text: this.sort.descending ? ' ▼' : ' ▲' }));
        button.addEventListener('click', () => this.setSort(column.id));
        return el('th', { scope: 'col', 'aria-sort': sorted ? (this.sort.descending ? 'descending' : 'ascending') : 'none' }, [button]);
      }),
    );
    const body = el(
      'tbody',
      {},
      sortComparisonRows(this.rows, this.sort).map((row) => {
        const current = row.hardware === this.currentHardware;
        const cells = comparisonCells(row).map((cell, index) => {
          if (index > 0) return el('td', { text: cell });
          const choose = el('button', { type: 'button', className: 'choose', text: cell, title: current ? 'The hardware of this deployment' : `Switch the deployment to ${cell}`, 'data-choose': row.hardware });
          return el('th', { scope: 'row' }, [choose]);
        });
        const tr = el('tr', { className: [row.fits ? '' : 'does-not-fit', current ? 'current' : '', row.error ? '' : 'choosable'].filter(Boolean).join(' '), 'data-hardware': row.hardware }, cells);
        if (current) tr.setAttribute('aria-current', 'true');
        if (!row.error && !current) tr.addEventListener('click', () => this.onChoose(row.hardware));
        return tr;
      }),
    );
    this.tableBox.append(el('table', { className: 'data-table' }, [el('caption', { className: 'visually-hidden', text: 'Hardware comparison, sortable by column' }), el('thead', {}, [header]), body]));
  }
}
