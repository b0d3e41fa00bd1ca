import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { z } from 'zod';
import type { WriteResult } from '../../../server/src/protocol';
import { checkPageMessage } from './messages';
import { pageHtml, panelOptions } from './webview';

/**
 * What the split and augment panels share: one panel per kind, bound to a dataset file. A panel is a
 * view: the page posts messages, which the host checks against their schema, and the host asks the
 * language server (which reads the file and runs the engine) and the user (overwrite? which folder?).
 * New files are written by the server all or none, never over what the panel reads, and never over
 * an existing file without the user's explicit choice.
 */
export abstract class DatasetPanel<HostMessage, PageMessage extends { type: string }> implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    protected readonly client: LanguageClient,
    protected readonly uri: vscode.Uri,
    page: { title: string; script: string; style: string; messages: z.ZodType<PageMessage, z.ZodTypeDef, unknown> },
  ) {
    const { messages, ...skeleton } = page;
    panel.webview.html = pageHtml(panel.webview, extensionUri, { ...skeleton, state: { file: vscode.workspace.asRelativePath(uri) } });
    panel.webview.onDidReceiveMessage((m: unknown) => void this.handle(messages, m), undefined, this.disposables);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
  }

  protected post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async handle(schema: z.ZodType<PageMessage, z.ZodTypeDef, unknown>, posted: unknown): Promise<void> {
    const checked = checkPageMessage(schema, posted);
    if (!checked.ok) {
      this.post(this.problems(checked.problems));
      return;
    }
    try {
      await this.receive(checked.message);
    } catch (e) {
      this.post(this.problems([(e as Error).message]));
    }
  }

  protected abstract receive(message: PageMessage): Promise<void>;
  protected abstract problems(problems: string[]): HostMessage;

  /** The folders new files may go to without asking: the workspace folders and the dataset's own folder (links followed). */
  protected isWritableFolder(folder: string): boolean {
    const roots = [...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), path.dirname(this.uri.fsPath)];
    return roots.some((root) => {
      const rel = path.relative(realTarget(root), realTarget(folder));
      return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
    });
  }

  /**
   * Has the server write new files (`send`, with the existing files the user agreed to replace): the
   * first answer names the files that exist, and the user is asked before they are replaced. Returns
   * the written paths (relative to the workspace, and as URIs) and rows, or undefined when nothing was written (the
   * page is told why).
   */
  protected async write(send: (overwrite: string[]) => Promise<WriteResult | undefined>): Promise<{ files: string[]; uris: vscode.Uri[]; rows: number } | undefined> {
    let overwrite: string[] = [];
    for (;;) {
      const result = await send(overwrite);
      if (!result) {
        this.post(this.problems([vscode.l10n.t('Cancelled: nothing was written.')]));
        return undefined;
      }
      if ('problems' in result) {
        this.post(this.problems(result.problems));
        return undefined;
      }
      if ('written' in result) {
        await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(result.written[0]));
        return { files: result.written.map((f) => vscode.workspace.asRelativePath(f)), uris: result.written.map((f) => vscode.Uri.file(f)), rows: result.rows };
      }
      const names = result.exists.map((f) => vscode.workspace.asRelativePath(f)).join(', ');
      const overwriteButton = vscode.l10n.t('Overwrite');
      const question = result.exists.length === 1 ? vscode.l10n.t('Overwrite {0} existing file?', result.exists.length) : vscode.l10n.t('Overwrite {0} existing files?', result.exists.length);
      const choice = await vscode.window.showWarningMessage(question, { modal: true, detail: names }, overwriteButton);
      if (choice !== overwriteButton) return undefined;
      overwrite = [...overwrite, ...result.exists];
    }
  }

  dispose(): void {
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.onDispose();
  }

  protected abstract onDispose(): void;
}

/** Where a path really leads: the real path of its nearest existing folder, with the rest after it. */
function realTarget(file: string): string {
  const rest: string[] = [];
  for (let current = path.resolve(file); ; ) {
    try {
      return path.join(fs.realpathSync(current), ...rest);
    } catch {
      const up = path.dirname(current);
      if (up === current) return path.resolve(file);
      rest.unshift(path.basename(current));
      current = up;
    }
  }
}

/** The dataset a panel command acts on: its argument, the active editor, or one the user picks. */
export async function datasetUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && /\.(jsonl|ndjson|csv|tsv|json)$/i.test(active.fsPath)) return active;
  const files = await vscode.workspace.findFiles('**/*.{jsonl,ndjson,csv,tsv}', '**/node_modules/**', 200);
  const pick = await vscode.window.showQuickPick(files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })), { placeHolder: vscode.l10n.t('Which dataset?') });
  return pick?.uri;
}

export { panelOptions };
