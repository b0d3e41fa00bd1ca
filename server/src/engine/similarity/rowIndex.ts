import type { Detection } from '../analysis/detection';
import type { Config } from '../config';
import type { FileFacts } from '../rules/fileFacts';
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
  /** bandsPerRow keys per row; 0 for rows without a sketch. */
  bands: Uint32Array;
  bandsPerRow: number;
  /**
   * The per-row pass's band tables (one per shard, rows numbered in the file), when the analysis was
   * asked to keep them (AnalyzeOptions.keepBandTables): a split's grouping searches them as they are
   * instead of building them again from `bands`. A check does not keep them: it holds many indexes at once.
   */
  bandTables?: BandTable[];
}

/** The settings band keys depend on, as one comparable string. */
export function sketchSettings(config: Config): string {
  const { bands, rows } = bandLayout(config.nearDuplicateThreshold);
  return `${bands}x${rows}/k${config.nearDuplicateShingleSize}/${config.nearDuplicateText}`;
}

/** The row index of an analyzed file, from the facts of its per-row pass. */
export function buildRowIndex(facts: FileFacts, detection: Detection, container: ContainerKind, config: Config, keepBandTables = false): RowIndex {
  const index: RowIndex = {
    container,
    detection: { format: detection.format, fields: { ...detection.fields } },
    sketch: sketchSettings(config),
    lines: Int32Array.from(facts.line),
    hashes: Float64Array.from(facts.hash),
    bands: bandsByRow(facts.bandTables, facts.bandsPerRow, facts.count),
    bandsPerRow: facts.bandsPerRow,
  };
  if (keepBandTables) index.bandTables = facts.bandTables;
  return index;
}
