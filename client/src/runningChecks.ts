import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CancelChecksRequest, ChecksRunningNotification, COMMANDS } from '../../server/src/protocol';

/**
 * "Cancel check": VS Code shows a language server's progress in the status bar with no Cancel
 * button, so while a long check runs (a big file opening, the workspace check) this item stands
 * beside it, and the palette offers "Tuneset: Cancel Running Checks" (when-clause `tuneset.checking`).
 */
export class RunningChecksItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tuneset.cancelCheck', vscode.StatusBarAlignment.Left, 49);
  private readonly subscription: vscode.Disposable;

  constructor(client: LanguageClient) {
    this.item.name = vscode.l10n.t('Tuneset: cancel check');
    this.item.command = COMMANDS.cancelChecks;
    this.subscription = client.onNotification(ChecksRunningNotification.method, ({ titles }: ChecksRunningNotification.Params) => this.show(titles));
  }

  private show(titles: string[]): void {
    void vscode.commands.executeCommand('setContext', 'tuneset.checking', titles.length > 0);
    if (!titles.length) return this.item.hide();
    this.item.text = `$(stop-circle) ${vscode.l10n.t('Cancel check')}`;
    this.item.tooltip = vscode.l10n.t('Tuneset is {0}. Click to stop.', titles.join(vscode.l10n.t(' and ')));
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.subscription.dispose();
  }
}

/** Stops every running check and says what stopped and when the files are checked again. */
export async function cancelChecks(client: LanguageClient): Promise<void> {
  const { cancelled } = await client.sendRequest<CancelChecksRequest.Result>(CancelChecksRequest.method, {} satisfies CancelChecksRequest.Params);
  if (!cancelled.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tuneset: no check is running.'));
    return;
  }
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Tuneset stopped {0}. An open file is checked again on its next edit; "Check Workspace" checks the files on disk.', cancelled.join(vscode.l10n.t(' and '))),
  );
}
