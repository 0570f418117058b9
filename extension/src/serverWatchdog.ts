/**
 * Notices a language server that stopped answering: it pings the server every few seconds (the
 * server answers from its event loop), calls it unresponsive when an answer is late, and asks for
 * a restart when it stays silent. A crashed server is the client's close handler's business; this
 * is for one that is alive but stuck (a loop, a blocking read). Imports nothing from `vscode`.
 */

export interface WatchdogOptions {
  /** Quiet time between an answer and the next ping. */
  intervalMs: number;
  /** A ping unanswered this long makes the server unresponsive. */
  answerWithinMs: number;
  /** Unresponsive this long (the same ping still unanswered): restart. */
  restartAfterMs: number;
}

export const DEFAULT_WATCHDOG_OPTIONS: Readonly<WatchdogOptions> = Object.freeze({
  intervalMs: 5_000,
  answerWithinMs: 3_000,
  restartAfterMs: 10_000,
});

export interface WatchdogTimers {
  setTimeout(callback: () => void, milliseconds: number): { dispose(): void };
}

export interface WatchdogListener {
  /** A ping went unanswered for `answerWithinMs`; a restart follows in `restartInMs` unless it answers. */
  unresponsive(restartInMs: number): void;
  /** An unresponsive server answered after all. */
  responsive(): void;
  /** Still silent `restartAfterMs` after it became unresponsive. The watchdog stops itself first. */
  restartDue(): void;
}

export class ServerWatchdog {
  private timer: { dispose(): void } | undefined;
  private stopped = false;
  private unresponsive = false;
  /** Tells answers to an earlier ping apart from the current one's. */
  private pingNumber = 0;

  constructor(
    private readonly ping: () => Promise<unknown>,
    private readonly listener: WatchdogListener,
    private readonly timers: WatchdogTimers,
    private readonly options: WatchdogOptions = DEFAULT_WATCHDOG_OPTIONS,
  ) {}

  /** Starts pinging, the first ping after one interval. */
  start(): void {
    this.stopped = false;
    this.unresponsive = false;
    // Answers to pings of an earlier run no longer count.
    this.pingNumber++;
    this.wait(this.options.intervalMs, () => this.sendPing());
  }

  get isUnresponsive(): boolean {
    return this.unresponsive;
  }

  dispose(): void {
    this.stopped = true;
    this.timer?.dispose();
    this.timer = undefined;
  }

  private wait(milliseconds: number, then: () => void): void {
    this.timer?.dispose();
    this.timer = this.stopped ? undefined : this.timers.setTimeout(then, milliseconds);
  }

  private sendPing(): void {
    const number = ++this.pingNumber;
    // A failed request (the connection closing for a restart or a crash) counts as an answer: the
    // server is not stuck, and the client's close handler deals with the rest.
    void this.ping().then(
      () => this.answered(number),
      () => this.answered(number),
    );
    this.wait(this.options.answerWithinMs, () => {
      this.unresponsive = true;
      this.listener.unresponsive(this.options.restartAfterMs);
      this.wait(this.options.restartAfterMs, () => {
        this.dispose();
        this.listener.restartDue();
      });
    });
  }

  private answered(number: number): void {
    if (this.stopped || number !== this.pingNumber) return;
    if (this.unresponsive) {
      this.unresponsive = false;
      this.listener.responsive();
    }
    this.wait(this.options.intervalMs, () => this.sendPing());
  }
}
