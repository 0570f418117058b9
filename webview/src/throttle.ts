/**
 * Throttling for slider drags: the first call runs at once, later calls within `intervalMs` are
 * folded into one trailing call with the latest arguments. `flush` runs a pending call now (on
 * release), `cancel` drops it.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface Throttled<A extends unknown[]> {
  (...args: A): void;
  flush(): void;
  cancel(): void;
}

export function throttleTrailing<A extends unknown[]>(run: (...args: A) => void, intervalMs: number, timers: Timers): Throttled<A> {
  let lastRunAt = Number.NEGATIVE_INFINITY;
  let pending: A | undefined;
  let handle: unknown;

  const runPending = (): void => {
    handle = undefined;
    if (!pending) return;
    const args = pending;
    pending = undefined;
    lastRunAt = timers.now();
    run(...args);
  };

  const throttled = ((...args: A): void => {
    pending = args;
    const waitedMs = timers.now() - lastRunAt;
    if (waitedMs >= intervalMs && handle === undefined) {
      runPending();
    } else if (handle === undefined) {
      handle = timers.setTimeout(runPending, Math.max(0, intervalMs - waitedMs));
    }
  }) as Throttled<A>;

  throttled.flush = () => {
    if (handle !== undefined) timers.clearTimeout(handle);
    runPending();
  };
  throttled.cancel = () => {
    if (handle !== undefined) timers.clearTimeout(handle);
    handle = undefined;
    pending = undefined;
  };
  return throttled;
}
