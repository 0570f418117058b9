/**
 * The Plan view: every candidate that meets the targets as tokens/s per GPU (what the deployment
 * costs to run) against tokens/s per user (what each user sees), the Pareto front joined, the best
 * candidate marked, and the TPOT target drawn (a user cannot get more than 1 / TPOT tokens/s).
 * The table lists the best candidates and the front, each with what applying it writes.
 * Candidates with separate prefill and decode pools are framed by a square and read "8 (2P+6D)".
 */
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import { formatAxisNumber, formatMilliseconds, formatNumber, formatTokensPerSecond } from '../../../language-server/src/format/units';
import { gpusLabel } from '../../../language-server/src/plan/disaggregatedPools';
import type { PlanOutcome, PlanRow } from '../../../language-server/src/protocol/lsp';
import { axisStyle, decadeAxis, decadeRange, fontOf, isHidden, labelBandHeight, legendStyle, PANEL_CHART_OPTIONS, ticksAtMultiples, tooltipStyle, withAlpha, type ReferenceLine } from './common';
import { lineWidth, type ChartPalette } from './palette';
import type { DataTable } from './table';

export type PlanSuccess = Extract<PlanOutcome, { candidates: PlanRow[] }>;

export interface PlanChartOptions {
  palette: ChartPalette;
  hiddenSeries: readonly string[];
  /** The deployment's TPOT target in milliseconds: the most tokens/s one user can be given. */
  tpotTargetMs?: number;
  /** The candidate the table has selected (its rank), marked on the chart. */
  selectedRank?: number;
}

export const PLAN_SERIES = {
  others: 'Other candidates',
  front: 'Pareto front',
  best: 'Cheapest',
  selected: 'Selected',
  disaggregated: 'Prefill and decode pools',
} as const;

export interface PlanDatum {
  x: number;
  y: number;
  row?: PlanRow;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Rows whose figures can be shown (the page trusts nothing it receives). */
export function showableRows(outcome: PlanSuccess): PlanRow[] {
  return outcome.candidates.filter(
    (row) =>
      isObject(row) &&
      isObject(row.deployment) &&
      isObject(row.metrics) &&
      finite(row.rank) &&
      finite(row.gpus) &&
      [row.metrics.ttft_ms, row.metrics.tpot_ms, row.metrics.output_tokens_per_second_per_gpu, row.metrics.output_tokens_per_second_per_user].every(finite) &&
      (row.cost_per_million_output_tokens_usd === undefined || finite(row.cost_per_million_output_tokens_usd)),
  );
}

/** True when the candidate runs prefill and decode on separate pools (`serving.disaggregated`). */
export function isDisaggregated(row: PlanRow): boolean {
  return isObject(row.deployment.serving) && isObject(row.deployment.serving.disaggregated);
}

/** Hardware, GPUs ("8 (2P+6D)" for pools), parallelism, formats and concurrency of a candidate, as short text. */
export function describeCandidate(row: PlanRow): { hardware: string; gpus: string; parallelism: string; formats: string; concurrency: string } {
  const deployment = row.deployment;
  const parallelism = isObject(deployment.parallelism) ? deployment.parallelism : {};
  const quantization = isObject(deployment.quantization) ? deployment.quantization : {};
  const serving = isObject(deployment.serving) ? deployment.serving : {};
  const degrees = Object.entries(parallelism)
    .filter(([, value]) => typeof value === 'number')
    .map(([key, value]) => `${key[0]!.toUpperCase()}P${String(value)}`);
  return {
    hardware: typeof deployment.hardware === 'string' ? deployment.hardware : 'inline hardware',
    gpus: gpusLabel(row),
    parallelism: degrees.length > 0 ? degrees.join(' ') : 'TP1',
    formats: `${String(quantization.weights ?? '—')} / ${String(quantization.kv_cache ?? '—')}`,
    concurrency: String(serving.concurrency ?? '—'),
  };
}

export function formatUsd(value: number | undefined): string {
  return value === undefined ? 'no price' : `$${formatNumber(value)}`;
}

export const PLAN_COLUMNS = ['#', '$/M output', 'Hardware', 'GPUs', 'Parallelism', 'Weights / KV', 'In flight', 'tok/s per GPU', 'tok/s per user', 'TTFT', 'TPOT'] as const;

/** One row of the candidates table, formatted. */
export function planCells(row: PlanRow): string[] {
  const described = describeCandidate(row);
  return [
    `${row.rank + 1}${row.on_front ? ' ◆' : ''}`,
    formatUsd(row.cost_per_million_output_tokens_usd),
    described.hardware,
    described.gpus,
    described.parallelism,
    described.formats,
    described.concurrency,
    formatTokensPerSecond(row.metrics.output_tokens_per_second_per_gpu),
    formatTokensPerSecond(row.metrics.output_tokens_per_second_per_user),
    formatMilliseconds(row.metrics.ttft_ms),
    formatMilliseconds(row.metrics.tpot_ms),
  ];
}

export function planTable(outcome: PlanSuccess): DataTable {
  const rows = showableRows(outcome);
  return {
    caption: `${outcome.meeting} of ${outcome.evaluated} deployments analysed meet every target; the ${rows.length} best and those on the Pareto front (◆), cheapest first.`,
    columns: [...PLAN_COLUMNS],
    rows: rows.map(planCells),
  };
}

function tooltipLines(item: TooltipItem<'scatter'>): string[] {
  const datum = item.raw as PlanDatum;
  if (!datum.row) return [`${formatTokensPerSecond(datum.x)} per user, ${formatTokensPerSecond(datum.y)} per GPU`];
  const described = describeCandidate(datum.row);
  return [
    `#${datum.row.rank + 1} ${described.hardware} × ${described.gpus}, ${described.parallelism}, ${described.formats}, ${described.concurrency} in flight`,
    `${formatTokensPerSecond(datum.x)} per user, ${formatTokensPerSecond(datum.y)} per GPU, ${formatUsd(datum.row.cost_per_million_output_tokens_usd)} per M output`,
  ];
}

export function buildPlanChart(outcome: PlanSuccess, options: PlanChartOptions): ChartConfiguration<'scatter', PlanDatum[]> | undefined {
  const { palette, hiddenSeries } = options;
  const rows = showableRows(outcome);
  if (rows.length === 0) return undefined;
  const datum = (row: PlanRow): PlanDatum => ({ x: row.metrics.output_tokens_per_second_per_user, y: row.metrics.output_tokens_per_second_per_gpu, row });
  const front = rows.filter((row) => row.on_front).map(datum).sort((a, b) => a.x - b.x);
  const others: PlanDatum[] = [
    ...rows.filter((row) => !row.on_front).map(datum),
    ...(Array.isArray(outcome.others) ? outcome.others : []).filter((pair) => Array.isArray(pair) && finite(pair[0]) && finite(pair[1])).map(([x, y]) => ({ x, y })),
  ];
  const pooled = rows.filter(isDisaggregated).map(datum);
  const best = rows.find((row) => row.rank === 0);
  const selected = options.selectedRank !== undefined && options.selectedRank !== 0 ? rows.find((row) => row.rank === options.selectedRank) : undefined;
  const referenceLines: ReferenceLine[] = [];
  if (options.tpotTargetMs !== undefined && options.tpotTargetMs > 0) {
    const perUser = 1000 / options.tpotTargetMs;
    referenceLines.push({ axis: 'x', value: perUser, label: `TPOT target ${formatMilliseconds(options.tpotTargetMs)}: ≥ ${formatTokensPerSecond(perUser)} per user`, color: palette.memoryBound, dashed: true });
  }
  // Per-user rates span decades (a few tokens/s at the KV pool's limit, thousands alone): a log axis.
  const xRange = decadeRange([...front, ...others].map((point) => point.x).concat(referenceLines.map((line) => line.value)));
  const marker = (label: string, row: PlanRow, color: string, style: 'rectRot' | 'triangle') => ({
    label,
    data: [datum(row)],
    showLine: false,
    pointStyle: style,
    pointRadius: 9,
    pointHoverRadius: 10,
    pointBackgroundColor: color,
    pointBorderColor: palette.foreground,
    pointBorderWidth: 1.5,
    borderColor: color,
    backgroundColor: color,
    hidden: isHidden(hiddenSeries, label),
  });
  return {
    type: 'scatter',
    data: {
      datasets: [
        ...(best ? [marker(PLAN_SERIES.best, best, palette.current, 'rectRot')] : []),
        ...(selected ? [marker(PLAN_SERIES.selected, selected, palette.computeBound, 'triangle')] : []),
        {
          label: PLAN_SERIES.front,
          data: front,
          showLine: true,
          stepped: false,
          borderColor: palette.activations,
          backgroundColor: palette.activations,
          borderWidth: lineWidth(palette, 2),
          pointStyle: 'circle',
          pointRadius: 4,
          hidden: isHidden(hiddenSeries, PLAN_SERIES.front),
        },
        ...(pooled.length > 0
          ? [
              {
                // Drawn over the candidates' own points: a square frame says the pools are split.
                label: PLAN_SERIES.disaggregated,
                data: pooled,
                showLine: false,
                pointStyle: 'rect' as const,
                pointRadius: 6,
                pointHoverRadius: 7,
                pointBackgroundColor: 'transparent',
                pointBorderColor: palette.networkBound,
                pointBorderWidth: lineWidth(palette, 1.5),
                borderColor: palette.networkBound,
                backgroundColor: 'transparent',
                hidden: isHidden(hiddenSeries, PLAN_SERIES.disaggregated),
              },
            ]
          : []),
        {
          label: PLAN_SERIES.others,
          data: others,
          showLine: false,
          pointStyle: 'circle',
          pointRadius: 2,
          borderColor: withAlpha(palette.mutedForeground, 0.5, palette),
          backgroundColor: withAlpha(palette.mutedForeground, 0.35, palette),
          hidden: isHidden(hiddenSeries, PLAN_SERIES.others),
        },
      ],
    },
    options: {
      ...PANEL_CHART_OPTIONS,
      interaction: { mode: 'nearest', intersect: true },
      // The cheapest candidates crowd the top of the plot, where a label inside it would cover
      // them: the target's label sits in a band above.
      layout: { padding: { top: labelBandHeight(referenceLines.length, palette) } },
      scales: {
        x: decadeAxis(palette, 'Output tokens/s per user', xRange, formatAxisNumber),
        y: {
          type: 'linear',
          beginAtZero: true,
          // The axis ends where the markers need it to (markerRoom): a little below zero when a
          // candidate's rate is near it, with ticks at round values inside it.
          bounds: 'data',
          afterBuildTicks: ticksAtMultiples,
          ...axisStyle(palette, 'Output tokens/s per GPU'),
          ticks: { color: palette.mutedForeground, font: fontOf(palette), callback: (value: number | string) => formatAxisNumber(Number(value)) },
        },
      },
      plugins: {
        legend: legendStyle(palette),
        tooltip: { ...tooltipStyle(palette), callbacks: { label: tooltipLines } },
        referenceLines,
        referenceLineLabels: { band: 'above' },
        // The cheapest candidate is often the highest point and the front reaches the per-user
        // axis' ends: every marker is drawn whole inside the plot, whatever the panel's size.
        markerRoom: { datasets: Object.values(PLAN_SERIES) },
        panelBackground: { color: palette.background },
      },
    },
  };
}
