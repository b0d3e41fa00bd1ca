import * as vscode from 'vscode';

/**
 * Messages that offer the next step: a message naming new files opens or reveals them, one naming
 * findings shows the Problems view, one about a dataset opens it.
 */

/** An information message about files written, with Open (the first) and Reveal in Explorer. */
export async function toastFiles(message: string, files: vscode.Uri[]): Promise<void> {
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal in Explorer');
  const choice = await vscode.window.showInformationMessage(message, open, reveal);
  if (choice === open) await vscode.window.showTextDocument(files[0], { preview: false });
  else if (choice === reveal) await vscode.commands.executeCommand('revealInExplorer', files[0]);
}

/** An information message about findings, with Show Problems. */
export async function toastFindings(message: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(message, vscode.l10n.t('Show Problems'));
  if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
}
