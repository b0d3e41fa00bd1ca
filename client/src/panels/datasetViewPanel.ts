import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DatasetRowsRequest, type DatasetRowsQuery, type DatasetViewHostMessage } from '../../../server/src/protocol';
import type { SummaryEvents } from '../summaries';
import { checkPageMessage, datasetViewPageMessageSchema } from './messages';
import { pageHtml, panelOptions } from './webview';

/**
 * "Tuneset: Open Dataset View": a dataset's rows as a table, filtered and sorted by the language server
 * and read from it a page at a time. The panel is a view: it passes the page's questions to the server
 * and its answers back, reveals rows in the text editor, and tells the page when the file was checked again.
 */
export class DatasetViewPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, DatasetViewPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private refreshing: ReturnType<typeof setTimeout> | undefined;
  private ready = false;

  /** Opens (or shows) the view of a dataset, with a query for its filters (e.g. one rule's rows). */
  static show(extensionUri: vscode.Uri, client: LanguageClient, summaries: SummaryEvents, uri: vscode.Uri, query: DatasetRowsQuery = {}): DatasetViewPanel {
    const existing = DatasetViewPanel.panels.get(uri.toString());
    if (existing) {
      existing.panel.reveal();
      if (Object.keys(query).length) existing.post({ type: 'query', query });
      return existing;
    }
    // A full editor column of its own: the table needs the width, and the text editor stays a tab away.
    const panel = vscode.window.createWebviewPanel('tuneset.datasetView', vscode.l10n.t('Rows: {0}', path.basename(uri.fsPath)), vscode.ViewColumn.Active, panelOptions(extensionUri));
    const created = new DatasetViewPanel(panel, extensionUri, client, summaries, uri, query);
    DatasetViewPanel.panels.set(uri.toString(), created);
    return created;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    summaries: SummaryEvents,
    private readonly uri: vscode.Uri,
    private readonly query: DatasetRowsQuery,
  ) {
    panel.webview.html = pageHtml(panel.webview, extensionUri, { title: vscode.l10n.t('Dataset rows'), script: 'dist/datasetView.js', style: 'datasetView.css', state: {} });
    panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m), undefined, this.disposables);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    this.disposables.push(summaries.onDidChange((s) => {
      if (s.uri === uri.toString() && this.ready) this.scheduleRefresh();
    }));
  }

  private post(message: DatasetViewHostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async receive(posted: unknown): Promise<void> {
    const checked = checkPageMessage(datasetViewPageMessageSchema, posted);
    if (!checked.ok) return;
    const m = checked.message;
    if (m.type === 'ready') {
      this.ready = true;
      this.post({ type: 'init', file: vscode.workspace.asRelativePath(this.uri), query: this.query });
    } else if (m.type === 'rows') {
      try {
        const result = await this.client.sendRequest(DatasetRowsRequest.type, { uri: this.uri.toString(), query: m.query, offset: m.offset, limit: m.limit });
        if (result === null) this.post({ type: 'problems', seq: m.seq, problems: [vscode.l10n.t('{0} is not a dataset Tuneset can read.', vscode.workspace.asRelativePath(this.uri))] });
        else if ('problems' in result) this.post({ type: 'problems', seq: m.seq, problems: result.problems });
        else this.post({ type: 'rows', seq: m.seq, result });
      } catch (e) {
        this.post({ type: 'problems', seq: m.seq, problems: [vscode.l10n.t('The rows could not be read: {0}', (e as Error).message)] });
      }
    } else if (m.type === 'reveal') {
      const range = new vscode.Range(m.line - 1, 0, m.endLine - 1, Number.MAX_SAFE_INTEGER);
      const editor = await vscode.window.showTextDocument(this.uri, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(range.start, range.start), preserveFocus: false });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
    }
  }

  /** The file was checked again: the page asks for what it shows once typing pauses. */
  private scheduleRefresh(): void {
    clearTimeout(this.refreshing);
    this.refreshing = setTimeout(() => this.post({ type: 'refresh' }), 300);
  }

  dispose(): void {
    clearTimeout(this.refreshing);
    DatasetViewPanel.panels.delete(this.uri.toString());
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }
}
