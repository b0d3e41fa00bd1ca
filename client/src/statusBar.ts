import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, FileSummaryRequest, type FileSummary } from '../../server/src/protocol';

/** The active dataset's quality score and error/warning counts; a click shows the file summary. */
export class DatasetStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tuneset.quality', vscode.StatusBarAlignment.Left, 50);
  private readonly summaries = new Map<string, FileSummary>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly client: LanguageClient) {
    this.item.name = vscode.l10n.t('Tuneset dataset quality');
    this.item.command = COMMANDS.showFileSummary;
    this.subscription = vscode.window.onDidChangeActiveTextEditor(() => void this.refresh());
  }

  update(summary: FileSummary): void {
    this.summaries.set(summary.uri, summary);
    if (vscode.window.activeTextEditor?.document.uri.toString() === summary.uri) this.show(summary);
  }

  private async refresh(): Promise<void> {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    if (!uri) return this.item.hide();
    const summary = this.summaries.get(uri) ?? (await this.client.sendRequest(FileSummaryRequest.type, { uri }));
    if (summary) this.show(summary);
    else this.item.hide();
  }

  private show(s: FileSummary): void {
    if (s.rows === 0) {
      // Nothing to score: "0/100" beside no findings would read as a verdict on an empty file.
      this.item.text = `$(beaker) ${vscode.l10n.t('no rows yet')}`;
      this.item.tooltip = vscode.l10n.t('Tuneset: {0} has no rows yet.', vscode.workspace.asRelativePath(vscode.Uri.parse(s.uri)));
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    this.item.text = `$(beaker) ${s.stats.quality.score}/100 $(error) ${s.errors} $(warning) ${s.warnings}`;
    const lowered = s.stats.quality.penalties.map((p) => `${p.cause} −${p.points}`).join(', ');
    const rows = s.rows.toLocaleString('en-US');
    const tooltip = lowered
      ? vscode.l10n.t('Tuneset: {0}, {1} rows, quality {2}/100 ({3}). Click for the file summary.', s.format, rows, s.stats.quality.score, lowered)
      : vscode.l10n.t('Tuneset: {0}, {1} rows, quality {2}/100. Click for the file summary.', s.format, rows, s.stats.quality.score);
    this.item.tooltip = s.labelQuality ? `${tooltip}\n${s.labelQuality}` : tooltip;
    this.item.backgroundColor = s.errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.subscription.dispose();
  }
}
