/**
 * A chart's card: heading, toolbar, canvas (described by its data table), an HTML legend whose
 * checkboxes show and hide series (keyboard accessible, unlike a canvas legend), and the table.
 */
import type { ChartConfiguration } from 'chart.js';
import type { DataTable } from '../charts/table';
import { ChartView } from '../chartView';
import { renderDataTable } from './dataTable';
import { clear, el, uniqueId } from './dom';

export interface LegendEntry {
  label: string;
  color: string;
  visible: boolean;
  /** The marker the chart draws for the series, so the swatch looks like it. */
  shape: SwatchShape;
  /** Drawn as an outline (measured points), as the chart draws the marker. */
  hollow: boolean;
}

export type SwatchShape = 'square' | 'circle' | 'triangle' | 'diamond' | 'cross' | 'line';

/** Outline glyphs for hollow markers (a CSS border cannot outline a triangle). */
const HOLLOW_GLYPHS: Readonly<Record<SwatchShape, string>> = { square: '□', circle: '○', triangle: '△', diamond: '◇', cross: '✕', line: '—' };

function shapeOf(dataset: Record<string, unknown>): SwatchShape {
  const style = dataset.pointStyle;
  if (style === 'circle') return 'circle';
  if (style === 'triangle') return 'triangle';
  if (style === 'rectRot') return 'diamond';
  if (style === 'crossRot' || style === 'cross') return 'cross';
  if (dataset.showLine === true && (dataset.pointRadius === 0 || style === undefined)) return 'line';
  return 'square';
}

/** A swatch in the marker's shape: circles for prefill, triangles for decode, a line for a roof. */
export function swatch(color: string, shape: SwatchShape, hollow = false): HTMLElement {
  if (hollow || shape === 'cross') {
    const glyph = el('span', { className: 'swatch-glyph', 'aria-hidden': 'true', text: HOLLOW_GLYPHS[shape] });
    glyph.style.color = color;
    return glyph;
  }
  const element = el('span', { className: `swatch swatch-${shape}`, 'aria-hidden': 'true' });
  if (shape === 'triangle') element.style.borderBottomColor = color;
  else element.style.backgroundColor = color;
  return element;
}

export interface ChartCardOptions {
  id: string;
  title: string;
  onSeriesToggled(label: string, visible: boolean): void;
  onExportPng(): void;
}

function firstColor(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return 'currentColor';
}

/** Legend entries of a config: one per dataset, in order. */
export function legendEntries(config: ChartConfiguration): LegendEntry[] {
  return config.data.datasets.map((dataset) => {
    const d = dataset as unknown as Record<string, unknown>;
    // Layer markers are coloured by their bound; the swatch shows the marker's shape in the text colour.
    const color = firstColor(Array.isArray(d.pointBorderColor) ? d.borderColor : (d.pointBorderColor ?? d.borderColor ?? d.backgroundColor));
    return { label: String(dataset.label ?? ''), color, visible: dataset.hidden !== true, shape: shapeOf(d), hollow: d.markerHollow === true };
  });
}

export class ChartCard {
  readonly element: HTMLElement;
  readonly toolbar: HTMLElement;
  readonly view: ChartView;
  private readonly legend: HTMLElement;
  private readonly key: HTMLElement;
  private readonly note: HTMLElement;
  private readonly tableContainer: HTMLElement;
  private readonly canvasBox: HTMLElement;
  private readonly emptyMessage: HTMLElement;

  constructor(private readonly options: ChartCardOptions) {
    const headingId = uniqueId(`${options.id}-heading`);
    const tableId = uniqueId(`${options.id}-table`);
    const canvas = el('canvas', { role: 'img', 'aria-labelledby': headingId, 'aria-describedby': tableId, 'data-chart': options.id });
    this.view = new ChartView(canvas);
    const exportButton = el('button', { type: 'button', className: 'secondary', text: 'Save PNG', 'aria-label': `Save the ${options.title.toLowerCase()} chart as PNG`, 'data-action': `png-${options.id}` });
    exportButton.addEventListener('click', () => options.onExportPng());
    this.toolbar = el('div', { className: 'card-toolbar' });
    this.canvasBox = el('div', { className: `canvas-box canvas-${options.id}` }, [canvas]);
    this.emptyMessage = el('p', { className: 'empty', hidden: true });
    this.legend = el('fieldset', { className: 'legend' }, [el('legend', { className: 'visually-hidden', text: `${options.title} series` })]);
    this.key = el('div', { className: 'key', 'aria-hidden': 'true' });
    this.note = el('details', { className: 'chart-note', hidden: true });
    this.tableContainer = el('div', { className: 'chart-table', id: tableId });
    this.element = el('section', { className: 'card', id: `card-${options.id}`, 'aria-labelledby': headingId }, [
      el('header', { className: 'card-header' }, [el('h2', { id: headingId, text: options.title }), this.toolbar, exportButton]),
      this.canvasBox,
      this.emptyMessage,
      this.legend,
      this.key,
      this.note,
      this.tableContainer,
    ]);
  }

  /** Draws the config; `undefined` shows `emptyText` instead of a chart. */
  render(config: ChartConfiguration | undefined, table: DataTable | undefined, emptyText: string): void {
    const hasChart = config !== undefined;
    this.canvasBox.hidden = !hasChart;
    this.emptyMessage.hidden = hasChart;
    this.emptyMessage.textContent = hasChart ? '' : emptyText;
    if (config) {
      this.view.render(config);
      this.renderLegend(legendEntries(config));
    } else {
      this.renderLegend([]);
    }
    renderDataTable(this.tableContainer, table, emptyText);
  }

  /** Colour key for colours that are not series (e.g. memory- or compute-bound points). */
  setKey(entries: { label: string; color: string; shape?: SwatchShape }[]): void {
    clear(this.key);
    for (const entry of entries) this.key.append(el('span', { className: 'key-entry' }, [swatch(entry.color, entry.shape ?? 'square'), entry.label]));
  }

  /** A folded note under the chart: a one-line summary that opens to its items (what the chart leaves out, and why); none hides it. */
  setNote(summary: string, items: readonly string[]): void {
    clear(this.note);
    this.note.hidden = items.length === 0;
    if (items.length === 0) return;
    this.note.append(el('summary', { text: summary }), el('ul', {}, items.map((item) => el('li', { text: item }))));
  }

  /** Height in CSS pixels, for charts whose rows grow with the data (one bar per layer). */
  setHeight(pixels: number): void {
    this.canvasBox.style.height = `${Math.round(pixels)}px`;
  }

  private renderLegend(entries: LegendEntry[]): void {
    for (const old of Array.from(this.legend.querySelectorAll('label'))) old.remove();
    this.legend.hidden = entries.length < 2;
    for (const entry of entries) {
      const box = el('input', { type: 'checkbox', 'data-series': entry.label });
      box.checked = entry.visible;
      box.addEventListener('change', () => this.options.onSeriesToggled(entry.label, box.checked));
      this.legend.append(el('label', { className: 'legend-entry' }, [box, swatch(entry.color, entry.shape, entry.hollow), entry.label]));
    }
  }
}
