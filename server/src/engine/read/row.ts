import type { ContainerKind, Range } from '../types';
import type { InvalidUtf8 } from './decode';
import type { JsonPath, ValueSpan } from './jsonScan';

/** A structure problem found while reading a row; offsets are into the row's text. */
export interface RowProblem {
  rule: 'invalid-json' | 'not-an-object' | 'too-deep' | 'csv-field-count' | 'csv-unclosed-quote';
  message: string;
  start?: number;
  end?: number;
}

/**
 * Something the reader noticed about a row it could read: the row still takes part in every rule,
 * but how it was read deserves a word (text spilled into unnamed columns, a quote that may swallow
 * records). Offsets are into the row's text.
 */
export interface RowNote {
  rule: 'csv-extra-fields' | 'csv-suspect-multiline' | 'tsv-quote';
  message: string;
  start: number;
  end: number;
  data?: Record<string, unknown>;
  /** A fix that rewrites the whole row's text. */
  replacement?: { title: string; text: string };
}

/** The layout a CSV reader settled on, for writers that must write the same kind of file. */
export interface CsvFraming {
  delimiter: string;
  /** False for a TSV read literally (quotes are text). */
  quoting: boolean;
  /** The header record's text, or undefined for a file without one. */
  header?: string;
}

/** One row as read from the file, before any format is applied. */
export interface SourceRow {
  /** 0-based position among the file's rows. */
  index: number;
  /** 1-based line (and column) where the row's text starts. */
  line: number;
  column: number;
  /** The row's exact source text (a JSONL line, a CSV record, a JSON array element). */
  text: string;
  /** The parsed value: an object for good rows; undefined when the row could not be parsed. */
  value: unknown;
  problem?: RowProblem;
  notes?: RowNote[];
}

/** Where a field's value sits in a row's text, and how decoded string offsets map onto it. */
export interface FieldSpan extends ValueSpan {
  /** Maps an index into the decoded value to an offset into the row's text. */
  rawIndex(decodedIndex: number): number;
}

/** What every container reader offers the rest of the engine. */
export interface DatasetReader {
  container: ContainerKind;
  /** The CSV columns' names (the header's, given ones, or col1…colN), once rows() has been consumed. */
  columns?: string[];
  /** CSV only, once rows() has been consumed: the delimiter, quoting and header text it settled on. */
  csv?: CsvFraming;
  /** Sentences on how the file was read (no header row, quotes read as text), once rows() has been consumed. */
  notes?: { kind: 'no-header' | 'quotes-as-text'; message: string; brief: string }[];
  rows(): Iterable<SourceRow>;
  /** The row at an index, once rows() has been consumed (for findings raised after the pass). */
  row(index: number): SourceRow | undefined;
  /** Set once rows() has been consumed. */
  invalidUtf8?: InvalidUtf8;
  /** Byte offsets of each row (JSONL only), for sharded analysis. */
  offsets?(): { starts: Float64Array; ends: Float64Array };
  /** The span of the value at `path` in a row, or undefined when it cannot be found. */
  locate(row: SourceRow, path: JsonPath): FieldSpan | undefined;
}

/** Converts offsets into a row's text to a file range (rows may span lines). */
export function rangeInRow(row: SourceRow, start: number, end: number): Range {
  const a = positionInRow(row, start);
  const b = positionInRow(row, end);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

function positionInRow(row: SourceRow, offset: number): { line: number; column: number } {
  const text = row.text;
  let line = row.line;
  let lastNl = -1;
  let nl = text.indexOf('\n');
  while (nl >= 0 && nl < offset) {
    line++;
    lastNl = nl;
    nl = text.indexOf('\n', nl + 1);
  }
  return { line, column: lastNl < 0 ? row.column + offset : offset - lastNl };
}
