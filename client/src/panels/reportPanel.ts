import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExportReportRequest, FileSummaryRequest, ReportPageRequest, ReportRequest, type ReportHostMessage, type ReportPageMessage } from '../../../server/src/protocol';
import { withServerProgress } from '../progress';
import { toastFiles } from '../toasts';
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
    // Only a dataset the server has checked gets a panel (the summary is at hand; the report takes longer).
    if (!(await client.sendRequest(FileSummaryRequest.type, { uri: uri.toString() }))) {
      notChecked(uri);
      return undefined;
    }
    const panel = vscode.window.createWebviewPanel('tuneset.report', vscode.l10n.t('Report: {0}', path.basename(uri.fsPath)), vscode.ViewColumn.Active, panelOptions(extensionUri));
    // The server renders the page (the report as JSON inside it) with the page's resources as webview URIs.
    const webview = panel.webview;
    const page = await client.sendRequest(ReportPageRequest.type, {
      uri: uri.toString(),
      scripts: [String(mediaUri(webview, extensionUri, 'vendor', 'chart.umd.js')), String(mediaUri(webview, extensionUri, 'report.js'))],
      styles: [String(mediaUri(webview, extensionUri, 'report.css'))],
      nonce: nonce(),
      cspSource: webview.cspSource,
    });
    if (!page) {
      panel.dispose();
      notChecked(uri);
      return undefined;
    }
    const created = new ReportPanel(panel, client, summaries, uri, page.html);
    ReportPanel.panels.set(uri.toString(), created);
    return created;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly client: LanguageClient,
    summaries: SummaryEvents,
    private readonly uri: vscode.Uri,
    html: string,
  ) {
    const webview = panel.webview;
    webview.html = html;
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
      const report = await this.client.sendRequest(ReportRequest.type, { uri: this.uri.toString() });
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

function notChecked(uri: vscode.Uri): void {
  void vscode.window.showInformationMessage(vscode.l10n.t('Tuneset: {0} is not a dataset Tuneset has checked yet.', vscode.workspace.asRelativePath(uri)));
}

/**
 * "Tuneset: Export Report…": a self-contained HTML page (Chart.js and the page inlined, no network)
 * and a Markdown data card beside it, rendered and written together by the server. The save dialog
 * asks before replacing the page; the user is asked before the data card replaces a file.
 */
export async function exportReport(client: LanguageClient, uri: vscode.Uri): Promise<string[] | undefined> {
  if (!(await client.sendRequest(FileSummaryRequest.type, { uri: uri.toString() }))) {
    notChecked(uri);
    return undefined;
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(uri.fsPath.replace(/\.(jsonl|ndjson|csv|tsv|json)$/i, '.report.html')),
    filters: { [vscode.l10n.t('HTML report')]: ['html'] },
    title: vscode.l10n.t('Export the quality report (a Markdown data card is written beside it)'),
  });
  if (!target) return undefined;
  let overwrite = [target.fsPath];
  for (;;) {
    const result = await withServerProgress(client, (workDoneToken, token) =>
      client.sendRequest(ExportReportRequest.type, { uri: uri.toString(), html: target.fsPath, overwrite, workDoneToken }, token));
    if (result === undefined) return undefined;
    if (result === null) {
      notChecked(uri);
      return undefined;
    }
    if ('problems' in result) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Tuneset: {0}', result.problems.join('; ')));
      return undefined;
    }
    if ('written' in result) {
      const written = result.written.map((f) => vscode.workspace.asRelativePath(f));
      void toastFiles(vscode.l10n.t('Tuneset exported {0}.', written.join(vscode.l10n.t(' and '))), result.written.map((f) => vscode.Uri.file(f)));
      return written;
    }
    const replace = vscode.l10n.t('Replace');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('{0} exists. Replace it?', result.exists.map((f) => path.basename(f)).join(', ')), { modal: true }, replace);
    if (choice !== replace) return undefined;
    overwrite = [...overwrite, ...result.exists];
  }
}
