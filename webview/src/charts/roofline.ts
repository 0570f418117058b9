/**
 * The roofline chart (Williams et al., 2009; as drawn by LLM-Viewer, arXiv 2402.16363 §2):
 * log-log, arithmetic intensity against attained performance. The roof is the bandwidth slope up
 * to the ridge point and the compute ceiling after it; each layer of each stage is a point at
 * (FLOPs / bytes, FLOPs / seconds).
 */
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { AnalysisResult, Bound, StageName } from '../../../language-server/src/engine/types';
import { formatAxisNumber, formatBandwidth, formatBytes, formatFlops, formatFlopsPerSecond, formatIntensity, formatSeconds } from '../../../language-server/src/format/units';
import { decadeAxis, framingLogRange, isHidden, legendStyle, PANEL_CHART_OPTIONS, tooltipStyle, withAlpha } from './common';
import { boundColor, lineWidth, type ChartPalette } from './palette';
import type { DataTable } from './table';
import type { MeasuredComparison } from '../../../language-server/src/measured/types';
import { measuredItemTooltip, measuredStepDatasets, measuredStepRows, unplacedFigures, type StepDatum } from './measuredMarkers';

/** One roof: a bandwidth slope meeting a compute ceiling. The first is the datasheet peak. */
export interface Ceiling {
  label: string;
  opsPerSecond: number;
  bandwidthBytesPerSecond: number;
  primary: boolean;
}

export interface LayerPoint {
  stage: StageName;
  layer: string;
  count: number;
  flops: number;
  bytes: number;
  intensity: number;
  performance: number;
  bound: Bound;
  seconds: number;
}

/** A chart datum; layer points carry their layer so tooltips can describe it. */
export interface RooflineDatum {
  x: number;
  y: number;
  layer?: LayerPoint;
  caption?: string;
  /** The point's label (pointLabels plugin) and its priority: the layer's time in its stage. */
  name?: string;
  weight?: number;
}

export interface RooflineOptions {
  palette: ChartPalette;
  hiddenSeries: readonly string[];
  /** Measured points (`measured:`): the steps their TPOT and TTFT time, beside the predicted steps. */
  measured?: MeasuredComparison;
}

export const ROOFLINE_SERIES = {
  ridge: 'Ridge point',
  prefill: 'Prefill layers',
  decode: 'Decode layers',
} as const;

function isPositiveFinite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/**
 * The peak ceiling of the precision in use, then any achievable ceilings the result carries
 * (optional `achievable_ceilings: [{ label, peak_ops_per_second, memory_bandwidth_bytes_per_second? }]`).
 */
export function rooflineCeilings(hardware: AnalysisResult['hardware']): Ceiling[] {
  const ceilings: Ceiling[] = [];
  if (isPositiveFinite(hardware.peak_ops_per_second) && isPositiveFinite(hardware.memory_bandwidth_bytes_per_second)) {
    ceilings.push({
      label: `Peak ${hardware.compute_precision.toUpperCase()}`,
      opsPerSecond: hardware.peak_ops_per_second,
      bandwidthBytesPerSecond: hardware.memory_bandwidth_bytes_per_second,
      primary: true,
    });
  }
  const extra: unknown = (hardware as { achievable_ceilings?: unknown }).achievable_ceilings;
  if (Array.isArray(extra)) {
    for (const candidate of extra) {
      if (typeof candidate !== 'object' || candidate === null) continue;
      const { label, peak_ops_per_second: ops, memory_bandwidth_bytes_per_second: bandwidth } = candidate as Record<string, unknown>;
      if (typeof label !== 'string' || !isPositiveFinite(ops)) continue;
      ceilings.push({
        label,
        opsPerSecond: ops,
        bandwidthBytesPerSecond: isPositiveFinite(bandwidth) ? bandwidth : hardware.memory_bandwidth_bytes_per_second,
        primary: false,
      });
    }
  }
  return ceilings;
}

export function layerBytes(bytes: AnalysisResult['stages'][StageName]['layers'][number]['bytes']): number {
  return bytes.weights + bytes.activations_in + bytes.activations_out + bytes.kv_read + bytes.kv_write;
}

/**
 * Points of a stage. Layers that cannot sit on log axes (no FLOPs, no time) are listed apart, and
 * so are communication entries: their bytes cross the interconnect, not memory, so they have no
 * place under the memory roof.
 */
export function layerPoints(result: AnalysisResult, stage: StageName): { plotted: LayerPoint[]; omitted: string[]; communication: string[] } {
  const plotted: LayerPoint[] = [];
  const omitted: string[] = [];
  const communication: string[] = [];
  for (const layer of result.stages[stage].layers) {
    if (layer.bound === 'network') {
      communication.push(layer.name);
      continue;
    }
    const bytes = layerBytes(layer.bytes);
    const performance = layer.seconds > 0 ? layer.flops / layer.seconds : Number.NaN;
    if (isPositiveFinite(layer.arithmetic_intensity) && isPositiveFinite(performance)) {
      plotted.push({ stage, layer: layer.name, count: layer.count, flops: layer.flops, bytes, intensity: layer.arithmetic_intensity, performance, bound: layer.bound, seconds: layer.seconds });
    } else {
      omitted.push(layer.name);
    }
  }
  return { plotted, omitted, communication };
}

/** The roof of one ceiling across [xMin, xMax]: slope, ridge, flat. */
export function roofPolyline(ceiling: Ceiling, xMin: number, xMax: number): RooflineDatum[] {
  const ridge = ceiling.opsPerSecond / ceiling.bandwidthBytesPerSecond;
  const at = (x: number): number => Math.min(ceiling.bandwidthBytesPerSecond * x, ceiling.opsPerSecond);
  const points: RooflineDatum[] = [{ x: xMin, y: at(xMin), caption: ceiling.label }];
  if (ridge > xMin && ridge < xMax) points.push({ x: ridge, y: ceiling.opsPerSecond, caption: ceiling.label });
  points.push({ x: xMax, y: at(xMax), caption: ceiling.label });
  return points;
}

export function stageLabel(stage: StageName): string {
  switch (stage) {
    case 'prefill':
      return 'Prefill';
    case 'decode':
      return 'Decode';
  }
}

/** Tooltip text of a layer point. */
export function layerTooltipLines(point: LayerPoint): string[] {
  return [
    `${point.layer} (${stageLabel(point.stage)}, ×${point.count})`,
    `FLOPs: ${formatFlops(point.flops)}`,
    `Bytes: ${formatBytes(point.bytes)}`,
    `Intensity: ${formatIntensity(point.intensity)}`,
    `Performance: ${formatFlopsPerSecond(point.performance)}`,
    `Bound: ${point.bound}`,
    `Time: ${formatSeconds(point.seconds)} each, ${formatSeconds(point.seconds * point.count)} in all`,
  ];
}

function tooltipLabel(item: TooltipItem<'scatter'>): string | string[] {
  const measured = measuredItemTooltip(item);
  if (measured) return measured;
  const datum = item.raw as RooflineDatum;
  if (datum.layer) return layerTooltipLines(datum.layer);
  return `${datum.caption ?? item.dataset.label ?? ''}: ${formatIntensity(datum.x)}, ${formatFlopsPerSecond(datum.y)}`;
}

export function roofDatasetLabel(ceiling: Ceiling): string {
  return `Roof: ${ceiling.label} ${formatFlopsPerSecond(ceiling.opsPerSecond)}, ${formatBandwidth(ceiling.bandwidthBytesPerSecond)}`;
}

export function buildRooflineChart(result: AnalysisResult, options: RooflineOptions): ChartConfiguration<'scatter', (RooflineDatum | StepDatum)[]> {
  const { palette, hiddenSeries } = options;
  const ceilings = rooflineCeilings(result.hardware);
  const prefill = layerPoints(result, 'prefill').plotted;
  const decode = layerPoints(result, 'decode').plotted;
  const stepDatasets = measuredStepDatasets(options.measured, palette, hiddenSeries);
  const steps = stepDatasets.flatMap((dataset) => dataset.data);
  const ridges = ceilings.map((c) => c.opsPerSecond / c.bandwidthBytesPerSecond);
  // Frame the points and the ridge (where the roof bends), not whole decades around them: the roof
  // is drawn across whatever range that gives, and decade ticks still fall inside.
  const xRange = framingLogRange([...prefill, ...decode].map((p) => p.intensity).concat(ridges, steps.map((step) => step.x)), 2.5);
  const lowestRoof = ceilings.map((c) => Math.min(c.bandwidthBytesPerSecond * xRange.min, c.opsPerSecond));
  // Room above the compute ceiling for the names of the points on it.
  const yRange = framingLogRange([...prefill, ...decode].map((p) => p.performance).concat(lowestRoof, ceilings.map((c) => c.opsPerSecond * 2.5), steps.map((step) => step.y)), 1.6);

  const roofDatasets = ceilings.map((ceiling, index) => {
    const label = roofDatasetLabel(ceiling);
    const color = ceiling.primary ? palette.roof : palette.secondaryRoof;
    return {
      label,
      data: roofPolyline(ceiling, xRange.min, xRange.max),
      showLine: true,
      borderColor: color,
      backgroundColor: color,
      borderWidth: lineWidth(palette, ceiling.primary ? 2 : 1.5),
      borderDash: ceiling.primary ? [] : [6, 4],
      pointRadius: 0,
      pointHoverRadius: 0,
      hidden: isHidden(hiddenSeries, label),
      order: 10 + index,
    };
  });

  const primary = ceilings.find((c) => c.primary);
  const ridgeDataset = {
    label: ROOFLINE_SERIES.ridge,
    data: primary ? [{ x: primary.opsPerSecond / primary.bandwidthBytesPerSecond, y: primary.opsPerSecond, caption: `Ridge point (${formatIntensity(primary.opsPerSecond / primary.bandwidthBytesPerSecond)})` }] : [],
    pointStyle: 'rectRot' as const,
    pointRadius: 7,
    pointHoverRadius: 9,
    borderColor: palette.ridge,
    backgroundColor: palette.ridge,
    hidden: isHidden(hiddenSeries, ROOFLINE_SERIES.ridge),
    order: 2,
  };

  const layerDataset = (stage: StageName, points: LayerPoint[]) => {
    const label = ROOFLINE_SERIES[stage];
    const colors = points.map((p) => boundColor(palette, p.bound));
    return {
      label,
      data: points.map((p) => ({ x: p.intensity, y: p.performance, layer: p, name: p.layer, weight: p.seconds * p.count })),
      // Distinct markers keep the stages apart when colour already says memory/compute bound.
      pointStyle: stage === 'prefill' ? ('circle' as const) : ('triangle' as const),
      pointRadius: stage === 'prefill' ? 5 : 6,
      pointHoverRadius: 8,
      pointBorderWidth: lineWidth(palette, 1),
      pointBackgroundColor: colors.map((c) => withAlpha(c, 0.75, palette)),
      pointBorderColor: colors,
      backgroundColor: withAlpha(palette.foreground, 0.5, palette),
      borderColor: palette.foreground,
      hidden: isHidden(hiddenSeries, label),
      order: stage === 'prefill' ? 1 : 0,
    };
  };

  return {
    type: 'scatter',
    data: { datasets: [...roofDatasets, ridgeDataset, layerDataset('prefill', prefill), layerDataset('decode', decode), ...stepDatasets] },
    options: {
      ...PANEL_CHART_OPTIONS,
      interaction: { mode: 'nearest', intersect: true },
      scales: {
        x: decadeAxis(palette, 'Arithmetic intensity (FLOP/byte)', xRange, formatAxisNumber, { levelLabels: true }),
        y: decadeAxis(palette, 'Performance (FLOP/s)', yRange, formatFlopsPerSecond),
      },
      plugins: {
        legend: legendStyle(palette),
        tooltip: { ...tooltipStyle(palette), callbacks: { label: tooltipLabel } },
        panelBackground: { color: palette.background },
        pointLabels: {
          datasets: [ROOFLINE_SERIES.prefill, ROOFLINE_SERIES.decode],
          color: palette.foreground,
          haloColor: palette.background,
          font: { family: palette.fontFamily, size: Math.max(10, palette.fontSizePixels - 1) },
          clusterRadius: 9,
        },
      },
    },
  };
}

/** The roofline as a table, for screen readers and the data-table view; measured steps after the layers. */
export function rooflineTable(result: AnalysisResult, measured?: MeasuredComparison): DataTable {
  const rows: string[][] = [];
  for (const stage of ['prefill', 'decode'] as const) {
    const { plotted, omitted, communication } = layerPoints(result, stage);
    for (const point of plotted) {
      rows.push([stageLabel(stage), point.layer, formatIntensity(point.intensity), formatFlopsPerSecond(point.performance), point.bound]);
    }
    for (const name of omitted) rows.push([stageLabel(stage), name, '—', '—', 'not plotted (no FLOPs or no time)']);
    for (const name of communication) rows.push([stageLabel(stage), name, '—', '—', 'network (interconnect, not on the memory roofline)']);
  }
  const stepRows = measuredStepRows(measured);
  rows.push(...stepRows);
  const unplaced = unplacedFigures(measured);
  const ceilings = rooflineCeilings(result.hardware);
  return {
    caption: `Roofline of ${result.hardware.name}: ${ceilings.map((c) => `${c.label} ${formatFlopsPerSecond(c.opsPerSecond)}`).join(', ')}; ` +
      `bandwidth ${formatBandwidth(result.hardware.memory_bandwidth_bytes_per_second)}; ridge point ${formatIntensity(result.hardware.ridge_point)}.` +
      (unplaced.length > 0 ? ` Measured figures not on the roofline: ${unplaced.join('; ')}.` : ''),
    columns: stepRows.length > 0 ? ['Stage', 'Layer or step', 'Arithmetic intensity', 'Performance', 'Bound, or predicted'] : ['Stage', 'Layer', 'Arithmetic intensity', 'Performance', 'Bound'],
    rows,
  };
}
