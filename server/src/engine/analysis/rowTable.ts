import type { Detection } from './detection';
import { containerOfPath, openReader, type CsvHeaderOptions } from '../read';
import type { ByteSource } from '../read/source';
import { extractRow } from '../schema/extract';
import { OptionsError } from '../optionsError';
import { rowScore } from '../report/stats';
import { measureTokens, utf8Length } from '../text/tokens';
import { SEVERITY_ORDER, type ContainerKind, type Finding, type Severity } from '../types';

/**
 * The rows of a dataset as the dataset view shows them: each row's text (a conversation as "role:
 * content" lines), label and other fields, and the queries the view asks of them (filter by label,
 * by rule, by text; sort by length), answered as row positions so the host sends only a page.
 */

/** One row as the table shows it. */
export interface TableRow {
  /** 1-based lines the row spans (a CSV record may span several). */
  line: number;
  endLine: number;
  /** What a model would read of the row; a row that did not parse shows its source text. */
  text: string;
  label?: string;
  /** Characters of `text`. */
  length: number;
  /** The row's other top-level fields, as short text. */
  other: Record<string, string>;
  /** True when the row could not be read as a record (its findings say why). */
  broken?: boolean;
  /**
   * A row of several texts (a conversation's turns, an instruction's prompt and response): each part's
   * name (the role, or the field) and where its text sits in `text`, so the view can show the turns.
   */
  parts?: TablePart[];
}

export interface TablePart {
  name: string;
  start: number;
  end: number;
}

export interface RowTable {
  rows: TableRow[];
  /** The names of the other fields, in the order they were first seen. */
  otherFields: string[];
  /** Rows per label, most common first. */
  labels: { name: string; rows: number }[];
}

/** What the view asks for: the rows with a label, with findings of a rule, containing a text; in an order. */
export interface RowQuery {
  label?: string;
  rule?: string;
  /** Rows whose worst finding is at least this severe. */
  severity?: Severity;
  /** Rows of this near-duplicate cluster (its number in the file, as near-duplicate findings give it). */
  cluster?: number;
  /** Rows whose text, label or other fields contain this (case-insensitive), or match it as a regular expression. */
  text?: string;
  regex?: boolean;
  sort?: RowSort;
  /** The other field `field` sorts by. */
  sortField?: string;
}

/**
 * File order; by length; by label (then file order); most severe findings first (then most findings);
 * `score`: the lowest row score (rowScore) first; `text`: by the text's code points (rows that start
 * alike together); `field`: by the other field RowQuery.sortField (rows without it last).
 */
export type RowSort = 'line' | 'length-asc' | 'length-desc' | 'label' | 'findings' | 'score' | 'text' | 'field';

/** Other fields longer than this are cut (the row's side panel is for reading its text, not every field whole). */
const OTHER_FIELD_CHARS = 200;

/** Reads every row of a file's bytes for the table, as its analysis read them (`detection` is usually the analysis). */
export function readRowTable(path: string, input: Uint8Array | ByteSource, detection: Detection & { container?: ContainerKind }, csv: CsvHeaderOptions = {}): RowTable {
  const rows: TableRow[] = [];
  const otherFields = new Set<string>();
  const counts = new Map<string, number>();
  const used = new Set(Object.values(detection.fields));
  for (const row of openReader(path, input, containerOfPath(path) ?? detection.container, csv).rows()) {
    const endLine = row.line + countNewlines(row.text);
    if (row.problem || row.value === null || typeof row.value !== 'object' || Array.isArray(row.value)) {
      rows.push({ line: row.line, endLine, text: row.text, length: row.text.length, other: {}, broken: true });
      continue;
    }
    const value = row.value as Record<string, unknown>;
    const content = extractRow(value, detection.format, detection.fields);
    let text = '';
    const parts: TablePart[] = [];
    for (const p of content.parts) {
      if (text) text += '\n';
      const role = p.name.endsWith(')') ? roleOf(p.name) : undefined;
      if (role !== undefined) text += `${role}: `;
      parts.push({ name: role ?? p.name, start: text.length, end: text.length + p.text.length });
      text += p.text;
    }
    const other: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (used.has(k)) continue;
      otherFields.add(k);
      const shown = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
      other[k] = shown.length > OTHER_FIELD_CHARS ? `${shown.slice(0, OTHER_FIELD_CHARS)}…` : shown;
    }
    if (content.label !== undefined) counts.set(content.label, (counts.get(content.label) ?? 0) + 1);
    rows.push({ line: row.line, endLine, text, ...(content.label !== undefined ? { label: content.label } : {}), length: text.length, other, ...(parts.length > 1 ? { parts } : {}) });
  }
  const labels = [...counts].map(([name, n]) => ({ name, rows: n })).sort((a, b) => b.rows - a.rows || a.name.localeCompare(b.name));
  return { rows, otherFields: [...otherFields], labels };
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1 && i < s.length - 1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** "messages[2].content (assistant)" → "assistant". */
function roleOf(name: string): string {
  return /\(([^()]*)\)$/.exec(name)?.[1] ?? name;
}

/** Findings about the whole file rather than a row of it (shown on line 1 in the editor). */
const WHOLE_FILE_RULES = new Set(['label-imbalance']);

/**
 * The findings of each row, by the row's position in the table. Findings about the whole file (label
 * balance, on line 1) belong to no row and are left out; a finding inside a multi-line record goes to
 * the record it sits in.
 */
export function findingsByRow(table: RowTable, findings: readonly Finding[]): Map<number, Finding[]> {
  const out = new Map<number, Finding[]>();
  for (const f of findings) {
    if (WHOLE_FILE_RULES.has(f.rule)) continue;
    const line = f.row?.line ?? f.line;
    const at = rowAt(table.rows, line);
    if (at < 0 || table.rows[at].endLine < line) continue;
    const list = out.get(at);
    if (list) list.push(f);
    else out.set(at, [f]);
  }
  return out;
}

/** The position of the last row starting at or before `line`, or -1. */
function rowAt(rows: readonly TableRow[], line: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].line <= line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The positions of the rows a query selects, in its order (file order unless sorted; rows equal in
 * the sort's key stay in file order). A regular expression that does not compile is an OptionsError
 * in the user's words.
 */
export function queryRowTable(table: RowTable, byRow: Map<number, Finding[]>, query: RowQuery, clusters?: Map<number, number[]>): number[] {
  const match = textMatcher(query);
  const least = query.severity ? SEVERITY_ORDER[query.severity] : -1;
  const inCluster = query.cluster !== undefined ? new Set((clusters ?? clusterRows(table, byRow)).get(query.cluster) ?? []) : undefined;
  const out: number[] = [];
  table.rows.forEach((row, i) => {
    if (query.label !== undefined && row.label !== query.label) return;
    if (query.rule && !byRow.get(i)?.some((f) => f.rule === query.rule)) return;
    if (least >= 0 && worstOf(byRow.get(i)) < least) return;
    if (inCluster && !inCluster.has(i)) return;
    if (match && !match(row)) return;
    out.push(i);
  });
  const rows = table.rows;
  if (query.sort === 'length-asc') out.sort((a, b) => rows[a].length - rows[b].length || a - b);
  else if (query.sort === 'length-desc') out.sort((a, b) => rows[b].length - rows[a].length || a - b);
  else if (query.sort === 'label') out.sort((a, b) => compareLabels(rows[a].label, rows[b].label) || a - b);
  else if (query.sort === 'findings') {
    const worst = new Map(out.map((i) => [i, worstOf(byRow.get(i))]));
    out.sort((a, b) => worst.get(b)! - worst.get(a)! || (byRow.get(b)?.length ?? 0) - (byRow.get(a)?.length ?? 0) || a - b);
  } else if (query.sort === 'score') {
    const score = new Map(out.map((i) => [i, rowScore(byRow.get(i))]));
    out.sort((a, b) => score.get(a)! - score.get(b)! || a - b);
  } else if (query.sort === 'text') out.sort((a, b) => (rows[a].text < rows[b].text ? -1 : rows[a].text > rows[b].text ? 1 : a - b));
  else if (query.sort === 'field' && query.sortField !== undefined) {
    const name = query.sortField;
    out.sort((a, b) => compareLabels(rows[a].other[name], rows[b].other[name]) || a - b);
  }
  return out;
}

/** The rank of a row's worst finding (SEVERITY_ORDER), -1 for a row without findings. */
function worstOf(findings: readonly Finding[] | undefined): number {
  let worst = -1;
  for (const f of findings ?? []) worst = Math.max(worst, SEVERITY_ORDER[f.severity]);
  return worst;
}

/** Labels (or a field's values) in code-point order, rows without one last. */
function compareLabels(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/**
 * The rows of each near-duplicate cluster, by the cluster's number: the rows its near-duplicate
 * findings sit on and the cluster's first row (which carries no finding of its own), in file order.
 */
export function clusterRows(table: RowTable, byRow: Map<number, Finding[]>): Map<number, number[]> {
  const sets = new Map<number, Set<number>>();
  for (const [i, findings] of byRow) {
    for (const f of findings) {
      if (f.cluster === undefined) continue;
      let set = sets.get(f.cluster);
      if (!set) sets.set(f.cluster, (set = new Set()));
      set.add(i);
      const first = rowOfLine(table, Number(f.data?.firstLine));
      if (first >= 0) set.add(first);
    }
  }
  return new Map([...sets].sort((a, b) => a[0] - b[0]).map(([c, set]) => [c, [...set].sort((a, b) => a - b)]));
}

/** The position of the row holding `line` (a multi-line record holds several), or -1. */
export function rowOfLine(table: RowTable, line: number): number {
  const at = rowAt(table.rows, line);
  return at >= 0 && table.rows[at].endLine >= line ? at : -1;
}

function textMatcher(query: RowQuery): ((row: TableRow) => boolean) | undefined {
  const wanted = query.text ?? '';
  if (wanted === '') return undefined;
  let test: (s: string) => boolean;
  if (query.regex) {
    let re: RegExp;
    try {
      re = new RegExp(wanted, 'iu');
    } catch (e) {
      throw new OptionsError([`"${wanted}" is not a regular expression the search understands (${(e as Error).message.replace(/^Invalid regular expression: /, '')}); turn off "regex" to search for the text as typed.`]);
    }
    test = (s) => re.test(s);
  } else {
    const lower = wanted.toLowerCase();
    test = (s) => s.toLowerCase().includes(lower);
  }
  return (row) => test(row.text) || (row.label !== undefined && test(row.label)) || Object.values(row.other).some(test);
}

/** A row's tokens as token-limit counts them: each part's (a long text counted on its start and estimated past it). */
export function rowTokens(row: TableRow): { tokens: number; estimated: boolean } {
  let tokens = 0;
  let estimated = false;
  const texts = row.parts ? row.parts.map((p) => row.text.slice(p.start, p.end)) : [row.text];
  for (const text of texts) {
    const count = measureTokens(text, utf8Length(text), 0);
    tokens += count.tokens;
    estimated ||= count.estimated;
  }
  return { tokens, estimated };
}
