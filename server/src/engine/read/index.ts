// Room: read. Bytes in, rows out: the encoding found (UTF-8/16, legacy ones), the container sniffed
// (JSONL, CSV/TSV, JSON array) and read row by row with each row's line, text and parsed value, in
// memory or through a ByteSource read in chunks. Nothing here knows formats or rules: a reader only
// reports rows it cannot read (RowProblem). datasetSource.ts puts rows back into files for split/augment.
import { csvReader, type CsvReadOptions } from './csv';
import { jsonArrayReader, looksLikeJsonArrayOfObjects } from './jsonArray';
import { estimatedRows, jsonlReader } from './jsonl';
import { isByteSource, isUtf16Source, sourceBytes, type ByteSource } from './source';
import { encodingFromStart, isUtf16, utf8Bytes } from './encoding';
import type { DatasetReader } from './row';
import type { DatasetContainer } from './sniff';

export type { DatasetReader, SourceRow, FieldSpan, RowProblem } from './row';
export { rangeInRow } from './row';
export { toBytes } from './decode';
export {
  describeForeignFormat, foreignFormatByMagic, foreignFormatByName, READABLE_FORMATS, SNIFF_BYTES, sniffContainer,
  type DatasetContainer, type ForeignFormat,
} from './sniff';

const EXTENSIONS = ['.jsonl', '.ndjson', '.csv', '.tsv', '.json'];

/** True for JSON Lines files (.jsonl, .ndjson): the ones read line by line, in shards and by the editor's model. */
export function isJsonlPath(path: string): boolean {
  return /\.(jsonl|ndjson)$/i.test(path);
}

/** True for file names the engine reads (`.json` only counts once its content is an array of objects). */
export function isDatasetPath(path: string): boolean {
  const lower = path.toLowerCase();
  return EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** True when a `.json` file's first bytes show an array of objects; other `.json` files are not datasets. */
export function isJsonDataset(head: Uint8Array | string): boolean {
  const start = typeof head === 'string' ? undefined : encodingFromStart(head);
  const text = typeof head === 'string' ? head : new TextDecoder(isUtf16(start) ? start : 'utf-8').decode(head.subarray(0, 4096));
  return looksLikeJsonArrayOfObjects(text);
}

/** What settings say of a CSV/TSV file's header (the engine's Config holds them). */
export type CsvHeaderOptions = Pick<CsvReadOptions, 'hasHeader' | 'columns'>;

/** The container a file's name says (.jsonl, .ndjson, .csv, .tsv, .json), or undefined when it says none. */
export function containerOfPath(path: string): DatasetContainer | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.tsv')) return 'tsv';
  if (lower.endsWith('.json')) return 'json';
  if (isJsonlPath(lower)) return 'jsonl';
  return undefined;
}

/**
 * Chooses the reader for a file: the container given (a host sniffed a file whose name says none,
 * see sniffContainer), else the one its extension says; other names are read as JSON Lines. A JSON
 * Lines file given as a source (a file on disk) is read in pieces and never held whole, whatever its
 * size; the other containers, and text in UTF-16, are read whole.
 */
export function openReader(path: string, input: Uint8Array | ByteSource, container?: DatasetContainer, csv: CsvHeaderOptions = {}): DatasetReader {
  const kind = container ?? containerOfPath(path);
  if (isByteSource(input)) {
    if ((kind === undefined || kind === 'jsonl') && !isUtf16Source(input)) return jsonlReader(input, undefined, estimatedRows(input));
    input = sourceBytes(input);
  }
  // UTF-16 cannot be split into lines at the byte 0x0A: its text is read as UTF-8 bytes (offsets are theirs).
  const bytes = utf8Bytes(input);
  const header = { hasHeader: csv.hasHeader, columns: csv.columns };
  switch (kind) {
    case 'csv':
      return csvReader(bytes, header);
    case 'tsv':
      return csvReader(bytes, { ...header, tsv: true });
    case 'json':
      return jsonArrayReader(bytes);
    default:
      return jsonlReader(bytes);
  }
}
