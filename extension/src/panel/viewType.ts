/** The roofline panel's webview type, as `package.json` names it in `onWebviewPanel:` activation. */
export const PANEL_VIEW_TYPE = 'llmRoofline.panel';
