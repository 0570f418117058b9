/**
 * Which effects of `efficiency: expected` dominate a figure: the terms that add most to it over
 * the ideal bound, with their share of the gap. Types only, so the panel can use it too.
 */
import type { ExpectedTerm } from '../types';

export interface DominantTerm {
  label: string;
  /** Share of the gap between the expected figure and the bound, 0–1. */
  share: number;
}

export function dominantTerms(terms: readonly ExpectedTerm[], figure: 'ttft_seconds' | 'tpot_seconds', count = 2): DominantTerm[] {
  const gap = terms.reduce((sum, term) => sum + Math.max(0, term[figure]), 0);
  if (gap <= 0) return [];
  return terms
    .filter((term) => term[figure] > 0)
    .sort((a, b) => b[figure] - a[figure])
    .slice(0, count)
    .map((term) => ({ label: term.label, share: term[figure] / gap }));
}
