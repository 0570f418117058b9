/**
 * One chart.js chart on one canvas: created on the first config, updated in place afterwards
 * (no animation, so a slider drag redraws at once), exported as PNG, and described for tests.
 */
import { Chart, type ChartConfiguration } from 'chart.js';
import type { ReferenceLine } from './charts/common';
import { lineLabelsOf, pointLabelsOf } from './chartPlugins';
import { renderChartTooltip } from './chartTooltip';
import type { ChartSnapshot } from './testHooks';

function chartType(chart: Chart): string {
  return String((chart.config as unknown as { type: unknown }).type);
}

export class ChartView {
  private chart: Chart | undefined;
  private updates = 0;

  constructor(readonly canvas: HTMLCanvasElement) {}

  render(config: ChartConfiguration): void {
    // The panel draws its own legend (keyboard-accessible checkboxes); chart.js's is for PNGs.
    const plugins = config.options?.plugins;
    if (plugins?.legend) plugins.legend = { ...plugins.legend, display: false };
    // Tooltips are HTML over the page, so the canvas edge cannot clip them (chartTooltip.ts).
    if (plugins?.tooltip) plugins.tooltip = { ...plugins.tooltip, enabled: false, external: renderChartTooltip as never };
    if (this.chart && chartType(this.chart) === config.type) {
      this.chart.data = config.data;
      this.chart.options = config.options ?? {};
      this.chart.update('none');
    } else {
      this.chart?.destroy();
      this.chart = new Chart(this.canvas, config);
    }
    this.updates += 1;
  }

  get hasChart(): boolean {
    return this.chart !== undefined;
  }

  /** A PNG of the chart with its legend, as a `data:image/png;base64,` URL (what the host decodes). */
  pngDataUrl(withLegend: boolean): string {
    const chart = this.chart;
    if (!chart) return '';
    const legend = chart.config.options?.plugins?.legend;
    const restoreLegend = withLegend && legend !== undefined && legend.display === false;
    if (restoreLegend) {
      legend.display = true;
      chart.update('none');
    }
    const url = chart.toBase64Image('image/png', 1);
    if (restoreLegend) {
      legend.display = false;
      chart.update('none');
    }
    return url;
  }

  snapshot(): ChartSnapshot | undefined {
    const chart = this.chart;
    if (!chart) return undefined;
    const scales: ChartSnapshot['scales'] = {};
    for (const [id, scale] of Object.entries(chart.scales)) {
      const title = (scale.options as { title?: { text?: unknown } }).title?.text;
      scales[id] = { type: scale.type, min: scale.min, max: scale.max, title: typeof title === 'string' ? title : '', ticks: scale.ticks.map((tick) => String(tick.label ?? '')) };
    }
    const rawPlugins = chart.config.options?.plugins;
    const title = rawPlugins?.title;
    return {
      type: chartType(chart),
      labels: [...(chart.data.labels ?? [])],
      datasets: chart.data.datasets.map((dataset, index) => {
        const d = dataset as unknown as Record<string, unknown>;
        return {
          label: String(dataset.label ?? ''),
          data: [...dataset.data],
          visible: chart.isDatasetVisible(index),
          backgroundColor: d.backgroundColor,
          borderColor: d.borderColor,
          pointBackgroundColor: d.pointBackgroundColor,
          pointBorderColor: d.pointBorderColor,
          pointStyle: d.pointStyle,
          pointRadius: d.pointRadius,
          stack: d.stack,
          yAxisID: d.yAxisID,
          elements: chart.getDatasetMeta(index).data.map((element) => {
            const options = (element.options ?? {}) as { radius?: unknown; hoverRadius?: unknown; borderWidth?: unknown };
            const size = (value: unknown): number => (typeof value === 'number' ? value : 0);
            return { x: element.x, y: element.y, radius: size(options.radius), hoverRadius: size(options.hoverRadius), borderWidth: size(options.borderWidth) };
          }),
        };
      }),
      scales,
      referenceLines: (rawPlugins?.referenceLines ?? []) as ReferenceLine[],
      title: typeof title?.text === 'string' ? title.text : '',
      titleColor: title?.color,
      updates: this.updates,
      canvasWidth: this.canvas.width,
      canvasHeight: this.canvas.height,
      chartArea: { left: chart.chartArea.left, top: chart.chartArea.top, right: chart.chartArea.right, bottom: chart.chartArea.bottom },
      pointLabels: pointLabelsOf(chart),
      lineLabels: lineLabelsOf(chart),
    };
  }

  /** Where a data point is drawn, in CSS pixels from the canvas' top left. */
  pointPosition(datasetLabel: string, index: number): { x: number; y: number } | undefined {
    const chart = this.chart;
    if (!chart) return undefined;
    const datasetIndex = chart.data.datasets.findIndex((d) => d.label === datasetLabel);
    if (datasetIndex < 0) return undefined;
    const element = chart.getDatasetMeta(datasetIndex).data[index];
    return element ? { x: element.x, y: element.y } : undefined;
  }

  /** The lines of the tooltip on screen, empty when none is shown. */
  tooltipLines(): string[] {
    const tooltip = this.chart?.tooltip;
    if (!tooltip || tooltip.getActiveElements().length === 0 || tooltip.opacity === 0) return [];
    return tooltip.body.flatMap((item) => item.lines);
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }
}
