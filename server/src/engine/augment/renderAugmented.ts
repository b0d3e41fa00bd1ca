import type { AppliedAugmentOptions, AugmentedRow, AugmentResult } from './types';
import { containerText, containerTextPieces, csvColumns, outputName, type DatasetSource, type OutputFile, type OutputPieces } from '../read/datasetSource';
import { csvFieldSpans, literalFieldSpans } from '../read/csv';
import { locateInJsonRow } from '../read/jsonl';
import type { JsonPath } from '../read/jsonScan';
import type { SourceRow } from '../read';

/**
 * Writes an augmentation in the source's own container. A new row is its source row's exact text
 * with only the augmented values replaced in place (key order, spacing and the other fields' escapes
 * stay as they were) plus the provenance field.
 */

export interface RenderAugmentedOptions {
  /** Write the source rows too (default true); false writes only the new rows. */
  includeOriginals?: boolean;
  /** Write new rows that equal a held-out row (default false: they would leak into val/test). */
  keepLeaks?: boolean;
}

/** The default output name: "reviews.jsonl" → "reviews.augmented.jsonl". */
export function augmentedFileName(sourceName: string): string {
  return outputName(sourceName, 'augmented');
}

/** What writing an augmentation needs besides its new rows: the source rows kept, and the provenance field. */
export interface AugmentedFileRows {
  kept: readonly number[];
  options: Pick<AppliedAugmentOptions, 'provenanceField'>;
}

/** The augmented file: the kept source rows in file order, then the new rows by source row and copy. */
export function renderAugmented(result: AugmentResult, source: DatasetSource, options: RenderAugmentedOptions = {}): OutputFile {
  const { header, rows } = augmentedRowTexts(result, result.rows, source, options);
  return { name: augmentedFileName(source.name), text: containerText(source, [...rows], header) };
}

/**
 * The same file as renderAugmented, made piece by piece as it is written, from new rows made as
 * they are asked for (Augmentation.newRows): neither the file nor the new rows are ever held whole.
 */
export function renderAugmentedPieces(augmentation: AugmentedFileRows, newRows: Iterable<AugmentedRow>, source: DatasetSource, options: RenderAugmentedOptions = {}): OutputPieces {
  const { header, rows } = augmentedRowTexts(augmentation, newRows, source, options);
  return { name: augmentedFileName(source.name), pieces: containerTextPieces(source, rows, header) };
}

/** The augmented file's row texts in order (made as they are read) and, for a CSV, its header. */
function augmentedRowTexts(augmentation: AugmentedFileRows, newRows: Iterable<AugmentedRow>, source: DatasetSource, options: RenderAugmentedOptions): { header?: string; rows: Iterable<string> } {
  const field = augmentation.options.provenanceField;
  const originals = options.includeOriginals === false ? [] : augmentation.kept;
  const written = (r: AugmentedRow) => options.keepLeaks || !r.leak;
  if (source.container !== 'csv') {
    const made = (r: AugmentedRow) => {
      const text = replaceJsonValues(source.rowText(r.sourceIndex), r);
      return field === null ? text : setJsonMember(text, field, String(r.sourceLine));
    };
    return { header: source.header, rows: rowTexts(originals, (i) => source.rowText(i), newRows, written, made) };
  }
  const delimiter = source.delimiter ?? ',';
  const columns = source.columns ?? csvColumns(source.header ?? '', delimiter);
  // Provenance in a CSV is a column: added at the end (empty on source rows) unless it exists already.
  // A file without a header row gets none: an unnamed extra column would read as spilled text.
  const addColumn = field !== null && source.header !== undefined && !columns.includes(field);
  const made = (r: AugmentedRow) => {
    let text = source.rowText(r.sourceIndex);
    const cells = r.parts.map((p) => ({ column: columns.indexOf(String(p.path[0])), value: p.text }));
    if (field !== null && columns.includes(field)) cells.push({ column: columns.indexOf(field), value: String(r.sourceLine) });
    text = source.quoting === false ? replaceLiteralCells(text, delimiter, cells, r.sourceLine) : replaceCsvCells(text, delimiter, cells);
    return addColumn ? text + delimiter + r.sourceLine : text;
  };
  const header = addColumn ? (source.header ?? '') + delimiter + csvCell(field, delimiter) : source.header;
  const original = addColumn ? (i: number) => source.rowText(i) + delimiter : (i: number) => source.rowText(i);
  return { header, rows: rowTexts(originals, original, newRows, written, made) };
}

/** The kept source rows' texts, then the written new rows' texts, each made when it is asked for. */
function* rowTexts(
  originals: readonly number[], original: (i: number) => string, newRows: Iterable<AugmentedRow>, written: (r: AugmentedRow) => boolean, made: (r: AugmentedRow) => string,
): Generator<string> {
  for (const i of originals) yield original(i);
  for (const r of newRows) if (written(r)) yield made(r);
}

/** The row text with each augmented string value replaced, last first so earlier offsets hold. */
function replaceJsonValues(text: string, row: AugmentedRow): string {
  const spans = row.parts.map((p) => ({ span: locate(text, p.path), value: JSON.stringify(p.text) })).sort((a, b) => b.span.start - a.span.start);
  for (const { span, value } of spans) text = text.slice(0, span.start) + value + text.slice(span.end);
  return text;
}

function locate(text: string, path: JsonPath): { start: number; end: number } {
  const span = locateInJsonRow({ text } as SourceRow, path);
  if (!span) throw new Error(`augment: cannot find ${path.join('.')} in the row text`);
  return span;
}

/** Sets a top-level member's value (raw JSON) in an object's text, adding it in the object's own style. */
export function setJsonMember(text: string, key: string, rawValue: string): string {
  const existing = locateInJsonRow({ text } as SourceRow, [key]);
  if (existing) return text.slice(0, existing.start) + rawValue + text.slice(existing.end);
  const close = text.lastIndexOf('}');
  let last = close - 1;
  while (last >= 0 && /\s/.test(text[last])) last--;
  const colon = /"(?:[^"\\]|\\.)*"(\s*):(\s*)/.exec(text);
  const member = `${JSON.stringify(key)}${colon ? colon[1] : ''}:${colon ? colon[2] : ' '}${rawValue}`;
  if (text[last] === '{') return text.slice(0, last + 1) + member + text.slice(last + 1);
  // A pretty-printed object gets the new member on a line of its own, indented like the last one.
  if (text.slice(last + 1, close).includes('\n')) {
    const lineStart = text.lastIndexOf('\n', last) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    return `${text.slice(0, last + 1)},\n${indent}${member}${text.slice(last + 1)}`;
  }
  const separator = /,\s/.test(text) ? ', ' : ',';
  return text.slice(0, last + 1) + separator + member + text.slice(last + 1);
}

/** The record text with some cells' values replaced, quoting as CSV needs. */
function replaceCsvCells(text: string, delimiter: string, cells: { column: number; value: string }[]): string {
  const spans = csvFieldSpans(text, delimiter);
  const edits = cells
    .filter((c) => c.column >= 0 && spans[c.column])
    .map((c) => {
      const span = spans[c.column];
      const quoted = span.start > 0 && text[span.start - 1] === '"';
      return { span, value: quoted ? c.value.replace(/"/g, '""') : csvCell(c.value, delimiter) };
    })
    .sort((a, b) => b.span.start - a.span.start);
  for (const { span, value } of edits) text = text.slice(0, span.start) + value + text.slice(span.end);
  return text;
}

/**
 * The record text of a file read without quoting (a TSV whose quotes are text) with some cells
 * replaced as they are: quoting them would add quotes the reader keeps. A value such a cell cannot
 * hold (a delimiter or a line break) is refused: no operation makes one from a value read this way.
 */
function replaceLiteralCells(text: string, delimiter: string, cells: { column: number; value: string }[], line: number): string {
  const spans = literalFieldSpans(text, delimiter);
  const edits = cells.filter((c) => c.column >= 0 && spans[c.column]).sort((a, b) => spans[b.column].start - spans[a.column].start);
  for (const { column, value } of edits) {
    if (value.includes(delimiter) || /[\r\n]/.test(value)) throw new Error(`augment: the new value for line ${line} holds a delimiter or a line break, which this file's cells cannot hold`);
    text = text.slice(0, spans[column].start) + value + text.slice(spans[column].end);
  }
  return text;
}

/** A value as a CSV cell: quoted when it holds a quote, the delimiter, a line break or edge spaces. */
function csvCell(value: string, delimiter: string): string {
  const needs = value.includes('"') || value.includes(delimiter) || /[\r\n]/.test(value) || /^\s|\s$/.test(value);
  return needs ? `"${value.replace(/"/g, '""')}"` : value;
}
