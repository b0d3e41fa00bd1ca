import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { renderReportHtml, renderReportMarkdown, type QualityReport } from '../../engine';
import type { ReportPageLanguage } from '../../host/l10n';
import { ExportReportRequest, ReportPageRequest } from '../../protocol';
import { answer, filePath, progressOf, writeNewFiles } from './common';

/** What the report requests ask of the server: the quality report of a dataset it has checked, or null. */
export interface ReportHost {
  report(uri: string): Promise<QualityReport | null>;
  /** The Markdown data card's words in the client's language (English when left out). */
  translate?: (message: string, ...args: (string | number)[]) => string;
  /** The report page's language (its strings), the client's; English when left out. */
  pageLanguage?: () => ReportPageLanguage;
}

/** The report panel's page, and the export of a report as an HTML page and a Markdown data card. */
export function registerReportRequests(connection: Connection, host: ReportHost): void {
  connection.onRequest(ReportPageRequest.type, async ({ uri, scripts, styles, nonce, cspSource }) => {
    const report = await host.report(uri);
    if (!report) return null;
    return { html: renderReportHtml(report, { scripts: scripts.map((src) => ({ src })), styles: styles.map((href) => ({ href })), nonce, cspSource, language: host.pageLanguage?.() }) };
  });

  connection.onRequest(ExportReportRequest.type, async (params, token) => {
    const progress = progressOf(connection, params);
    const report = await host.report(params.uri);
    if (!report) return null;
    return answer(token, () => {
      const html = params.html;
      const md = html.replace(/\.html?$/i, '') + '.md';
      const asset = (...p: string[]) => fs.readFileSync(path.join(mediaFolder(), ...p), 'utf8');
      const page = renderReportHtml(report, { scripts: [{ inline: asset('vendor', 'chart.umd.js') }, { inline: asset('report.js') }], styles: [{ inline: asset('report.css') }], language: host.pageLanguage?.() });
      const files = [{ path: html, pieces: [new TextEncoder().encode(page)] }, { path: md, pieces: [new TextEncoder().encode(renderReportMarkdown(report, host.translate))] }];
      // The save dialog lets the user type any name, the dataset's own included: the report never replaces it.
      return writeNewFiles(files, { inputs: [filePath(params.uri)], overwrite: params.overwrite, token, progress, title: 'Tuneset: exporting the report', rows: () => report.header.rows, part: () => 0 });
    });
  });
}

/** The extension's media folder (the page's script and styles, Chart.js), beside the server's bundle folder. */
function mediaFolder(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'media', 'report.js'))) return path.join(dir, 'media');
    if (path.dirname(dir) === dir) throw new Error('media/report.js not found beside the language server');
  }
}
