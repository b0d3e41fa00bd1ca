import * as vscode from 'vscode';

/** A random nonce for the Content-Security-Policy: only scripts carrying it run. */
export function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

/** Webview options shared by every panel: scripts on, resources only from media/, kept alive when hidden. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** The URI a page uses for a file under media/. */
export function mediaUri(webview: vscode.Webview, extensionUri: vscode.Uri, ...path: string[]): vscode.Uri {
  return webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...path));
}

/** Escapes text for an HTML attribute or element (for the few host-made strings in page skeletons). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A page skeleton with a strict CSP: no default sources, scripts only by nonce, styles from the
 * extension, and the page's initial state as JSON in a data attribute (never as markup), as is the
 * display language's bundle (vscode.l10n.bundle: the page's strings, English keys; media/src/dom.ts t()).
 */
export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, o: { title: string; script: string; style: string; state: unknown }): string {
  const n = nonce();
  const csp = [`default-src 'none'`, `img-src ${webview.cspSource} data:`, `style-src ${webview.cspSource}`, `script-src 'nonce-${n}'`, `font-src ${webview.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${mediaUri(webview, extensionUri, 'panels.css')}">
<link rel="stylesheet" href="${mediaUri(webview, extensionUri, o.style)}">
<title>${escapeHtml(o.title)}</title>
</head>
<body data-state="${escapeHtml(JSON.stringify(o.state))}" data-l10n="${escapeHtml(JSON.stringify(vscode.l10n.bundle ?? {}))}">
<main id="app"></main>
<script nonce="${n}" src="${mediaUri(webview, extensionUri, o.script)}"></script>
</body>
</html>`;
}
