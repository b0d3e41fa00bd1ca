import { looksLikeJsonArrayOfObjects } from './jsonArray';

/**
 * What a file is when its name does not say: JSON Lines, CSV or TSV sniffed from its first bytes,
 * and the archives and binary formats people download datasets in (which Tuneset does not read, and
 * must name rather than report as thousands of invalid JSON lines).
 */

/** How a file's bytes are read: the reader's container, with TSV apart from CSV (its reader prefers the tab). */
export type DatasetContainer = 'jsonl' | 'csv' | 'tsv' | 'json';

/** The formats Tuneset reads, as messages name them. */
export const READABLE_FORMATS = '.jsonl, .ndjson, .csv, .tsv and .json arrays of objects';

/** A format Tuneset does not read: an archive to extract, a format planned, or one it does not read. */
export interface ForeignFormat {
  /** As people call it: "a gzip archive", "ARFF", "Parquet". */
  name: string;
  kind: 'archive' | 'planned' | 'format';
}

/** Bytes of the head the sniffers look at: enough for a dozen rows of most datasets. */
export const SNIFF_BYTES = 16 * 1024;

/** Lines a sniffer judges at most (a long head is not read further). */
const SNIFF_LINES = 20;

const archive = (name: string): ForeignFormat => ({ name, kind: 'archive' });
const format = (name: string): ForeignFormat => ({ name, kind: 'format' });

/**
 * Names of dataset-like files Tuneset does not read, longest endings first (".tar.gz" before ".gz").
 * A folder walk notices them, so only formats that mostly hold datasets are listed: model weights
 * (.h5, .pkl, .npy) and settings (.yaml) in a project folder are passed over in silence.
 */
const FOREIGN_BY_NAME: [string, ForeignFormat][] = [
  ['.tar.gz', archive('a gzip-compressed tar archive')],
  ['.tar.bz2', archive('a bzip2-compressed tar archive')],
  ['.tar.xz', archive('an xz-compressed tar archive')],
  ['.tar.zst', archive('a Zstandard-compressed tar archive')],
  ['.tgz', archive('a gzip-compressed tar archive')],
  ['.tbz2', archive('a bzip2-compressed tar archive')],
  ['.txz', archive('an xz-compressed tar archive')],
  ['.tar', archive('a tar archive')],
  ['.zip', archive('a zip archive')],
  ['.gz', archive('a gzip archive')],
  ['.bz2', archive('a bzip2 archive')],
  ['.xz', archive('an xz archive')],
  ['.zst', archive('a Zstandard archive')],
  ['.7z', archive('a 7-Zip archive')],
  ['.rar', archive('a RAR archive')],
  ['.parquet', { name: 'Parquet', kind: 'planned' }],
  ['.pq', { name: 'Parquet', kind: 'planned' }],
  ['.arff', format('ARFF')],
  ['.xlsx', format('Excel')],
  ['.xls', format('Excel')],
  ['.xlsm', format('Excel')],
  ['.ods', format('OpenDocument spreadsheet')],
  ['.feather', format('Arrow/Feather')],
  ['.arrow', format('Arrow/Feather')],
  ['.avro', format('Avro')],
  ['.orc', format('ORC')],
  ['.tfrecord', format('TFRecord')],
];

/** The dataset-like format a file name says Tuneset does not read, if any. */
export function foreignFormatByName(name: string): ForeignFormat | undefined {
  const lower = name.toLowerCase();
  return FOREIGN_BY_NAME.find(([ending]) => lower.endsWith(ending))?.[1];
}

/** Leading bytes of archives and binary data formats, so a mislabelled or extension-less file is still named. */
const MAGIC: [number[], ForeignFormat, number?][] = [
  [[0x1f, 0x8b], archive('a gzip archive')],
  [[0x50, 0x4b, 0x03, 0x04], archive('a zip archive')],
  [[0x50, 0x4b, 0x05, 0x06], archive('a zip archive')],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], archive('an xz archive')],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], archive('a 7-Zip archive')],
  [[0x28, 0xb5, 0x2f, 0xfd], archive('a Zstandard archive')],
  [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], archive('a RAR archive')],
  // "ustar" sits at offset 257 of a tar header.
  [[0x75, 0x73, 0x74, 0x61, 0x72], archive('a tar archive'), 257],
  [[0x50, 0x41, 0x52, 0x31], { name: 'Parquet', kind: 'planned' }],
  [[0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], format('Arrow/Feather')],
  [[0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], format('HDF5')],
  [[0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59], format('NumPy')],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33, 0x00], format('SQLite')],
];

/** The archive or binary format a file's first bytes show, if any. */
export function foreignFormatByMagic(head: Uint8Array): ForeignFormat | undefined {
  const startsWith = (bytes: number[], at = 0) => head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);
  for (const [bytes, found, at] of MAGIC) if (startsWith(bytes, at)) return found;
  // "BZh" alone could begin a line of text: a bzip2 stream goes on with a block size digit and a block's (or the end's) own magic.
  const bzip2 = startsWith([0x42, 0x5a, 0x68]) && head[3] >= 0x31 && head[3] <= 0x39;
  if (bzip2 && (startsWith([0x31, 0x41, 0x59, 0x26, 0x53, 0x59], 4) || startsWith([0x17, 0x72, 0x45, 0x38, 0x50, 0x90], 4))) return archive('a bzip2 archive');
  return undefined;
}

/** What to tell the user about a file in a foreign format: what it is and what to do. */
export function describeForeignFormat(f: ForeignFormat): string {
  if (f.kind === 'archive') return `${f.name}: extract it first`;
  if (f.kind === 'planned') return `${f.name} is not supported yet: convert it to JSONL or CSV first`;
  return `${f.name} is not a supported format`;
}

/**
 * The container of a file whose name does not say, from its first bytes (`head`; SNIFF_BYTES is
 * plenty): JSON Lines when its first non-blank lines are JSON objects, a JSON array of objects, TSV
 * or CSV when its first lines hold the same number (one or more) of tabs or commas; undefined for
 * anything else (prose, binary data), which is not read.
 */
export function sniffContainer(head: Uint8Array): DatasetContainer | undefined {
  if (foreignFormatByMagic(head)) return undefined;
  const text = decodeHead(head);
  if (text === undefined) return undefined;
  if (looksLikeJsonArrayOfObjects(text)) return 'json';
  const lines = headLines(text);
  if (!lines.length) return undefined;
  if (looksLikeJsonLines(lines)) return 'jsonl';
  if (sameCount(tabCounts(lines))) return 'tsv';
  if (sameCount(commaCounts(lines))) return 'csv';
  return undefined;
}

/** The head as text (UTF-8, or UTF-16 with its byte order mark); undefined for binary data (NUL characters). */
function decodeHead(head: Uint8Array): string | undefined {
  const utf16 = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : undefined;
  // The head may end inside a character: a lenient decoder turns that into one replacement character.
  const text = new TextDecoder(utf16 ?? 'utf-8').decode(head);
  return text.includes('\u0000') ? undefined : text;
}

/** A line of the head, and whether it is whole (a head cut inside its last line is not). */
interface HeadLine {
  text: string;
  whole: boolean;
}

/** The head's first lines: leading blank lines dropped, and trailing blank ones (a file's last newlines). */
function headLines(text: string): HeadLine[] {
  const parts = text.replace(/^\uFEFF/, '').split('\n');
  const lines = parts.map((t, i) => ({ text: t.replace(/\r$/, ''), whole: i < parts.length - 1 }));
  while (lines.length && lines[0].text.trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].text.trim() === '') lines.pop();
  return lines.slice(0, SNIFF_LINES);
}

/**
 * True when every line is a JSON object (blank lines aside, as the JSONL reader allows). A last line
 * the head cut short is not held against the file; at least one line must be whole.
 */
function looksLikeJsonLines(lines: HeadLine[]): boolean {
  let objects = 0;
  for (const [k, line] of lines.entries()) {
    const t = line.text.trim();
    if (t === '') continue;
    if (isJsonObject(t)) objects++;
    else if (k < lines.length - 1 || line.whole || !t.startsWith('{')) return false;
  }
  return objects > 0;
}

function isJsonObject(text: string): boolean {
  if (!text.startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** A record's count of delimiters, and whether the record is whole (a head cut inside its last record is not). */
interface Count {
  n: number;
  whole: boolean;
}

/**
 * True when the records (at least two: a header and a row) all hold the same number, one or more, of a
 * delimiter; a blank line among them breaks the table. A last record the head cut short may hold fewer.
 */
function sameCount(counts: Count[]): boolean {
  const want = counts[0]?.n ?? 0;
  if (want < 1) return false;
  const last = counts[counts.length - 1];
  const judged = last.whole || last.n === want ? counts : counts.slice(0, -1);
  return judged.length >= 2 && judged.every((c) => c.n === want);
}

/** Tabs per line: TSV files rarely quote, and a quote inside a TSV text must not hide the tabs after it. */
function tabCounts(lines: HeadLine[]): Count[] {
  return lines.map((l) => ({ n: l.text.split('\t').length - 1, whole: l.whole }));
}

/** Commas per record, outside double-quoted fields; a quoted field may hold line breaks (and commas). */
function commaCounts(lines: HeadLine[]): Count[] {
  const counts: Count[] = [];
  let n = 0;
  let quoted = false;
  let open = false;
  for (const line of lines) {
    for (const c of line.text) {
      if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) n++;
    }
    open = quoted && line.whole;
    if (open) continue;
    counts.push({ n, whole: line.whole && !quoted });
    n = 0;
  }
  // The sample ended inside a quoted field: that record is not whole.
  if (open) counts.push({ n, whole: false });
  return counts;
}
