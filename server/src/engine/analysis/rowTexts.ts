import type { DatasetAnalysis } from './analyze';
import type { Detection } from './detection';
import { containerOfPath, openReader, type CsvHeaderOptions } from '../read';
import type { ByteSource } from '../read/source';
import type { ContainerKind } from '../types';
import { extractRow } from '../schema/extract';
import { recordedRowHashes } from '../report/stats';
import { normalizedHash } from '../text/normalize';

/**
 * Row texts read again from a file's bytes, for what the per-row pass does not keep (diversity needs
 * words; the split comparison needs the duplicate hashes of files analyzed elsewhere).
 */

/** One row's texts as the rules saw them. */
export interface RowText {
  line: number;
  /** The text whose normalised form decides duplicates (several fields joined for multi-field formats). */
  key: string;
  /** Every text of the row joined by newlines: what a model would read. */
  text: string;
}

/**
 * The texts of every row that parsed, in file order; rows with structure errors are skipped. A file
 * whose name says no container is read as its analysis read it (`detection` is usually the analysis).
 * A JSON Lines file given as a source is read in pieces (see openReader).
 */
export function* readRowTexts(path: string, input: Uint8Array | ByteSource, detection: Detection & { container?: ContainerKind }, csv: CsvHeaderOptions = {}): Generator<RowText> {
  for (const row of openReader(path, input, containerOfPath(path) ?? detection.container, csv).rows()) {
    if (row.problem || row.value === undefined) continue;
    const content = extractRow(row.value as Record<string, unknown>, detection.format, detection.fields);
    yield { line: row.line, key: content.key, text: content.parts.map((p) => p.text).join('\n') };
  }
}

/**
 * The set of normalised row hashes of a dataset (the same hashes exact-duplicate uses). They come from
 * the analysis when it was made in this thread; an analysis that was copied (from a worker, or JSON)
 * needs the file's bytes to read them again.
 */
export function datasetRowHashes(analysis: DatasetAnalysis, bytes?: Uint8Array): Set<number> {
  const out = new Set<number>();
  const known = recordedRowHashes(analysis.stats);
  if (known) {
    for (let i = 0; i < known.length; i++) if (!Number.isNaN(known[i])) out.add(known[i]);
    return out;
  }
  if (!bytes) throw new Error(`${analysis.path}: the analysis holds no row hashes here; pass the file's bytes`);
  for (const row of readRowTexts(analysis.path, bytes, analysis)) {
    if (row.key.trim() !== '') out.add(normalizedHash(row.key));
  }
  return out;
}
