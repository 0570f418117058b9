// Every selector and keyboard shortcut the UI tests use, in one place: they drift between VS Code
// versions (code-server is pinned in tools/code-server), so a version bump is fixed here only.
export const SELECTORS = {
  workbench: '.monaco-workbench',
  explorerRow: '.explorer-folders-view .monaco-list-row',
  editor: '.monaco-editor',
  editorLines: '.monaco-editor .view-lines',
  editorLine: '.monaco-editor .view-line',
  errorSquiggle: '.monaco-editor .squiggly-error',
  warningSquiggle: '.monaco-editor .squiggly-warning',
  problemsPanel: '.markers-panel',
  hover: '.monaco-hover:not(.hidden)',
  /** The webview host iframe, then the document the extension's HTML is loaded into. */
  webviewHost: 'iframe.webview.ready',
  webviewContent: 'iframe#active-frame',
  webviewCanvas: 'canvas',
  /** The Quick Fix menu (the workbench also keeps an empty submenu panel with the same class). */
  quickFixMenu: '.action-widget:not(.action-list-submenu-panel)',
  /** The roofline chart's card in the panel (webview/src). */
  rooflineCard: '#card-roofline',
  codeLens: '.codelens-decoration',
  /** The panel's hardware comparison card, a chart's Save PNG button, the batch slider. */
  comparisonCard: '#card-comparison',
  comparisonRow: '#card-comparison tbody tr',
  savePng: '[data-action="png-roofline"]',
  batchSlider: 'input[data-control="batchSizeSlider"]',
  /** The panel's Plan view: its candidate rows and their Apply buttons (webview/src/ui/planView.ts). */
  planView: '#plan-view',
  planRow: '#plan-view .plan-table tbody tr',
  applyCandidate: (rank) => `#plan-view button[data-apply="${rank}"]`,
  /** Developer: Show Running Extensions, one row per extension with the host it runs in. */
  runningExtensionRow: '.runtime-extensions-editor .monaco-list-row',
  /** VS Code's own save dialog in the browser (a quick input with the path). */
  quickInput: '.quick-input-widget',
};

/** Shortcuts bound in test/e2e/keybindings.json (no palette titles to depend on). */
export const KEYS = {
  openRooflinePanel: 'Control+Alt+Shift+F1',
  focusProblems: 'Control+Alt+Shift+F2',
  showHover: 'Control+Alt+Shift+F3',
  closeBottomPanel: 'Control+Alt+Shift+F4',
  closeSidebar: 'Control+Alt+Shift+F5',
  closeOtherEditorGroups: 'Control+Alt+Shift+F6',
  quickFix: 'Control+Alt+Shift+F7',
  compareHardware: 'Control+Alt+Shift+F8',
  toggleLightDark: 'Control+Alt+Shift+F9',
  focusFirstEditorGroup: 'Control+Alt+Shift+F10',
  showRunningExtensions: 'Control+Alt+Shift+F11',
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

/** The planning example the Plan view test opens (examples/), and what it looks for. */
export const PLAN = {
  examplesFolder: 'examples',
  deployment: 'llama-3.1-8b-l4-plan.roofline.yaml',
  firstLine: 'Llama 3.1 8B served on one L4',
  targetsKey: 'targets',
  codeActionTitle: 'Find the cheapest deployment that meets the targets',
  hardwareBefore: 'nvidia-l4',
  comment: '# requests in flight',
};

/** The README's screenshots (docs/images/*.png): a realistic example from examples/. */
export const README = {
  examplesFolder: 'examples',
  deployment: 'llama-3.1-70b-int4-h100-tp2.roofline.yaml',
  hoverField: 'batch_size',
  hoverText: /KV cache/,
  /** An inlay hint's text (inlay hints are rendered as text in the editor's lines). */
  inlayHint: /→\s*KV/,
  hardwareId: 'nvidia-h100-sxm',
  /** The misspelling typed for the Problems screenshot, and the fix offered for it. */
  misspeltHardwareId: 'nvidia-h100-sxn',
  quickFixTitle: "Change to 'nvidia-h100-sxm'",
};
