import * as path from 'node:path';
import * as vscode from 'vscode';
import { sha256, TOOL_VERSION } from '../../../server/src/cli/datasetFile';
import { nearDuplicateGroups } from '../../../server/src/cli/split';
import { datasetSource, outputName, planSplit, renderSplit, type SplitOptions, type SplitPlan } from '../../../server/src/engine';
import type { SplitChoices, SplitHostMessage, SplitPageMessage, SplitPreview } from '../../../server/src/protocol';
import { DatasetPanel, panelOptions } from './datasetPanel';
import { splitPageMessageSchema } from './messages';

/** "Tuneset: Split Dataset…": ratios or folds, stratify, grouping, seed and folder; a live preview; Write. */
export class SplitPanel extends DatasetPanel<SplitHostMessage, SplitPageMessage> {
  static current: SplitPanel | undefined;

  static show(extensionUri: vscode.Uri, uri: vscode.Uri): SplitPanel {
    if (SplitPanel.current && SplitPanel.current.uri.toString() === uri.toString()) {
      SplitPanel.current.panel.reveal();
      return SplitPanel.current;
    }
    SplitPanel.current?.dispose();
    const panel = vscode.window.createWebviewPanel('tuneset.split', `Split ${path.basename(uri.fsPath)}`, vscode.ViewColumn.Beside, panelOptions(extensionUri));
    return (SplitPanel.current = new SplitPanel(panel, extensionUri, uri));
  }

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, uri: vscode.Uri) {
    super(panel, extensionUri, uri, { title: 'Split dataset', script: 'dist/split.js', style: 'split.css', messages: splitPageMessageSchema });
  }

  protected problems(problems: string[]): SplitHostMessage {
    return { type: 'problems', problems };
  }

  protected async receive(m: SplitPageMessage): Promise<void> {
    if (m.type === 'ready') {
      const first = this.dataset.reader.rows()[Symbol.iterator]().next().value;
      const fields = first?.value && typeof first.value === 'object' ? Object.keys(first.value as object) : [];
      const defaults: SplitChoices = { mode: 'ratios', ratios: [80, 10, 10], folds: 5, seed: 42, stratify: this.dataset.detection.format === 'classification', groupDuplicates: true, groupNearDuplicates: false, groupField: '', timeField: '', outputFolder: '' };
      this.post({ type: 'init', file: vscode.workspace.asRelativePath(this.uri), format: this.dataset.detection.format, fields, defaults });
    } else if (m.type === 'preview') {
      this.post({ type: 'preview', preview: this.preview(await this.plan(m.choices), m.choices) });
    } else if (m.type === 'write') {
      this.refresh();
      this.clusters = undefined;
      const plan = await this.plan(m.choices);
      const { bytes, reader } = this.dataset;
      const source = datasetSource(path.basename(this.uri.fsPath), reader, bytes, { sha256: sha256(bytes), toolVersion: TOOL_VERSION });
      const folder = await this.confirmFolder(this.outputFolder(m.choices));
      if (!folder) {
        this.post({ type: 'problems', problems: ['Nothing was written: the output folder is outside the workspace, and no folder was chosen.'] });
        return;
      }
      const written = await this.writeFiles(renderSplit(plan, source).map((f) => ({ path: path.join(folder, f.name), text: f.text })));
      if (written) {
        this.post({ type: 'written', files: written });
        void vscode.window.showInformationMessage(`Tuneset wrote ${written.join(', ')}.`);
      }
    }
  }

  /** Near-duplicate clusters per row, computed once per panel (and again after the file is re-read). */
  private clusters: Promise<number[]> | undefined;

  private async plan(c: SplitChoices): Promise<SplitPlan> {
    if (c.groupNearDuplicates) this.clusters ??= nearDuplicateGroups(this.dataset);
    const groups = c.groupNearDuplicates ? await this.clusters : undefined;
    const options: SplitOptions = {
      ...(groups ? { groups } : {}),
      seed: c.seed, stratify: c.stratify, groupDuplicates: c.groupDuplicates, detection: this.dataset.detection,
      ...(c.mode === 'folds' ? { folds: c.folds } : { ratios: c.ratios }),
      ...(c.groupField ? { groupField: c.groupField } : {}),
      ...(c.timeField ? { timeField: c.timeField } : {}),
    };
    return planSplit(this.dataset.reader.rows(), options);
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
    const choose = 'Choose Folder…';
    const answer = await vscode.window.showWarningMessage(`${folder} is outside the workspace.`, { modal: true, detail: 'Tuneset writes split files in the workspace or beside the dataset, or in a folder you choose.' }, choose);
    if (answer !== choose) return undefined;
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.Uri.file(path.dirname(this.uri.fsPath)), openLabel: 'Write the split files here' });
    return picked?.[0]?.fsPath;
  }

  private preview(plan: SplitPlan, c: SplitChoices): SplitPreview {
    const labels = [...new Set(plan.splits.flatMap((s) => Object.keys(s.labels)))];
    const base = path.basename(this.uri.fsPath);
    const absolute = this.outputFolder(c);
    const folder = vscode.workspace.asRelativePath(absolute);
    const outside = this.isWritableFolder(absolute) ? [] : [`${absolute} is outside the workspace: Write will ask you to choose the folder.`];
    return {
      rows: plan.rows,
      splits: plan.splits.map((s) => ({ name: s.name, file: `${folder}/${outputName(base, s.name)}`, rows: s.rows.length, target: s.target, labels: s.labels, unlabeled: s.unlabeled, balanceIndex: s.balanceIndex })),
      labels,
      excluded: plan.excluded.map((e) => ({ line: e.line, reason: e.reason })),
      groups: plan.groups,
      warnings: [...plan.warnings, ...outside],
    };
  }

  protected onDispose(): void {
    if (SplitPanel.current === this) SplitPanel.current = undefined;
  }
}
