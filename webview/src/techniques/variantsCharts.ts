/**
 * Compare with a variant (`variants:`), as a chart config and table rows (pure, no DOM): this
 * deployment and each variant, TTFT and TPOT on one log axis, and the figures in a table.
 */
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { AnalysisResult } from '../../../language-server/src/engine/types';
import { formatBytes, formatRatio, formatSeconds, formatTokensPerSecond } from '../../../language-server/src/format/units';
import { barNamesAxis, decadeAxis, decadeRange, fontOf, HORIZONTAL_BAR_OPTIONS, isHidden, legendStyle, tooltipStyle, withAlpha } from '../charts/common';
import { lineWidth, type ChartPalette } from '../charts/palette';

export const VARIANT_SERIES = { ttft: 'TTFT', tpot: 'TPOT' } as const;

export interface VariantRow {
  name: string;
  model: string;
  techniques: string;
  ttftSeconds: number;
  tpotSeconds: number;
  tokensPerSecond: number;
  memoryBytes: number;
  fits: boolean;
  /** This deployment's TPOT over the row's (above 1: the row decodes faster). */
  decodeSpeed: number;
  error?: string;
  own: boolean;
}

export function variantRows(result: AnalysisResult): VariantRow[] {
  const own = result.metrics.tpot_seconds;
  return [
    {
      name: 'This deployment',
      model: result.model.name,
      techniques: (result.techniques ?? []).map((t) => t.label).join(', ') || 'none',
      ttftSeconds: result.metrics.ttft_seconds,
      tpotSeconds: own,
      tokensPerSecond: result.metrics.output_tokens_per_second,
      memoryBytes: result.memory.total_bytes,
      fits: result.memory.fits,
      decodeSpeed: 1,
      own: true,
    },
    ...(result.variants ?? []).map((variant) => ({
      name: variant.name,
      model: variant.model_name,
      techniques: variant.techniques.join(', ') || 'none',
      ttftSeconds: variant.ttft_seconds,
      tpotSeconds: variant.tpot_seconds,
      tokensPerSecond: variant.output_tokens_per_second,
      memoryBytes: variant.total_memory_bytes,
      fits: variant.fits,
      decodeSpeed: variant.tpot_seconds > 0 ? own / variant.tpot_seconds : 0,
      ...(variant.error ? { error: variant.error } : {}),
      own: false,
    })),
  ];
}

/** Table cells of a row, formatted as everywhere else. */
export function variantCells(row: VariantRow): string[] {
  if (row.error) return [row.name, row.model, row.techniques, '—', '—', '—', '—', '—', `not analysed: ${row.error}`];
  return [row.name, row.model, row.techniques, formatSeconds(row.ttftSeconds), formatSeconds(row.tpotSeconds), formatTokensPerSecond(row.tokensPerSecond), formatBytes(row.memoryBytes), row.fits ? 'yes' : 'no', row.own ? '1×' : formatRatio(row.decodeSpeed)];
}

export const VARIANT_COLUMNS = ['Variant', 'Model', 'Techniques', 'TTFT', 'TPOT', 'Tokens/s', 'Memory', 'Fits', 'Decode speed'];

export function buildVariantsChart(result: AnalysisResult, palette: ChartPalette, hiddenSeries: readonly string[]): ChartConfiguration<'bar', number[], string> {
  const rows = variantRows(result).filter((row) => !row.error);
  const dataset = (label: string, values: number[], color: string) => ({
    label,
    data: values,
    backgroundColor: rows.map((row) => withAlpha(color, row.own ? 0.9 : 0.55, palette)),
    borderColor: color,
    borderWidth: rows.map((row) => lineWidth(palette, row.own ? 2 : 1)),
    hidden: isHidden(hiddenSeries, label),
  });
  const values = rows.flatMap((row) => [row.ttftSeconds, row.tpotSeconds]).filter((v) => v > 0);
  const range = decadeRange(values.length > 0 ? values : [1e-3, 1]);
  return {
    type: 'bar',
    data: {
      labels: rows.map((row) => row.name),
      datasets: [dataset(VARIANT_SERIES.ttft, rows.map((row) => row.ttftSeconds), palette.computeBound), dataset(VARIANT_SERIES.tpot, rows.map((row) => row.tpotSeconds), palette.memoryBound)],
    },
    options: {
      ...HORIZONTAL_BAR_OPTIONS,
      scales: {
        x: decadeAxis(palette, 'Seconds (log scale)', range, formatSeconds, { levelLabels: true }),
        y: barNamesAxis(palette),
      },
      plugins: {
        title: { display: true, text: 'TTFT and TPOT of this deployment and its variants', color: palette.foreground, font: fontOf(palette, 'bold') },
        legend: legendStyle(palette),
        tooltip: { ...tooltipStyle(palette), callbacks: { label: (item: TooltipItem<'bar'>) => `${item.dataset.label ?? ''}: ${formatSeconds(Number(item.raw))}` } },
        panelBackground: { color: palette.background },
      },
    },
  };
}
