import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AugmentFormRequest, AugmentPreviewRequest, AugmentWriteRequest, type AugmentHostMessage, type AugmentPageMessage } from '../../../server/src/protocol';
import { withServerProgress } from '../progress';
import { toastFiles } from '../toasts';
import { DatasetPanel, panelOptions } from './datasetPanel';
import { augmentPageMessageSchema } from './messages';

type AugmentForm = Extract<AugmentFormRequest.Result, { source: string }>;

/** Where the "Store the Augmentation API Key" command keeps the key (VS Code's secret storage). */
export const AUGMENT_API_KEY_SECRET = 'tuneset.augment.apiKey';

/**
 * "Tuneset: Augment Dataset…": EDA operations and α, n, balance and seed; a preview of a sample of
 * rows beside their source; Write, which augments the whole file. The server augments and writes.
 */
export class AugmentPanel extends DatasetPanel<AugmentHostMessage, AugmentPageMessage> {
  static current: AugmentPanel | undefined;
  /** The extension's secret storage: the endpoint's key is read from it for each request (sent to the server, never kept). */
  static secrets: vscode.SecretStorage | undefined;
  /** The number of the last preview asked for: an answer to an older one is dropped. */
  private previews = 0;

  static async show(extensionUri: vscode.Uri, client: LanguageClient, uri: vscode.Uri): Promise<AugmentPanel | undefined> {
    // A file that was split is augmented through its train split; held-out splits are never sources.
    const form = await client.sendRequest(AugmentFormRequest.type, { uri: uri.toString() });
    if ('problems' in form) throw new Error(form.problems.join('; '));
    if ('heldOutOf' in form) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tuneset: {0} is a held-out split ({1}); augment the train split instead.', vscode.workspace.asRelativePath(uri), path.basename(form.heldOutOf)));
      return undefined;
    }
    const source = vscode.Uri.file(form.source);
    if (AugmentPanel.current && AugmentPanel.current.uri.toString() === source.toString()) {
      AugmentPanel.current.panel.reveal();
      return AugmentPanel.current;
    }
    AugmentPanel.current?.dispose();
    const panel = vscode.window.createWebviewPanel('tuneset.augment', vscode.l10n.t('Augment {0}', path.basename(source.fsPath)), vscode.ViewColumn.Active, panelOptions(extensionUri));
    return (AugmentPanel.current = new AugmentPanel(panel, extensionUri, client, source, form));
  }

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, client: LanguageClient, uri: vscode.Uri, private readonly form: AugmentForm) {
    super(panel, extensionUri, client, uri, { title: vscode.l10n.t('Augment dataset'), script: 'dist/augment.js', style: 'augment.css', messages: augmentPageMessageSchema });
  }

  protected problems(problems: string[]): AugmentHostMessage {
    return { type: 'problems', problems };
  }

  protected async receive(m: AugmentPageMessage): Promise<void> {
    if (m.type === 'ready') {
      const { format, operations, defaults, manifest } = this.form;
      this.post({ type: 'init', file: vscode.workspace.asRelativePath(this.uri), format, operations, defaults, trainOnly: manifest && vscode.workspace.asRelativePath(manifest) });
    } else if (m.type === 'preview') {
      const asked = ++this.previews;
      const apiKey = await this.apiKey(m.choices.operations);
      const result = await this.client.sendRequest(AugmentPreviewRequest.type, { uri: this.uri.toString(), choices: m.choices, ...(apiKey ? { apiKey } : {}) });
      if (asked !== this.previews) return;
      if ('problems' in result) this.post({ type: 'problems', problems: result.problems });
      else this.post({ type: 'preview', preview: { ...result.preview, output: vscode.workspace.asRelativePath(result.preview.output) } });
    } else if (m.type === 'write') {
      const apiKey = await this.apiKey(m.choices.operations);
      const written = await this.write((overwrite) => withServerProgress(this.client, (workDoneToken, token) =>
        this.client.sendRequest(AugmentWriteRequest.type, { uri: this.uri.toString(), choices: m.choices, overwrite, workDoneToken, ...(apiKey ? { apiKey } : {}) }, token)));
      if (written) {
        this.post({ type: 'written', files: written.files });
        void toastFiles(vscode.l10n.t('Tuneset wrote {0}: {1} new rows.', written.files[0], written.rows), written.uris);
      }
    }
  }

  /** The stored key, read only when back-translation or paraphrase is chosen. */
  private async apiKey(operations: readonly string[]): Promise<string | undefined> {
    if (!operations.includes('bt') && !operations.includes('pp')) return undefined;
    return (await AugmentPanel.secrets?.get(AUGMENT_API_KEY_SECRET)) || undefined;
  }

  protected onDispose(): void {
    if (AugmentPanel.current === this) AugmentPanel.current = undefined;
  }
}
