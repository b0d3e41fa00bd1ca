import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { writeFilesAtomic } from '../../../server/src/cli/files';
import { outputOverInput } from '../../../server/src/cli/outputPaths';
import { renderReportHtml, renderReportMarkdown, type QualityReport } from '../../../server/src/engine';
import { ReportRequest, type ReportHostMessage, type ReportPageMessage } from '../../../server/src/protocol';
import type { SummaryEvents } from '../summaries';
import { checkPageMessage, reportPageMessageSchema } from './messages';
import { mediaUri, nonce, panelOptions } from './webview';

/** "Tuneset: Show Quality Report": one panel per dataset, redrawn whenever the server re-checks the file. */
export class ReportPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, ReportPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private refreshing: ReturnType<typeof setTimeout> | undefined;

  static async show(extensionUri: vscode.Uri, client: LanguageClient, summaries: SummaryEvents, uri: vscode.Uri): Promise<ReportPanel | undefined> {
    const existing = ReportPanel.panels.get(uri.toString());
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const report = await requestReport(client, uri);
    if (!report) return undefined;
    const panel = vscode.window.createWebviewPanel('tuneset.report', `Report: ${path.basename(uri.fsPath)}`, vscode.ViewColumn.Beside, panelOptions(extensionUri));
    const created = new ReportPanel(panel, extensionUri, client, summaries, uri, report);
    ReportPanel.panels.set(uri.toString(), created);
    return created;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    summaries: SummaryEvents,
    private readonly uri: vscode.Uri,
    report: QualityReport,
  ) {
    const webview = panel.webview;
    webview.html = renderReportHtml(report, {
      scripts: [{ src: String(mediaUri(webview, extensionUri, 'vendor', 'chart.umd.js')) }, { src: String(mediaUri(webview, extensionUri, 'report.js')) }],
      styles: [{ href: String(mediaUri(webview, extensionUri, 'report.css')) }],
      nonce: nonce(),
      cspSource: webview.cspSource,
    });
    webview.onDidReceiveMessage((m: unknown) => void this.receive(m), undefined, this.disposables);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    this.disposables.push(
      summaries.onDidChange((s) => {
        if (s.uri === uri.toString()) this.scheduleRefresh();
      }),
    );
  }

  /** A message from the page, checked first: one that does not fit its schema is dropped (the page has no problems box to show it). */
  private async receive(posted: unknown): Promise<void> {
    const checked = checkPageMessage(reportPageMessageSchema, posted);
    if (!checked.ok) return;
    const m: ReportPageMessage = checked.message;
    if (m.type === 'reveal') {
      const line = Math.max(0, m.line - 1);
      const range = new vscode.Range(line, 0, line, 0);
      const editor = await vscode.window.showTextDocument(this.uri, { viewColumn: vscode.ViewColumn.One, selection: range, preserveFocus: false });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
    }
  }

  /** The file changed: ask for a fresh report once typing pauses, and let the page redraw. */
  private scheduleRefresh(): void {
    clearTimeout(this.refreshing);
    this.refreshing = setTimeout(async () => {
      const report = await requestReport(this.client, this.uri);
      if (report) void this.panel.webview.postMessage({ type: 'update', report } satisfies ReportHostMessage);
    }, 300);
  }

  dispose(): void {
    clearTimeout(this.refreshing);
    ReportPanel.panels.delete(this.uri.toString());
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }
}

async function requestReport(client: LanguageClient, uri: vscode.Uri): Promise<QualityReport | null> {
  const report = await client.sendRequest<ReportRequest.Result>(ReportRequest.method, { uri: uri.toString() });
  if (!report) void vscode.window.showInformationMessage(`Tuneset: ${vscode.workspace.asRelativePath(uri)} is not a dataset Tuneset has checked yet.`);
  return report;
}

/**
 * "Tuneset: Export Report…": a self-contained HTML page (Chart.js and the page inlined, no network)
 * and a Markdown data card beside it. The save dialog asks before replacing a file.
 */
export async function exportReport(extensionUri: vscode.Uri, client: LanguageClient, uri: vscode.Uri): Promise<string[] | undefined> {
  const report = await requestReport(client, uri);
  if (!report) return undefined;
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(uri.fsPath.replace(/\.(jsonl|ndjson|csv|tsv|json)$/i, '.report.html')),
    filters: { 'HTML report': ['html'] },
    title: 'Export the quality report (a Markdown data card is written beside it)',
  });
  if (!target) return undefined;
  const media = (...p: string[]) => fs.readFileSync(vscode.Uri.joinPath(extensionUri, 'media', ...p).fsPath, 'utf8');
  const html = renderReportHtml(report, { scripts: [{ inline: media('vendor', 'chart.umd.js') }, { inline: media('report.js') }], styles: [{ inline: media('report.css') }] });
  const md = target.fsPath.replace(/\.html?$/i, '') + '.md';
  if (fs.existsSync(md)) {
    const choice = await vscode.window.showWarningMessage(`${path.basename(md)} exists. Replace it?`, { modal: true }, 'Replace');
    if (choice !== 'Replace') return undefined;
  }
  // The save dialog lets the user type any name, the dataset's own included: the report never replaces it.
  const over = outputOverInput([target.fsPath, md], [uri.fsPath]);
  if (over) {
    void vscode.window.showErrorMessage(`Tuneset: ${vscode.workspace.asRelativePath(over.output)} is the dataset itself; export the report to another file.`);
    return undefined;
  }
  writeFilesAtomic([{ path: target.fsPath, data: html }, { path: md, data: renderReportMarkdown(report) }]);
  const written = [target.fsPath, md].map((f) => vscode.workspace.asRelativePath(f));
  void vscode.window.showInformationMessage(`Tuneset exported ${written.join(' and ')}.`);
  return written;
}
