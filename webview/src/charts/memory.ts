/**
 * Memory against capacity: weights, KV cache and activations stacked, with the capacity as a
 * line. When the total passes the capacity the title and the line say so in the danger colour.
 */
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { AnalysisResult } from '../../../language-server/src/engine/types';
import { formatBytes, formatPercent, formatUsableMemory } from '../../../language-server/src/format/units';
import { axisStyle, fontOf, HORIZONTAL_BAR_OPTIONS, isHidden, labelBandHeight, legendStyle, tooltipStyle, withAlpha, type ReferenceLine } from './common';
import { lineWidth, type ChartPalette } from './palette';
import type { DataTable } from './table';

export interface MemoryOptions {
  palette: ChartPalette;
  hiddenSeries: readonly string[];
}

export const MEMORY_SERIES = {
  weights: 'Weights',
  kvCache: 'KV cache',
  activations: 'Activations',
} as const;

export function memoryHeadline(result: AnalysisResult): string {
  const { total_bytes: total, capacity_bytes: capacity, fits, memory_utilization: utilization } = result.memory;
  if (capacity === undefined) return `${formatBytes(total)} needed (capacity unknown)`;
  return fits
    ? `Fits: ${formatBytes(total)} of ${formatUsableMemory(capacity, utilization)}`
    : `Does not fit: ${formatBytes(total)} needed, ${formatUsableMemory(capacity, utilization)} usable`;
}

function tooltipLabel(item: TooltipItem<'bar'>): string {
  return `${item.dataset.label ?? ''}: ${formatBytes(Number(item.raw))}`;
}

const GIB = 1024 ** 3;

/** Tick steps of 1, 2, 4, 8 … GiB (about five ticks), so the axis reads 0, 8, 16, 24 GiB. */
export function binaryTickStep(axisMaxBytes: number): number | undefined {
  if (!Number.isFinite(axisMaxBytes) || axisMaxBytes < GIB) return undefined;
  return 2 ** Math.ceil(Math.log2(axisMaxBytes / GIB / 5)) * GIB;
}

export function buildMemoryChart(result: AnalysisResult, options: MemoryOptions): ChartConfiguration<'bar', number[], string> {
  const { palette, hiddenSeries } = options;
  const memory = result.memory;
  const capacity = memory.capacity_bytes;
  const part = (label: string, bytes: number, color: string) => ({
    label,
    data: [Number.isFinite(bytes) && bytes > 0 ? bytes : 0],
    stack: 'memory',
    backgroundColor: withAlpha(color, 0.8, palette),
    borderColor: color,
    borderWidth: lineWidth(palette, 1),
    hidden: isHidden(hiddenSeries, label),
  });
  const referenceLines: ReferenceLine[] =
    capacity !== undefined && Number.isFinite(capacity) && capacity > 0
      ? [
          { axis: 'x', value: capacity, label: `Capacity ${formatBytes(capacity)}`, color: palette.mutedForeground, dashed: false },
          // What "fits" is measured against (engine/capacity.ts), drawn where the verdict changes.
          { axis: 'x', value: capacity * memory.memory_utilization, label: `Usable ${formatPercent(memory.memory_utilization)}`, color: memory.fits ? palette.foreground : palette.danger, dashed: true },
        ]
      : [];
  const paddedMax = Math.max(memory.total_bytes, capacity ?? 0) * 1.12;
  const stepBytes = binaryTickStep(paddedMax);
  // End the axis on a tick so its last label is as round as the others.
  const axisMax = stepBytes ? Math.ceil(paddedMax / stepBytes) * stepBytes : paddedMax;
  return {
    type: 'bar',
    data: {
      labels: ['Memory'],
      datasets: [
        part(MEMORY_SERIES.weights, memory.weights_bytes, palette.weights),
        part(MEMORY_SERIES.kvCache, memory.kv_cache_bytes, palette.kvCache),
        part(MEMORY_SERIES.activations, memory.activations_bytes, palette.activations),
      ],
    },
    options: {
      ...HORIZONTAL_BAR_OPTIONS,
      scales: {
        x: {
          type: 'linear',
          stacked: true,
          beginAtZero: true,
          max: Number.isFinite(axisMax) && axisMax > 0 ? axisMax : undefined,
          ...axisStyle(palette, 'Bytes'),
          ticks: { color: palette.mutedForeground, font: fontOf(palette), maxRotation: 0, maxTicksLimit: 8, ...(stepBytes ? { stepSize: stepBytes } : {}), callback: (value: number | string) => formatBytes(Number(value)) },
        },
        y: { type: 'category', stacked: true, grid: { display: false }, ticks: { display: false } },
      },
      plugins: {
        // The bar fills the plot's height, so the capacity and usable labels sit in a band above it.
        title: {
          display: true,
          text: memoryHeadline(result),
          color: memory.fits ? palette.foreground : palette.danger,
          font: fontOf(palette, 'bold'),
          padding: { top: 10, bottom: 10 + labelBandHeight(referenceLines.length, palette) },
        },
        legend: legendStyle(palette),
        tooltip: { ...tooltipStyle(palette), callbacks: { label: tooltipLabel } },
        referenceLines,
        referenceLineLabels: { band: 'above' },
        panelBackground: { color: palette.background },
      },
    },
  };
}

export function memoryTable(result: AnalysisResult): DataTable {
  const memory = result.memory;
  const rows = [
    [MEMORY_SERIES.weights, formatBytes(memory.weights_bytes)],
    [MEMORY_SERIES.kvCache, formatBytes(memory.kv_cache_bytes)],
    [MEMORY_SERIES.activations, formatBytes(memory.activations_bytes)],
    ['Total', formatBytes(memory.total_bytes)],
    ['Usable', memory.capacity_bytes === undefined ? 'unknown' : formatUsableMemory(memory.capacity_bytes, memory.memory_utilization)],
  ];
  return { caption: memoryHeadline(result), columns: ['Part', 'Size'], rows };
}
