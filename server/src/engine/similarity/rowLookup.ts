import { containerOfPath, openReader, type CsvHeaderOptions, type FieldSpan, type SourceRow } from '../read';
import { bomLength, LineDecoder } from '../read/decode';
import { utf8Bytes } from '../read/encoding';
import { CHUNK_BYTES, fileLegacyEncoding, isByteSource, isUtf16Source, readFully, sourceBytes, SourceWindow, type ByteSource } from '../read/source';
import type { JsonPath } from '../read/jsonScan';
import { locateInJsonRow, parseJsonRow } from '../read/jsonl';
import type { ContainerKind } from '../types';
import { spliced } from '../columns';

/** Rows of a file read again by their index, for verifying candidates found through a RowIndex. */
export interface RowLookup {
  container: ContainerKind;
  row(index: number): SourceRow | undefined;
  locate(row: SourceRow, path: JsonPath): FieldSpan | undefined;
}

/**
 * A row lookup over a file's bytes, in memory or read from a source (a file on disk). JSONL rows are
 * found by line (`lines` of its RowIndex) through a table of line starts built on first use, so only
 * the rows asked for are parsed; from a source, only those rows are read (a JSONL file is never held
 * whole). CSV and JSON files, and UTF-16 text, are read whole once (they are rarely large). A file
 * whose name says no container is read as `container` says (its RowIndex's: the container its
 * analysis read).
 */
export function rowLookup(path: string, input: Uint8Array | ByteSource, lines: Int32Array, container?: ContainerKind, csv: CsvHeaderOptions = {}): RowLookup {
  const kind = containerOfPath(path) ?? container ?? 'jsonl';
  if (isByteSource(input) && kind === 'jsonl' && !isUtf16Source(input)) return sourceRowLookup(input, lines);
  const bytes = isByteSource(input) ? sourceBytes(input) : input;
  if (kind !== 'jsonl') {
    // Read as the analysis read it: settings may say the file has no header row, or name its columns.
    const reader = openReader(path, bytes, kind, csv);
    let read = false;
    return {
      container: reader.container,
      row(index) {
        if (!read) {
          for (const _ of reader.rows());
          read = true;
        }
        return reader.row(index);
      },
      locate: (row, p) => reader.locate(row, p),
    };
  }
  let starts: Float64Array | undefined;
  // Read as the analysis read them: UTF-16 as UTF-8, lines that are not UTF-8 in the file's legacy encoding.
  const utf8 = utf8Bytes(bytes);
  const legacy = fileLegacyEncoding(utf8);
  return {
    container: 'jsonl',
    row(index) {
      const line = lines[index];
      if (line === undefined) return undefined;
      starts ??= lineStarts(utf8);
      if (line > starts.length) return undefined;
      const start = starts[line - 1];
      let end = line < starts.length ? starts[line] - 1 : utf8.length;
      if (end > start && utf8[end - 1] === 13) end--;
      const text = new LineDecoder(legacy).decode(utf8.subarray(start, end), line);
      return parseJsonRow(text, index, line, 1);
    },
    locate: locateInJsonRow,
  };
}

/**
 * A JSON Lines file's rows by the byte ranges its analysis read them at (RowIndex.split's offsets),
 * as its reader reads a row again: no scan of the file for its line starts. UTF-8 input only (a
 * UTF-16 file's ranges are those of its UTF-8 form: use rowLookup).
 */
export function rowLookupByOffsets(input: Uint8Array | ByteSource, lines: Int32Array, offsets: { starts: Float64Array; ends: Float64Array }): RowLookup {
  const window = isByteSource(input) ? new SourceWindow(input) : undefined;
  const legacy = fileLegacyEncoding(input);
  const { starts, ends } = offsets;
  return {
    container: 'jsonl',
    row(index) {
      const line = lines[index];
      if (line === undefined || index >= starts.length) return undefined;
      const bytes = window ? window.slice(starts[index], ends[index]) : (input as Uint8Array).subarray(starts[index], ends[index]);
      return parseJsonRow(new LineDecoder(legacy).decode(bytes, line), index, line, 1);
    },
    locate: locateInJsonRow,
  };
}

/** rowLookup over a JSONL file read in pieces: its line starts found once, its rows read as they are asked for. */
function sourceRowLookup(source: ByteSource, lines: Int32Array): RowLookup {
  let starts: Float64Array | undefined;
  const window = new SourceWindow(source);
  const legacy = fileLegacyEncoding(source);
  return {
    container: 'jsonl',
    row(index) {
      const line = lines[index];
      if (line === undefined) return undefined;
      starts ??= sourceLineStarts(source);
      if (line > starts.length) return undefined;
      const start = starts[line - 1];
      const end = line < starts.length ? starts[line] - 1 : source.size;
      let bytes = window.slice(start, end);
      if (bytes.length && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
      return parseJsonRow(new LineDecoder(legacy).decode(bytes, line), index, line, 1);
    },
    locate: locateInJsonRow,
  };
}

/** lineStarts of a source, read a megabyte at a time (8 bytes a line are kept, never the file). */
function sourceLineStarts(source: ByteSource): Float64Array {
  const piece = new Uint8Array(Math.min(CHUNK_BYTES, Math.max(1, source.size)));
  const head = piece.subarray(0, readFully(source, piece, 0));
  let starts = new Float64Array(1024);
  let count = 1;
  starts[0] = bomLength(head);
  for (let pos = 0; pos < source.size; ) {
    const n = readFully(source, piece, pos);
    if (n === 0) break;
    for (let i = piece.indexOf(10); i >= 0 && i < n; i = piece.indexOf(10, i + 1)) {
      if (count === starts.length) starts = spliced(starts, count, 0, count);
      starts[count++] = pos + i + 1;
    }
    pos += n;
  }
  return starts.subarray(0, count);
}

/** Byte offset of every line's start (after a byte order mark on line 1). */
function lineStarts(bytes: Uint8Array): Float64Array {
  let count = 1;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) count++;
  const starts = new Float64Array(count);
  starts[0] = bomLength(bytes);
  let k = 1;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) starts[k++] = i + 1;
  return starts;
}
