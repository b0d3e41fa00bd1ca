import { parse, type Options } from 'csv-parse/sync';

/**
 * How a CSV/TSV file is laid out, decided from the evidence of the file itself: whether quotes
 * quote (TSV), whether the first record is a header. Every decision here is one a person would
 * make looking at the file; where the evidence is torn, the reader says so with a finding.
 */

/** One record of the file: its fields, its exact text and where it sits. */
export interface CsvRecord {
  fields: string[];
  /** The record's source text without its final line break (quoted fields may hold line breaks). */
  text: string;
  /** 1-based line of the record's first character. */
  line: number;
  /** Physical lines the record spans. */
  lines: number;
}

export interface QuotedParse {
  records: CsvRecord[];
  /** Set when csv-parse stopped (an unclosed quote): the records before it are good. */
  error?: { code?: string; message: string };
}

/**
 * Reads records with RFC 4180 quoting, as csv-parse reads them: a quoted field may hold delimiters,
 * quotes and line breaks. Records in the strict form (each field either without any quote, or wholly
 * quoted with its inner quotes doubled) have one reading, which every CSV reader gives; they are read
 * here directly, at a fraction of csv-parse's cost (it takes ~20 ns a byte, building each record's raw
 * text and position a character at a time). The first record of any other form (a quote inside an
 * unquoted field, text after a closing quote) and any lone carriage return (csv-parse takes the first
 * line break it meets for the record delimiter) send the whole text to csv-parse (parseWithCsvParse),
 * whose relaxed reading of such records is the reading. A quote opened and never closed ends the
 * records as csv-parse ends them: with CSV_QUOTE_NOT_CLOSED.
 */
export function parseQuoted(text: string, delimiter: string): QuotedParse {
  if (delimiter.length !== 1 || text.includes('\r')) return parseWithCsvParse(text, delimiter);
  const sep = delimiter.charCodeAt(0);
  const records: CsvRecord[] = [];
  const n = text.length;
  let pos = 0;
  let line = 1;
  while (pos < n) {
    if (text.charCodeAt(pos) === 10) {
      pos++;
      line++;
      continue;
    }
    const start = pos;
    const fields: string[] = [];
    let quoted = false;
    for (;;) {
      if (text.charCodeAt(pos) === 34) {
        quoted = true;
        let value = '';
        let from = pos + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) return { records, error: { code: 'CSV_QUOTE_NOT_CLOSED', message: `Quote Not Closed: the parsing is finished with an opening quote at line ${line}` } };
          if (text.charCodeAt(q + 1) === 34) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          pos = q + 1;
          break;
        }
        fields.push(value);
      } else {
        const from = pos;
        for (; pos < n; pos++) {
          const c = text.charCodeAt(pos);
          if (c === sep || c === 10) break;
          if (c === 34) return parseWithCsvParse(text, delimiter);
        }
        fields.push(text.slice(from, pos));
      }
      const c = text.charCodeAt(pos);
      if (c === sep) {
        pos++;
        continue;
      }
      if (pos >= n || c === 10) break;
      return parseWithCsvParse(text, delimiter);
    }
    const body = text.slice(start, pos);
    const lines = quoted ? count(body, '\n') + 1 : 1;
    records.push({ fields, text: body, line, lines });
    line += lines;
    pos++;
  }
  return { records };
}

/** parseQuoted by csv-parse alone (relax_quotes: a quote inside an unquoted field is text). */
export function parseWithCsvParse(text: string, delimiter: string): QuotedParse {
  const records: CsvRecord[] = [];
  let error: QuotedParse['error'];
  try {
    parse(text, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (r: { record: string[]; raw: string; info: { lines: number } }) => {
        const body = r.raw.replace(/^\n+/, '').replace(/\n$/, '');
        const lines = count(body, '\n') + 1;
        records.push({ fields: r.record, text: body, line: r.info.lines - lines + 1, lines });
        return null;
      },
    } as unknown as Options<string[], string[]>);
  } catch (e) {
    error = { code: (e as { code?: string }).code, message: (e as Error).message };
  }
  return { records, error };
}

/** Reads records literally, as IANA TSV defines them: one record per line, quotes are characters like any other. */
export function parseLiteral(text: string, delimiter: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 0;
  let from = 0;
  while (from <= text.length) {
    let nl = text.indexOf('\n', from);
    if (nl < 0) nl = text.length;
    line++;
    const body = text.slice(from, nl);
    if (body !== '') records.push({ fields: body.split(delimiter), text: body, line, lines: 1 });
    from = nl + 1;
  }
  return records;
}

/** What the file's quotes turned out to be, and the counts behind an ambiguous decision. */
export interface QuotingDecision {
  quoting: boolean;
  /** Set when neither reading is clean: both counts, for the `tsv-quote` finding. */
  ambiguous?: { literalRows: number; literalBad: number; quotedRows: number; quotedBad: number; line: number };
}

/**
 * Decides whether a TSV file's quotes quote. IANA TSV has no quoting, and SMS or tweet corpora
 * hold texts that begin with a quote and never close it: read with CSV quoting, such a quote runs
 * on and swallows the records after it. So the literal reading wins whenever every physical line
 * already has the header's field count, unless the file bears a CSV writer's mark; quoting is
 * taken when it alone makes every record whole (fields with tabs or line breaks inside quotes).
 */
export function decideTsvQuoting(literal: CsvRecord[], quoted: QuotedParse): QuotingDecision {
  const quoteLine = literal.find((r) => r.fields.some((f) => f.startsWith('"')))?.line;
  if (quoteLine === undefined || literal.length === 0) return { quoting: false };
  const width = literal[0].fields.length;
  const literalBad = literal.filter((r) => r.fields.length !== width).length;
  const quotedWidth = quoted.records[0]?.fields.length ?? width;
  const quotedBad = quoted.records.filter((r) => r.fields.length !== quotedWidth).length + (quoted.error ? 1 : 0);
  if (literalBad === 0) {
    // Read literally, the file is already whole; only a CSV writer's unmistakable mark (every quoted
    // field wrapped, and somewhere a doubled inner quote) says its quotes quote.
    const sameRecords = !quoted.error && quoted.records.length === literal.length;
    const escaped = literal.some((r) => r.fields.some((f) => f.startsWith('"') && f.slice(1, -1).includes('""')));
    return { quoting: sameRecords && escaped && literal.every((r) => r.fields.every(isWellQuoted)) };
  }
  if (quotedBad === 0 && quoted.records.length < literal.length) return { quoting: true };
  return {
    quoting: false,
    ambiguous: { literalRows: literal.length - 1, literalBad, quotedRows: Math.max(0, quoted.records.length - 1), quotedBad, line: quoteLine },
  };
}

/** True for a field without quotes, or one wholly quoted with its inner quotes doubled (as CSV writers write them). */
function isWellQuoted(field: string): boolean {
  if (!field.startsWith('"')) return true;
  if (field.length < 2 || !field.endsWith('"')) return false;
  return !/(^|[^"])"("")*([^"]|$)/.test(field.slice(1, -1));
}

/** Lower-case field names that mark a first record as a header. */
const HEADER_WORDS = new Set([
  'text', 'sentence', 'content', 'review', 'document', 'input', 'query', 'label', 'labels', 'category', 'class', 'target',
  'sentiment', 'intent', 'instruction', 'output', 'response', 'context', 'prompt', 'completion', 'chosen', 'rejected',
  'id', 'title', 'body', 'question', 'answer', 'tweet', 'message', 'comment', 'tag', 'tags', 'topic', 'score', 'rating', 'source',
]);

/** Records after the first looked at to decide whether it is a header. */
const HEADER_SAMPLE = 50;

/**
 * Whether a file's first record is a header rather than data, in the manner of Python's
 * csv.Sniffer.has_header: a first value that names a field, or that differs in kind from the
 * values below it (a short word over long texts, a word over numbers), speaks for a header; a first
 * value that recurs in its column (a label such as "ham"), or is of a kind with the values below it,
 * speaks for data. A tie is a header, the traditional default.
 */
export function looksLikeHeader(first: string[], rest: string[][]): boolean {
  const below = rest.filter((r) => r.length === first.length).slice(0, HEADER_SAMPLE);
  if (below.length === 0) return true;
  let score = 0;
  first.forEach((raw, c) => {
    const h = raw.trim();
    if (h === '') return;
    if (HEADER_WORDS.has(h.toLowerCase())) {
      score += 2;
      return;
    }
    const values = below.map((r) => r[c].trim());
    if (values.includes(h)) {
      score -= 2;
      return;
    }
    if (values.every(isNumber)) {
      score += isNumber(h) ? -1 : 1;
      return;
    }
    const median = medianLength(values);
    if (median >= 20) {
      if (h.length < median / 3 && !/\s/.test(h)) score += 1;
      else if (h.length >= median / 2) score -= 1;
    }
  });
  return score >= 0;
}

function isNumber(s: string): boolean {
  return s !== '' && Number.isFinite(Number(s));
}

function medianLength(values: string[]): number {
  const lengths = values.map((v) => v.length).sort((a, b) => a - b);
  return lengths[Math.floor(lengths.length / 2)] ?? 0;
}

/** Names for the columns of a file without a header: col1, col2… */
export function numberedColumns(count: number): string[] {
  return Array.from({ length: count }, (_, k) => `col${k + 1}`);
}

/**
 * A quoted CSV field that runs over lines which each look like a whole record is more likely a
 * missing closing quote than a multi-line text: each swallowed line must have the header's field
 * count, and a value where the file keeps a few known values (its labels) when it has such a
 * column; without one, only files of three or more columns are judged (with two, a line of prose
 * with one comma would look like a record).
 */
export function swallowedRecordLines(record: CsvRecord, width: number, known: Map<number, Set<string>>, splitLine: (line: string) => string[]): number[] {
  if (record.lines < 2) return [];
  if (known.size === 0 && width < 3) return [];
  const lines = record.text.split('\n').slice(1);
  // The last line holds the quote that closed the field: what came before it was swallowed.
  const last = lines.length - 1;
  const close = lines[last].lastIndexOf('"');
  if (close >= 0) lines[last] = lines[last].slice(0, close);
  const swallowed: number[] = [];
  for (const [k, line] of lines.entries()) {
    const fields = splitLine(line.startsWith('"') ? line.slice(1) : line);
    if (fields.length !== width) return [];
    for (const [c, values] of known) if (!values.has(fields[c].trim())) return [];
    swallowed.push(record.line + k + 1);
  }
  return swallowed;
}

/**
 * Columns of few distinct short values among the first `limit` whole single-line records (labels,
 * flags): index → values. Only the file's first records are looked at, so that a reader of a range
 * of the file can be given the same columns (see csvLayout).
 */
export function knownValueColumns(records: CsvRecord[], width: number, limit = Infinity): Map<number, Set<string>> {
  const single: CsvRecord[] = [];
  for (const r of records) {
    if (single.length >= limit) break;
    if (r.lines === 1 && r.fields.length === width) single.push(r);
  }
  const out = new Map<number, Set<string>>();
  if (single.length < 5) return out;
  for (let c = 0; c < width; c++) {
    const values = new Set(single.map((r) => r.fields[c].trim()));
    const informative = values.size >= 2 && values.size <= Math.min(20, single.length / 3);
    if (informative && [...values].every((v) => v.length <= 40)) out.set(c, values);
  }
  return out;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}
