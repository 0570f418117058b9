/**
 * The one handle on the VS Code webview API. `acquireVsCodeApi` may be called only once per page,
 * so every module goes through this wrapper, which also types the messages and the saved state.
 */
import type { FromWebviewMessage } from '../../language-server/src/protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface PanelHost {
  post(message: FromWebviewMessage): void;
  loadState(): unknown;
  saveState(state: unknown): void;
}

let host: PanelHost | undefined;

export function panelHost(): PanelHost {
  if (host) return host;
  const api = acquireVsCodeApi();
  host = {
    post: (message) => api.postMessage(message),
    loadState: () => api.getState(),
    saveState: (state) => api.setState(state),
  };
  return host;
}
