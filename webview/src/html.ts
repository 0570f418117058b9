/**
 * The panel's HTML shell, made by the extension host. Data never goes into the HTML: the page
 * says `ready` and the host posts the analysis. The CSP allows only the nonce'd script, styles
 * and images from the extension's own files, and data: images (chart exports).
 */
export interface PanelHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random value per page. */
  nonce: string;
  /** `webview.asWebviewUri` of dist/webview/webview.js. */
  scriptUri: string;
  /** `webview.asWebviewUri` of dist/webview/webview.css. */
  styleUri: string;
  title: string;
}

/** Escapes text for element content and double-quoted attributes (the CSP keeps its single quotes). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

export function panelContentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function renderPanelHtml(options: PanelHtmlOptions): string {
  const nonce = escapeHtml(options.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(panelContentSecurityPolicy(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
<div id="root" class="panel"><p class="loading">Waiting for an analysis…</p></div>
<script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
