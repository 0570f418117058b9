/** Renders a DataTable as an HTML table with a caption and column headers. */
import type { DataTable } from '../charts/table';
import { clear, el } from './dom';

export function renderDataTable(container: HTMLElement, table: DataTable | undefined, emptyText = 'No data.'): void {
  clear(container);
  if (!table) {
    container.append(el('p', { text: emptyText }));
    return;
  }
  const head = el('thead', {}, [el('tr', {}, table.columns.map((column) => el('th', { scope: 'col', text: column })))]);
  const body = el(
    'tbody',
    {},
    table.rows.map((row) => el('tr', {}, row.map((cell, index) => (index === 0 ? el('th', { scope: 'row', text: cell }) : el('td', { text: cell }))))),
  );
  container.append(el('table', { className: 'data-table' }, [el('caption', { text: table.caption }), head, body]));
}
