/**
 * When the language server dies, restart it after a delay that doubles with each crash in a short
 * window, and give up after too many, so a server that crashes on start does not spin. Imports
 * nothing from `vscode`.
 */
export interface RestartDecision {
  restart: boolean;
  /** How long to wait before restarting. */
  delayMs: number;
}

export interface RestartPolicyOptions {
  /** Crashes older than this no longer count. */
  windowMs: number;
  /** Crashes within the window after which the server is left stopped. */
  maxCrashes: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: Readonly<RestartPolicyOptions> = Object.freeze({
  windowMs: 3 * 60_000,
  maxCrashes: 5,
  initialDelayMs: 250,
  maxDelayMs: 8_000,
});

export class RestartPolicy {
  private crashTimesMs: number[] = [];

  constructor(
    private readonly now: () => number,
    private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY,
  ) {}

  /** Records a crash at `now()` and says what to do about it. */
  onCrash(): RestartDecision {
    const nowMs = this.now();
    this.crashTimesMs = [...this.crashTimesMs.filter((time) => nowMs - time < this.options.windowMs), nowMs];
    const recent = this.crashTimesMs.length;
    if (recent > this.options.maxCrashes) return { restart: false, delayMs: 0 };
    const delayMs = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** (recent - 1));
    return { restart: true, delayMs };
  }

  /** A restart asked for by the user starts the count afresh. */
  reset(): void {
    this.crashTimesMs = [];
  }
}
