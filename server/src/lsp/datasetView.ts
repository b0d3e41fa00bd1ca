import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clusterRows, decodeText, findingsByRow, OptionsError, queryRowTable, readRowTable, rowActionEdits, rowOfLine, rowScore, rowTokens, toBytes, type Config, type DatasetAnalysis, type Finding, type RowTable } from '../engine';
import { toLspEdit } from './convert';
import { DatasetRowsRequest, type DatasetEditRequest, type DatasetRowFinding, type DatasetRowsQuery, type DatasetRowView } from '../protocol';

/**
 * The server side of the dataset view: a dataset's rows read once per text (the open document's
 * version, or the file on disk as it was analyzed), the findings of the server's analysis put on
 * them, and each query's row positions kept, so scrolling asks for pages without filtering again.
 */

/** What the view needs of the server: a URI's analysis as it is now, the open document's text, a file's settings. */
export interface DatasetViewHost {
  analyzed(uri: string): Promise<{ analysis: DatasetAnalysis; version: number; mtimeMs?: number } | undefined>;
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
  /** Each near-duplicate cluster's rows (positions), by the cluster's number. */
  clusters: Map<number, number[]>;
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
    const positions = this.positions(entry, params.query);
    if ('problems' in positions) return positions;
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
      clusters: [...entry.clusters].map(([cluster, rows]) => ({ cluster, rows: rows.length })),
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
    const entry: TableEntry = { stamp, table, analysis, byRow, rules, clusters: clusterRows(table, byRow), queries: new Map() };
    this.tables.delete(uri);
    this.tables.set(uri, entry);
    while (this.tables.size > KEEP) this.tables.delete(this.tables.keys().next().value!);
    return entry;
  }

  /**
   * Answers DatasetEditRequest: the edits of an action on the rows a query selects or on the rows
   * starting at the lines given, computed on the very text whose rows the view showed (`version`: the
   * open document's, or -1, the file on disk as the server last read it). Anything that moved since —
   * the document edited, the file rewritten, another count of rows for the query — is refused in
   * words, so an action never lands on rows the person did not see.
   */
  async edit(params: DatasetEditRequest.Params): Promise<DatasetEditRequest.Result> {
    const file = fileURLToPath(params.uri);
    const moved = { problems: [this.say(`${file} changed since its rows were shown: look at them again before changing them`)] };
    try {
      const doc = this.host.document(params.uri);
      const held = await this.host.analyzed(params.uri);
      if (!held) return moved;
      if (doc) {
        // Rows shown from disk, the file opened since for the edit (the view of a closed file): the same
        // text, when the document has no change of its own.
        // (The file decoded as the editor decodes it: without a byte order mark, UTF-16 as text.)
        const opened = params.version === -1 && !params.dirty && held.version === doc.version && doc.text === decodeText(fs.readFileSync(file)).text;
        if (!opened && (doc.version !== params.version || held.version !== params.version)) return moved;
      } else if (params.dirty || params.version !== -1 || held.version !== -1 || (held.mtimeMs !== undefined && fs.statSync(file).mtimeMs !== held.mtimeMs)) return moved;
      let lines: number[];
      if ('lines' in params) lines = params.lines;
      else {
        const entry = this.entry(params.uri, held.analysis, held.version);
        const positions = this.positions(entry, params.query);
        if ('problems' in positions) return positions;
        lines = positions.map((i) => entry.table.rows[i].line);
        if (lines.length !== params.matched) return moved;
      }
      const bytes = doc ? toBytes(doc.text) : new Uint8Array(fs.readFileSync(file));
      const { edits, rows, problems } = rowActionEdits(file, bytes, this.host.configOf(file), params.action, lines);
      return { edits: edits.map(toLspEdit), rows, selected: lines.length, problems: problems.map((p) => this.say(p)) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') return { problems: [this.say(`${file} cannot be read (${code})`)] };
      throw e;
    }
  }

  /** The row positions a query selects (kept for the next page), or the query's problems in the client's words. */
  private positions(entry: TableEntry, query: DatasetRowsQuery): number[] | { problems: string[] } {
    const q = {
      label: query.label, rule: query.rule || undefined, severity: query.severity, cluster: query.cluster,
      text: query.text || undefined, regex: !!query.regex, sort: query.sort ?? 'line',
      ...(query.sort === 'field' && query.sortField !== undefined ? { sortField: query.sortField } : {}),
    };
    const key = JSON.stringify(q);
    let found = entry.queries.get(key);
    if (!found) {
      try {
        found = queryRowTable(entry.table, entry.byRow, q, entry.clusters);
      } catch (e) {
        if (e instanceof OptionsError) return { problems: e.problems.map((p) => this.say(p)) };
        throw e;
      }
      entry.queries.set(key, found);
      if (entry.queries.size > QUERIES_KEPT) entry.queries.delete(entry.queries.keys().next().value!);
    }
    return found;
  }
}

function rowView(entry: TableEntry, index: number, say: (message: string) => string): DatasetRowView {
  const row = entry.table.rows[index];
  const own = entry.byRow.get(index);
  const findings: DatasetRowFinding[] = (own ?? []).map((f) => ({ rule: f.rule, severity: f.severity, message: say(f.message), line: f.line, column: f.column }));
  const text = cut(row.text);
  const tokens = rowTokens(row);
  const twins = twinsOf(entry, index);
  return {
    index, line: row.line, endLine: row.endLine, text, length: row.length,
    ...(row.label !== undefined ? { label: row.label } : {}),
    tokens: tokens.tokens,
    ...(tokens.estimated ? { tokensEstimated: true } : {}),
    other: row.other,
    ...(row.broken ? { broken: true } : {}),
    findings,
    score: rowScore(own),
    ...(row.parts ? { parts: row.parts.map((p) => ({ name: p.name, text: cut(row.text.slice(p.start, p.end)) })) } : {}),
    ...(twins.length ? { twins } : {}),
  };
}

const cut = (text: string) => (text.length > DatasetRowsRequest.TEXT_CHARS ? `${text.slice(0, DatasetRowsRequest.TEXT_CHARS)}…` : text);

/** Rules whose findings point at another row of the same file worth reading beside this one. */
const TWIN_RULES = new Set(['exact-duplicate', 'near-duplicate', 'conflicting-labels']);
/** Rows shown beside a row at most. */
const TWINS = 3;

/** The rows of the same file a row duplicates, nearly duplicates or contradicts, with their texts. */
function twinsOf(entry: TableEntry, index: number): NonNullable<DatasetRowView['twins']> {
  const out: NonNullable<DatasetRowView['twins']> = [];
  for (const f of entry.byRow.get(index) ?? []) {
    if (!TWIN_RULES.has(f.rule)) continue;
    for (const r of f.related ?? []) {
      if (r.path !== undefined || out.length >= TWINS) continue;
      const at = rowOfLine(entry.table, r.line);
      if (at < 0 || at === index || out.some((t) => t.line === entry.table.rows[at].line)) continue;
      const twin = entry.table.rows[at];
      out.push({ rule: f.rule, line: twin.line, text: cut(twin.text), ...(twin.label !== undefined ? { label: twin.label } : {}), ...(f.similarity !== undefined ? { similarity: f.similarity } : {}) });
    }
  }
  return out;
}
