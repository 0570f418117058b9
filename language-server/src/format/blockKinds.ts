/** Which blocks are which kind, as one line for hovers and the panel (engine/default/blockKinds.ts finds them). */
import type { BlockKindSummary } from '../engine/types';

/** Ranges shown before the rest is elided. */
const MAX_RANGES = 6;

/** `0–2, 4–6, 8`: block indices as ranges, the first few only. */
export function formatBlockIndices(indices: readonly number[]): string {
  const ranges: string[] = [];
  let start = indices[0];
  let previous = start;
  for (const index of [...indices.slice(1), Number.NaN]) {
    if (index === (previous ?? Number.NaN) + 1) {
      previous = index;
      continue;
    }
    if (start !== undefined && previous !== undefined) ranges.push(start === previous ? String(start) : `${start}–${previous}`);
    start = index;
    previous = index;
  }
  return ranges.length > MAX_RANGES ? `${ranges.slice(0, MAX_RANGES).join(', ')}, …` : ranges.join(', ');
}

/** `36 gated DeltaNet (0–2, 4–6, …) · 12 full attention (3, 7, …)`: one line for a hover or the panel. */
export function blockKindsText(kinds: readonly BlockKindSummary[]): string {
  return kinds.map((entry) => `${entry.blocks} ${entry.kind}${kinds.length > 1 ? ` (blocks ${formatBlockIndices(entry.indices)})` : ''}`).join(' · ');
}
