/**
 * Dispatches messages from the panel to their handlers after checking their shape: the page is
 * not trusted to send well-formed messages. Imports nothing from `vscode`.
 */
import { isFromWebviewMessage, type FromWebviewMessage } from '../../../language-server/src/protocol/webview';

type MessageOf<T extends FromWebviewMessage['type']> = Extract<FromWebviewMessage, { type: T }>;

export type WebviewMessageHandlers = {
  [T in FromWebviewMessage['type']]: (message: MessageOf<T>) => void | Promise<void>;
};

/** Runs the handler of a valid message; returns false (and runs nothing) for anything else. */
export async function routeWebviewMessage(raw: unknown, handlers: WebviewMessageHandlers): Promise<boolean> {
  if (!isFromWebviewMessage(raw)) return false;
  const message: FromWebviewMessage = raw;
  switch (message.type) {
    case 'ready':
      await handlers.ready(message);
      return true;
    case 'setField':
      await handlers.setField(message);
      return true;
    case 'requestComparison':
      await handlers.requestComparison(message);
      return true;
    case 'exportFile':
      await handlers.exportFile(message);
      return true;
    case 'openSource':
      await handlers.openSource(message);
      return true;
    case 'undoRedo':
      await handlers.undoRedo(message);
      return true;
    case 'requestPlan':
      await handlers.requestPlan(message);
      return true;
    case 'applyCandidate':
      await handlers.applyCandidate(message);
      return true;
    case 'copyCommand':
      await handlers.copyCommand(message);
      return true;
    case 'importMeasured':
      await handlers.importMeasured(message);
      return true;
    case 'fitMeasured':
      await handlers.fitMeasured(message);
      return true;
  }
}
