/**
 * A stuck server is noticed and replaced: the real server over stdio answers the client's ping
 * from its event loop; while its event loop is blocked (the test-only request of debugProtocol.ts,
 * standing for a check that never yields) the ping goes unanswered, the extension's watchdog calls
 * it unresponsive and then asks for a restart, and a new server answers again.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { ServerWatchdog } from '../../extension/src/serverWatchdog';
import { PingRequest } from '../../language-server/src/protocol/lsp';
import { BlockEventLoopRequest } from '../../language-server/src/server/debugProtocol';
import { loadFixture } from './fixtures';
import { LspTestClient } from './lspClient';

/** Short waits, so the test runs in seconds: ping every 100 ms, late after 300 ms, restart 700 ms later. */
const OPTIONS = { intervalMs: 100, answerWithinMs: 300, restartAfterMs: 700 };
const BLOCK_MS = 5_000;

const nodeTimers = {
  setTimeout(callback: () => void, milliseconds: number) {
    const handle = setTimeout(callback, milliseconds);
    return { dispose: () => clearTimeout(handle) };
  },
};

describe('a stuck language server', function () {
  this.timeout(30_000);
  const clients: LspTestClient[] = [];

  afterEach(async function () {
    for (const client of clients.splice(0)) await client.kill();
  });

  it('answers a ping at once while it is well', async function () {
    const client = await LspTestClient.start();
    clients.push(client);
    const started = performance.now();
    assert.deepEqual(await client.connection.sendRequest(PingRequest), { ok: true });
    assert.ok(performance.now() - started < 1_000);
  });

  it('refuses to block its event loop unless the client asked for test requests', async function () {
    const client = await LspTestClient.start();
    clients.push(client);
    assert.deepEqual(await client.connection.sendRequest(BlockEventLoopRequest, { milliseconds: BLOCK_MS }), { blocked: false });
  });

  it('is called unresponsive, then restarted, and the new server answers', async function () {
    const stuck = await LspTestClient.start({ debugRequests: true });
    clients.push(stuck);
    const events: string[] = [];
    const restartDue = new Promise<void>((resolve) => {
      const watchdog = new ServerWatchdog(
        () => stuck.connection.sendRequest(PingRequest),
        {
          unresponsive: () => events.push('unresponsive'),
          responsive: () => events.push('responsive'),
          restartDue: () => {
            events.push('restart');
            resolve();
          },
        },
        nodeTimers,
        OPTIONS,
      );
      watchdog.start();
    });
    // Pings are answered for a while first.
    await new Promise((resolve) => setTimeout(resolve, 3 * OPTIONS.intervalMs));
    assert.deepEqual(events, []);
    const blockedAt = performance.now();
    void stuck.connection.sendRequest(BlockEventLoopRequest, { milliseconds: BLOCK_MS }).catch(() => undefined);
    await restartDue;
    // Noticed well before the block would have ended by itself.
    assert.deepEqual(events, ['unresponsive', 'restart']);
    assert.ok(performance.now() - blockedAt < BLOCK_MS, `the restart came ${Math.round(performance.now() - blockedAt)} ms after the block`);

    // The restart, as the extension's client does it: the old process ended, a new one started.
    await stuck.kill();
    const fresh = await LspTestClient.start();
    clients.push(fresh);
    assert.deepEqual(await fresh.connection.sendRequest(PingRequest), { ok: true });
    const fixture = loadFixture('llama-70b-h100.roofline.yaml');
    const diagnostics = await fresh.open(fixture.uri, fixture.text);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 1), []);
  });

  it('that answers late after all is back to responsive, with no restart', async function () {
    const client = await LspTestClient.start({ debugRequests: true });
    clients.push(client);
    const events: string[] = [];
    let watchdog: ServerWatchdog | undefined;
    const recovered = new Promise<void>((resolve) => {
      watchdog = new ServerWatchdog(
        () => client.connection.sendRequest(PingRequest),
        {
          unresponsive: () => events.push('unresponsive'),
          responsive: () => {
            events.push('responsive');
            resolve();
          },
          restartDue: () => events.push('restart'),
        },
        nodeTimers,
        // A block of 1 s: late after 300 ms, answered before the restart at 300 + 3000 ms.
        { ...OPTIONS, restartAfterMs: 3_000 },
      );
      watchdog.start();
    });
    await client.connection.sendRequest(BlockEventLoopRequest, { milliseconds: 1_000 });
    await recovered;
    watchdog!.dispose();
    assert.deepEqual(events, ['unresponsive', 'responsive']);
  });
});
