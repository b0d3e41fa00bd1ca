import { LineDecoder, splitLines } from './decode';
import { locateJsonValue, rawIndexInJsonString, type JsonPath } from './jsonScan';
import type { DatasetReader, FieldSpan, RowProblem, SourceRow } from './row';
import { spliced } from '../columns';
import { formatCount } from '../format';
import { MAX_NESTING, nestingOfText, nestsDeeperThan } from './nesting';
import { countNewlines, fileLegacyEncoding, isByteSource, readFully, SourceWindow, splitSourceLines, type ByteSource } from './source';

/**
 * Reads JSONL (or a line-aligned byte range of it): one JSON value per line; blank lines are
 * skipped. From bytes in memory, or from a source read in chunks (a big file on disk).
 */
export function jsonlReader(
  input: Uint8Array | ByteSource, range?: { start: number; end: number; firstLine: number }, expectedRows = FEW_ROWS,
): DatasetReader {
  // Where each row's bytes are, so late findings can re-read a row without keeping its text: typed
  // columns, sized by a caller that reads a whole range for the rows it is likely to hold
  // (estimatedRows; JS arrays of a million numbers grow by copying, and on this project's VM every
  // fresh page of those copies costs ~10 µs). A reader asked for a few rows only (format detection,
  // the token sample) starts small.
  const offsets = new RowOffsets(expectedRows);
  const window = isByteSource(input) ? new SourceWindow(input) : undefined;
  const bytesOf = (start: number, end: number) => (window ? window.slice(start, end) : (input as Uint8Array).subarray(start, end));
  // Lines that are not UTF-8 are read in the file's legacy encoding, found once for the pass and the rows read again.
  const legacy = fileLegacyEncoding(input);
  const reader: DatasetReader = {
    container: 'jsonl',
    *rows() {
      const decoder = new LineDecoder(legacy);
      let index = 0;
      offsets.count = 0;
      const all = isByteSource(input) ? splitSourceLines(input, decoder, range) : splitLines(input, decoder, range);
      for (const { line, text, start, end } of all) {
        if (isBlank(text)) continue;
        offsets.add(start, end, line);
        yield parseJsonRow(text, index++, line, 1);
      }
      reader.invalidUtf8 = decoder.invalid;
    },
    row(index) {
      if (index < 0 || index >= offsets.count) return undefined;
      const text = new LineDecoder(legacy).decode(bytesOf(offsets.starts[index], offsets.ends[index]), offsets.lines[index]);
      return parseJsonRow(text, index, offsets.lines[index], 1);
    },
    locate: locateInJsonRow,
    offsets: () => ({ starts: offsets.starts.subarray(0, offsets.count), ends: offsets.ends.subarray(0, offsets.count) }),
  };
  return reader;
}

/** Byte range and line of each row read, in columns that double when full. */
export class RowOffsets {
  count = 0;
  starts: Float64Array;
  ends: Float64Array;
  lines: Int32Array;

  constructor(capacity: number) {
    this.starts = new Float64Array(capacity);
    this.ends = new Float64Array(capacity);
    this.lines = new Int32Array(capacity);
  }

  add(start: number, end: number, line: number): void {
    if (this.count === this.lines.length) {
      const more = this.lines.length;
      this.starts = spliced(this.starts, this.count, 0, more);
      this.ends = spliced(this.ends, this.count, 0, more);
      this.lines = spliced(this.lines, this.count, 0, more);
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.lines[this.count++] = line;
  }
}

/** Bytes looked at to estimate a range's rows. */
const SAMPLE_BYTES = 64 * 1024;

/** Rows the offset columns hold before they first grow, and the estimate for a range too small to sample. */
const FEW_ROWS = 1024;

/**
 * About how many rows a range holds (a little more, rather than less): its size over the mean
 * length of the lines in its first 64 KB.
 */
export function estimatedRows(input: Uint8Array | ByteSource, range?: { start: number; end: number }): number {
  const start = range?.start ?? 0;
  const end = Math.min(range?.end ?? Infinity, isByteSource(input) ? input.size : input.length);
  const size = Math.max(0, end - start);
  if (size <= SAMPLE_BYTES) return FEW_ROWS;
  let sample: Uint8Array;
  if (isByteSource(input)) {
    sample = new Uint8Array(SAMPLE_BYTES);
    sample = sample.subarray(0, readFully(input, sample, start));
  } else sample = input.subarray(start, start + SAMPLE_BYTES);
  const lines = countNewlines(sample, 0, sample.length);
  return lines === 0 ? FEW_ROWS : Math.ceil((size / sample.length) * lines * 1.1) + FEW_ROWS;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) return false;
  }
  return true;
}

/** Parses one row of JSON text into a SourceRow, turning parse failures into a precise problem. */
export function parseJsonRow(text: string, index: number, line: number, column: number): SourceRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // V8 parses nesting without recursion today; should a parser run out of stack, the row is too deep, not broken.
    if (e instanceof RangeError) return tooDeep(text, index, line, column);
    return { index, line, column, text, value: undefined, problem: jsonProblem(text, (e as Error).message) };
  }
  // A row cannot nest deeper than half its length: most rows are too short to need the walk.
  if (text.length > 2 * MAX_NESTING && nestsDeeperThan(value, MAX_NESTING)) return tooDeep(text, index, line, column);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return {
      index, line, column, text, value: undefined,
      problem: { rule: 'not-an-object', message: `Row is ${kind}, not a JSON object`, start: 0, end: text.length },
    };
  }
  return { index, line, column, text, value };
}

/**
 * V8 quotes the start of the line, or the text around the error, in some messages ("Unexpected token
 * 'A', "AKIAIOSF"... is not valid JSON"): a key or a person's data may be there, and the message goes
 * to CI logs and SARIF, so the quoted text is cut off (only the one unexpected character is kept).
 */
const QUOTED_TEXT = /(?:^|, )(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s;

/** A row that nests arrays and objects past MAX_NESTING: reported, and kept from every other rule (its value is dropped). */
function tooDeep(text: string, index: number, line: number, column: number): SourceRow {
  const { depth, past } = nestingOfText(text, MAX_NESTING);
  const start = Math.max(0, past);
  const levels = depth > MAX_NESTING ? `${formatCount(depth)} levels` : 'too many levels';
  return {
    index, line, column, text, value: undefined,
    problem: { rule: 'too-deep', message: `Row nests arrays and objects ${levels} deep; over ${MAX_NESTING}, a row is not checked further`, start, end: start + 1 },
  };
}

/** Turns V8's JSON.parse message into a short one with the error's position in the row and none of its text. */
export function jsonProblem(text: string, raw: string): RowProblem {
  const pos = /at position (\d+)/.exec(raw);
  let start = pos ? Number(pos[1]) : undefined;
  let reason = raw
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/ (?:in JSON )?at position \d+/, '')
    .replace(QUOTED_TEXT, '');
  // Whatever V8 may quote in another wording is not echoed either.
  if (reason === '' || reason.includes('"') || reason.includes('not valid JSON')) reason = 'Unexpected text';
  if (/Unexpected end of JSON input/.test(raw)) {
    reason = 'The JSON ends too early (truncated line?)';
    start = Math.max(0, text.trimEnd().length - 1);
  }
  if (start === undefined) {
    const token = /Unexpected token '(.)'/.exec(raw);
    start = token ? Math.max(0, text.indexOf(token[1])) : 0;
  }
  const end = Math.min(text.length, start + 1);
  return { rule: 'invalid-json', message: `Invalid JSON: ${reason} (column ${start + 1})`, start, end: Math.max(end, start) };
}

/** Locates a value inside a JSON row's text. */
export function locateInJsonRow(row: SourceRow, path: JsonPath): FieldSpan | undefined {
  const span = locateJsonValue(row.text, path);
  if (!span || span.end <= span.start) return undefined;
  const isString = row.text.charCodeAt(span.start) === 34;
  return {
    ...span,
    rawIndex: (d) => (isString ? rawIndexInJsonString(row.text, span.start, d) : span.start + d),
  };
}
