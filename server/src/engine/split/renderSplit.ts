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
  splits: { name: string; file: string; rows: number; labels: Record<string, number>; unlabeled: number; balanceIndex: number }[];
  /** Rows left out, with the reason, so nothing disappears unexplained. */
  excluded: { line: number; rule: string; reason: string }[];
  warnings: string[];
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
    })),
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
  files.push({ name: splitManifestName(source.name), text: JSON.stringify(splitManifest(plan, source), null, 2) + '\n' });
  return files;
}

/** The same files as renderSplit, as bytes; JSONL rows are copied byte for byte (the CLI's path for big files). */
export function renderSplitBytes(plan: SplitPlan, source: DatasetSource): OutputBytes[] {
  const files = plan.splits.map((s) => ({ name: outputName(source.name, s.name), bytes: containerBytes(source, s.rows) }));
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
  files.push({ name: splitManifestName(source.name), pieces: [new TextEncoder().encode(JSON.stringify(splitManifest(plan, source), null, 2) + '\n')] });
  return files;
}
