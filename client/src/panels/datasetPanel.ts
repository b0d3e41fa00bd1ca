import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readDatasetFile, type DatasetFile } from '../../../server/src/cli/datasetFile';
import { writeFileAtomic } from '../../../server/src/cli/files';
import { OptionsError } from '../../../server/src/engine';
import { pageHtml, panelOptions } from './webview';

/**
 * What the split and augment panels share: one panel per kind, bound to a dataset file; the page
 * posts typed messages, the host answers with the engine's results; new files are written
 * atomically and never over an existing file without the user's explicit choice.
 */
export abstract class DatasetPanel<HostMessage, PageMessage extends { type: string }> implements vscode.Disposable {
  protected dataset: DatasetFile;
  private readonly disposables: vscode.Disposable[] = [];

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    protected readonly uri: vscode.Uri,
    page: { title: string; script: string; style: string },
  ) {
    this.dataset = readDatasetFile(uri.fsPath);
    panel.webview.html = pageHtml(panel.webview, extensionUri, { ...page, state: { file: vscode.workspace.asRelativePath(uri) } });
    panel.webview.onDidReceiveMessage((m: PageMessage) => void this.handle(m), undefined, this.disposables);
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
  }

  protected post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async handle(message: PageMessage): Promise<void> {
    try {
      await this.receive(message);
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

  /**
   * Writes new files after asking before any overwrite; returns the written paths, or undefined
   * when the user declined. Each file goes to a temp file first and is renamed into place.
   */
  protected async writeFiles(files: { path: string; text: string }[]): Promise<string[] | undefined> {
    if (files.some((f) => path.resolve(f.path) === path.resolve(this.uri.fsPath))) throw new Error('an output file would replace the source dataset; choose another folder');
    const existing = files.filter((f) => fs.existsSync(f.path));
    if (existing.length) {
      const names = existing.map((f) => vscode.workspace.asRelativePath(f.path)).join(', ');
      const choice = await vscode.window.showWarningMessage(`Overwrite ${existing.length} existing file${existing.length === 1 ? '' : 's'}?`, { modal: true, detail: names }, 'Overwrite');
      if (choice !== 'Overwrite') return undefined;
    }
    for (const f of files) {
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      writeFileAtomic(f.path, f.text);
    }
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
