/**
 * The watchdog of the language server, on a manual clock and a ping the test answers or not:
 * quiet while the server answers, "unresponsive" when an answer is late, back to normal when it
 * comes, and a restart when the server stays silent.
 */
import assert from 'node:assert/strict';
import { ServerWatchdog, type WatchdogOptions } from '../../../extension/src/serverWatchdog';
import { serverHealthContent } from '../../../extension/src/statusText';

const OPTIONS: WatchdogOptions = { intervalMs: 5_000, answerWithinMs: 3_000, restartAfterMs: 10_000 };

/** Timers on a clock that moves only when the test says so. */
class ManualClock {
  nowMs = 0;
  private timers: { at: number; callback: () => void; live: boolean }[] = [];

  setTimeout = (callback: () => void, milliseconds: number): { dispose(): void } => {
    const timer = { at: this.nowMs + milliseconds, callback, live: true };
    this.timers.push(timer);
    return { dispose: () => (timer.live = false) };
  };

  get pending(): number {
    return this.timers.filter((timer) => timer.live).length;
  }

  /** Moves the clock, firing due timers in order, with promise callbacks settled between them. */
  async advance(milliseconds: number): Promise<void> {
    const until = this.nowMs + milliseconds;
    for (;;) {
      await settle();
      const due = this.timers.filter((timer) => timer.live && timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      this.nowMs = due.at;
      due.callback();
    }
    this.nowMs = until;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await Promise.resolve();
}

/** A ping the test answers by hand (`answer()`), or that answers at once (`answering = true`). */
class FakeServer {
  pings = 0;
  answering = true;
  private waiting: (() => void)[] = [];

  ping = (): Promise<unknown> => {
    this.pings++;
    if (this.answering) return Promise.resolve({ ok: true });
    return new Promise((resolve) => this.waiting.push(() => resolve({ ok: true })));
  };

  answer(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

function watched(server: FakeServer, clock: ManualClock) {
  const events: string[] = [];
  const watchdog = new ServerWatchdog(
    server.ping,
    {
      unresponsive: (restartInMs) => events.push(`unresponsive ${clock.nowMs} restart in ${restartInMs}`),
      responsive: () => events.push(`responsive ${clock.nowMs}`),
      restartDue: () => events.push(`restart ${clock.nowMs}`),
    },
    { setTimeout: clock.setTimeout },
    OPTIONS,
  );
  return { watchdog, events };
}

describe('language server watchdog', () => {
  it('pings every interval and stays quiet while the server answers', async () => {
    const clock = new ManualClock();
    const server = new FakeServer();
    const { watchdog, events } = watched(server, clock);
    watchdog.start();
    // Pings at 5 s, 10 s, ..., 60 s: 12 of them.
    await clock.advance(60_000);
    assert.equal(server.pings, 12);
    assert.deepEqual(events, []);
    assert.equal(watchdog.isUnresponsive, false);
    watchdog.dispose();
  });

  it('calls a server unresponsive when an answer is 3 s late, and restarts it 10 s later', async () => {
    const clock = new ManualClock();
    const server = new FakeServer();
    const { watchdog, events } = watched(server, clock);
    watchdog.start();
    await clock.advance(5_000);
    server.answering = false;
    // The ping at 10 s goes unanswered: unresponsive at 13 s, restart due at 23 s.
    await clock.advance(30_000);
    assert.deepEqual(events, ['unresponsive 13000 restart in 10000', 'restart 23000']);
    // A stuck server's queue is blocked: one ping waits, no more are piled on it.
    assert.equal(server.pings, 2);
    // Restarting is the controller's job; the watchdog has stopped itself.
    assert.equal(clock.pending, 0);
  });

  it('takes a late answer as recovery and cancels the restart', async () => {
    const clock = new ManualClock();
    const server = new FakeServer();
    const { watchdog, events } = watched(server, clock);
    server.answering = false;
    watchdog.start();
    // Ping at 5 s; unresponsive at 8 s; the answer comes at 12 s, before the restart at 18 s.
    await clock.advance(12_000);
    server.answer();
    server.answering = true;
    await clock.advance(20_000);
    assert.deepEqual(events, ['unresponsive 8000 restart in 10000', 'responsive 12000']);
    assert.equal(watchdog.isUnresponsive, false);
    // Pinging goes on: 5 s after the answer, and every 5 s since (17, 22, 27, 32 s).
    assert.equal(server.pings, 5);
    watchdog.dispose();
  });

  it('counts a failed ping (connection closing) as an answer: crashes are not its business', async () => {
    const clock = new ManualClock();
    const events: string[] = [];
    const watchdog = new ServerWatchdog(
      () => Promise.reject(new Error('Connection is closed')),
      { unresponsive: () => events.push('unresponsive'), responsive: () => events.push('responsive'), restartDue: () => events.push('restart') },
      { setTimeout: clock.setTimeout },
      OPTIONS,
    );
    watchdog.start();
    await clock.advance(60_000);
    assert.deepEqual(events, []);
    watchdog.dispose();
  });

  it('stops pinging once disposed, and ignores an answer that arrives after', async () => {
    const clock = new ManualClock();
    const server = new FakeServer();
    const { watchdog, events } = watched(server, clock);
    server.answering = false;
    watchdog.start();
    await clock.advance(9_000);
    watchdog.dispose();
    server.answer();
    await clock.advance(60_000);
    assert.deepEqual(events, ['unresponsive 8000 restart in 10000']);
    assert.equal(server.pings, 1);
    assert.equal(clock.pending, 0);
  });

  it('a restarted watchdog starts afresh: an answer to the old ping does not count', async () => {
    const clock = new ManualClock();
    const server = new FakeServer();
    const { watchdog, events } = watched(server, clock);
    server.answering = false;
    watchdog.start();
    await clock.advance(18_000);
    assert.deepEqual(events, ['unresponsive 8000 restart in 10000', 'restart 18000']);
    watchdog.start();
    assert.equal(watchdog.isUnresponsive, false);
    server.answer();
    await clock.advance(1_000);
    assert.deepEqual(events.slice(2), []);
    watchdog.dispose();
  });
});

describe('language server status text', () => {
  it('says nothing alarming while the server answers', () => {
    assert.deepEqual(serverHealthContent({ state: 'responsive' }), { text: 'Language server', detail: 'Responding', severity: 'information' });
  });

  it('says the server is not responding and when it will be restarted', () => {
    assert.deepEqual(serverHealthContent({ state: 'unresponsive', restartInMs: 10_000 }), {
      text: 'Language server not responding',
      detail: 'Restarting it in 10 s unless it answers',
      severity: 'error',
    });
  });

  it('says the server was given up on', () => {
    assert.equal(serverHealthContent({ state: 'stopped' }).severity, 'error');
    assert.equal(serverHealthContent({ state: 'stopped' }).text, 'Language server stopped');
  });
});
