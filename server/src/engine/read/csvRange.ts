import { csvLayout, CsvRows, LAYOUT_SAMPLE, sniffDelimiter, type CsvLayout, type CsvReadOptions } from './csv';
import { parseLiteral, parseQuoted, type CsvRecord } from './csvLayout';
import { bomLength, isAscii } from './decode';
import { encodingFromStart, isUtf16 } from './encoding';
import { RowOffsets } from './jsonl';
import { CHUNK_BYTES, cutRanges, isByteSource, readFully, SourceWindow, type ByteSource } from './source';
import type { DatasetReader, SourceRow } from './row';

/**
 * A CSV/TSV file read a range at a time, so that a big one can be checked on every core as JSON
 * Lines is. A range starts at a record's start (csvByteRanges cuts between records); its records
 * are read in pieces of 32 KB (more for a longer record), each ending at a line end, and a record still open at a
 * piece's end is read again with the next piece. The rows are those the whole file's reader
 * (csvReader) makes, by the same layout (csvLayout, decided from the file's first records).
 *
 * A range reader reads only what it can read as the whole file's reader would: text that is not
 * UTF-8, a lone carriage return, a quote left open at the range's end or a record csv-parse cannot
 * read make it stop with a `failure`, and the host then reads the file whole instead.
 */

/** Why a range could not be read as the whole file's reader reads it (the host then reads the file whole). */
export type CsvRangeFailure = 'not-utf-8' | 'lone-cr' | 'open-quote' | 'parse-error';

/**
 * Bytes of a piece read at a time (more while one record is longer). Small: a piece's text then lives
 * in V8's young generation and goes with the next scavenge, where a text of megabytes gets pages of
 * its own that only a full collection frees (pieces of 4 MB peaked at 1.45 GB on the 597 MB shapes
 * CSV, 32 KB pieces at 0.39 GB, and read it 7% quicker).
 */
const PIECE_BYTES = 32 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** One record with the bytes it was read from: [start, end) excludes its final line break. */
interface RangedRecord {
  record: CsvRecord;
  start: number;
  end: number;
}

/** The records of bytes [range.start, range.end) of a file, with absolute lines and byte offsets; `state.failure` says why it stopped early. */
function* rangeRecords(
  input: Uint8Array | ByteSource, range: { start: number; end: number; firstLine: number }, layout: Pick<CsvLayout, 'delimiter' | 'quoting'>,
  state: { failure?: CsvRangeFailure }, pieceBytes = PIECE_BYTES,
): Generator<RangedRecord> {
  const source = isByteSource(input) ? input : undefined;
  const bytesIn = source ? undefined : (input as Uint8Array);
  const end = Math.min(range.end, source ? source.size : bytesIn!.length);
  let buf = new Uint8Array(0);
  let pos = range.start;
  if (pos === 0) pos = bomLength(slice(0, 3));
  let line = range.firstLine;
  let size = pieceBytes;
  function slice(from: number, to: number): Uint8Array {
    if (bytesIn) return bytesIn.subarray(from, to);
    if (buf.length < to - from) buf = new Uint8Array(to - from);
    return buf.subarray(0, readFully(source!, buf.subarray(0, to - from), from));
  }
  while (pos < end) {
    let bytes = slice(pos, Math.min(end, pos + size));
    const last = pos + bytes.length >= end;
    if (!last) {
      const nl = bytes.lastIndexOf(10);
      if (nl < 0) {
        size *= 2;
        continue;
      }
      bytes = bytes.subarray(0, nl + 1);
    }
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      state.failure = 'not-utf-8';
      return;
    }
    text = text.replace(/\r\n/g, '\n');
    // csv-parse would take a lone \r for the line break it finds first: whole-file reading decides that.
    if (text.includes('\r')) {
      state.failure = 'lone-cr';
      return;
    }
    const parsed = layout.quoting ? parseQuoted(text, layout.delimiter) : { records: parseLiteral(text, layout.delimiter), error: undefined };
    const { records, error } = parsed;
    if (error) {
      // csv-parse finds a quote left open only at the end of its text: the record it opened runs on
      // into the next piece, unless this is the range's end (a piece after it would start wrong).
      if (error.code !== 'CSV_QUOTE_NOT_CLOSED' || last) {
        state.failure = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'open-quote' : 'parse-error';
        return;
      }
      if (records.length === 0) {
        size *= 2;
        continue;
      }
    }
    // Byte offsets by lines: the piece's lines are walked once, in step with its records.
    let at = 0;
    let atLine = 1;
    const lineStart = (target: number) => {
      while (atLine < target) {
        at = bytes.indexOf(10, at) + 1;
        atLine++;
      }
      return at;
    };
    // A piece with one character beyond Latin-1 decodes to a text of two bytes a character, and so
    // would every string cut from it: token counting, the profile and the rules' patterns ran ~40%
    // slower on them. Such a piece's records are decoded again one by one (each is one byte a
    // character when it can be) and their fields read from that text.
    const ascii = isAscii(bytes, 0, bytes.length);
    for (const record of records) {
      const start = lineStart(record.line);
      lineStart(record.line + record.lines - 1);
      let stop = bytes.indexOf(10, at);
      if (stop < 0) stop = bytes.length;
      const cut = stop > start && bytes[stop - 1] === 13 ? stop - 1 : stop;
      const absolute = record.line + line - 1;
      yield { record: ascii ? ownRecord(record, absolute) : recordOfBytes(bytes.subarray(start, cut), record, absolute, layout), start: pos + start, end: pos + cut };
    }
    if (error) {
      // The next piece starts on the line after the last whole record.
      const lastRecord = records[records.length - 1];
      const next = lastRecord.line + lastRecord.lines;
      pos += lineStart(next);
      line += next - 1;
    } else {
      // The walk goes on to the piece's end: its lines are the lines walked (blank ones after the last record too).
      for (let nl = bytes.indexOf(10, at); nl >= 0; nl = bytes.indexOf(10, at)) {
        at = nl + 1;
        atLine++;
      }
      pos += bytes.length;
      line += atLine - 1;
    }
    size = pieceBytes;
  }
}

/**
 * A record's strings copied off the piece's text: a slice of it would keep all of it alive for as long
 * as a finding quotes a word of it (0.43 against 0.39 GB on the 597 MB shapes CSV).
 */
function ownRecord(record: CsvRecord, line: number): CsvRecord {
  return { fields: record.fields.map(own), text: own(record.text), line, lines: record.lines };
}

/** A record read again from its own bytes (see rangeRecords), or copied when that reading differs. */
function recordOfBytes(bytes: Uint8Array, record: CsvRecord, line: number, layout: Pick<CsvLayout, 'delimiter' | 'quoting'>): CsvRecord {
  let text = utf8.decode(bytes);
  if (record.lines > 1 || text.includes('\r')) text = text.replace(/\r\n/g, '\n');
  const fields = layout.quoting ? parseQuoted(text, layout.delimiter).records[0]?.fields : text.split(layout.delimiter);
  if (text !== record.text || !fields || fields.length !== record.fields.length) return ownRecord(record, line);
  return { fields, text, line, lines: record.lines };
}

/**
 * A copy of a string that holds no reference to the text it was cut from: V8 makes a slice of 13
 * characters or more a view of its parent, which stays alive as long as the slice does. The copy is
 * made by flattening a concatenation, then slicing the flat copy.
 */
function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** A reader of one range of a CSV/TSV file and what a sharded analysis needs of it besides rows. */
export interface CsvRangeReader {
  reader: DatasetReader;
  /** Each row's bytes (its record's, line break excluded), once the rows were read. */
  offsets(): { starts: Float64Array; ends: Float64Array };
  /** Set when the rows stopped early: the range cannot be read as the whole file's reader reads it. */
  failure(): CsvRangeFailure | undefined;
}

/**
 * Reads the rows of a range of a CSV/TSV file by the file's layout: the range [start, end) starts at
 * a record's start (line `firstLine`); the first range of a file with a header skips it.
 */
export function csvRangeReader(
  input: Uint8Array | ByteSource, range: { start: number; end: number; firstLine: number }, layout: CsvLayout, expectedRows = 1024, pieceBytes = PIECE_BYTES,
): CsvRangeReader {
  const make = new CsvRows(layout);
  const offsets = new RowOffsets(expectedRows);
  const state: { failure?: CsvRangeFailure } = {};
  const window = isByteSource(input) ? new SourceWindow(input) : undefined;
  const reader: DatasetReader = {
    container: 'csv',
    columns: layout.columns,
    csv: { delimiter: layout.delimiter, quoting: layout.quoting, header: layout.header },
    ...(layout.notes.length ? { notes: layout.notes } : {}),
    *rows() {
      state.failure = undefined;
      offsets.count = 0;
      let skip = layout.hasHeader && range.start === 0;
      for (const { record, start, end } of rangeRecords(input, range, layout, state, pieceBytes)) {
        if (skip) {
          skip = false;
          continue;
        }
        const index = offsets.count;
        offsets.add(start, end, record.line);
        yield make.row(record, index);
      }
    },
    row(index) {
      if (index < 0 || index >= offsets.count) return undefined;
      const start = offsets.starts[index];
      const end = offsets.ends[index];
      return csvRowOfBytes(window ? window.slice(start, end) : (input as Uint8Array).subarray(start, end), index, offsets.lines[index], make);
    },
    locate(row, path) {
      const col = layout.columns.indexOf(String(path[0]));
      if (col < 0 || path.length !== 1) return undefined;
      return make.spans(row.text)[col];
    },
  };
  return {
    reader,
    offsets: () => ({ starts: offsets.starts.subarray(0, offsets.count), ends: offsets.ends.subarray(0, offsets.count) }),
    failure: () => state.failure,
  };
}

/** A row read again from its record's bytes (a range reader read them as UTF-8 without a lone \r). */
export function csvRowOfBytes(bytes: Uint8Array, index: number, line: number, make: CsvRows): SourceRow {
  const text = utf8.decode(bytes).replace(/\r\n/g, '\n');
  const { delimiter, quoting } = make.layout;
  const record = quoting ? parseQuoted(text, delimiter).records[0] : { fields: text.split(delimiter), text, line, lines: 1 };
  return make.row({ ...record, line }, index);
}

/** What a host needs to check a CSV/TSV file in ranges: the layout every range is read by. */
export interface CsvPlan {
  layout: CsvLayout;
}

/** Bytes of the file's start read to decide its layout (more, up to HEAD_MAX_BYTES, while they hold too few records). */
const HEAD_BYTES = CHUNK_BYTES / 2;
const HEAD_MAX_BYTES = 64 * CHUNK_BYTES;

/** Records the layout and the format detection look at (the header, 50 to judge it, 200 rows to detect the format). */
const DETECTION_RECORDS = 252;

/**
 * The layout of a big CSV/TSV file from its first megabytes, when its ranges can be read as its
 * whole reader reads it; otherwise why not (it is then read whole): UTF-16, a start that is not
 * UTF-8, a TSV whose fields start with quotes (whether they quote is decided over the whole file),
 * too few records in the first 64 MB for the layout's sample.
 */
export function planCsvRead(source: ByteSource, options: CsvReadOptions, headBytes = HEAD_BYTES): CsvPlan | { why: string } {
  for (let size = headBytes; ; size *= 2) {
    const head = new Uint8Array(Math.min(size, source.size));
    readFully(source, head, 0);
    if (isUtf16(encodingFromStart(head))) return { why: 'UTF-16' };
    const whole = head.length >= source.size;
    if (whole) return { why: 'small' };
    const nl = head.lastIndexOf(10);
    if (nl < 0) {
      if (size >= HEAD_MAX_BYTES) return { why: 'no line break in the first records' };
      continue;
    }
    let text: string;
    try {
      text = utf8.decode(head.subarray(bomLength(head), nl + 1)).replace(/\r\n/g, '\n');
    } catch {
      return { why: 'not UTF-8' };
    }
    const delimiter = sniffDelimiter(text, !!options.tsv);
    // A TSV read literally unless a field starts with a quote anywhere: then the whole file decides.
    const quoting = delimiter !== '\t';
    if (!quoting && fieldStartsWithQuote(source)) return { why: 'a TSV with quoted fields' };
    const parsed = quoting ? parseQuoted(text, delimiter) : { records: parseLiteral(text, delimiter), error: undefined };
    if (parsed.error && parsed.error.code !== 'CSV_QUOTE_NOT_CLOSED') return { why: 'a CSV error in the first records' };
    const layout = csvLayout(parsed.records, delimiter, quoting, options);
    if (layout && enoughRecords(parsed.records, layout)) return { layout };
    if (size >= HEAD_MAX_BYTES) return { why: `fewer than ${LAYOUT_SAMPLE.toLocaleString('en-US')} single-line records of ${layout?.columns.length ?? 'the header\'s'} fields in the first 64 MB` };
  }
}

/** Whether the first records hold all a layout and the format detection look at (see csvLayout). */
function enoughRecords(records: CsvRecord[], layout: CsvLayout): boolean {
  if (records.length < DETECTION_RECORDS) return false;
  const width = layout.columns.length;
  let whole = 0;
  for (let k = layout.hasHeader ? 1 : 0; k < records.length && whole < LAYOUT_SAMPLE; k++) if (records[k].lines === 1 && records[k].fields.length === width) whole++;
  return whole >= LAYOUT_SAMPLE;
}

/** True when some field of a TSV starts with a quote (at a line's start or after a tab): whether its quotes quote is then decided over the whole file. */
export function fieldStartsWithQuote(source: ByteSource): boolean {
  const buf = new Uint8Array(Math.max(1, Math.min(CHUNK_BYTES, source.size)));
  let before = 10;
  for (let pos = 0; pos < source.size; pos += buf.length) {
    const n = readFully(source, buf, pos);
    if (n === 0) break;
    const bytes = buf.subarray(0, n);
    const bom = pos === 0 ? bomLength(bytes) : 0;
    for (let q = bytes.indexOf(34, bom); q >= 0; q = bytes.indexOf(34, q + 1)) {
      const prev = q === bom ? (pos === 0 ? 10 : before) : bytes[q - 1];
      if (prev === 10 || prev === 9) return true;
    }
    before = bytes[n - 1];
  }
  return false;
}

/**
 * A CSV/TSV file cut into byte ranges between records, near `cuts` (guidedCuts, equalCuts): each cut
 * is at the first line break after it that is outside quotes (an even number of quotes before it, as
 * a CSV writer writes them). The quotes are counted from the file's start, up to the last cut. A quote inside an unquoted field would
 * miscount; a range reader then finds a quote open at its end and the file is read whole.
 */
export function csvByteRanges(source: ByteSource, cuts: readonly number[], quoting: boolean): { start: number; end: number }[] {
  const scan = new RecordBreaks(source, quoting);
  return cutRanges(source.size, cuts, (from) => scan.breakFrom(from));
}

/** Line breaks outside quotes, found going forward through a file read in chunks (quotes are counted from its start). */
class RecordBreaks {
  private readonly buf: Uint8Array;
  /** The chunk in buf: bytes [at, at + length) of the file. */
  private at = 0;
  private length = 0;
  /** Counted up to here: whether the quotes before it are odd. */
  private pos = 0;
  private odd = false;

  constructor(private readonly source: ByteSource, private readonly quoting: boolean) {
    this.buf = new Uint8Array(Math.max(1, Math.min(CHUNK_BYTES, source.size)));
  }

  /** The first line break at or after `from` with an even number of quotes before it, or -1. */
  breakFrom(from: number): number {
    let seekingFrom = from;
    while (this.pos < this.source.size) {
      if (this.pos >= this.at + this.length) {
        this.at = this.pos;
        this.length = readFully(this.source, this.buf, this.at);
        if (this.length === 0) break;
      }
      const bytes = this.buf.subarray(0, this.length);
      let i = this.pos - this.at;
      const toSeek = Math.max(0, seekingFrom - this.at);
      // Quotes up to where the seeking starts are only counted.
      if (i < toSeek) {
        const stop = Math.min(toSeek, bytes.length);
        if (this.quoting) for (let q = bytes.indexOf(34, i); q >= 0 && q < stop; q = bytes.indexOf(34, q + 1)) this.odd = !this.odd;
        i = stop;
        this.pos = this.at + i;
        if (i >= bytes.length) continue;
      }
      const nl = bytes.indexOf(10, i);
      const q = this.quoting ? bytes.indexOf(34, i) : -1;
      if (q >= 0 && (nl < 0 || q < nl)) {
        this.odd = !this.odd;
        this.pos = this.at + q + 1;
      } else if (nl >= 0) {
        this.pos = this.at + nl + 1;
        if (!this.odd) return this.at + nl;
        seekingFrom = this.pos;
      } else this.pos = this.at + bytes.length;
    }
    return -1;
  }
}
