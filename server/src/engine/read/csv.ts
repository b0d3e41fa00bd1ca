import { parse, type Options } from 'csv-parse/sync';
import { decodeText } from './decode';
import type { DatasetReader, FieldSpan, SourceRow } from './row';

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

/** Reads CSV/TSV with csv-parse: the first record is the header; every other record is a row. */
export function csvReader(bytes: Uint8Array, options: { tsv?: boolean } = {}): DatasetReader {
  const decoded = decodeText(bytes);
  // csv-parse miscounts lines on CRLF input; lines are kept intact when only the \r is dropped.
  const text = decoded.text.replace(/\r\n/g, '\n');
  const delimiter = sniffDelimiter(text, !!options.tsv);
  const cached: SourceRow[] = [];
  let parsed = false;
  const reader: DatasetReader = {
    container: 'csv',
    invalidUtf8: decoded.invalid,
    // csv-parse's sync API parses the whole text at once; the rows are kept so a second pass is free.
    rows() {
      if (!parsed) {
        cached.push(...readRecords(text, delimiter, reader));
        parsed = true;
      }
      return cached;
    },
    row: (index) => cached[index],
    locate(row, path) {
      const col = reader.columns?.indexOf(String(path[0])) ?? -1;
      if (col < 0 || path.length !== 1) return undefined;
      const span = csvFieldSpans(row.text, delimiter)[col];
      if (!span) return undefined;
      return span;
    },
  };
  return reader;
}

function* readRecords(text: string, delimiter: string, reader: DatasetReader): Generator<SourceRow> {
  const records: { record: string[]; raw: string; info: { lines: number } }[] = [];
  let error: { code?: string } | undefined;
  try {
    parse(text, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (r: unknown) => {
        records.push(r as (typeof records)[number]);
        return null;
      },
    } as unknown as Options<string[], string[]>);
  } catch (e) {
    error = e as { code?: string };
  }
  let lastLine = 0;
  let index = 0;
  for (let i = 0; i < records.length; i++) {
    const { record, raw, info } = records[i];
    const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
    const line = info.lines - count(body, '\n');
    lastLine = info.lines;
    if (i === 0) {
      reader.columns = record.map((c) => c.trim());
      continue;
    }
    const columns = reader.columns!;
    if (record.length !== columns.length) {
      yield {
        index: index++, line, column: 1, text: body, value: undefined,
        problem: {
          rule: 'csv-field-count',
          message: `Record has ${record.length} field${record.length === 1 ? '' : 's'}; the header has ${columns.length}`,
          start: 0, end: body.indexOf('\n') < 0 ? body.length : body.indexOf('\n'),
        },
      };
      continue;
    }
    const value: Record<string, string> = {};
    columns.forEach((c, k) => (value[c] = record[k]));
    yield { index: index++, line, column: 1, text: body, value };
  }
  if (error) {
    // The quote opened on the first non-blank line after the last complete record.
    const lines = text.split('\n');
    let line = lastLine + 1;
    while (line <= lines.length && lines[line - 1].trim() === '') line++;
    const body = lines.slice(line - 1).join('\n').replace(/\n+$/, '');
    const first = lines[line - 1] ?? '';
    const isQuote = error.code === 'CSV_QUOTE_NOT_CLOSED';
    yield {
      index: index++, line, column: 1, text: body, value: undefined,
      problem: {
        rule: isQuote ? 'csv-unclosed-quote' : 'csv-field-count',
        message: isQuote
          ? `A quoted field opened here is never closed; the rest of the file (${lines.length - line} more line${lines.length - line === 1 ? '' : 's'}) cannot be read as rows`
          : `CSV could not be parsed from here: ${String((error as Error).message)}`,
        start: Math.max(0, first.indexOf('"')),
        end: first.length,
      },
    };
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** Spans of each field's content in one CSV record (inside the quotes for quoted fields). */
export function csvFieldSpans(record: string, delimiter: string): FieldSpan[] {
  const spans: FieldSpan[] = [];
  let i = 0;
  const n = record.length;
  for (;;) {
    if (record[i] === '"') {
      const start = i + 1;
      let j = start;
      while (j < n) {
        if (record[j] === '"') {
          if (record[j + 1] === '"') j += 2;
          else break;
        } else j++;
      }
      spans.push(quotedSpan(record, start, j));
      i = j + 1;
      while (i < n && record[i] !== delimiter) i++;
    } else {
      const start = i;
      while (i < n && record[i] !== delimiter) i++;
      const end = i;
      spans.push({ start, end, rawIndex: (d) => start + d });
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
