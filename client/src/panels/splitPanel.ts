import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SplitFormRequest, SplitPreviewRequest, SplitWriteRequest, type SplitChoices, type SplitHostMessage, type SplitPageMessage, type SplitPreview } from '../../../server/src/protocol';
import { withServerProgress } from '../progress';
import { toastFiles } from '../toasts';
import { DatasetPanel, panelOptions } from './datasetPanel';
import { splitPageMessageSchema } from './messages';

type SplitForm = Exclude<SplitFormRequest.Result, { problems: string[] }>;

/** "Tuneset: Split Dataset…": ratios or folds, stratify, grouping, seed and folder; a live preview; Write. The server plans and writes. */
export class SplitPanel extends DatasetPanel<SplitHostMessage, SplitPageMessage> {
  static current: SplitPanel | undefined;
  /** The number of the last preview asked for: an answer to an older one (a slow near-duplicate search) is dropped. */
  private previews = 0;

  static async show(extensionUri: vscode.Uri, client: LanguageClient, uri: vscode.Uri): Promise<SplitPanel> {
    if (SplitPanel.current && SplitPanel.current.uri.toString() === uri.toString()) {
      SplitPanel.current.panel.reveal();
      return SplitPanel.current;
    }
    const form = await client.sendRequest(SplitFormRequest.type, { uri: uri.toString() });
    if ('problems' in form) throw new Error(form.problems.join('; '));
    SplitPanel.current?.dispose();
    const panel = vscode.window.createWebviewPanel('tuneset.split', vscode.l10n.t('Split {0}', path.basename(uri.fsPath)), vscode.ViewColumn.Active, panelOptions(extensionUri));
    return (SplitPanel.current = new SplitPanel(panel, extensionUri, client, uri, form));
  }

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, client: LanguageClient, uri: vscode.Uri, private readonly form: SplitForm) {
    super(panel, extensionUri, client, uri, { title: vscode.l10n.t('Split dataset'), script: 'dist/split.js', style: 'split.css', messages: splitPageMessageSchema });
  }

  protected problems(problems: string[]): SplitHostMessage {
    return { type: 'problems', problems };
  }

  protected async receive(m: SplitPageMessage): Promise<void> {
    if (m.type === 'ready') {
      this.post({ type: 'init', file: vscode.workspace.asRelativePath(this.uri), format: this.form.format, fields: this.form.fields, defaults: this.form.defaults });
    } else if (m.type === 'preview') {
      const asked = ++this.previews;
      const folder = this.outputFolder(m.choices);
      const result = await withServerProgress(this.client, (workDoneToken, token) =>
        this.client.sendRequest(SplitPreviewRequest.type, { uri: this.uri.toString(), choices: m.choices, folder, workDoneToken }, token));
      if (asked !== this.previews) return;
      if (!result) this.post({ type: 'problems', problems: [vscode.l10n.t('The near-duplicate search was cancelled: turn near-duplicate grouping off, or change a choice to search again.')] });
      else if ('problems' in result) this.post({ type: 'problems', problems: result.problems });
      else this.post({ type: 'preview', preview: this.shown(result.preview, folder) });
    } else if (m.type === 'write') {
      const folder = await this.confirmFolder(this.outputFolder(m.choices));
      if (!folder) {
        this.post({ type: 'problems', problems: [vscode.l10n.t('Nothing was written: the output folder is outside the workspace, and no folder was chosen.')] });
        return;
      }
      const written = await this.write((overwrite) => withServerProgress(this.client, (workDoneToken, token) =>
        this.client.sendRequest(SplitWriteRequest.type, { uri: this.uri.toString(), choices: m.choices, folder, overwrite, workDoneToken }, token)));
      if (written) {
        this.post({ type: 'written', files: written.files });
        void toastFiles(vscode.l10n.t('Tuneset wrote {0}.', written.files.join(', ')), written.uris);
      }
    }
  }

  private outputFolder(c: SplitChoices): string {
    const root = vscode.workspace.getWorkspaceFolder(this.uri)?.uri.fsPath ?? path.dirname(this.uri.fsPath);
    return c.outputFolder.trim() ? path.resolve(root, c.outputFolder.trim()) : path.dirname(this.uri.fsPath);
  }

  /**
   * The folder typed in the page, when it is in the workspace or the dataset's folder; else the one
   * the user chooses in VS Code's own folder dialog (a page may post any path: only the user may pick
   * one outside), or undefined when they choose none.
   */
  private async confirmFolder(folder: string): Promise<string | undefined> {
    if (this.isWritableFolder(folder)) return folder;
    const choose = vscode.l10n.t('Choose Folder…');
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('{0} is outside the workspace.', folder), { modal: true, detail: vscode.l10n.t('Tuneset writes split files in the workspace or beside the dataset, or in a folder you choose.') }, choose);
    if (answer !== choose) return undefined;
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.Uri.file(path.dirname(this.uri.fsPath)), openLabel: vscode.l10n.t('Write the split files here') });
    return picked?.[0]?.fsPath;
  }

  /** The server's preview as the page shows it: files relative to the workspace, and a word when the folder is outside it. */
  private shown(preview: SplitPreview, folder: string): SplitPreview {
    const outside = this.isWritableFolder(folder) ? [] : [vscode.l10n.t('{0} is outside the workspace: Write will ask you to choose the folder.', folder)];
    return {
      ...preview,
      splits: preview.splits.map((s) => ({ ...s, file: vscode.workspace.asRelativePath(s.file) })),
      warnings: [...preview.warnings, ...outside],
    };
  }

  protected onDispose(): void {
    if (SplitPanel.current === this) SplitPanel.current = undefined;
  }
}
