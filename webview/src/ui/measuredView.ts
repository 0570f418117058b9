/**
 * "Measured against predicted": the points of the results under `measured:`, each figure beside
 * its prediction with the signed error, the geometric mean of |error| over them, and the two
 * actions on them (import more results, fit the hardware). The cells are the CLI's
 * (language-server/src/format/measured.ts).
 */
import { formatGeoMeanSummary, MEASURED_TABLE_HEADER, measuredTableRows } from '../../../language-server/src/format/measured';
import type { MeasuredComparison } from '../../../language-server/src/measured/types';
import { clear, el } from './dom';

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
        el('thead', {}, [el('tr', {}, MEASURED_TABLE_HEADER.map((column) => el('th', { scope: 'col', text: column })))]),
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
    for (const row of measuredTableRows(measured)) {
      const error = row[6] ?? '';
      this.body.append(
        el(
          'tr',
          {},
          row.map((cell, index) => el(index === 0 ? 'th' : 'td', { text: cell, ...(index === 0 ? { scope: 'row' } : {}), ...(index === 6 ? { className: error.startsWith('+') ? 'error-slower' : error.startsWith('−') ? 'error-faster' : '' } : {}) })),
        ),
      );
    }
  }
}
