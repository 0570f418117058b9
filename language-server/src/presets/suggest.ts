/**
 * Did-you-mean for ids and keys: case-insensitive, ranked by how the candidate relates to what was
 * typed (same up to case, then one starting with or containing the other, then Damerau-Levenshtein
 * distance). `-` and `_` stay distinct, so `nvidia-h100` offers our `nvidia-h100-*` presets before
 * LLM-Viewer's `nvidia_H100*` keys.
 */

import { countCheckWork } from '../config/checkBudget';

const MAX_SUGGESTIONS = 6;

function normalize(id: string): string {
  return id.trim().toLowerCase();
}

/**
 * Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. Three
 * rows of the table at a time: a value can be as long as the document (128 KB), ids are short.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const columns = b.length + 1;
  let beforePrevious = new Array<number>(columns).fill(0);
  let previous = Array.from({ length: columns }, (_, column) => column);
  let current = new Array<number>(columns).fill(0);
  for (let row = 1; row <= a.length; row++) {
    current[0] = row;
    for (let column = 1; column < columns; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let best = Math.min(previous[column]! + 1, current[column - 1]! + 1, previous[column - 1]! + cost);
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) {
        best = Math.min(best, beforePrevious[column - 2]! + 1);
      }
      current[column] = best;
    }
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length]!;
}

/** Lower is closer; undefined means not similar enough to suggest. */
function closeness(wanted: string, candidate: string): number | undefined {
  if (wanted.length === 0) return undefined;
  if (candidate === wanted) return 0;
  const lengthGap = Math.abs(candidate.length - wanted.length) / 100;
  // A short fragment ("h100", "llama-2-7b") inside a longer id is a strong hint.
  if (wanted.length >= 2 && candidate.startsWith(wanted)) return 1 + lengthGap;
  if (wanted.length >= 3 && candidate.includes(wanted)) return 1.5 + lengthGap;
  if (candidate.length >= 3 && wanted.includes(candidate)) return 1.75 + lengthGap;
  const allowed = Math.max(2, Math.floor(Math.max(wanted.length, candidate.length) / 3));
  // The distance is at least the difference in length: a 32 KB value is no typo of a 20-letter id,
  // and comparing them letter by letter took seconds per document.
  if (Math.abs(wanted.length - candidate.length) > allowed) return undefined;
  const distance = editDistance(wanted, candidate);
  return distance <= allowed ? 2 + distance + lengthGap : undefined;
}

/** The candidates closest to `wanted`, best first (at most six). */
export function suggestIds(wanted: string, candidates: readonly string[]): string[] {
  const normalizedWanted = normalize(wanted);
  const scored: { id: string; score: number }[] = [];
  for (const id of new Set(candidates)) {
    // A check can ask for hundreds of these (a `vllm:` command of 1,500 unknown options took 220 ms).
    countCheckWork();
    if (id === wanted) continue;
    const score = closeness(normalizedWanted, normalize(id));
    if (score !== undefined) scored.push({ id, score });
  }
  scored.sort((left, right) => left.score - right.score || left.id.localeCompare(right.id));
  return scored.slice(0, MAX_SUGGESTIONS).map((entry) => entry.id);
}
