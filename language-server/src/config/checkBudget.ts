/**
 * The time a document check may take on the event loop. Issue 9: no document under 1 MB takes more
 * than this to check while the user types. Every input is bounded so that a check stays within it
 * (YAML up to 32 KiB and 12,000 words and symbols, JSON up to 128 KiB, 64 levels, 100 problems);
 * a check that still runs over (a machine busy with other work) stops at the next step and says so.
 */
import type { ConfigProblem, OffsetRange } from './types';

export const CHECK_BUDGET_MS = 100;

/** Why a check stopped part-way, on the point where it stopped. */
export function checkStoppedProblem(uri: string, range: OffsetRange, spentMs?: number): ConfigProblem {
  const spent = spentMs === undefined ? '' : ` after ${Math.round(spentMs)} ms`;
  return {
    uri,
    range,
    path: [],
    message: `checking stopped here${spent}, over the ${CHECK_BUDGET_MS} ms a check may take while you type (config files take a few ms); it is checked again after the next edit`,
    code: 'check-stopped',
    severity: 'warning',
  };
}
