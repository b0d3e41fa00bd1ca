import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { z } from 'zod';
import { readDatasetFile, type DatasetFile } from '../../../server/src/cli/datasetFile';
import { writeFilesAtomic } from '../../../server/src/cli/files';
import { isInside, outputOverInput } from '../../../server/src/cli/outputPaths';
import { OptionsError } from '../../../server/src/engine';
import { checkPageMessage } from './messages';
import { pageHtml, panelOptions } from './webview';

/**
 * What the split and augment panels share: one panel per kind, bound to a dataset file; the page
 * posts messages, which the host checks against their schema before it answers with the engine's
 * results; new files are written all or none, never over what the panel reads, and never over an
 * existing file without the user's explicit choice.
 */
export abstract class DatasetPanel<HostMessage, PageMessage extends { type: string }> implements vscode.Disposable {
  protected dataset: DatasetFile;
  private readonly disposables: vscode.Disposable[] = [];

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    protected readonly uri: vscode.Uri,
    page: { title: string; script: string; style: string; messages: z.ZodType<PageMessage> },
  ) {
    this.dataset = readDatasetFile(uri.fsPath);
    const { messages, ...skeleton } = page;
    panel.webview.html = pageHtml(panel.webview, extensionUri, { ...skeleton, state: { file: vscode.workspace.asRelativePath(uri) } });
    panel.webview.onDidReceiveMessage((m: unknown) => void this.handle(messages, m), undefined, this.disposables);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
  }

  protected post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async handle(schema: z.ZodType<PageMessage>, posted: unknown): Promise<void> {
    const checked = checkPageMessage(schema, posted);
    if (!checked.ok) {
      this.post(this.problems(checked.problems));
      return;
    }
    try {
      await this.receive(checked.message);
    } catch (e) {
      if (e instanceof OptionsError) this.post(this.problems(e.problems));
      else this.post(this.problems([(e as Error).message]));
    }
  }

  protected abstract receive(message: PageMessage): Promise<void>;
  protected abstract problems(problems: string[]): HostMessage;

  /** Re-reads the file when it changed on disk since the panel opened. */
  protected refresh(): void {
    this.dataset = readDatasetFile(this.uri.fsPath);
  }

  /** The files the panel reads, which it never writes over: the dataset (the augment panel adds the other splits). */
  protected inputs(): string[] {
    return [this.uri.fsPath];
  }

  /** The folders new files may go to without asking: the workspace folders and the dataset's own folder. */
  protected isWritableFolder(folder: string): boolean {
    const roots = [...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), path.dirname(this.uri.fsPath)];
    return roots.some((root) => isInside(folder, root));
  }

  /**
   * Writes new files after asking before any overwrite; returns the written paths, or undefined
   * when the user declined. All go to temp files first and are renamed into place together: a
   * failure leaves none of them (and the old ones, if any, as they were).
   */
  protected async writeFiles(files: { path: string; text: string }[]): Promise<string[] | undefined> {
    const over = outputOverInput(files.map((f) => f.path), this.inputs());
    if (over) throw new Error(`${vscode.workspace.asRelativePath(over.output)} is a file this panel reads (${vscode.workspace.asRelativePath(over.input)}); choose another folder`);
    const existing = files.filter((f) => fs.existsSync(f.path));
    if (existing.length) {
      const names = existing.map((f) => vscode.workspace.asRelativePath(f.path)).join(', ');
      const choice = await vscode.window.showWarningMessage(`Overwrite ${existing.length} existing file${existing.length === 1 ? '' : 's'}?`, { modal: true, detail: names }, 'Overwrite');
      if (choice !== 'Overwrite') return undefined;
    }
    for (const dir of new Set(files.map((f) => path.dirname(f.path)))) fs.mkdirSync(dir, { recursive: true });
    writeFilesAtomic(files.map((f) => ({ path: f.path, data: f.text })));
    const first = vscode.Uri.file(files[0].path);
    await vscode.commands.executeCommand('revealInExplorer', first);
    return files.map((f) => vscode.workspace.asRelativePath(f.path));
  }

  dispose(): void {
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.onDispose();
  }

  protected abstract onDispose(): void;
}

/** The dataset a panel command acts on: its argument, the active editor, or one the user picks. */
export async function datasetUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && /\.(jsonl|ndjson|csv|tsv|json)$/i.test(active.fsPath)) return active;
  const files = await vscode.workspace.findFiles('**/*.{jsonl,ndjson,csv,tsv}', '**/node_modules/**', 200);
  const pick = await vscode.window.showQuickPick(files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })), { placeHolder: 'Which dataset?' });
  return pick?.uri;
}

export { panelOptions };
