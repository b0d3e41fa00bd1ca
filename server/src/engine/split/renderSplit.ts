import { containerBytes, containerPieces, containerText, outputName, type DatasetSource, type OutputBytes, type OutputFile, type OutputPieces } from '../read/datasetSource';
import type { AppliedSplitOptions, SplitPlan } from './split';

/** The manifest written beside a split (NAME.split.json): enough to re-make it and to check it. */
export interface SplitManifest {
  tool: 'tuneset';
  version: string;
  kind: 'split';
  source: { file: string; sha256?: string; rows: number; container: string; format: string; fields: Record<string, string> };
  seed: number;
  options: AppliedSplitOptions;
  splits: { name: string; file: string; rows: number; labels: Record<string, number>; unlabeled: number; balanceIndex: number; dates?: { first: string; last: string } }[];
  /** Groups kept whole: how many, their rows, and the rows an ungrouped split would have put elsewhere. */
  groups: SplitPlan['groups'];
  /** k-fold: per fold, the training and validation files (paths from this manifest's folder) a trainer reads. */
  folds?: { name: string; train: string; val: string; trainRows: number; valRows: number }[];
  /** Stratified: labels some split lacks, and why. */
  missingLabels: SplitPlan['missingLabels'];
  /** Rows left out, with the reason, so nothing disappears unexplained. */
  excluded: { line: number; rule: string; reason: string }[];
  warnings: string[];
}

/** A fold's training or validation file: "reviews.jsonl" → "reviews.folds/fold1/train.jsonl". */
export function foldFileName(sourceName: string, fold: string, part: 'train' | 'val'): string {
  return outputName(sourceName, `folds/${fold}/${part}`);
}

/** The manifest's file name for a source: "reviews.jsonl" → "reviews.split.json". */
export function splitManifestName(sourceName: string): string {
  return outputName(sourceName, 'split', '.json');
}

/** The manifest of a plan (no timestamp: the same split gives the same manifest). */
export function splitManifest(plan: SplitPlan, source: DatasetSource): SplitManifest {
  return {
    tool: 'tuneset',
    version: source.toolVersion ?? 'unknown',
    kind: 'split',
    source: { file: source.name, sha256: source.sha256, rows: plan.rows, container: source.container, format: plan.format, fields: plan.fields },
    seed: plan.options.seed,
    options: plan.options,
    splits: plan.splits.map((s) => ({
      name: s.name,
      file: outputName(source.name, s.name),
      rows: s.rows.length,
      labels: s.labels,
      unlabeled: s.unlabeled,
      balanceIndex: Math.round(s.balanceIndex * 1e4) / 1e4,
      ...(s.dates ? { dates: s.dates } : {}),
    })),
    groups: plan.groups,
    ...(plan.folds ? {
      folds: plan.folds.map((f) => ({ name: f.name, train: foldFileName(source.name, f.name, 'train'), val: foldFileName(source.name, f.name, 'val'), trainRows: f.train.length, valRows: f.val.length })),
    } : {}),
    missingLabels: plan.missingLabels,
    excluded: plan.excluded.map(({ line, rule, reason }) => ({ line, rule, reason })),
    warnings: plan.warnings,
  };
}

/**
 * The files of a split: one per split in the source's container with the rows' exact text in file
 * order (a CSV keeps its header), then the manifest. Names are base names; the host picks the folder.
 */
export function renderSplit(plan: SplitPlan, source: DatasetSource): OutputFile[] {
  const files = plan.splits.map((s) => ({
    name: outputName(source.name, s.name),
    text: containerText(source, s.rows.map((i) => source.rowText(i))),
  }));
  for (const { name, rows } of foldParts(plan, source)) files.push({ name, text: containerText(source, rows.map((i) => source.rowText(i))) });
  files.push({ name: splitManifestName(source.name), text: JSON.stringify(splitManifest(plan, source), null, 2) + '\n' });
  return files;
}

/** The same files as renderSplit, as bytes; JSONL rows are copied byte for byte (the CLI's path for big files). */
export function renderSplitBytes(plan: SplitPlan, source: DatasetSource): OutputBytes[] {
  const files = plan.splits.map((s) => ({ name: outputName(source.name, s.name), bytes: containerBytes(source, s.rows) }));
  for (const { name, rows } of foldParts(plan, source)) files.push({ name, bytes: containerBytes(source, rows) });
  files.push({ name: splitManifestName(source.name), bytes: new TextEncoder().encode(JSON.stringify(splitManifest(plan, source), null, 2) + '\n') });
  return files;
}

/**
 * The same files as renderSplitBytes, each made piece by piece as it is written (the CLI's path:
 * a split file is never held whole, whatever the size of the source). JSONL rows are copied byte
 * for byte, in file order.
 */
export function renderSplitPieces(plan: SplitPlan, source: DatasetSource): OutputPieces[] {
  const files: OutputPieces[] = plan.splits.map((s) => ({ name: outputName(source.name, s.name), pieces: containerPieces(source, s.rows) }));
  for (const { name, rows } of foldParts(plan, source)) files.push({ name, pieces: containerPieces(source, rows) });
  files.push({ name: splitManifestName(source.name), pieces: [new TextEncoder().encode(JSON.stringify(splitManifest(plan, source), null, 2) + '\n')] });
  return files;
}

/** k-fold: each fold's training and validation files, after the parts themselves. */
function foldParts(plan: SplitPlan, source: DatasetSource): { name: string; rows: number[] }[] {
  return (plan.folds ?? []).flatMap((f) => [
    { name: foldFileName(source.name, f.name, 'train'), rows: f.train },
    { name: foldFileName(source.name, f.name, 'val'), rows: f.val },
  ]);
}
