/**
 * Messages for the robustness tests and the bench only, never sent by the editor:
 * - a server → client notification of how long the server spent parsing and checking a document
 *   version, sent only when the client asks for it in `initializationOptions.reportTimings`;
 * - a client → server request that blocks the server's event loop for a while, the way a stuck
 *   check would, so that the tests can see the client notice and restart a hung server. Honoured
 *   only when the client asks for it in `initializationOptions.debugRequests`.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export interface CheckTiming {
  uri: string;
  version: number;
  handlingMs: number;
  /** CPU time of the check (what the budget is held to). */
  cpuMs: number;
  /** Slices the check ran in, the event loop given back between them. */
  steps: number;
  /** CPU time of the longest slice. */
  longestStepCpuMs: number;
  /** Whether it ran over the budget and stopped part-way. */
  stopped: boolean;
}

export const CheckTimingNotification = new NotificationType<CheckTiming>('llmRoofline/debug/checkTiming');

export interface BlockEventLoopParams {
  milliseconds: number;
}

/** The longest block the request allows: a test never needs more, and the server stays killable. */
export const MAX_BLOCK_MILLISECONDS = 60_000;

/** Answers `{ blocked: false }` when the server was not started with `debugRequests`. */
export const BlockEventLoopRequest = new RequestType<BlockEventLoopParams, { blocked: boolean }, void>('llmRoofline/debug/blockEventLoop');
