import { containerOfPath, openReader, type FieldSpan, type SourceRow } from '../read';
import { bomLength, LineDecoder } from '../read/decode';
import { utf8Bytes } from '../read/encoding';
import { fileLegacyEncoding } from '../read/source';
import type { JsonPath } from '../read/jsonScan';
import { locateInJsonRow, parseJsonRow } from '../read/jsonl';
import type { ContainerKind } from '../types';

/** Rows of a file read again by their index, for verifying candidates found through a RowIndex. */
export interface RowLookup {
  container: ContainerKind;
  row(index: number): SourceRow | undefined;
  locate(row: SourceRow, path: JsonPath): FieldSpan | undefined;
}

/**
 * A row lookup over a file's bytes. JSONL rows are found by line (`lines` of its RowIndex) through
 * a table of line starts built on first use, so only the rows asked for are parsed; CSV and JSON
 * files are read whole once (they are rarely large). A file whose name says no container is read as
 * `container` says (its RowIndex's: the container its analysis read).
 */
export function rowLookup(path: string, bytes: Uint8Array, lines: Int32Array, container?: ContainerKind): RowLookup {
  const kind = containerOfPath(path) ?? container ?? 'jsonl';
  if (kind !== 'jsonl') {
    const reader = openReader(path, bytes, kind);
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
  bytes = utf8Bytes(bytes);
  const legacy = fileLegacyEncoding(bytes);
  return {
    container: 'jsonl',
    row(index) {
      const line = lines[index];
      if (line === undefined) return undefined;
      starts ??= lineStarts(bytes);
      if (line > starts.length) return undefined;
      const start = starts[line - 1];
      let end = line < starts.length ? starts[line] - 1 : bytes.length;
      if (end > start && bytes[end - 1] === 13) end--;
      const text = new LineDecoder(legacy).decode(bytes.subarray(start, end), line);
      return parseJsonRow(text, index, line, 1);
    },
    locate: locateInJsonRow,
  };
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
