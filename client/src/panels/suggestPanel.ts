import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SuggestApplyRequest, SuggestRowsRequest, type EditDto, type SuggestChoices, type SuggestHostMessage, type SuggestPageMessage } from '../../../server/src/protocol';
import { withServerProgress } from '../progress';
import { DatasetPanel, panelOptions } from './datasetPanel';
import { suggestPageMessageSchema } from './messages';

const DEFAULTS: SuggestChoices = { n: 50, all: false, strategy: 'margin', density: false };

/**
 * "Tuneset: Suggest Rows to Label": the rows the label model is least sure of, each with its guess; the
 * person accepts the guess, picks another label or skips the row, and Apply writes every accepted label
 * into the document as one WorkspaceEdit (one Ctrl+Z undoes them all). The server ranks and makes the edits.
 */
export class SuggestPanel extends DatasetPanel<SuggestHostMessage, SuggestPageMessage> {
  static current: SuggestPanel | undefined;
  /** The document version the rows shown were ranked from (-1: the file on disk). */
  private version = -1;
  private ranks = 0;

  static show(extensionUri: vscode.Uri, client: LanguageClient, uri: vscode.Uri): SuggestPanel {
    if (SuggestPanel.current && SuggestPanel.current.uri.toString() === uri.toString()) {
      SuggestPanel.current.panel.reveal();
      return SuggestPanel.current;
    }
    SuggestPanel.current?.dispose();
    const panel = vscode.window.createWebviewPanel('tuneset.suggest', vscode.l10n.t('Label {0}', path.basename(uri.fsPath)), vscode.ViewColumn.Beside, panelOptions(extensionUri));
    return (SuggestPanel.current = new SuggestPanel(panel, extensionUri, client, uri));
  }

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, client: LanguageClient, uri: vscode.Uri) {
    super(panel, extensionUri, client, uri, { title: vscode.l10n.t('Suggest rows to label'), script: 'dist/suggest.js', style: 'suggest.css', messages: suggestPageMessageSchema });
  }

  protected problems(problems: string[]): SuggestHostMessage {
    return { type: 'problems', problems };
  }

  protected async receive(m: SuggestPageMessage): Promise<void> {
    if (m.type === 'ready') this.post({ type: 'init', file: vscode.workspace.asRelativePath(this.uri), defaults: DEFAULTS });
    else if (m.type === 'rank') {
      const asked = ++this.ranks;
      const result = await withServerProgress(this.client, (workDoneToken, token) => this.client.sendRequest(SuggestRowsRequest.type, { uri: this.uri.toString(), choices: m.choices, workDoneToken }, token));
      if (asked !== this.ranks) return;
      if (!result) this.post({ type: 'problems', problems: [vscode.l10n.t('Cancelled.')] });
      else if ('problems' in result) this.post({ type: 'problems', problems: result.problems });
      else {
        this.version = result.version;
        this.post({ type: 'rows', result });
      }
    } else if (m.type === 'apply') await this.apply(m.labels);
    else if (m.type === 'reveal') {
      const editor = await vscode.window.showTextDocument(this.uri, { viewColumn: vscode.ViewColumn.One, preserveFocus: true });
      const at = new vscode.Position(m.line - 1, 0);
      editor.selection = new vscode.Selection(at, at);
      editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenter);
    }
  }

  /** Writes the accepted labels as one WorkspaceEdit on the document (opened if it was not). */
  private async apply(labels: { line: number; label: string | string[] }[]): Promise<void> {
    if (!labels.length) return;
    const doc = await vscode.workspace.openTextDocument(this.uri);
    // Ranked from the file on disk, and opened since unchanged: the open document's version stands for it.
    const version = this.version === -1 && !doc.isDirty ? doc.version : this.version;
    const result = await this.client.sendRequest(SuggestApplyRequest.type, { uri: this.uri.toString(), version, labels });
    if ('problems' in result && !('edits' in result)) {
      this.post({ type: 'problems', problems: result.problems });
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of result.edits) edit.replace(this.uri, toRange(e.range), e.newText);
    const applied = result.edits.length > 0 && (await vscode.workspace.applyEdit(edit));
    if (result.problems.length) this.post({ type: 'problems', problems: result.problems });
    if (applied) {
      this.post({ type: 'applied', count: result.edits.length });
      this.version = doc.version;
      void vscode.window.showInformationMessage(vscode.l10n.t(result.edits.length === 1 ? 'Tuneset set {0} label in {1} (Undo restores it).' : 'Tuneset set {0} labels in {1} (Undo restores them).', result.edits.length, vscode.workspace.asRelativePath(this.uri)));
    }
  }

  protected onDispose(): void {
    if (SuggestPanel.current === this) SuggestPanel.current = undefined;
  }
}

function toRange(r: EditDto['range']): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}
