import { translator, type Translator } from '../host/l10n';
import type { DatasetAnalysis } from '../engine';

/**
 * The options every command takes on how a CSV/TSV file is read (whether its first record is a
 * header, what its columns are called), and what the commands print of how a file was read.
 */
export const READING_OPTIONS = {
  header: { type: 'boolean' },
  'no-header': { type: 'boolean' },
  columns: { type: 'string' },
} as const;

export const READING_USAGE = `  --header, --no-header      CSV/TSV: the first record is (is not) a header (default: detected)
  --columns a,b,c            CSV/TSV: names for the columns (files without a header get col1…colN)
`;

/** The settings the reading options stand for (undefined when not given, so tuneset.json's apply). */
export function readingOverrides(values: { header?: boolean; 'no-header'?: boolean; columns?: string }): { hasHeader?: boolean; columns?: string[] } {
  const hasHeader = values['no-header'] ? false : values.header ? true : undefined;
  const columns = values.columns === undefined ? undefined : values.columns.split(',').map((c) => c.trim());
  return { hasHeader, columns };
}

/** "tuneset: FILE: note" lines for each way a file was read that a person should confirm. */
export function readingNoteLines(results: DatasetAnalysis[], tr: Translator = translator('en')): string[] {
  return results.flatMap((r) => (r.notes ?? []).map((n) => `tuneset: ${r.path}: ${tr.message(n.message)}`));
}
