/**
 * A server → client notification used by the robustness test and the bench only: how long the
 * server spent parsing and checking a document version. Sent only when the client asks for it in
 * `initializationOptions.reportTimings`.
 */
import { NotificationType } from 'vscode-languageserver-protocol';

export interface CheckTiming {
  uri: string;
  version: number;
  handlingMs: number;
}

export const CheckTimingNotification = new NotificationType<CheckTiming>('llmRoofline/debug/checkTiming');
