/**
 * The deployment's latency targets on a chart's time axis (`yTime`): the sweep and the serving
 * view both draw TTFT and TPOT against a log time axis, and a target must be on it and look alike
 * in both (coloured as the series it bounds, dashed).
 */
import { formatSeconds } from '../../../language-server/src/format/units';
import { decadeRange, type ReferenceLine } from './common';
import type { ChartPalette } from './palette';

export interface LatencyTargets {
  ttftSeconds?: number;
  tpotSeconds?: number;
}

/** Horizontal lines on the `yTime` scale, one per target the deployment writes. */
export function latencyTargetLines(targets: LatencyTargets | undefined, palette: ChartPalette): ReferenceLine[] {
  const { ttftSeconds, tpotSeconds } = targets ?? {};
  const lines: ReferenceLine[] = [];
  if (tpotSeconds !== undefined) lines.push({ axis: 'y', scaleId: 'yTime', value: tpotSeconds, label: `TPOT target ${formatSeconds(tpotSeconds)}`, color: palette.memoryBound, dashed: true });
  if (ttftSeconds !== undefined) lines.push({ axis: 'y', scaleId: 'yTime', value: ttftSeconds, label: `TTFT target ${formatSeconds(ttftSeconds)}`, color: palette.kvCache, dashed: true });
  return lines;
}

/** The time axis's decades: every point's TTFT and TPOT, and the targets, so a far target is not off the chart. */
export function latencyAxisRange(points: readonly { ttft_seconds: number; tpot_seconds: number }[], targets: LatencyTargets | undefined): { min: number; max: number } {
  const { ttftSeconds, tpotSeconds } = targets ?? {};
  return decadeRange([...points.flatMap((p) => [p.tpot_seconds, p.ttft_seconds]), ...[ttftSeconds, tpotSeconds].filter((value): value is number => value !== undefined)]);
}
