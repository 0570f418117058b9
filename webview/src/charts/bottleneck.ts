/**
 * Where the time goes, layer by layer, in one stage. "Total" shows each layer's time in the
 * stage (seconds per occurrence × count) coloured by its bound; "Breakdown" splits it into the
 * memory time of each kind of bytes (weights, activations, KV cache) next to the compute time,
 * each as if it ran alone at the roof (bytes / bandwidth, FLOPs / peak), so one can see how far
 * a layer is from changing bound.
 */
import type { ChartConfiguration, Scale, TooltipItem } from 'chart.js';
import type { AnalysisResult, LayerResult, StageName } from '../../../language-server/src/engine/types';
import { formatBytes, formatFlops, formatIntensity, formatPercent, formatSeconds } from '../../../language-server/src/format/units';
import { axisStyle, fontOf, HORIZONTAL_BAR_OPTIONS, isHidden, legendStyle, tooltipStyle, withAlpha } from './common';
import { boundColor, lineWidth, type ChartPalette } from './palette';
import { layerBytes, stageLabel } from './roofline';
import type { DataTable } from './table';

export type BottleneckMode = 'total' | 'breakdown';

export interface BottleneckOptions {
  palette: ChartPalette;
  stage: StageName;
  mode: BottleneckMode;
  hiddenSeries: readonly string[];
}

export const BOTTLENECK_SERIES = {
  total: 'Time in stage',
  weights: 'Weights (memory)',
  activations: 'Activations (memory)',
  kvCache: 'KV cache (memory)',
  compute: 'Compute',
  communication: 'Communication',
} as const;

export interface LayerTimeParts {
  weightsSeconds: number;
  activationsSeconds: number;
  kvCacheSeconds: number;
  computeSeconds: number;
  communicationSeconds: number;
}

/** The time parts of all occurrences of a layer, each at the roof of the hardware in use. */
export function layerTimeParts(layer: LayerResult, hardware: AnalysisResult['hardware']): LayerTimeParts {
  const bandwidth = hardware.memory_bandwidth_bytes_per_second;
  const peak = hardware.peak_ops_per_second;
  const perSecond = (amount: number, rate: number): number => (rate > 0 && Number.isFinite(amount) ? (amount * layer.count) / rate : 0);
  if (layer.bound === 'network') {
    // Communication bytes cross the interconnect; its time is the layer's own.
    return { weightsSeconds: 0, activationsSeconds: 0, kvCacheSeconds: 0, computeSeconds: 0, communicationSeconds: layerStageSeconds(layer) };
  }
  return {
    communicationSeconds: 0,
    weightsSeconds: perSecond(layer.bytes.weights, bandwidth),
    activationsSeconds: perSecond(layer.bytes.activations_in + layer.bytes.activations_out, bandwidth),
    kvCacheSeconds: perSecond(layer.bytes.kv_read + layer.bytes.kv_write, bandwidth),
    computeSeconds: perSecond(layer.flops, peak),
  };
}

export function layerStageSeconds(layer: LayerResult): number {
  const seconds = layer.seconds * layer.count;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

/** The stage's layers, the one taking the most time first (ties keep the model's order). */
export function layersByTime(result: AnalysisResult, stage: StageName): LayerResult[] {
  return result.stages[stage].layers
    .map((layer, index) => ({ layer, index, seconds: layerStageSeconds(layer) }))
    .sort((a, b) => b.seconds - a.seconds || a.index - b.index)
    .map(({ layer }) => layer);
}

function timeTick(value: number | string): string {
  const numeric = typeof value === 'number' ? value : Number(value);
  return formatSeconds(numeric);
}

function tooltipLabel(item: TooltipItem<'bar'>): string {
  return `${item.dataset.label ?? ''}: ${formatSeconds(Number(item.raw))}`;
}

export function buildBottleneckChart(result: AnalysisResult, options: BottleneckOptions): ChartConfiguration<'bar', number[], string> {
  const { palette, stage, mode, hiddenSeries } = options;
  // Largest time first, each label with its time and share, so the answer is read, not measured.
  const layers = layersByTime(result, stage);
  const stageSeconds = result.stages[stage].totals.seconds;
  const labels = layers.map((layer) => {
    const seconds = layerStageSeconds(layer);
    const share = stageSeconds > 0 ? ` (${formatPercent(seconds / stageSeconds)})` : '';
    return `${layer.count > 1 ? `${layer.name} ×${layer.count}` : layer.name}  ${formatSeconds(seconds)}${share}`;
  });

  const datasets =
    mode === 'total'
      ? [
          {
            label: BOTTLENECK_SERIES.total,
            data: layers.map(layerStageSeconds),
            backgroundColor: layers.map((layer) => withAlpha(boundColor(palette, layer.bound), 0.8, palette)),
            borderColor: layers.map((layer) => boundColor(palette, layer.bound)),
            borderWidth: lineWidth(palette, 1),
            hidden: isHidden(hiddenSeries, BOTTLENECK_SERIES.total),
          },
        ]
      : (() => {
          const parts = layers.map((layer) => layerTimeParts(layer, result.hardware));
          const part = (label: string, color: string, stack: string, pick: (p: LayerTimeParts) => number) => ({
            label,
            data: parts.map(pick),
            stack,
            backgroundColor: withAlpha(color, 0.8, palette),
            borderColor: color,
            borderWidth: lineWidth(palette, 1),
            hidden: isHidden(hiddenSeries, label),
          });
          return [
            part(BOTTLENECK_SERIES.weights, palette.weights, 'memory', (p) => p.weightsSeconds),
            part(BOTTLENECK_SERIES.activations, palette.activations, 'memory', (p) => p.activationsSeconds),
            part(BOTTLENECK_SERIES.kvCache, palette.kvCache, 'memory', (p) => p.kvCacheSeconds),
            part(BOTTLENECK_SERIES.compute, palette.computeTime, 'compute', (p) => p.computeSeconds),
            ...(parts.some((p) => p.communicationSeconds > 0)
              ? [part(BOTTLENECK_SERIES.communication, palette.networkBound, 'communication', (p) => p.communicationSeconds)]
              : []),
          ];
        })();

  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      ...HORIZONTAL_BAR_OPTIONS,
      scales: {
        x: { type: 'linear', beginAtZero: true, stacked: mode === 'breakdown', ...axisStyle(palette, `${stageLabel(stage)} time`), ticks: { color: palette.mutedForeground, font: fontOf(palette), maxRotation: 0, maxTicksLimit: 6, autoSkip: true, autoSkipPadding: 16, callback: timeTick } },
        y: {
          type: 'category',
          stacked: mode === 'breakdown',
          grid: { display: false },
          border: { color: palette.grid },
          ticks: { color: palette.foreground, font: fontOf(palette), autoSkip: false },
          // chart.js gives a side axis at most half the canvas, which cut "fused_attention ×80  1.62 ms
          // (21.3%)" at 495 px: make room for the widest label, up to two thirds of the width.
          afterFit: (scale: Scale) => {
            const context = scale.ctx;
            context.save();
            context.font = `${palette.fontSizePixels}px ${palette.fontFamily}`;
            const widest = Math.max(0, ...labels.map((label) => context.measureText(label).width));
            context.restore();
            scale.width = Math.max(scale.width, Math.min(widest + 16, (scale.chart.width * 2) / 3));
          },
        },
      },
      plugins: {
        legend: { ...legendStyle(palette), display: mode === 'breakdown' },
        tooltip: { ...tooltipStyle(palette), callbacks: { label: tooltipLabel } },
        panelBackground: { color: palette.background },
      },
    },
  };
}

/** The per-layer table of a stage (also the panel's layer table). */
export function bottleneckTable(result: AnalysisResult, stage: StageName): DataTable {
  const stageResult = result.stages[stage];
  return {
    caption: `${stageLabel(stage)}: ${stageResult.layers.length} layers, ${formatSeconds(stageResult.totals.seconds)} in all.`,
    columns: ['Layer', 'Count', 'FLOPs', 'Bytes', 'Intensity', 'Bound', 'Time each', 'Time in stage', 'Share'],
    rows: stageResult.layers.map((layer) => {
      const stageSeconds = layerStageSeconds(layer);
      const share = stageResult.totals.seconds > 0 ? (100 * stageSeconds) / stageResult.totals.seconds : Number.NaN;
      return [
        layer.name,
        String(layer.count),
        formatFlops(layer.flops),
        formatBytes(layerBytes(layer.bytes)),
        formatIntensity(layer.arithmetic_intensity),
        layer.bound,
        formatSeconds(layer.seconds),
        formatSeconds(stageSeconds),
        Number.isFinite(share) ? `${share.toFixed(1)} %` : '—',
      ];
    }),
  };
}
