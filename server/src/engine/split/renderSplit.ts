import { containerBytes, containerPieces, containerText, outputName, stemAndExtension, type DatasetSource, type OutputBytes, type OutputFile, type OutputPieces } from '../read/datasetSource';
import { DEFAULT_CONFIG } from '../config';
import { splitWordRole } from '../rules/crossFileLeak';
import type { AppliedSplitOptions, SplitPlan, SplitRoleWords } from './split';

/** The manifest written beside a split (NAME.split.json): enough to re-make it and to check it. */
export interface SplitManifest {
  tool: 'tuneset';
  version: string;
  kind: 'split';
  source: { file: string; sha256?: string; rows: number; container: string; format: string; fields: Record<string, string> };
  seed: number;
  options: AppliedSplitOptions;
  /** `file`: the split's own file; a k-fold's folds have none (their rows are each fold's `val` file, listed in `folds`). */
  splits: { name: string; file?: string; rows: number; labels: Record<string, number>; unlabeled: number; balanceIndex: number; dates?: { first: string; last: string } }[];
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

/** A fold's training or validation file: "reviews.jsonl" → "reviews.folds/fold1/train.jsonl" ("train.jsonl" → "train/folds/fold1/train.jsonl"). */
export function foldFileName(sourceName: string, fold: string, part: 'train' | 'val', words: SplitRoleWords = DEFAULT_CONFIG): string {
  return splitPartName(sourceName, `folds/${fold}/${part}`, words);
}

/**
 * One split's file: "reviews.jsonl" → "reviews.train.jsonl". A source whose name already ends in a
 * split's word (splitWordRole with the settings' words, the built-in ones by default: "train.jsonl",
 * "data.train.jsonl") gets a folder of that name for its parts
 * ("train/val.jsonl", "data.train/val.jsonl") instead of "train.train.jsonl" or "data.train.val.jsonl",
 * names that say two splits at once.
 */
export function splitPartName(sourceName: string, part: string, words: SplitRoleWords = DEFAULT_CONFIG): string {
  const { stem, ext } = stemAndExtension(sourceName);
  const last = stem.slice(Math.max(stem.lastIndexOf('/'), stem.lastIndexOf('\\')) + 1).split('.').pop()!;
  return splitWordRole(last, words) ? `${stem}/${part}${ext}` : outputName(sourceName, part);
}

/**
 * The file of each split (its base name: "reviews.jsonl" → "reviews.train.jsonl"; see splitPartName), undefined for a
 * k-fold's folds: a fold is written only as its training and validation files (foldFileName), since a
 * copy of its rows beside them would be one more file for a leak check to mistake for held-out data.
 * A k-fold's held-out test part has its own file.
 */
export function splitFileNames(plan: Pick<SplitPlan, 'splits' | 'folds' | 'roleWords'>, sourceName: string): (string | undefined)[] {
  const folds = plan.folds?.length ?? 0;
  return plan.splits.map((s, i) => (i < folds ? undefined : splitPartName(sourceName, s.name, plan.roleWords)));
}

/** The splits that have a file of their own, with its name. */
function ownFiles(plan: SplitPlan, sourceName: string): { name: string; rows: number[] }[] {
  const names = splitFileNames(plan, sourceName);
  return plan.splits.flatMap((s, i) => (names[i] === undefined ? [] : [{ name: names[i]!, rows: s.rows }]));
}

/** The manifest's file name for a source: "reviews.jsonl" → "reviews.split.json". */
export function splitManifestName(sourceName: string): string {
  return outputName(sourceName, 'split', '.json');
}

/** The manifest of a plan (no timestamp: the same split gives the same manifest). */
export function splitManifest(plan: SplitPlan, source: DatasetSource): SplitManifest {
  const files = splitFileNames(plan, source.name);
  return {
    tool: 'tuneset',
    version: source.toolVersion ?? 'unknown',
    kind: 'split',
    source: { file: source.name, sha256: source.sha256, rows: plan.rows, container: source.container, format: plan.format, fields: plan.fields },
    seed: plan.options.seed,
    options: plan.options,
    splits: plan.splits.map((s, i) => ({
      name: s.name,
      ...(files[i] !== undefined ? { file: files[i] } : {}),
      rows: s.rows.length,
      labels: s.labels,
      unlabeled: s.unlabeled,
      balanceIndex: Math.round(s.balanceIndex * 1e4) / 1e4,
      ...(s.dates ? { dates: s.dates } : {}),
    })),
    groups: plan.groups,
    ...(plan.folds ? {
      folds: plan.folds.map((f) => ({ name: f.name, train: foldFileName(source.name, f.name, 'train', plan.roleWords), val: foldFileName(source.name, f.name, 'val', plan.roleWords), trainRows: f.train.length, valRows: f.val.length })),
    } : {}),
    missingLabels: plan.missingLabels,
    excluded: plan.excluded.map(({ line, rule, reason }) => ({ line, rule, reason })),
    warnings: plan.warnings,
  };
}

/**
 * The files of a split: one per split with a file (splitFileNames) in the source's container with the
 * rows' exact text in file order (a CSV keeps its header), then a k-fold's per-fold training and
 * validation files, then the manifest. Names are base names; the host picks the folder.
 */
export function renderSplit(plan: SplitPlan, source: DatasetSource): OutputFile[] {
  const files = ownFiles(plan, source.name).map(({ name, rows }) => ({
    name,
    text: containerText(source, rows.map((i) => source.rowText(i))),
  }));
  for (const { name, rows } of foldParts(plan, source)) files.push({ name, text: containerText(source, rows.map((i) => source.rowText(i))) });
  files.push({ name: splitManifestName(source.name), text: JSON.stringify(splitManifest(plan, source), null, 2) + '\n' });
  return files;
}

/** The same files as renderSplit, as bytes; JSONL rows are copied byte for byte (the CLI's path for big files). */
export function renderSplitBytes(plan: SplitPlan, source: DatasetSource): OutputBytes[] {
  const files = ownFiles(plan, source.name).map(({ name, rows }) => ({ name, bytes: containerBytes(source, rows) }));
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
  const files: OutputPieces[] = ownFiles(plan, source.name).map(({ name, rows }) => ({ name, pieces: containerPieces(source, rows) }));
  for (const { name, rows } of foldParts(plan, source)) files.push({ name, pieces: containerPieces(source, rows) });
  files.push({ name: splitManifestName(source.name), pieces: [new TextEncoder().encode(JSON.stringify(splitManifest(plan, source), null, 2) + '\n')] });
  return files;
}

/** k-fold: each fold's training and validation files, after the parts themselves. */
function foldParts(plan: SplitPlan, source: DatasetSource): { name: string; rows: number[] }[] {
  return (plan.folds ?? []).flatMap((f) => [
    { name: foldFileName(source.name, f.name, 'train', plan.roleWords), rows: f.train },
    { name: foldFileName(source.name, f.name, 'val', plan.roleWords), rows: f.val },
  ]);
}
