/**
 * The panel's comparison with the deployment's `variants:` (another model, another technique
 * set): one table and one chart. Shown only when the result carries variants.
 */
import type { AnalysisResult } from '../../../language-server/src/engine/types';
import type { ChartPalette } from '../charts/palette';
import type { ChartSnapshot } from '../testHooks';
import { ChartCard } from '../ui/chartCard';
import { clear, el } from '../ui/dom';
import { buildVariantsChart, VARIANT_COLUMNS, variantCells, variantRows } from './variantsCharts';

export class VariantsView {
  readonly element: HTMLElement;
  private readonly body = el('tbody');
  private readonly card: ChartCard;
  private hidden: string[] = [];
  private shown: { result: AnalysisResult; palette: ChartPalette } | undefined;

  constructor(onExportPng: (dataUrl: string | undefined) => void) {
    this.card = new ChartCard({
      id: 'variants',
      title: 'Variants: TTFT and TPOT',
      onSeriesToggled: (label, visible) => {
        this.hidden = visible ? this.hidden.filter((entry) => entry !== label) : [...this.hidden, label];
        this.draw();
      },
      onExportPng: () => onExportPng(this.card.view.pngDataUrl(true)),
    });
    const table = el('table', { className: 'data-table' }, [
      el('caption', { text: 'This deployment beside its variants (decode speed: its TPOT over the variant’s)' }),
      el('thead', {}, [el('tr', {}, VARIANT_COLUMNS.map((column) => el('th', { scope: 'col', text: column })))]),
      this.body,
    ]);
    this.element = el('section', { className: 'variants card card-wide', id: 'variants', 'aria-label': 'Compare with variants', hidden: true }, [
      el('h2', { text: 'Compare with variants' }),
      el('div', { className: 'variants-table' }, [table]),
      this.card.element,
    ]);
  }

  show(result: AnalysisResult, palette: ChartPalette): void {
    if (!result.variants || result.variants.length === 0) {
      this.shown = undefined;
      this.element.hidden = true;
      return;
    }
    this.shown = { result, palette };
    this.element.hidden = false;
    clear(this.body);
    for (const row of variantRows(result)) {
      const cells = variantCells(row);
      this.body.append(
        el('tr', { 'data-variant': row.name, className: row.error ? 'error' : row.own ? 'own' : '' }, cells.map((cell, index) => (index === 0 ? el('th', { scope: 'row', text: cell }) : el('td', { text: cell })))),
      );
    }
    this.draw();
  }

  snapshot(): ChartSnapshot | undefined {
    return this.card.view.snapshot();
  }

  private draw(): void {
    if (!this.shown) return;
    const rows = variantRows(this.shown.result).filter((row) => !row.error).length;
    this.card.setHeight(Math.max(160, rows * 40 + 110));
    this.card.render(buildVariantsChart(this.shown.result, this.shown.palette, this.hidden), undefined, '');
  }
}
