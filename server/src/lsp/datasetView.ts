import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findingsByRow, OptionsError, queryRowTable, readRowTable, toBytes, type Config, type DatasetAnalysis, type Finding, type RowTable } from '../engine';
import { DatasetRowsRequest, type DatasetRowFinding, type DatasetRowsQuery, type DatasetRowView } from '../protocol';

/**
 * The server side of the dataset view: a dataset's rows read once per text (the open document's
 * version, or the file on disk as it was analyzed), the findings of the server's analysis put on
 * them, and each query's row positions kept, so scrolling asks for pages without filtering again.
 */

/** What the view needs of the server: a URI's analysis as it is now, the open document's text, a file's settings. */
export interface DatasetViewHost {
  analyzed(uri: string): Promise<{ analysis: DatasetAnalysis; version: number } | undefined>;
  /** The open document's text and version, or undefined for a file that is not open. */
  document(uri: string): { text: string; version: number } | undefined;
  configOf(file: string): Config;
  /** An engine message (a finding's, a problem with the query) in the client's language; English when left out. */
  translate?: (message: string) => string;
}

interface TableEntry {
  stamp: string;
  table: RowTable;
  analysis: DatasetAnalysis;
  byRow: Map<number, Finding[]>;
  rules: { rule: string; rows: number }[];
  /** Row positions per query (JSON of the query), the last few asked. */
  queries: Map<string, number[]>;
}

/** Tables kept: a view or two open, each with the file it shows. */
const KEEP = 3;
const QUERIES_KEPT = 8;

export class DatasetViews {
  private readonly tables = new Map<string, TableEntry>();

  constructor(private readonly host: DatasetViewHost) {}

  private say(message: string): string {
    return this.host.translate ? this.host.translate(message) : message;
  }

  /** Answers DatasetRowsRequest. */
  async rows(params: DatasetRowsRequest.Params): Promise<DatasetRowsRequest.Result> {
    const held = await this.host.analyzed(params.uri);
    if (!held) return null;
    const entry = this.entry(params.uri, held.analysis, held.version);
    let positions: number[];
    try {
      positions = this.positions(entry, params.query);
    } catch (e) {
      if (e instanceof OptionsError) return { problems: e.problems.map((p) => this.say(p)) };
      throw e;
    }
    const offset = Math.max(0, Math.min(Math.floor(params.offset) || 0, positions.length));
    const limit = Math.max(0, Math.min(Math.floor(params.limit) || 0, DatasetRowsRequest.MAX_LIMIT));
    const rows = positions.slice(offset, offset + limit).map((i) => rowView(entry, i, (m) => this.say(m)));
    return {
      format: held.analysis.format,
      total: entry.table.rows.length,
      matched: positions.length,
      offset,
      rows,
      labels: entry.table.labels,
      rules: entry.rules,
      otherFields: entry.table.otherFields,
      version: held.version,
    };
  }

  /** Lets go of a URI's table (its document closed). */
  forget(uri: string): void {
    this.tables.delete(uri);
  }

  /** The table of the text the analysis was made from: read again only when the text or the analysis changed. */
  private entry(uri: string, analysis: DatasetAnalysis, version: number): TableEntry {
    const doc = this.host.document(uri);
    const file = fileURLToPath(uri);
    const stamp = doc && doc.version === version ? `v${doc.version}` : `disk:${fs.statSync(file).mtimeMs}`;
    const known = this.tables.get(uri);
    if (known && known.stamp === stamp && known.analysis === analysis) return known;
    const bytes = doc && doc.version === version ? toBytes(doc.text) : new Uint8Array(fs.readFileSync(file));
    const table = known?.stamp === stamp ? known.table : readRowTable(file, bytes, analysis, this.host.configOf(file));
    const byRow = findingsByRow(table, analysis.findings);
    const counts = new Map<string, number>();
    for (const list of byRow.values()) for (const rule of new Set(list.map((f) => f.rule))) counts.set(rule, (counts.get(rule) ?? 0) + 1);
    const rules = [...counts].map(([rule, rows]) => ({ rule, rows })).sort((a, b) => b.rows - a.rows || a.rule.localeCompare(b.rule));
    const entry: TableEntry = { stamp, table, analysis, byRow, rules, queries: new Map() };
    this.tables.delete(uri);
    this.tables.set(uri, entry);
    while (this.tables.size > KEEP) this.tables.delete(this.tables.keys().next().value!);
    return entry;
  }

  private positions(entry: TableEntry, query: DatasetRowsQuery): number[] {
    const q = { label: query.label, rule: query.rule || undefined, text: query.text || undefined, regex: !!query.regex, sort: query.sort ?? 'line' };
    const key = JSON.stringify(q);
    let found = entry.queries.get(key);
    if (!found) {
      found = queryRowTable(entry.table, entry.byRow, q);
      entry.queries.set(key, found);
      if (entry.queries.size > QUERIES_KEPT) entry.queries.delete(entry.queries.keys().next().value!);
    }
    return found;
  }
}

function rowView(entry: TableEntry, index: number, say: (message: string) => string): DatasetRowView {
  const row = entry.table.rows[index];
  const findings: DatasetRowFinding[] = (entry.byRow.get(index) ?? []).map((f) => ({ rule: f.rule, severity: f.severity, message: say(f.message), line: f.line, column: f.column }));
  const text = row.text.length > DatasetRowsRequest.TEXT_CHARS ? `${row.text.slice(0, DatasetRowsRequest.TEXT_CHARS)}…` : row.text;
  return {
    index, line: row.line, endLine: row.endLine, text, length: row.length,
    ...(row.label !== undefined ? { label: row.label } : {}),
    other: row.other,
    ...(row.broken ? { broken: true } : {}),
    findings,
  };
}
