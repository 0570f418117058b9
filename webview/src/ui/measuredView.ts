/**
 * "Measured against predicted": the points of the results under `measured:`, each figure beside
 * its prediction with the signed error, the geometric mean of |error| over them, and the two
 * actions on them (import more results, fit the hardware). The cells are the CLI's
 * (language-server/src/format/measured.ts).
 */
import { formatGeoMeanSummary, MEASURED_TABLE_HEADER, measuredTableRows } from '../../../language-server/src/format/measured';
import type { MeasuredComparison } from '../../../language-server/src/measured/types';
import { clear, el } from './dom';

/** The CLI's columns shown as columns: point, then figure, measured, predicted, error (load and lengths go under the point). */
const SHOWN_COLUMNS = [0, 3, 4, 5, 6] as const;

export class MeasuredView {
  readonly element: HTMLElement;
  private readonly summary = el('p', { className: 'measured-summary' });
  private readonly body = el('tbody');
  private readonly table: HTMLElement;
  private readonly fitButton: HTMLButtonElement;

  constructor(actions: { onImport: () => void; onFit: () => void }) {
    const importButton = el('button', { type: 'button', className: 'secondary', text: 'Import measured results…', 'data-action': 'import-measured' });
    importButton.addEventListener('click', actions.onImport);
    this.fitButton = el('button', { type: 'button', text: 'Fit the hardware to these measurements', 'data-action': 'fit-measured' });
    this.fitButton.addEventListener('click', actions.onFit);
    this.table = el('div', { className: 'measured-table comparison-table' }, [
      el('table', { className: 'data-table' }, [
        el('caption', { text: 'Each measured figure beside the prediction at the point’s own load and lengths; error = (predicted − measured) / measured' }),
        el('thead', {}, [el('tr', {}, SHOWN_COLUMNS.map((index) => el('th', { scope: 'col', text: MEASURED_TABLE_HEADER[index] })))]),
        this.body,
      ]),
    ]);
    this.element = el('section', { className: 'measured card card-wide', id: 'measured', 'aria-label': 'Measured against predicted', hidden: true }, [
      el('h2', { text: 'Measured against predicted' }),
      this.summary,
      this.table,
      el('div', { className: 'measured-actions' }, [importButton, this.fitButton]),
    ]);
  }

  /** Shown for every deployment (to import into); the table only with measured points. */
  show(isDeployment: boolean, measured: MeasuredComparison | undefined): void {
    this.element.hidden = !isDeployment;
    clear(this.body);
    this.table.hidden = measured === undefined;
    this.fitButton.hidden = measured === undefined;
    if (!measured) {
      this.summary.textContent = 'Name benchmark results under measured: (vllm bench serve, GuideLLM, CSV) to set them beside this analysis.';
      return;
    }
    this.summary.textContent = `Geometric mean of |error| with efficiency: ${measured.efficiency}: ${formatGeoMeanSummary(measured)}`;
    // A point's name, load and lengths head its figures once (a cell spanning their rows), so
    // that beside the editor the figures and their errors stay in view.
    const rows = measuredTableRows(measured);
    rows.forEach((row, index) => {
      const previous = rows[index - 1];
      const samePoint = (other: string[] | undefined): boolean => other !== undefined && other[0] === row[0] && other[1] === row[1] && other[2] === row[2];
      const cells: HTMLElement[] = [];
      if (!samePoint(previous)) {
        let span = 1;
        while (samePoint(rows[index + span])) span++;
        cells.push(
          el('th', { scope: 'rowgroup', rowspan: span, className: 'measured-point' }, [
            el('span', { text: row[0] ?? '' }),
            el('span', { className: 'measured-load', text: `${row[1] ?? ''} · ${row[2] ?? ''}` }),
          ]),
        );
      }
      const error = row[6] ?? '';
      for (const column of SHOWN_COLUMNS.slice(1)) {
        cells.push(el('td', { text: row[column] ?? '', ...(column === 6 ? { className: error.startsWith('+') ? 'error-slower' : error.startsWith('−') ? 'error-faster' : '' } : {}) }));
      }
      this.body.append(el('tr', {}, cells));
    });
  }
}
