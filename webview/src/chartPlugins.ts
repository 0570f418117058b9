/**
 * The panel's chart.js setup: only the controllers, scales and elements the charts use (a smaller
 * bundle than `registerables`), plus two plugins: reference lines (capacity, memory limit, current
 * value) and an opaque background so exported PNGs read well outside the editor.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  type Plugin,
} from 'chart.js';
import type { ReferenceLine } from './charts/common';

function referenceLinesOf(chart: Chart): ReferenceLine[] {
  const lines = chart.config.options?.plugins?.referenceLines;
  return Array.isArray(lines) ? (lines as ReferenceLine[]) : [];
}

const referenceLinesPlugin: Plugin = {
  id: 'referenceLines',
  afterDatasetsDraw(chart) {
    const area = chart.chartArea;
    const context = chart.ctx;
    const fontSize = Chart.defaults.font.size ?? 12;
    const font = `${fontSize}px ${Chart.defaults.font.family ?? 'sans-serif'}`;
    const lineHeight = fontSize + 4;
    referenceLinesOf(chart).forEach((line, index) => {
      const scale = chart.scales[line.scaleId ?? line.axis];
      if (!scale) return;
      const pixel = scale.getPixelForValue(line.value);
      if (!Number.isFinite(pixel)) return;
      context.save();
      context.strokeStyle = line.color;
      context.fillStyle = line.color;
      context.lineWidth = 2;
      context.setLineDash(line.dashed ? [6, 4] : []);
      context.font = font;
      context.beginPath();
      if (line.axis === 'x') {
        if (pixel < area.left - 1 || pixel > area.right + 1) {
          context.restore();
          return;
        }
        context.moveTo(pixel, area.top);
        context.lineTo(pixel, area.bottom);
        context.stroke();
        const onRight = pixel < (area.left + area.right) / 2;
        context.textAlign = onRight ? 'left' : 'right';
        context.textBaseline = 'top';
        // Labels of successive lines step down so neighbouring lines do not overprint each other.
        context.fillText(line.label, pixel + (onRight ? 4 : -4), area.top + 2 + index * lineHeight);
      } else {
        if (pixel < area.top - 1 || pixel > area.bottom + 1) {
          context.restore();
          return;
        }
        context.moveTo(area.left, pixel);
        context.lineTo(area.right, pixel);
        context.stroke();
        context.textAlign = 'right';
        context.textBaseline = 'bottom';
        context.fillText(line.label, area.right - 4, pixel - 2);
      }
      context.restore();
    });
  },
};

const panelBackgroundPlugin: Plugin = {
  id: 'panelBackground',
  beforeDraw(chart) {
    const color = chart.config.options?.plugins?.panelBackground?.color;
    if (!color) return;
    const context = chart.ctx;
    // beforeDraw runs right after chart.js clears the canvas, so this fill sits under everything.
    context.save();
    context.fillStyle = color;
    context.fillRect(0, 0, chart.width, chart.height);
    context.restore();
  },
};

let registered = false;

export function registerChartParts(): void {
  if (registered) return;
  registered = true;
  Chart.register(
    ScatterController,
    LineController,
    BarController,
    LinearScale,
    LogarithmicScale,
    CategoryScale,
    PointElement,
    LineElement,
    BarElement,
    Tooltip,
    Legend,
    Title,
    referenceLinesPlugin,
    panelBackgroundPlugin,
  );
}
