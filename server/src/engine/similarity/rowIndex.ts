import type { Detection } from '../analysis/detection';
import type { Config } from '../config';
import type { FileFacts } from '../rules/fileFacts';
import type { LegacyEncoding } from '../read/encoding';
import type { ContainerKind } from '../types';
import { bandLayout } from './lsh';
import { bandsByRow, type BandTable } from './bandTable';

/**
 * What an analysis keeps of each row for checks across files (cross-file-leak): its line, the
 * exact-duplicate hash and the near-duplicate band keys — 76 bytes a row with the default 16 bands,
 * about 76 MB for a million rows. Texts are not kept; candidates are verified by reading rows again.
 */
export interface RowIndex {
  container: ContainerKind;
  detection: Detection;
  /** The sketch settings the band keys were made with; two indexes compare only when these agree. */
  sketch: string;
  /** Per row (in file order): 1-based line, normalised-text hash (NaN for rows with structure errors). */
  lines: Int32Array;
  hashes: Float64Array;
  /** bandsPerRow keys per row; 0 for rows without a sketch. Empty when `bandTables` are kept (they hold the same keys). */
  bands: Uint32Array;
  bandsPerRow: number;
  /**
   * The per-row pass's band tables (one per shard, rows numbered in the file), when the analysis was
   * asked to keep them (AnalyzeOptions.keepBandTables): a split's grouping searches them as they are
   * instead of building them again from `bands`. A check does not keep them: it holds many indexes at once.
   */
  bandTables?: BandTable[];
  /** What a split plans from, when the analysis was asked to keep it (AnalyzeOptions.splitFacts). */
  split?: RowIndexSplitFacts;
}

/**
 * Each row's facts a split needs beyond its line and hash, so that a split grouped from an analysis
 * plans from the analysis instead of reading every row a second time (split/splitRows.ts splitRowsOfIndex).
 */
export interface RowIndexSplitFacts {
  /** Label id per row (index into labelNames, numbered in order of first sight over all rows), -1 for none. */
  label: Int32Array;
  labelNames: string[];
  /** The rows' traits (TRAIT.UNUSABLE marks a row a split leaves out). */
  traits: Uint16Array;
  /** A JSON Lines file's row byte ranges (as its reader's offsets()), from which the split's files are copied. */
  offsets?: { starts: Float64Array; ends: Float64Array };
  /** The encoding the file's lines that are not UTF-8 were read in, if any. */
  encoding?: LegacyEncoding;
}

/** The settings band keys depend on, as one comparable string. */
export function sketchSettings(config: Config): string {
  const { bands, rows } = bandLayout(config.nearDuplicateThreshold);
  return `${bands}x${rows}/k${config.nearDuplicateShingleSize}/${config.nearDuplicateText}`;
}

/**
 * The row index of an analyzed file, from the facts of its per-row pass; `keep` says what a split's
 * grouping keeps besides: the band tables, and the split's facts (with the file's row offsets).
 */
export function buildRowIndex(
  facts: FileFacts, detection: Detection, container: ContainerKind, config: Config,
  keep: { bandTables?: boolean; split?: Pick<RowIndexSplitFacts, 'offsets' | 'encoding'> } = {},
): RowIndex {
  const index: RowIndex = {
    container,
    detection: { format: detection.format, fields: { ...detection.fields } },
    sketch: sketchSettings(config),
    lines: Int32Array.from(facts.line),
    hashes: Float64Array.from(facts.hash),
    // A split's grouping searches the kept tables: the per-row copy of their keys would go unread.
    bands: keep.bandTables ? new Uint32Array(0) : bandsByRow(facts.bandTables, facts.bandsPerRow, facts.count),
    bandsPerRow: facts.bandsPerRow,
  };
  if (keep.bandTables) index.bandTables = facts.bandTables;
  if (keep.split) {
    index.split = { label: facts.label, labelNames: facts.labelNames, traits: facts.traits };
    if (keep.split.offsets) index.split.offsets = keep.split.offsets;
    if (keep.split.encoding) index.split.encoding = keep.split.encoding;
  }
  return index;
}
