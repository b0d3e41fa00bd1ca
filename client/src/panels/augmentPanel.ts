import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findSplitManifest, readSplitManifest } from '../../../server/src/cli/splitManifest';
import {
  AUGMENT_OPERATIONS, augmentDataset, datasetSource, openReader, renderAugmented,
  type AugmentOptions, type AugmentResult, type SourceRow, type SynonymProvider,
} from '../../../server/src/engine';
import { loadWordNet } from '../../../server/src/wordnet';
import type { AugmentChoices, AugmentHostMessage, AugmentPageMessage, AugmentPreview } from '../../../server/src/protocol';
import { DatasetPanel, panelOptions } from './datasetPanel';
import { augmentPageMessageSchema } from './messages';

const PREVIEW_ROWS = 10;

/** "Tuneset: Augment Dataset…": EDA operations and α, n, balance and seed; ten rows previewed beside their source; Write. */
export class AugmentPanel extends DatasetPanel<AugmentHostMessage, AugmentPageMessage> {
  static current: AugmentPanel | undefined;
  private synonyms: SynonymProvider | undefined;
  private readonly heldOut: string[];
  private readonly trainOnly: string | undefined;

  static show(extensionUri: vscode.Uri, uri: vscode.Uri): AugmentPanel | undefined {
    // A file that was split is augmented through its train split; held-out splits are never sources.
    const found = findSplitManifest(uri.fsPath);
    if (found?.role === 'held-out') {
      void vscode.window.showWarningMessage(`Tuneset: ${vscode.workspace.asRelativePath(uri)} is a held-out split (${path.basename(found.manifest)}); augment the train split instead.`);
      return undefined;
    }
    const split = found ? readSplitManifest(found.manifest) : undefined;
    const source = split ? vscode.Uri.file(split.input) : uri;
    if (AugmentPanel.current && AugmentPanel.current.uri.toString() === source.toString()) {
      AugmentPanel.current.panel.reveal();
      return AugmentPanel.current;
    }
    AugmentPanel.current?.dispose();
    const panel = vscode.window.createWebviewPanel('tuneset.augment', `Augment ${path.basename(source.fsPath)}`, vscode.ViewColumn.Beside, panelOptions(extensionUri));
    return (AugmentPanel.current = new AugmentPanel(panel, extensionUri, source, split?.heldOut ?? [], split ? vscode.workspace.asRelativePath(found!.manifest) : undefined));
  }

  private constructor(panel: vscode.WebviewPanel, private readonly extensionUri: vscode.Uri, uri: vscode.Uri, heldOut: string[], trainOnly: string | undefined) {
    super(panel, extensionUri, uri, { title: 'Augment dataset', script: 'dist/augment.js', style: 'augment.css', messages: augmentPageMessageSchema });
    this.heldOut = heldOut;
    this.trainOnly = trainOnly;
  }

  /** The train split is augmented and checked against the other splits: none of them is ever written over. */
  protected inputs(): string[] {
    return [this.uri.fsPath, ...this.heldOut];
  }

  protected problems(problems: string[]): AugmentHostMessage {
    return { type: 'problems', problems };
  }

  /** WordNet is read once, from the files the extension ships (dist/wordnet). */
  private synonymProvider(): SynonymProvider {
    this.synonyms ??= loadWordNet(vscode.Uri.joinPath(this.extensionUri, 'dist', 'wordnet').fsPath);
    return this.synonyms;
  }

  protected async receive(m: AugmentPageMessage): Promise<void> {
    if (m.type === 'ready') {
      const defaults: AugmentChoices = { operations: ['sr', 'ri', 'rs', 'rd'], alpha: 0.1, n: 1, balance: 'none', target: 0, seed: 7, provenanceField: 'augmented_from' };
      this.post({ type: 'init', file: vscode.workspace.asRelativePath(this.uri), format: this.dataset.detection.format, operations: AUGMENT_OPERATIONS, defaults, trainOnly: this.trainOnly });
    } else if (m.type === 'preview') {
      const rows = [...this.dataset.reader.rows()];
      const sample = sampleIndexes(rows, m.choices.seed);
      const full = this.run(rows, m.choices, undefined);
      const shown = this.run(rows, m.choices, sample);
      this.post({ type: 'preview', preview: this.preview(full, shown) });
    } else if (m.type === 'write') {
      this.refresh();
      const rows = [...this.dataset.reader.rows()];
      const result = this.run(rows, m.choices, undefined);
      const source = datasetSource(path.basename(this.uri.fsPath), this.dataset.reader, this.dataset.bytes);
      const file = renderAugmented(result, source);
      const written = await this.writeFiles([{ path: path.join(path.dirname(this.uri.fsPath), file.name), text: file.text }]);
      if (written) {
        this.post({ type: 'written', files: written });
        void vscode.window.showInformationMessage(`Tuneset wrote ${written[0]}: ${result.rows.filter((r) => !r.leak).length} new rows.`);
      }
    }
  }

  private run(rows: SourceRow[], c: AugmentChoices, sample: number[] | undefined): AugmentResult {
    const options: AugmentOptions = {
      operations: c.operations, alpha: c.alpha, n: c.n, seed: c.seed,
      provenanceField: c.provenanceField.trim() ? c.provenanceField.trim() : null,
      detection: this.dataset.detection,
      heldOut: this.heldOut.filter((f) => fs.existsSync(f)).map((f) => ({ file: vscode.workspace.asRelativePath(f), rows: [...openReader(f, fs.readFileSync(f)).rows()] })),
      ...(sample ? { sample } : {}),
    };
    if (c.operations.includes('sr') || c.operations.includes('ri')) options.synonyms = this.synonymProvider();
    if (c.balance !== 'none') options.balance = { method: c.balance === 'downsample' ? 'downsample' : 'augment', ...(c.balance === 'target' && c.target > 0 ? { target: c.target } : {}) };
    return augmentDataset(rows, options);
  }

  private preview(full: AugmentResult, shown: AugmentResult): AugmentPreview {
    return {
      samples: shown.rows.slice(0, PREVIEW_ROWS).flatMap((r) => r.parts.slice(0, 1).map((p) => ({
        line: r.sourceLine, label: r.label, operation: AUGMENT_OPERATIONS[r.operation], field: p.field, original: p.original, augmented: p.text, changed: p.changed,
      }))),
      before: full.labels.before,
      after: full.labels.after,
      newRows: full.rows.filter((r) => !r.leak).length,
      unchanged: full.unchanged.map((u) => ({ line: u.line, reason: u.reason })),
      leaks: full.leaks,
      warnings: full.warnings,
      output: vscode.workspace.asRelativePath(path.join(path.dirname(this.uri.fsPath), path.basename(this.uri.fsPath).replace(/(\.[^.]+)$/, '.augmented$1'))),
    };
  }

  protected onDispose(): void {
    if (AugmentPanel.current === this) AugmentPanel.current = undefined;
  }
}

/** Ten usable rows spread over the file, the same ones for the same seed. */
function sampleIndexes(rows: SourceRow[], seed: number): number[] {
  const usable = rows.filter((r) => r.value !== undefined).map((r) => r.index);
  if (usable.length <= PREVIEW_ROWS) return usable;
  const step = usable.length / PREVIEW_ROWS;
  const offset = seed % Math.max(1, Math.floor(step));
  return Array.from({ length: PREVIEW_ROWS }, (_, i) => usable[Math.min(usable.length - 1, Math.floor(i * step) + offset)]);
}

