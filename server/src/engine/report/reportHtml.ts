import type { QualityReport } from './report';

/**
 * The quality report as one HTML page, for the VS Code panel and for the exported file alike. The page
 * holds no dataset text in its markup: the report travels as JSON in a non-executable script block and
 * media/report.js draws everything with textContent. Scripts and styles come either by URL (the panel:
 * webview URIs) or inline (the export: one self-contained file); both run only with the page's nonce.
 */

export type PageScript = { src: string } | { inline: string };
export type PageStyle = { href: string } | { inline: string };

export interface ReportPageOptions {
  /** Chart.js first, then media/report.js. */
  scripts: PageScript[];
  /** media/report.css. */
  styles: PageStyle[];
  /** A fresh random nonce per page; one is made when left out. */
  nonce?: string;
  /** The webview's `cspSource`, allowing its resource URIs; left out for an exported file. */
  cspSource?: string;
  /**
   * The page's language: its `<html lang>` and its strings by their English (media/report.js t(), the
   * host's table, e.g. l10n/report.l10n.zh-cn.json); English when left out.
   */
  language?: { lang: string; strings: Readonly<Record<string, string>> };
}

/** The HTML page of a report. */
export function renderReportHtml(report: QualityReport, options: ReportPageOptions): string {
  const nonce = options.nonce ?? makeNonce();
  if (!/^[A-Za-z0-9+/=_-]+$/.test(nonce)) throw new Error('A nonce must be base64 or hex characters');
  const source = options.cspSource ? ` ${options.cspSource}` : '';
  const csp = [
    "default-src 'none'",
    `img-src data:${source}`,
    `style-src 'nonce-${nonce}'${source}`,
    ...(source ? [`font-src${source}`] : []),
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const styles = options.styles.map((s) =>
    'href' in s
      ? `<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(s.href)}">`
      : `<style nonce="${nonce}">\n${escapeRawText(s.inline, 'style')}\n</style>`,
  );
  const scripts = options.scripts.map((s) =>
    'src' in s
      ? `<script nonce="${nonce}" src="${escapeAttribute(s.src)}"></script>`
      : `<script nonce="${nonce}">\n${escapeRawText(s.inline, 'script')}\n</script>`,
  );
  const strings = options.language?.strings ?? {};
  const pageT = (message: string, ...args: string[]) => (strings[message] ?? message).replace(/\{(\d+)\}/g, (whole, n: string) => args[Number(n)] ?? whole);
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(options.language?.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeText(pageT('Quality report: {0}', baseName(report.header.path)))}</title>
${styles.join('\n')}
</head>
<body>
<main id="report" aria-busy="true" data-l10n="${escapeAttribute(JSON.stringify(strings))}"><noscript>${escapeText(pageT('This report draws its tables and charts with JavaScript.'))}</noscript></main>
<script type="application/json" id="report-data">${reportJson(report)}</script>
${scripts.join('\n')}
</body>
</html>
`;
}

/**
 * The report as JSON that is safe inside a script element: "<", ">" and "&" become \u escapes (still
 * the same JSON), so a row holding "</script><img src=x onerror=…>" cannot end the block.
 */
export function reportJson(report: QualityReport): string {
  return JSON.stringify(report)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function makeNonce(): string {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

/** Inlined code is ours, not the dataset's; a stray closing tag in it would still end the element early. */
function escapeRawText(code: string, tag: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
