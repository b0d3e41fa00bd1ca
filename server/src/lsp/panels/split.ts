import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CancellationToken, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { sha256, TOOL_VERSION } from '../../host/datasetFile';
import { nearRulesOn, noUsableRows } from '../../host/refusals';
import {
  datasetSource, foldFileName, renderSplitPieces, rowLookup, sketchSettings, splitFileNames,
  type Config, type DatasetAnalysis, type RowIndex, type SplitOptions, type SplitPlan,
} from '../../engine';
import { leakGroupsOf, planGroupedSplit, type SplitLeakGroups } from '../../host/leaks';
import { SplitFormRequest, SplitPreviewRequest, SplitWriteRequest, type SplitChoices, type SplitPreview } from '../../protocol';
import { answer, Cancelled, filePath, panelDataset, progressOf, writeNewFiles, type PanelConnection, type PanelDataset } from './common';

/** An analysis the server holds for a file, and what it was made from. */
export interface HeldAnalysis {
  analysis: DatasetAnalysis;
  /** The open document's text it was made from; absent for an analysis of the file on disk. */
  text?: string;
  /** For an analysis of the file on disk: the file's modification time when it was read. */
  mtimeMs?: number;
}

/** What the split requests ask of the server. */
export interface SplitHost {
  /** The server's analyses of a file whose near-duplicate search is complete (an open document's, the file's on disk). */
  heldAnalyses(uri: string): Promise<HeldAnalysis[]>;
  /** A dataset's settings (loadConfig: editor < tuneset.json), the near-duplicate threshold, shingles and texts among them. */
  config(file: string): Config;
  /** The near-duplicate worker's bundle (dist/nearDuplicateWorker.js). */
  workerFile: string;
  log(message: string): void;
  /** An engine message (a warning, why a row was left out) in the client's language; English when left out. */
  translate?: (message: string) => string;
}

/** The split panel's requests: its form, a preview per change of the choices, and the write. */
export function registerSplitRequests(connection: PanelConnection, host: SplitHost): void {
  const translate = host.translate ?? ((m: string) => m);
  connection.onRequest(SplitFormRequest.type, ({ uri }, token) =>
    answer(token, () => {
      const { dataset } = panelDataset(filePath(uri), host.config(filePath(uri)));
      const first = dataset.reader.rows()[Symbol.iterator]().next().value;
      const fields = first?.value && typeof first.value === 'object' && !Array.isArray(first.value) ? Object.keys(first.value as object) : [];
      const format = dataset.detection.format;
      // As the CLI: near-duplicates are grouped by default whenever check looks for them.
      const defaults: SplitChoices = {
        mode: 'ratios', ratios: [80, 10, 10], folds: 5, seed: 42, stratify: format === 'classification', groupDuplicates: true,
        groupNearDuplicates: nearRulesOn(dataset.config), groupField: '', timeField: '', outputFolder: '',
      };
      return { format, fields, defaults };
    }),
  );
  connection.onRequest(SplitPreviewRequest.type, (params, token) =>
    answer(token, async () => {
      const file = filePath(params.uri);
      const plan = await splitPlan(host, params.uri, panelDataset(file, host.config(file)), params.choices, token, progressOf(connection, params));
      return { preview: preview(plan, file, params.folder, host.translate) };
    }),
  );
  connection.onRequest(SplitWriteRequest.type, (params, token) =>
    answer(token, async () => {
      const file = filePath(params.uri);
      const progress = progressOf(connection, params);
      const entry = panelDataset(file, host.config(file));
      const plan = await splitPlan(host, params.uri, entry, params.choices, token, progress);
      // A date the user meant is never dropped quietly: the preview names the rows, the write refuses.
      if (plan.unreadableDates) return { problems: [plan.unreadableDates.message] };
      // As the CLI's split: no files without a usable row.
      if (plan.splits.every((s) => s.rows.length === 0)) return { problems: [noUsableRows(file, plan.rows, plan.excluded).message] };
      const { bytes, reader } = entry.dataset;
      const source = datasetSource(path.basename(file), reader, bytes, { sha256: sha256(bytes), toolVersion: TOOL_VERSION });
      const files = renderSplitPieces(plan, source).map((f) => ({ path: path.join(params.folder, f.name), pieces: f.pieces }));
      const rows = plan.splits.reduce((n, s) => n + s.rows.length, 0);
      return writeNewFiles(files, { inputs: [file], overwrite: params.overwrite, token, progress, title: translate('Tuneset: writing the split'), rows: () => rows, part: (written) => written / Math.max(1, bytes.length) });
    }),
  );
}

async function splitPlan(host: SplitHost, uri: string, entry: PanelDataset, c: SplitChoices, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<SplitPlan> {
  const { dataset } = entry;
  const made = c.groupNearDuplicates ? await nearDuplicateGroups(host, uri, entry, token, progress) : undefined;
  const options: SplitOptions = {
    seed: c.seed, stratify: c.stratify, groupDuplicates: c.groupDuplicates, detection: dataset.detection,
    // The parts are named with the leak check's role words from the settings, as the CLI names them.
    roleWords: host.config(filePath(uri)),
    ...(c.mode === 'folds' ? { folds: c.folds } : { ratios: c.ratios }),
    ...(c.groupField ? { groupField: c.groupField } : {}),
    ...(c.timeField ? { timeField: c.timeField } : {}),
  };
  // The CLI's plan: the same groups placed on the rows the same way (planGroupedSplit).
  return planGroupedSplit(dataset.reader.rows(), options, made);
}

/** The page's preview of a plan; the files are absolute paths in `folder` (a k-fold's fold: its validation file). */
function preview(plan: SplitPlan, file: string, folder: string, translate: (message: string) => string = (m) => m): SplitPreview {
  const base = path.basename(file);
  const files = splitFileNames(plan, base);
  return {
    rows: plan.rows,
    splits: plan.splits.map((s, i) => ({
      name: s.name, file: path.join(folder, files[i] ?? foldFileName(base, s.name, 'val', plan.roleWords)), rows: s.rows.length, target: s.target, labels: s.labels, unlabeled: s.unlabeled, balanceIndex: s.balanceIndex,
    })),
    labels: [...new Set(plan.splits.flatMap((s) => Object.keys(s.labels)))],
    excluded: plan.excluded.map((e) => ({ line: e.line, reason: translate(e.reason) })),
    groups: plan.groups,
    warnings: [
      ...(plan.unreadableDates ? [`${plan.unreadableDates.message}: fix them before writing`] : []),
      ...plan.missingLabels.map((m) => `Label "${m.label}" is in no row of ${m.splits.join(', ')}: ${m.reason}`),
      ...plan.warnings,
    ].map(translate),
  };
}

/**
 * The groups the CLI's `split` keeps whole (leakGroupsOf: exact duplicates and every verified
 * near-duplicate pair, joined transitively, as the leak check finds them). An analysis of the file on
 * disk the server holds is used when it is current and carries the row index with near-duplicate
 * sketches of these settings (the workspace check's); else the file is analyzed once in a worker
 * thread, with progress and cancellable, and its groups are kept while the file is unchanged.
 */
async function nearDuplicateGroups(host: SplitHost, uri: string, entry: PanelDataset, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<SplitLeakGroups> {
  const config = entry.dataset.config;
  const held = (await host.heldAnalyses(uri)).find((h) => isCurrent(h, entry) && hasSketches(h.analysis.rowIndex, config));
  if (held) {
    host.log(`near-duplicate groups of ${path.basename(entry.dataset.file)} from the server's analysis`);
    const key = `held groups ${sketchSettings(config)}`;
    return entry.memo(key, () => {
      const index = held.analysis.rowIndex!;
      const { file, bytes } = entry.dataset;
      return leakGroupsOf(index, rowLookup(file, bytes, index.lines, index.container, config), config, { near: true });
    });
  }
  const key = `near-duplicates ${sketchSettings(config)}`;
  const made = entry.memo(key, () => searchInWorker(host, entry, config, token, progress));
  made.catch(() => entry.forget(key));
  return made;
}

/** True for a row index whose band keys are near-duplicate sketches made with these settings. */
function hasSketches(index: RowIndex | undefined, config: Config): boolean {
  return index !== undefined && index.bandsPerRow > 0 && index.sketch === sketchSettings(config);
}

/** True when the held analysis was made from the file as it is now. */
function isCurrent(held: HeldAnalysis, entry: PanelDataset): boolean {
  if (held.text !== undefined) return held.text === new TextDecoder().decode(entry.dataset.bytes);
  return held.mtimeMs !== undefined && held.mtimeMs === entry.mtimeMs;
}

/** The file's leak groups, from a worker thread (the server goes on answering); terminated on cancellation. */
function searchInWorker(host: SplitHost, entry: PanelDataset, config: Config, token: CancellationToken, progress: WorkDoneProgressReporter): Promise<SplitLeakGroups> {
  const { file, bytes, container } = entry.dataset;
  const t0 = performance.now();
  progress.begin('Tuneset: grouping near-duplicates', undefined, path.basename(file), true);
  return new Promise<SplitLeakGroups>((resolve, reject) => {
    const worker = new Worker(host.workerFile, { workerData: { path: file, bytes, container, config, leakGroups: true } });
    const cancelled = token.onCancellationRequested(() => {
      void worker.terminate();
      reject(new Cancelled());
    });
    worker.once('message', (m: { groups: SplitLeakGroups }) => resolve(m.groups));
    worker.once('error', reject);
    worker.once('exit', () => {
      cancelled.dispose();
      progress.done();
      reject(new Error('the near-duplicate search stopped'));
    });
  }).then((groups) => {
    host.log(`near-duplicate groups of ${path.basename(file)} searched in ${(performance.now() - t0).toFixed(0)} ms`);
    return groups;
  });
}
