import type { AugmentedRow, AugmentResult } from '../augment';
import { containerText, csvColumns, outputName, type DatasetSource, type OutputFile } from '../datasetSource';
import { csvFieldSpans } from '../read/csv';
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

/** The augmented file: the kept source rows in file order, then the new rows by source row and copy. */
export function renderAugmented(result: AugmentResult, source: DatasetSource, options: RenderAugmentedOptions = {}): OutputFile {
  const name = augmentedFileName(source.name);
  const field = result.options.provenanceField;
  const rows = result.rows.filter((r) => options.keepLeaks || !r.leak);
  const originals = options.includeOriginals === false ? [] : result.kept.map((i) => source.rowText(i));
  if (source.container !== 'csv') {
    const made = rows.map((r) => {
      const text = replaceJsonValues(source.rowText(r.sourceIndex), r);
      return field === null ? text : setJsonMember(text, field, String(r.sourceLine));
    });
    return { name, text: containerText(source, originals.concat(made)) };
  }
  const delimiter = source.delimiter ?? ',';
  const columns = source.columns ?? csvColumns(source.header ?? '', delimiter);
  // Provenance in a CSV is a column: added at the end (empty on source rows) unless it exists already.
  // A file without a header row gets none: an unnamed extra column would read as spilled text.
  const addColumn = field !== null && source.header !== undefined && !columns.includes(field);
  const made = rows.map((r) => {
    let text = source.rowText(r.sourceIndex);
    const cells = r.parts.map((p) => ({ column: columns.indexOf(String(p.path[0])), value: p.text }));
    if (field !== null && columns.includes(field)) cells.push({ column: columns.indexOf(field), value: String(r.sourceLine) });
    text = replaceCsvCells(text, delimiter, cells);
    return addColumn ? text + delimiter + r.sourceLine : text;
  });
  const header = addColumn ? (source.header ?? '') + delimiter + csvCell(field, delimiter) : source.header;
  const kept = addColumn ? originals.map((t) => t + delimiter) : originals;
  return { name, text: containerText(source, kept.concat(made), header) };
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

/** A value as a CSV cell: quoted when it holds a quote, the delimiter, a line break or edge spaces. */
function csvCell(value: string, delimiter: string): string {
  const needs = value.includes('"') || value.includes(delimiter) || /[\r\n]/.test(value) || /^\s|\s$/.test(value);
  return needs ? `"${value.replace(/"/g, '""')}"` : value;
}
