import { csvReader } from './csv';
import { jsonArrayReader, looksLikeJsonArrayOfObjects } from './jsonArray';
import { jsonlReader } from './jsonl';
import type { DatasetReader } from './row';

export type { DatasetReader, SourceRow, FieldSpan, RowProblem } from './row';
export { rangeInRow } from './row';
export { toBytes } from './decode';

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
  const text = typeof head === 'string' ? head : new TextDecoder().decode(head.subarray(0, 4096));
  return looksLikeJsonArrayOfObjects(text);
}

/** Chooses the reader for a file by its extension. */
export function openReader(path: string, bytes: Uint8Array): DatasetReader {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return csvReader(bytes);
  if (lower.endsWith('.tsv')) return csvReader(bytes, { tsv: true });
  if (lower.endsWith('.json')) return jsonArrayReader(bytes);
  return jsonlReader(bytes);
}
