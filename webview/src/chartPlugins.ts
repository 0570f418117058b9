/**
 * The panel's chart.js setup: only the controllers, scales and elements the charts use (a smaller
 * bundle than `registerables`), plus four plugins: reference lines (capacity, memory limit, current
 * value), names beside scatter points, an opaque background so exported PNGs read well outside the
 * editor, and room at the plot's edges for markers.
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
import type { PointLabelOptions, ReferenceLine } from './charts/common';
import { LINE_LABEL_ROW_GAP_PX, placeHorizontalLineLabel, placeVerticalLineLabels, type PlacedLineLabel } from './charts/lineLabels';
import { rangeWithRoom, type MarkerExtent } from './charts/markerRoom';
import { clusterPoints, placeLabels, type LabelledPoint, type PlacedLabel } from './charts/pointLabels';

function referenceLinesOf(chart: Chart): ReferenceLine[] {
  const lines = chart.config.options?.plugins?.referenceLines;
  return Array.isArray(lines) ? (lines as ReferenceLine[]) : [];
}

const placedLineLabels = new WeakMap<Chart, PlacedLineLabel[]>();

export function lineLabelsOf(chart: Chart): PlacedLineLabel[] {
  return placedLineLabels.get(chart) ?? [];
}

const referenceLinesPlugin: Plugin = {
  id: 'referenceLines',
  afterDatasetsDraw(chart) {
    const area = chart.chartArea;
    const context = chart.ctx;
    const fontSize = Chart.defaults.font.size ?? 12;
    const font = `${fontSize}px ${Chart.defaults.font.family ?? 'sans-serif'}`;
    const lineHeight = fontSize + LINE_LABEL_ROW_GAP_PX;
    const halo = chart.config.options?.plugins?.panelBackground?.color;
    const labelsAbove = chart.config.options?.plugins?.referenceLineLabels?.band === 'above';
    context.save();
    context.font = font;
    const drawn = referenceLinesOf(chart).flatMap((line, index) => {
      const scale = chart.scales[line.scaleId ?? line.axis];
      const pixel = scale?.getPixelForValue(line.value);
      if (pixel === undefined || !Number.isFinite(pixel)) return [];
      const inside = line.axis === 'x' ? pixel >= area.left - 1 && pixel <= area.right + 1 : pixel >= area.top - 1 && pixel <= area.bottom + 1;
      return inside ? [{ line, index, pixel, textWidth: context.measureText(line.label).width }] : [];
    });
    context.restore();
    const vertical = drawn.filter((entry) => entry.line.axis === 'x');
    const places = placeVerticalLineLabels(vertical, area);
    const verticalPixels = vertical.map((entry) => entry.pixel);
    const labels: PlacedLineLabel[] = [];
    for (const entry of drawn) {
      const { line, index, pixel, textWidth } = entry;
      context.save();
      context.strokeStyle = line.color;
      context.lineWidth = 2;
      context.setLineDash(line.dashed ? [6, 4] : []);
      context.font = font;
      context.beginPath();
      let left: number;
      let top: number;
      if (line.axis === 'x') {
        context.moveTo(pixel, area.top);
        context.lineTo(pixel, area.bottom);
        const row = vertical.indexOf(entry);
        left = places[row]!.left;
        // Labels of successive lines step down so neighbouring lines do not overprint each other;
        // in a band above the plot (charts too short to share their height with labels) no line
        // crosses them.
        top = labelsAbove ? area.top - (vertical.length - row) * lineHeight : area.top + 2 + index * lineHeight;
      } else {
        context.moveTo(area.left, pixel);
        context.lineTo(area.right, pixel);
        left = placeHorizontalLineLabel(textWidth, verticalPixels, area);
        top = pixel - 2 - fontSize;
      }
      context.stroke();
      context.setLineDash([]);
      context.textAlign = 'left';
      context.textBaseline = 'top';
      if (halo) {
        // A rim of the panel's background keeps the text readable where a grid line, a curve or a
        // neighbouring reference line (when neither side of its own line is clear) runs under it.
        context.strokeStyle = halo;
        context.lineWidth = 3;
        context.lineJoin = 'round';
        context.strokeText(line.label, left, top);
      }
      context.fillStyle = line.color;
      context.fillText(line.label, left, top);
      context.restore();
      labels.push({ text: line.label, axis: line.axis, pixel, left, top, width: textWidth, height: fontSize });
    }
    placedLineLabels.set(chart, labels);
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

/** The labels drawn on each chart at its last draw, for the panel's test hooks. */
const placedLabels = new WeakMap<Chart, PlacedLabel[]>();

export function pointLabelsOf(chart: Chart): PlacedLabel[] {
  return placedLabels.get(chart) ?? [];
}

const pointLabelsPlugin: Plugin = {
  id: 'pointLabels',
  afterDatasetsDraw(chart) {
    const options = chart.config.options?.plugins?.pointLabels as PointLabelOptions | undefined;
    if (!options) {
      placedLabels.delete(chart);
      return;
    }
    const points: LabelledPoint[] = [];
    const marks: { x: number; y: number; radius: number }[] = [];
    chart.data.datasets.forEach((dataset, index) => {
      if (!chart.isDatasetVisible(index)) return;
      const meta = chart.getDatasetMeta(index);
      const labelled = options.datasets.includes(String(dataset.label ?? ''));
      meta.data.forEach((element, pointIndex) => {
        const raw = dataset.data[pointIndex] as { name?: unknown; weight?: unknown } | undefined;
        const radius = Number((element.options as { radius?: unknown } | undefined)?.radius ?? 0);
        if (radius > 0) marks.push({ x: element.x, y: element.y, radius: radius + 1 });
        if (labelled && typeof raw?.name === 'string') {
          points.push({ x: element.x, y: element.y, name: raw.name, weight: typeof raw.weight === 'number' ? raw.weight : 0 });
        }
      });
    });
    const context = chart.ctx;
    context.save();
    context.font = `${options.font.size}px ${options.font.family}`;
    const height = options.font.size + 2;
    const labels = placeLabels(clusterPoints(points, options.clusterRadius), (text) => ({ width: context.measureText(text).width, height }), chart.chartArea, {
      offset: 8,
      avoid: marks,
    });
    context.textAlign = 'left';
    context.textBaseline = 'middle';
    context.lineJoin = 'round';
    context.lineWidth = 3;
    context.strokeStyle = options.haloColor;
    context.fillStyle = options.color;
    context.strokeStyle = options.color;
    context.lineWidth = 1;
    for (const label of labels) {
      if (!label.leader) continue;
      const above = label.top < label.anchorY;
      context.beginPath();
      context.moveTo(label.anchorX, label.anchorY + (above ? -6 : 6));
      context.lineTo(label.left + label.width / 2, above ? label.top + label.height : label.top);
      context.stroke();
    }
    context.lineWidth = 3;
    context.strokeStyle = options.haloColor;
    for (const label of labels) {
      const y = label.top + label.height / 2;
      context.strokeText(label.text, label.left, y);
      context.fillText(label.text, label.left, y);
    }
    context.restore();
    placedLabels.set(chart, labels);
  },
};

/** How far a point's marker reaches from its centre when drawn or hovered, border included, plus a pixel of antialiasing. */
function markerExtentPixels(options: unknown): number {
  const o = (options ?? {}) as { radius?: unknown; hoverRadius?: unknown; borderWidth?: unknown; hoverBorderWidth?: unknown };
  const number = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  return Math.max(number(o.radius), number(o.hoverRadius)) + Math.max(number(o.borderWidth), number(o.hoverBorderWidth)) / 2 + 1;
}

/**
 * Widens each axis of `chart` whose range leaves a marker of the listed datasets short of room
 * (rangeWithRoom), in the options chart.js reads at its next update. True when it changed one.
 */
function widenForMarkers(chart: Chart, datasets: readonly string[]): boolean {
  const markers = new Map<string, MarkerExtent[]>();
  chart.data.datasets.forEach((dataset, index) => {
    if (!datasets.includes(String(dataset.label ?? '')) || !chart.isDatasetVisible(index)) return;
    const meta = chart.getDatasetMeta(index);
    for (const element of meta.data) {
      const extentPixels = markerExtentPixels(element.options);
      for (const scale of [meta.xScale, meta.yScale]) {
        if (!scale) continue;
        // The value where chart.js placed the point (its pixel read back on its own scale).
        const value = scale.getValueForPixel(scale.isHorizontal() ? element.x : element.y);
        if (value === undefined || !Number.isFinite(value)) continue;
        const onScale = markers.get(scale.id) ?? [];
        onScale.push({ value, extentPixels });
        markers.set(scale.id, onScale);
      }
    }
  });
  const area = chart.chartArea;
  let widened = false;
  for (const [id, extents] of markers) {
    const scale = chart.scales[id];
    const raw = chart.config.options?.scales?.[id] as { min?: unknown; max?: unknown; suggestedMin?: unknown; suggestedMax?: unknown } | undefined;
    if (!scale || !raw) continue;
    const next = rangeWithRoom(
      { range: { min: scale.min, max: scale.max }, lengthPixels: scale.isHorizontal() ? area.right - area.left : area.bottom - area.top, logarithmic: scale.type === 'logarithmic' },
      extents,
    );
    const span = scale.max - scale.min;
    if (next.max - scale.max > span * 1e-9) {
      // An axis given its ends keeps them given; otherwise the end is suggested (a linear axis with
      // `bounds: 'ticks'` rounds it out to a tick).
      if (raw.max !== undefined) raw.max = next.max;
      else raw.suggestedMax = next.max;
      widened = true;
    }
    if (scale.min - next.min > span * 1e-9) {
      if (raw.min !== undefined) raw.min = next.min;
      else raw.suggestedMin = next.min;
      widened = true;
    }
  }
  return widened;
}

const markerRoomLayouts = new WeakSet<Chart>();

/**
 * Room for the markers of `options.plugins.markerRoom.datasets`: after each update (a new config,
 * a resize), widens the axes that leave one short and lays the chart out again, at most three times
 * (a wider range can change the tick labels' width, and with it the plot's).
 */
const markerRoomPlugin: Plugin = {
  id: 'markerRoom',
  afterUpdate(chart) {
    const datasets = chart.config.options?.plugins?.markerRoom?.datasets?.filter((label): label is string => typeof label === 'string');
    if (!datasets || markerRoomLayouts.has(chart)) return;
    markerRoomLayouts.add(chart);
    try {
      for (let pass = 0; pass < 3 && widenForMarkers(chart, datasets); pass += 1) chart.update('none');
    } finally {
      markerRoomLayouts.delete(chart);
    }
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
    pointLabelsPlugin,
    panelBackgroundPlugin,
    markerRoomPlugin,
  );
}
