/**
 * Root hooks of the language-server tier. A server a test left running (its suite's `after` hook
 * timed out, or a start failed half-way) would keep mocha waiting on the child's pipes for ever,
 * with no test named; here it is killed, and the tier fails saying which test started it. The
 * config also sets `exit`, so that no other handle left open (a timer) can stall the tier either.
 */
import { endRunningServers } from './lspClient';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    const left = await endRunningServers();
    if (left.length > 0) {
      throw new Error(`${left.length} language server(s) still running after the tier, killed now; started at:\n${left.join('\n')}`);
    }
  },
};
