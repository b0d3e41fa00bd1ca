import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DatasetEditRequest, DatasetRowsRequest, type DatasetRowAction, type DatasetRowsQuery, type DatasetViewHostMessage } from '../../../server/src/protocol';
import type { SummaryEvents } from '../summaries';
import { checkPageMessage, datasetViewPageMessageSchema } from './messages';
import { pageHtml, panelOptions } from './webview';

/**
 * "Tuneset: Open Dataset View" (and "Open With… Tuneset Dataset View"): a dataset's rows as a table,
 * filtered and sorted by the language server and read from it a page at a time. The panel is a view: it
 * passes the page's questions to the server and its answers back, writes the page's actions on rows
 * (delete, relabel, redact) into the document as one WorkspaceEdit, reveals rows in the text editor,
 * and tells the page when the file was checked again.
 */

/** The custom editor's view type (package.json contributes.customEditors). */
export const DATASET_EDITOR = 'tuneset.datasetEditor';

/** "Open With… Tuneset Dataset View": the view in the editor's own tab, over the text document VS Code holds. */
export function registerDatasetEditor(extensionUri: vscode.Uri, client: LanguageClient, summaries: SummaryEvents, ready: Promise<void>): vscode.Disposable {
  return vscode.window.registerCustomEditorProvider(DATASET_EDITOR, {
    async resolveCustomTextEditor(document, panel) {
      panel.webview.options = panelOptions(extensionUri);
      await ready;
      new DatasetViewPanel(panel, extensionUri, client, summaries, document.uri, {}, false);
    },
  }, { webviewOptions: { retainContextWhenHidden: true } });
}
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
    const created = new DatasetViewPanel(panel, extensionUri, client, summaries, uri, query, true);
    DatasetViewPanel.panels.set(uri.toString(), created);
    return created;
  }

  /** `listed`: the command's panel of this file (one per file, shown again by the command); a custom editor's is not. */
  constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly client: LanguageClient,
    summaries: SummaryEvents,
    private readonly uri: vscode.Uri,
    private readonly query: DatasetRowsQuery,
    private readonly listed: boolean,
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
    } else if (m.type === 'edit') await this.edit(m.action, m.version, m.lines ? { lines: m.lines } : { query: m.query, matched: m.matched });
  }

  /**
   * Writes an action on rows into the document as one WorkspaceEdit (one Undo takes it back): the
   * server computes the edits on the text at the document's version, and refuses when it moved on.
   */
  private async edit(action: DatasetRowAction, version: number, rows: { query: DatasetRowsQuery; matched: number } | { lines: number[] }): Promise<void> {
    const file = vscode.workspace.asRelativePath(this.uri);
    try {
      const doc = await vscode.workspace.openTextDocument(this.uri);
      const before = doc.version;
      const result = await this.client.sendRequest(DatasetEditRequest.type, { uri: this.uri.toString(), version, dirty: doc.isDirty, action, ...rows });
      if (!('edits' in result)) {
        this.post({ type: 'edited', rows: 0, problems: result.problems });
        return;
      }
      // Typed into while the server worked: the edits are of the text before, so they are not applied.
      if (doc.version !== before) {
        this.post({ type: 'edited', rows: 0, problems: [vscode.l10n.t('{0} changed while the edit was made; nothing was changed: try again.', file)] });
        return;
      }
      const edit = new vscode.WorkspaceEdit();
      for (const e of result.edits) edit.replace(this.uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
      const applied = result.edits.length > 0 && (await vscode.workspace.applyEdit(edit));
      const problems = [...result.problems];
      if (result.edits.length && !applied) problems.unshift(vscode.l10n.t('{0} could not be changed (is it read-only?)', file));
      else if (!result.edits.length && !problems.length) problems.push(vscode.l10n.t('Nothing to change in the {0} rows chosen.', result.selected));
      this.post({ type: 'edited', rows: applied ? result.rows : 0, problems });
      if (applied) void this.toastEdited(action, result.rows, file);
    } catch (e) {
      this.post({ type: 'edited', rows: 0, problems: [vscode.l10n.t('The rows could not be changed: {0}', (e as Error).message)] });
    }
  }

  /** Says what an action wrote, with the next step: the text (to save, or to undo there). */
  private async toastEdited(action: DatasetRowAction, rows: number, file: string): Promise<void> {
    const message = action.kind === 'delete'
      ? vscode.l10n.t(rows === 1 ? 'Tuneset deleted {0} row of {1} (Undo restores it; the file is not saved yet).' : 'Tuneset deleted {0} rows of {1} (Undo restores them; the file is not saved yet).', rows, file)
      : action.kind === 'relabel'
        ? vscode.l10n.t(rows === 1 ? 'Tuneset labelled {0} row of {1} "{2}" (Undo restores it; the file is not saved yet).' : 'Tuneset labelled {0} rows of {1} "{2}" (Undo restores them; the file is not saved yet).', rows, file, action.label)
        : vscode.l10n.t(rows === 1 ? 'Tuneset redacted {0} row of {1} (Undo restores it; the file is not saved yet).' : 'Tuneset redacted {0} rows of {1} (Undo restores them; the file is not saved yet).', rows, file);
    const show = vscode.l10n.t('Show Text');
    if ((await vscode.window.showInformationMessage(message, show)) === show) await vscode.window.showTextDocument(this.uri, { viewColumn: vscode.ViewColumn.One, preview: false });
  }

  /** The file was checked again: the page asks for what it shows once typing pauses. */
  private scheduleRefresh(): void {
    clearTimeout(this.refreshing);
    this.refreshing = setTimeout(() => this.post({ type: 'refresh' }), 300);
  }

  dispose(): void {
    clearTimeout(this.refreshing);
    if (this.listed && DatasetViewPanel.panels.get(this.uri.toString()) === this) DatasetViewPanel.panels.delete(this.uri.toString());
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }
}
