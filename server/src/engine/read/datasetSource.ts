import { LineDecoder, decodeText } from './decode';
import { utf8Bytes, type LegacyEncoding } from './encoding';
import { csvFieldSpans, sniffDelimiter } from './csv';
import { CHUNK_BYTES, isByteSource, readFully, SourceWindow, type ByteSource } from './source';
import type { DatasetReader } from './';
import type { ContainerKind } from '../types';

/**
 * What split and augment need to write new files in the source's own container: each row's exact
 * text and the container's framing (CSV header, line breaks, JSON array indentation). Rows are
 * fetched by index so a million-row JSONL file is never held as a million strings twice; a JSONL
 * file on disk is not held at all (its rows are read again by their byte ranges).
 */
export interface DatasetSource {
  /** The source file's base name, e.g. "reviews.jsonl"; output names derive from it. */
  name: string;
  container: ContainerKind;
  /** The exact text of the row at a 0-based row index (SourceRow.index). */
  rowText(index: number): string;
  /**
   * JSONL only: the row's exact bytes, so big outputs are copied rather than decoded and re-encoded.
   * From a file read in pieces, the bytes are valid until the next call.
   */
  rowBytes?(index: number): Uint8Array;
  /**
   * JSONL only: the bytes of the rows `first` to `last` (consecutive indexes) as they stand in the
   * source, the line breaks between them included, when each of those is `eol` exactly (undefined
   * otherwise: a blank line between, another line break): a run of rows copied as one. Valid as
   * rowBytes' are.
   */
  runBytes?(first: number, last: number): Uint8Array | undefined;
  /** CSV only: the header record's text (undefined for a file without one), the columns' names, and the field delimiter. */
  header?: string;
  columns?: string[];
  delimiter?: string;
  /** CSV only: false when the reader read quotes as text (a TSV without quoting), so cells are written as they are. */
  quoting?: boolean;
  /** The line break written between rows: the source's own ("\n" or "\r\n"). */
  eol: string;
  /** JSON arrays only: what precedes each element on its line, or undefined for a one-line array. */
  indent?: string;
  /** The source's SHA-256 (hex), computed by the host: hashing is I/O-adjacent work the engine leaves out. */
  sha256?: string;
  /** The tool version recorded in manifests. */
  toolVersion?: string;
}

/** One file to write: its base name and full text. */
export interface OutputFile {
  name: string;
  text: string;
}

/** One file to write as bytes (what hosts write to disk: VS Code's fs API and Node both take bytes). */
export interface OutputBytes {
  name: string;
  bytes: Uint8Array;
}

/**
 * One file to write piece by piece, for files of any size: the host writes each piece before it asks
 * for the next (a piece may be a buffer the next one reuses). Nothing is made until it is asked for.
 */
export interface OutputPieces {
  name: string;
  pieces: Iterable<Uint8Array>;
}

/**
 * Characters of text joined before they are encoded into a piece: a string this short stays in V8's
 * young generation (a longer one gets pages of its own, freed only by a full collection, so the heap
 * grew by hundreds of megabytes while an augmentation of seven million rows was written).
 */
const JOINED_CHARS = 16 * 1024;

const EXTENSIONS = ['.jsonl', '.ndjson', '.csv', '.tsv', '.json'];

/** A dataset file's name without its dataset extension, and the extension ('' for none). */
export function stemAndExtension(name: string): { stem: string; ext: string } {
  const lower = name.toLowerCase();
  const ext = EXTENSIONS.find((e) => lower.endsWith(e)) ?? '';
  return { stem: name.slice(0, name.length - ext.length), ext: name.slice(name.length - ext.length) };
}

/** The name of a derived file: "reviews.jsonl" + "train" → "reviews.train.jsonl". */
export function outputName(sourceName: string, part: string, extension?: string): string {
  const { stem, ext } = stemAndExtension(sourceName);
  return `${stem}.${part}${extension ?? ext}`;
}

/**
 * Builds the source of a file whose reader has been read through (rows() consumed): JSONL rows are
 * re-decoded from their byte ranges (in memory, or read again from a source: a file on disk, which
 * must be the one the reader read), CSV and JSON rows come from the reader's cache (their files are
 * read whole: pass their bytes).
 */
export function datasetSource(name: string, reader: DatasetReader, input: Uint8Array | ByteSource, extra: { sha256?: string; toolVersion?: string } = {}): DatasetSource {
  if (reader.container === 'jsonl') {
    const offsets = reader.offsets?.();
    if (!offsets) throw new Error('datasetSource: the JSONL reader has no row offsets; read its rows first');
    return jsonlSource(name, offsets, reader.invalidUtf8?.encoding, input, extra);
  }
  if (isByteSource(input)) throw new Error('datasetSource: CSV and JSON files are read whole; pass their bytes');
  // The bytes the reader read (openReader reads UTF-16 as UTF-8): outputs are UTF-8.
  const bytes = utf8Bytes(input);
  const eol = firstLineBreak(bytes);
  const rowText = (i: number) => {
    const row = reader.row(i);
    if (!row) throw new Error(`datasetSource: no row ${i}; read the rows first`);
    return row.text;
  };
  const text = decodeText(bytes).text;
  if (reader.container === 'csv') {
    // The reader's own layout: a file without a header row gets outputs without one.
    const framing = reader.csv;
    if (framing) return { name, container: 'csv', eol, ...extra, rowText, header: framing.header, columns: reader.columns, delimiter: framing.delimiter, quoting: framing.quoting };
    const plain = text.replace(/\r\n/g, '\n');
    const delimiter = sniffDelimiter(plain, name.toLowerCase().endsWith('.tsv'));
    return { name, container: 'csv', eol, ...extra, rowText, header: csvHeader(plain), delimiter };
  }
  const first = reader.row(0);
  let indent: string | undefined;
  if (first && first.line > 1) {
    const lineStart = nthLineStart(text, first.line);
    indent = text.slice(lineStart, lineStart + first.column - 1);
  }
  return { name, container: 'json', eol, ...extra, rowText, indent };
}

/**
 * A JSON Lines file's rows by their byte ranges (a reader's offsets into the bytes it read, or an
 * analysis's: RowIndex.split), with the encoding its lines that are not UTF-8 were read in.
 */
export function jsonlSource(
  name: string, offsets: { starts: Float64Array; ends: Float64Array }, encoding: LegacyEncoding | undefined, input: Uint8Array | ByteSource, extra: { sha256?: string; toolVersion?: string },
): DatasetSource {
  const decoder = new LineDecoder(encoding);
  const { starts, ends } = offsets;
  if (isByteSource(input)) {
    // Rows asked for in file order (a split's, an augmentation's kept rows) cost one read per megabyte.
    const window = new SourceWindow(input);
    const eol = sourceLineBreak(input);
    const slice = (start: number, end: number) => window.slice(start, end);
    return {
      name, container: 'jsonl', eol, ...extra,
      rowText: (i) => decoder.decode(window.slice(starts[i], ends[i]), 0),
      rowBytes: (i) => window.slice(starts[i], ends[i]),
      runBytes: (first, last) => runOfRows(offsets, eol, first, last, slice),
    };
  }
  // The bytes the reader read (openReader reads UTF-16 as UTF-8): its row offsets are theirs.
  const bytes = utf8Bytes(input);
  // A plain Uint8Array view: subarrays of a Node Buffer cost several times more per row.
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eol = firstLineBreak(bytes);
  const slice = (start: number, end: number) => view.subarray(start, end);
  return {
    name, container: 'jsonl', eol, ...extra,
    rowText: (i) => decoder.decode(view.subarray(starts[i], ends[i]), 0),
    rowBytes: (i) => view.subarray(starts[i], ends[i]),
    runBytes: (first, last) => runOfRows(offsets, eol, first, last, slice),
  };
}

/** DatasetSource.runBytes by the rows' byte ranges: the run's bytes by `slice`, when every break between its rows is `eol`. */
function runOfRows(
  offsets: { starts: Float64Array; ends: Float64Array }, eol: string, first: number, last: number, slice: (start: number, end: number) => Uint8Array,
): Uint8Array | undefined {
  const { starts, ends } = offsets;
  for (let i = first; i < last; i++) if (starts[i + 1] !== ends[i] + eol.length) return undefined;
  const bytes = slice(starts[first], ends[last]);
  if (bytes.length !== ends[last] - starts[first]) return undefined;
  // A break of the right length may still be other bytes than `eol` (a file mixing its line breaks): each is looked at.
  const base = starts[first];
  for (let i = first; i < last; i++) {
    for (let b = 0; b < eol.length; b++) if (bytes[ends[i] - base + b] !== eol.charCodeAt(b)) return undefined;
  }
  return bytes;
}

/** The full text of a file holding `rows` (row texts) in the source's container. */
export function containerText(source: DatasetSource, rows: readonly string[], header = source.header): string {
  const eol = source.eol;
  if (source.container === 'json') {
    if (rows.length === 0) return `[]${eol}`;
    if (source.indent === undefined) return `[${rows.join(', ')}]${eol}`;
    return `[${eol}${source.indent}${rows.join(`,${eol}${source.indent}`)}${eol}]${eol}`;
  }
  const body = rows.length ? rows.join(eol) + eol : '';
  if (source.container === 'jsonl') return body;
  const text = header === undefined ? body : header + eol + body;
  // The CSV reader hands records over with "\n" inside quoted fields; a CRLF file gets its CRLFs back.
  return eol === '\n' ? text : text.replace(/\r?\n/g, eol);
}

/**
 * The bytes of a file holding the rows at these indexes: copied byte for byte when the source has
 * row bytes (JSONL: a million rows in a fraction of a second, invalid UTF-8 kept exactly), else the
 * UTF-8 of containerText.
 */
export function containerBytes(source: DatasetSource, indexes: readonly number[]): Uint8Array {
  const rowBytes = source.rowBytes;
  if (source.container !== 'jsonl' || !rowBytes) return new TextEncoder().encode(containerText(source, indexes.map((i) => source.rowText(i))));
  const eol = new TextEncoder().encode(source.eol);
  let size = 0;
  for (const i of indexes) size += rowBytes(i).length + eol.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const i of indexes) {
    const row = rowBytes(i);
    out.set(row, at);
    at += row.length;
    out.set(eol, at);
    at += eol.length;
  }
  return out;
}

/** The most rows containerPieces copies as one run (a run must fit in a piece; rows are rarely longer than a few kilobytes). */
const MAX_RUN_ROWS = 64;

/**
 * containerBytes in pieces, for a file of any size: JSONL rows are copied in order into one reused
 * buffer of a megabyte (a longer row is handed over by itself), so a split of a file bigger than the
 * memory is written without holding either. CSV and JSON files, read whole, are written whole.
 */
export function* containerPieces(source: DatasetSource, indexes: readonly number[], pieceBytes = CHUNK_BYTES): Generator<Uint8Array> {
  const rowBytes = source.rowBytes;
  if (source.container !== 'jsonl' || !rowBytes) {
    yield containerBytes(source, indexes);
    return;
  }
  const eol = new TextEncoder().encode(source.eol);
  const piece = new Uint8Array(pieceBytes);
  const runBytes = source.runBytes;
  let at = 0;
  for (let k = 0; k < indexes.length; k++) {
    const i = indexes[k];
    // Rows next to each other in the source and in the file (most of a big split's training rows)
    // are copied as one run, line breaks and all: one copy instead of one a row.
    let last = k;
    while (last + 1 < indexes.length && indexes[last + 1] === indexes[last] + 1 && last - k < MAX_RUN_ROWS) last++;
    if (last > k && runBytes) {
      const run = runBytes(i, indexes[last]);
      if (run && at + run.length + eol.length > piece.length && at > 0) {
        yield piece.subarray(0, at);
        at = 0;
      }
      if (run && at + run.length + eol.length <= piece.length) {
        piece.set(run, at);
        at += run.length;
        piece.set(eol, at);
        at += eol.length;
        k = last;
        continue;
      }
    }
    const row = rowBytes(i);
    if (at + row.length + eol.length > piece.length) {
      if (at > 0) yield piece.subarray(0, at);
      at = 0;
      if (row.length + eol.length > piece.length) {
        yield row;
        yield eol;
        continue;
      }
    }
    piece.set(row, at);
    at += row.length;
    piece.set(eol, at);
    at += eol.length;
  }
  if (at > 0) yield piece.subarray(0, at);
}

/**
 * containerText in UTF-8 pieces of about a megabyte, for rows made one at a time (an augmentation's
 * new rows): the same bytes, without the whole text ever being held. Rows come as texts, as
 * containerText takes them. Pieces are encoded into one reused buffer: each is valid until the next.
 */
export function* containerTextPieces(source: DatasetSource, rows: Iterable<string>, header = source.header): Generator<Uint8Array> {
  const eol = source.eol;
  const piece = new PieceEncoder();
  // The CSV reader hands records over with "\n" inside quoted fields; a CRLF file gets its CRLFs back.
  const lineBreaks = source.container === 'csv' && eol !== '\n' ? (text: string) => text.replace(/\r?\n/g, eol) : (text: string) => text;
  if (source.container === 'csv' && header !== undefined) yield* piece.add(lineBreaks(header) + eol);
  let count = 0;
  for (const row of rows) yield* piece.add(rowInContainer(source, lineBreaks(row), count++));
  if (source.container === 'json') yield* piece.add(count === 0 ? `[]${eol}` : source.indent === undefined ? `]${eol}` : `${eol}]${eol}`);
  yield* piece.end();
}

/** Texts encoded as UTF-8 into one reused buffer, handed over as pieces of about a megabyte. */
class PieceEncoder {
  private readonly encoder = new TextEncoder();
  private readonly buffer = new Uint8Array(CHUNK_BYTES + 3 * JOINED_CHARS);
  private filled = 0;
  private pending: string[] = [];
  private chars = 0;

  /** Adds a text; yields a piece when one is full. */
  *add(text: string): Generator<Uint8Array> {
    this.pending.push(text);
    this.chars += text.length;
    if (this.chars >= JOINED_CHARS) yield* this.encodePending();
  }

  /** Yields what is left. */
  *end(): Generator<Uint8Array> {
    yield* this.encodePending();
    if (this.filled > 0) yield this.take();
  }

  private *encodePending(): Generator<Uint8Array> {
    const text = this.pending.join('');
    this.pending = [];
    this.chars = 0;
    // A UTF-16 code unit takes at most three bytes in UTF-8.
    if (this.filled + 3 * text.length > this.buffer.length && this.filled > 0) yield this.take();
    if (3 * text.length > this.buffer.length) {
      // One row longer than the buffer: encoded alone.
      yield this.encoder.encode(text);
      return;
    }
    this.filled += this.encoder.encodeInto(text, this.buffer.subarray(this.filled)).written;
    if (this.filled >= CHUNK_BYTES) yield this.take();
  }

  private take(): Uint8Array {
    const piece = this.buffer.subarray(0, this.filled);
    this.filled = 0;
    return piece;
  }
}

/** A row's text with what goes before or after it in the file: its line break, or its place in a JSON array. */
function rowInContainer(source: DatasetSource, text: string, index: number): string {
  if (source.container !== 'json') return text + source.eol;
  if (source.indent === undefined) return (index === 0 ? '[' : ', ') + text;
  return (index === 0 ? `[${source.eol}` : `,${source.eol}`) + source.indent + text;
}

/** The column names of a CSV header text (unquoted, trimmed, as the reader names them). */
export function csvColumns(header: string, delimiter: string): string[] {
  return csvFieldSpans(header, delimiter).map((s) => header.slice(s.start, s.end).replace(/""/g, '"').trim());
}

/** "\r\n" when the first line of the bytes ends that way, else "\n". */
function firstLineBreak(bytes: Uint8Array): string {
  const nl = bytes.indexOf(10);
  return nl > 0 && bytes[nl - 1] === 13 ? '\r\n' : '\n';
}

/** firstLineBreak of a source's bytes, read a piece at a time up to the first newline. */
function sourceLineBreak(source: ByteSource): string {
  const piece = new Uint8Array(Math.min(64 * 1024, Math.max(1, source.size)));
  let before = -1;
  for (let pos = 0; pos < source.size; ) {
    const n = readFully(source, piece, pos);
    if (n === 0) break;
    const nl = piece.subarray(0, n).indexOf(10);
    if (nl >= 0) return (nl > 0 ? piece[nl - 1] : before) === 13 && pos + nl > 0 ? '\r\n' : '\n';
    before = piece[n - 1];
    pos += n;
  }
  return '\n';
}

/** The first record of a CSV text (after blank lines), where a newline inside quotes does not end it. */
function csvHeader(text: string): string {
  let start = 0;
  while (start < text.length && (text[start] === '\n' || text[start] === '\r')) start++;
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) return text.slice(start, i);
  }
  return text.slice(start);
}

function nthLineStart(text: string, line: number): number {
  let pos = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return pos;
    pos = nl + 1;
  }
  return pos;
}
