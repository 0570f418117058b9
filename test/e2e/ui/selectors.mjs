// Every selector and keyboard shortcut the UI tests use, in one place: they drift between VS Code
// versions (code-server is pinned in tools/code-server), so a version bump is fixed here only.
export const SELECTORS = {
  workbench: '.monaco-workbench',
  explorerRow: '.explorer-folders-view .monaco-list-row',
  editor: '.monaco-editor',
  editorLines: '.monaco-editor .view-lines',
  editorLine: '.monaco-editor .view-line',
  errorSquiggle: '.monaco-editor .squiggly-error',
  problemsPanel: '.markers-panel',
  hover: '.monaco-hover:not(.hidden)',
  /** The webview host iframe, then the document the extension's HTML is loaded into. */
  webviewHost: 'iframe.webview.ready',
  webviewContent: 'iframe#active-frame',
  webviewCanvas: 'canvas',
};

/** Shortcuts bound in test/e2e/keybindings.json (no palette titles to depend on). */
export const KEYS = {
  openRooflinePanel: 'Control+Alt+Shift+F1',
  focusProblems: 'Control+Alt+Shift+F2',
  showHover: 'Control+Alt+Shift+F3',
  closeBottomPanel: 'Control+Alt+Shift+F4',
};

/** What the product shows, as the UI tests look for it. */
export const PRODUCT = {
  diagnosticSource: 'llm-roofline',
  brokenDeployment: 'broken.roofline.yaml',
  validDeployment: 'valid.roofline.yaml',
  unknownHardwareId: 'nvidia-h100-sxn',
  hoverField: 'batch_size',
  hoverText: /KV cache/,
  /** The panel's batch-size number input (control ids: webview/src/fields.ts). */
  batchSizeControl: 'input[type="number"][data-control="batchSize"]',
};
