/**
 * The time a document check may take on the event loop. Issue 9: no document under 1 MB takes more
 * than this to check while the user types. Every input is bounded so that a check stays within it
 * (YAML up to 32 KiB and 12,000 words and symbols, JSON up to 128 KiB, 64 levels, 100 problems);
 * a check that still runs over (a machine busy with other work) stops at the next step and says so.
 */
import { meterEngineWork } from '../engine/workMeter';
import type { ConfigProblem, OffsetRange } from './types';

export const CHECK_BUDGET_MS = 100;

/** Why a check stopped part-way, on the point where it stopped. */
export function checkStoppedProblem(uri: string, range: OffsetRange, spentMs?: number, budgetMs = CHECK_BUDGET_MS): ConfigProblem {
  const spent = spentMs === undefined ? '' : ` after ${Math.round(spentMs)} ms`;
  return {
    uri,
    range,
    path: [],
    message: `checking stopped here${spent}, over the ${budgetMs} ms a check may take while you type (config files take a few ms); it is checked again after the next edit`,
    code: 'check-stopped',
    severity: 'warning',
  };
}

/**
 * Units of work (tokens scanned, syntax nodes built, values read) between two looks at the clock
 * inside one step. A look reads the process's CPU time (about 1 µs); a unit takes 0.1 to 5 µs on a
 * loaded machine, so a check stops within a few ms of its budget, not at the end of a step that
 * can take tens of ms (building the tree of 128 KB of JSON took up to 125 ms).
 */
export const UNITS_PER_BUDGET_LOOK = 256;

/** Thrown out of a long loop (or a library's callback inside one) when the check's budget is spent. */
export class CheckStopped extends Error {
  constructor() {
    super('the check ran over its budget');
  }
}

/**
 * What the long loops of a check call once per unit of work: every `UNITS_PER_BUDGET_LOOK` units
 * it asks `spent` (the check's clock) and throws `CheckStopped` once the budget is spent.
 */
export class WorkMeter {
  private units = 0;
  /** Looks at the clock so far: units / UNITS_PER_BUDGET_LOOK, for the tests. */
  looks = 0;

  constructor(private readonly spent: () => boolean) {}

  unit(): void {
    if (++this.units % UNITS_PER_BUDGET_LOOK !== 0) return;
    this.looks++;
    if (this.spent()) throw new CheckStopped();
  }

  /** Looks at the clock now, between two pieces of work that cannot be metered inside (a library call). */
  lookNow(): void {
    this.looks++;
    if (this.spent()) throw new CheckStopped();
  }

  /** Units counted so far. */
  get unitsDone(): number {
    return this.units;
  }
}

/** The meter of work that runs to its end (files a check reads, parses outside a check). */
export function unmetered(): WorkMeter {
  return new WorkMeter(() => false);
}

/** The meter of the check running now, for the loops that cannot be handed one (the generated schema validators, the engine). */
let activeMeter: WorkMeter | undefined;

/**
 * One unit of the running check's work, from a loop deep in code that does not take a meter: each
 * key or item the schema validators visit (schemaValidators.generated.ts). Nothing outside a check.
 */
export function countCheckWork(): void {
  activeMeter?.unit();
}

/**
 * Looks at the running check's clock now, before a piece of work that cannot be metered inside (a
 * measured results file parsed whole, up to 1 MiB); throws `CheckStopped` once the budget is spent.
 */
export function lookAtCheckBudget(): void {
  activeMeter?.lookNow();
}

/**
 * Runs `run` (resolving, validating and analysing a document: one synchronous call) with `meter`
 * counting the work of the validators' and the engine's long loops, which throw `CheckStopped`
 * out of `run` once the budget is spent.
 */
export function withWorkMeter<T>(meter: WorkMeter, run: () => T): T {
  const outer = activeMeter;
  activeMeter = meter;
  const outerEngine = meterEngineWork(() => meter.unit());
  try {
    return run();
  } finally {
    activeMeter = outer;
    meterEngineWork(outerEngine);
  }
}
