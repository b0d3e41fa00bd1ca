import { LineDecoder, splitLines } from './decode';
import { locateJsonValue, rawIndexInJsonString, type JsonPath } from './jsonScan';
import type { DatasetReader, FieldSpan, RowProblem, SourceRow } from './row';
import { isByteSource, SourceWindow, splitSourceLines, type ByteSource } from './source';

/**
 * Reads JSONL (or a line-aligned byte range of it): one JSON value per line; blank lines are
 * skipped. From bytes in memory, or from a source read in chunks (a big file on disk).
 */
export function jsonlReader(input: Uint8Array | ByteSource, range?: { start: number; end: number; firstLine: number }): DatasetReader {
  // Where each row's bytes are, so late findings can re-read a row without keeping its text.
  const starts: number[] = [];
  const ends: number[] = [];
  const lines: number[] = [];
  const window = isByteSource(input) ? new SourceWindow(input) : undefined;
  const bytesOf = (start: number, end: number) => (window ? window.slice(start, end) : (input as Uint8Array).subarray(start, end));
  const reader: DatasetReader = {
    container: 'jsonl',
    *rows() {
      const decoder = new LineDecoder();
      let index = 0;
      starts.length = ends.length = lines.length = 0;
      const all = isByteSource(input) ? splitSourceLines(input, decoder, range) : splitLines(input, decoder, range);
      for (const { line, text, start, end } of all) {
        if (isBlank(text)) continue;
        starts.push(start);
        ends.push(end);
        lines.push(line);
        yield parseJsonRow(text, index++, line, 1);
      }
      reader.invalidUtf8 = decoder.invalid;
    },
    row(index) {
      if (index < 0 || index >= starts.length) return undefined;
      const text = new LineDecoder().decode(bytesOf(starts[index], ends[index]), lines[index]);
      return parseJsonRow(text, index, lines[index], 1);
    },
    locate: locateInJsonRow,
    offsets: () => ({ starts, ends }),
  };
  return reader;
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
    return { index, line, column, text, value: undefined, problem: jsonProblem(text, (e as Error).message) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return {
      index, line, column, text, value: undefined,
      problem: { rule: 'not-an-object', message: `Row is ${kind}, not a JSON object`, start: 0, end: text.length },
    };
  }
  return { index, line, column, text, value };
}

/** Turns V8's JSON.parse message into a short one with the error's position in the row. */
export function jsonProblem(text: string, raw: string): RowProblem {
  const pos = /at position (\d+)/.exec(raw);
  let start = pos ? Number(pos[1]) : undefined;
  let reason = raw
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/ in JSON at position \d+/, '')
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '')
    .replace(/^"[^"]*" is not valid JSON$/s, 'Unexpected text');
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
