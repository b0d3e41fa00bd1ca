import { decodeText } from './decode';
import {
  decideTsvQuoting, knownValueColumns, looksLikeHeader, numberedColumns, parseLiteral, parseQuoted, swallowedRecordLines,
  type CsvRecord, type QuotedParse, type QuotingDecision,
} from './csvLayout';
import type { CsvFraming, DatasetReader, FieldSpan, RowNote, SourceRow } from './row';
import { redactSecrets } from '../rules/secrets';

const CANDIDATES = [',', '\t', ';', '|'];

/** Picks the delimiter that splits the header line into the most fields (quotes respected). */
export function sniffDelimiter(text: string, preferTab: boolean): string {
  const nl = text.indexOf('\n');
  const header = nl < 0 ? text : text.slice(0, nl);
  let best = preferTab ? '\t' : ',';
  let bestCount = 0;
  for (const d of CANDIDATES) {
    const count = csvFieldSpans(header, d).length - 1;
    if (count > bestCount || (count === bestCount && count > 0 && d === (preferTab ? '\t' : ','))) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** How a CSV/TSV file is read: settings may say whether it has a header and name its columns. */
export interface CsvReadOptions {
  tsv?: boolean;
  /** 'auto' (default): the first record is a header unless it looks like the data below it. */
  hasHeader?: boolean | 'auto';
  /** Names for the columns, instead of the header's (or col1…colN when there is none). */
  columns?: string[];
}

/**
 * Reads CSV/TSV: csv-parse for quoted CSV, a literal line reader for TSV whose quotes are not
 * quoting; the first record is a header unless it looks like data (or settings say otherwise).
 */
export function csvReader(bytes: Uint8Array, options: CsvReadOptions = {}): DatasetReader {
  const decoded = decodeText(bytes);
  // csv-parse miscounts lines on CRLF input; lines are kept intact when only the \r is dropped.
  const text = decoded.text.replace(/\r\n/g, '\n');
  const delimiter = sniffDelimiter(text, !!options.tsv);
  let cached: SourceRow[] = [];
  let parsed = false;
  let spans = (record: string) => csvFieldSpans(record, delimiter);
  const reader: DatasetReader = {
    container: 'csv',
    invalidUtf8: decoded.invalid,
    // The whole text is parsed at once; the rows are kept so a second pass is free.
    rows() {
      if (!parsed) {
        const read = readRecords(text, delimiter, options);
        // (Not push(...rows): spreading 200,000 rows overflowed the stack.)
        cached = read.rows;
        reader.columns = read.columns;
        reader.csv = read.framing;
        if (read.notes.length) reader.notes = read.notes;
        if (!read.framing.quoting) spans = (record) => literalFieldSpans(record, delimiter);
        parsed = true;
      }
      return cached;
    },
    row: (index) => cached[index],
    locate(row, path) {
      const col = reader.columns?.indexOf(String(path[0])) ?? -1;
      if (col < 0 || path.length !== 1) return undefined;
      return spans(row.text)[col];
    },
  };
  return reader;
}

interface ReadRecords {
  rows: SourceRow[];
  columns?: string[];
  framing: CsvFraming;
  notes: NonNullable<DatasetReader['notes']>;
}

/**
 * How a CSV/TSV file's records become rows, decided once from the file's first records (csvLayout):
 * plain data, so a worker thread reading a range of the file (csvRange.ts) reads its rows exactly as
 * the whole file's reader does.
 */
export interface CsvLayout {
  delimiter: string;
  /** False for a TSV read literally (quotes are text). */
  quoting: boolean;
  hasHeader: boolean;
  columns: string[];
  /** Whether the columns were named by settings (a field-count message says so). */
  columnsGiven: boolean;
  /** Columns of few known values (labels), as [column, values]: what csv-suspect-multiline compares swallowed lines with. */
  known: [number, string[]][];
  /** The header record's text, for a file that has one. */
  header?: string;
  notes: NonNullable<DatasetReader['notes']>;
}

/** The first records (after the header) looked at to decide a header and the columns of known values. */
export const LAYOUT_SAMPLE = 1000;

/**
 * The layout of a file from its records, of which only the first ones count: the header decision
 * looks at the first 50 records after it, the known values at the first LAYOUT_SAMPLE whole
 * single-line records. So a reader of the file's first megabytes decides as a reader of all of it.
 */
export function csvLayout(records: CsvRecord[], delimiter: string, quoting: boolean, options: CsvReadOptions, quotesAsText = false): CsvLayout | undefined {
  const first = records[0];
  if (!first) return undefined;
  const hasHeader = typeof options.hasHeader === 'boolean' ? options.hasHeader : looksLikeHeader(first.fields, records.slice(1, 51).map((r) => r.fields));
  const columns = options.columns ?? (hasHeader ? first.fields.map((c) => c.trim()) : numberedColumns(first.fields.length));
  const notes: CsvLayout['notes'] = [];
  if (!hasHeader && !options.columns) {
    const why = options.hasHeader === false ? 'read without a header row, as set' : 'the first row looks like data, not a header';
    notes.push({ kind: 'no-header', brief: `no header row (${columns.join(', ')})`, message: `${why}: columns named ${columns.join(', ')}; pass --columns a,b,… (or set "columns") to name them${options.hasHeader === false ? '' : ', or --header if the first row is one'}` });
  }
  if (quotesAsText) notes.push({ kind: 'quotes-as-text', brief: 'quotes as text', message: 'quotes at the start of fields were read as text: TSV has no quoting, and every line already has the header\'s field count' });
  const known = quoting ? knownValueColumns(hasHeader ? records.slice(1) : records, columns.length, LAYOUT_SAMPLE) : new Map<number, Set<string>>();
  return {
    delimiter, quoting, hasHeader, columns, columnsGiven: !!options.columns, known: [...known].map(([c, values]) => [c, [...values]]),
    header: hasHeader ? first.text : undefined, notes,
  };
}

/** Makes rows of a file's records by its layout (the header record is the caller's to skip). */
export class CsvRows {
  private readonly known: Map<number, Set<string>>;
  private readonly splitLine: (line: string) => string[];

  constructor(readonly layout: CsvLayout) {
    this.known = new Map(layout.known.map(([c, values]) => [c, new Set(values)]));
    this.splitLine = (line) => fieldsOf(line, csvFieldSpans(line, layout.delimiter));
  }

  /** The field spans of a row's text, as the layout reads it. */
  spans(text: string): FieldSpan[] {
    return this.layout.quoting ? csvFieldSpans(text, this.layout.delimiter) : literalFieldSpans(text, this.layout.delimiter);
  }

  row(record: CsvRecord, index: number, ambiguous?: QuotingDecision['ambiguous']): SourceRow {
    const { columns, quoting, delimiter } = this.layout;
    const width = columns.length;
    const rowNotes: RowNote[] = [];
    if (ambiguous && record.line === ambiguous.line) rowNotes.push(tsvQuoteNote(record, ambiguous));
    const swallowed = quoting ? swallowedRecordLines(record, width, this.known, this.splitLine) : [];
    if (swallowed.length) rowNotes.push(suspectMultilineNote(record, swallowed));
    if (record.fields.length !== width) {
      const nl = record.text.indexOf('\n');
      return {
        index, line: record.line, column: 1, text: record.text, value: undefined, notes: rowNotes.length ? rowNotes : undefined,
        problem: {
          rule: 'csv-field-count',
          message: `Record has ${record.fields.length} field${record.fields.length === 1 ? '' : 's'}; ${this.layout.columnsGiven ? 'the columns named are' : this.layout.hasHeader ? 'the header has' : 'the first record has'} ${width}`,
          start: 0, end: nl < 0 ? record.text.length : nl,
        },
      };
    }
    const value: Record<string, string> = {};
    columns.forEach((c, k) => {
      if (c !== '') value[c] = record.fields[k];
    });
    const spill = spilledFields(record, columns, delimiter, quoting);
    if (spill) rowNotes.push(spill);
    return { index, line: record.line, column: 1, text: record.text, value, notes: rowNotes.length ? rowNotes : undefined };
  }
}

function readRecords(text: string, delimiter: string, options: CsvReadOptions): ReadRecords {
  const { records, quoting, error, ambiguous, quotesAsText } = chooseReading(text, delimiter);
  const rows: SourceRow[] = [];
  const layout = csvLayout(records, delimiter, quoting, options, quotesAsText);
  if (!layout) return { rows, framing: { delimiter, quoting }, notes: [] };
  const make = new CsvRows(layout);
  for (let k = layout.hasHeader ? 1 : 0; k < records.length; k++) rows.push(make.row(records[k], rows.length, ambiguous));
  if (error) rows.push(unclosedQuoteRow(text, records, error, rows.length));
  return { rows, columns: layout.columns, framing: { delimiter, quoting, header: layout.header }, notes: layout.notes };
}

/** The records of the file as the user would count them: quoted CSV, or TSV read literally unless its quotes clearly quote. */
function chooseReading(
  text: string, delimiter: string,
): { records: CsvRecord[]; quoting: boolean; error?: QuotedParse['error']; ambiguous?: QuotingDecision['ambiguous']; quotesAsText?: boolean } {
  if (delimiter !== '\t') {
    const quoted = parseQuoted(text, delimiter);
    return { records: quoted.records, quoting: true, error: quoted.error };
  }
  const literal = parseLiteral(text, delimiter);
  // Without a field that starts with a quote, both readings are the same: csv-parse is not needed.
  if (!literal.some((r) => r.fields.some((f) => f.startsWith('"')))) return { records: literal, quoting: false };
  const quoted = parseQuoted(text, delimiter);
  const decision = decideTsvQuoting(literal, quoted);
  if (decision.quoting) return { records: quoted.records, quoting: true, error: quoted.error };
  return { records: literal, quoting: false, ambiguous: decision.ambiguous, quotesAsText: !decision.ambiguous };
}

function tsvQuoteNote(record: CsvRecord, a: NonNullable<QuotingDecision['ambiguous']>): RowNote {
  const quote = Math.max(0, record.text.indexOf('"'));
  return {
    rule: 'tsv-quote',
    message:
      `A field here starts with a quote, and the file reads two ways: literally (TSV has no quoting) ${rowCount(a.literalRows)}, ` +
      `${a.literalBad} with the wrong field count; with CSV quoting ${rowCount(a.quotedRows)}, ${a.quotedBad} wrong. Read literally`,
    start: quote, end: quote + 1,
  };
}

const rowCount = (n: number) => `${n} row${n === 1 ? '' : 's'}`;

function suspectMultilineNote(record: CsvRecord, swallowed: number[]): RowNote {
  const lines = record.text.split('\n');
  const quote = Math.max(0, lines[0].indexOf('"'));
  const example = lines[1].length > 60 ? `${lines[1].slice(0, 60)}…` : lines[1];
  return {
    rule: 'csv-suspect-multiline',
    message:
      `A quoted field opened on line ${record.line} runs over ${swallowed.length} more line${swallowed.length === 1 ? '' : 's'} that each look like a whole record ` +
      `(line ${swallowed[0]}: "${example}"): read as 1 row, it may be ${swallowed.length + 1}. Is a closing quote missing?`,
    start: quote, end: lines[0].length,
  };
}

/**
 * Values in columns without a header name (a header like `v1,v2,,,` whose rows' text ran on at an
 * unquoted comma): reported with the text that would be lost, and a fix that joins them back into
 * the named column they spilled from.
 */
function spilledFields(record: CsvRecord, columns: string[], delimiter: string, quoting: boolean): RowNote | undefined {
  let last = -1;
  for (let k = columns.length - 1; k >= 0 && last < 0; k--) if (columns[k] === '' && record.fields[k] !== '') last = k;
  if (last < 0) return undefined;
  let from = last;
  while (from >= 0 && columns[from] === '') from--;
  const spans = quoting ? csvFieldSpans(record.text, delimiter) : literalFieldSpans(record.text, delimiter);
  const pieces = record.fields.slice(from + 1, last + 1);
  if (from < 0) {
    return { rule: 'csv-extra-fields', message: `Values in columns without a header name are not read: "${preview(pieces.join(delimiter))}"`, start: spans[0].start, end: spans[last].end };
  }
  const joined = record.fields.slice(from, last + 1).join(delimiter);
  const name = columns[from];
  const note: RowNote = {
    rule: 'csv-extra-fields',
    message: `"${name}" runs on into ${pieces.length} column${pieces.length === 1 ? '' : 's'} without a header name: "${preview(pieces.join(delimiter))}" is not part of "${name}" as read`,
    start: spans[from].start, end: spans[last].end,
    data: { field: name, joined: redactSecrets(joined) },
  };
  if (quoting) {
    const raw = rawFields(record.text, delimiter);
    raw[from] = quoteField(joined, delimiter);
    for (let k = from + 1; k <= last; k++) raw[k] = '';
    note.replacement = { title: `Join the spilled text back into "${name}"`, text: raw.join(delimiter) };
  }
  return note;
}

/** The start of a text quoted in a message, any credential in it redacted (messages reach CI logs and SARIF). */
function preview(s: string): string {
  const shown = redactSecrets(s);
  return shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
}

function unclosedQuoteRow(text: string, records: CsvRecord[], error: NonNullable<QuotedParse['error']>, index: number): SourceRow {
  // The quote opened on the first non-blank line after the last complete record.
  const lines = text.split('\n');
  const lastRecord = records[records.length - 1];
  let line = lastRecord ? lastRecord.line + lastRecord.lines : 1;
  while (line <= lines.length && lines[line - 1].trim() === '') line++;
  const body = lines.slice(line - 1).join('\n').replace(/\n+$/, '');
  const first = lines[line - 1] ?? '';
  const isQuote = error.code === 'CSV_QUOTE_NOT_CLOSED';
  return {
    index, line, column: 1, text: body, value: undefined,
    problem: {
      rule: isQuote ? 'csv-unclosed-quote' : 'csv-field-count',
      message: isQuote
        ? `A quoted field opened here is never closed; the rest of the file (${lines.length - line} more line${lines.length - line === 1 ? '' : 's'}) cannot be read as rows`
        : `CSV could not be parsed from here: ${error.message}`,
      start: Math.max(0, first.indexOf('"')),
      end: first.length,
    },
  };
}

function fieldsOf(record: string, spans: FieldSpan[]): string[] {
  return spans.map((s) => record.slice(s.start, s.end).replace(/""/g, '"'));
}

/** Spans of each field of a record read literally (a TSV without quoting): split at every delimiter. */
export function literalFieldSpans(record: string, delimiter: string): FieldSpan[] {
  const spans: FieldSpan[] = [];
  let start = 0;
  for (;;) {
    const at = record.indexOf(delimiter, start);
    const end = at < 0 ? record.length : at;
    const from = start;
    spans.push({ start: from, end, rawIndex: (d) => from + d });
    if (at < 0) return spans;
    start = at + delimiter.length;
  }
}

/** A record's fields as written (quotes included), split at the delimiters outside quotes. */
function rawFields(record: string, delimiter: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let from = 0;
  for (let i = 0; i < record.length; i++) {
    const c = record[i];
    if (c === '"') quoted = !quoted;
    else if (c === delimiter && !quoted) {
      out.push(record.slice(from, i));
      from = i + 1;
    }
  }
  out.push(record.slice(from));
  return out;
}

/** A value as a CSV field: quoted when it holds a quote, the delimiter, a line break or edge spaces. */
export function quoteField(value: string, delimiter: string): string {
  const needs = value.includes('"') || value.includes(delimiter) || /[\r\n]/.test(value) || /^\s|\s$/.test(value);
  return needs ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Spans of each field's content in one CSV record (inside the quotes for quoted fields). Quotes and
 * delimiters are found with indexOf: a finding's field in a 50 KB record was found a character at a
 * time, and the 1M-row CSV's check spent a second there.
 */
export function csvFieldSpans(record: string, delimiter: string): FieldSpan[] {
  const spans: FieldSpan[] = [];
  let i = 0;
  const n = record.length;
  for (;;) {
    if (record.charCodeAt(i) === 34) {
      const start = i + 1;
      let j = start;
      for (;;) {
        const q = record.indexOf('"', j);
        if (q < 0) {
          j = n;
          break;
        }
        // A doubled quote is a quote of the text; a single one closes the field.
        if (record.charCodeAt(q + 1) === 34) j = q + 2;
        else {
          j = q;
          break;
        }
      }
      spans.push(quotedSpan(record, start, j));
      i = j + 1;
      if (i < n) {
        const d = record.indexOf(delimiter, i);
        i = d < 0 ? n : d;
      }
    } else {
      const start = i;
      const d = record.indexOf(delimiter, i);
      i = d < 0 ? n : d;
      const end = i;
      spans.push({ start, end, rawIndex: (k) => start + k });
    }
    if (i >= n) break;
    i++; // skip the delimiter
  }
  return spans;
}

function quotedSpan(record: string, start: number, end: number): FieldSpan {
  return {
    start,
    end,
    rawIndex(d) {
      let i = start;
      for (let k = 0; k < d && i < end; k++) i += record[i] === '"' && record[i + 1] === '"' ? 2 : 1;
      return i;
    },
  };
}
