import { DEFAULT_CONFIG, type Config } from './config';
import { openReader, rangeInRow, type DatasetReader, type SourceRow } from './read';
import type { JsonPath } from './read/jsonScan';
import { RULES, type RuleId } from './rules/catalog';
import { exactDuplicateGroups, findExactDuplicates } from './rules/duplicates';
import { emptyFacts, type FileFacts } from './rules/fileFacts';
import { findLabelImbalance, findLabelVariantsAndRareLabels } from './rules/labels';
import { findLengthOutliers } from './rules/lengths';
import { tokenLimit, tooLong } from './rules/limits';
import { checkEcho, checkNoise } from './rules/noise';
import { checkPrivacy } from './rules/privacy';
import type { FixSpec, RowReport, Target } from './rules/rowRule';
import { detectFormat, type FieldMap } from './schema/formats';
import { extractRow, type RowContent } from './schema/extract';
import { computeStats, type DatasetStats } from './stats';
import { normalizedHash } from './text/normalize';
import { profileText } from './text/profile';
import { TokenEstimator, utf8Length } from './text/tokens';
import type { ContainerKind, Finding, Fix, FormatName, Range, Severity, TextEdit } from './types';

export interface DatasetAnalysis {
  path: string;
  container: ContainerKind;
  format: FormatName;
  fields: FieldMap;
  rows: number;
  labels: Record<string, number>;
  /** Every finding in file order. */
  findings: Finding[];
  /** Findings per rule. */
  summary: Record<string, number>;
  stats: DatasetStats;
}

export interface AnalyzeOptions {
  /** Attach quick fixes (text edits) to findings; the editor wants them, the CLI does not. */
  fixes?: boolean;
}

const DETECTION_SAMPLE = 200;

/** Analyzes one dataset file's bytes: reads, detects the format, runs every enabled rule, and computes statistics. */
export function analyzeDataset(path: string, bytes: Uint8Array, config: Config = DEFAULT_CONFIG, options: AnalyzeOptions = {}): DatasetAnalysis {
  const reader = openReader(path, bytes);
  const rows = reader.rows()[Symbol.iterator]();
  const head: SourceRow[] = [];
  for (let r = rows.next(); !r.done; r = rows.next()) {
    head.push(r.value);
    if (head.length >= DETECTION_SAMPLE) break;
  }
  const sample = head.filter((r) => r.value !== undefined).map((r) => r.value as Record<string, unknown>);
  const hint = { format: config.format, textField: config.textField, labelField: config.labelField };
  const detection = detectFormat(sample, hint);
  const run = new Analysis(reader, detection.format, detection.fields, config, options);
  for (const row of head) run.addRow(row);
  for (let r = rows.next(); !r.done; r = rows.next()) run.addRow(r.value);
  return run.finish(path);
}

/** One pass over a file's rows; per-row rules run as rows arrive, file rules at the end. */
class Analysis {
  private readonly findings: Finding[] = [];
  private readonly facts: FileFacts = emptyFacts();
  private readonly labelIds = new Map<string, number>();
  private readonly tokens = new TokenEstimator();
  private readonly rowBytes: number[] = [];
  private readonly severities = new Map<string, Severity | undefined>();

  constructor(
    private readonly reader: DatasetReader,
    private readonly format: FormatName,
    private readonly fields: FieldMap,
    private readonly config: Config,
    private readonly options: AnalyzeOptions,
  ) {
    for (const [id, info] of Object.entries(RULES)) {
      const setting = config.rules[id];
      this.severities.set(id, setting === 'off' ? undefined : ((setting ?? info.severity) as Severity));
    }
  }

  addRow(row: SourceRow): void {
    const f = this.facts;
    f.count++;
    f.line.push(row.line);
    if (row.problem) {
      const p = row.problem;
      this.emit(row, undefined, { rule: p.rule, message: p.message }, rangeInRow(row, p.start ?? 0, p.end ?? firstLineLength(row.text)));
      this.excludeRow();
      return;
    }
    const content = extractRow(row.value as Record<string, unknown>, this.format, this.fields);
    const report = (r: RowReport) => this.emit(row, content, r);
    for (const issue of content.issues) report({ rule: issue.rule, message: issue.message, target: { path: issue.path } });
    let totalBytes = 0;
    const thresholds = this.config.thresholds;
    for (const part of content.parts) {
      const bytes = utf8Length(part.text);
      totalBytes += bytes;
      const ctx = { part, profile: profileText(part.text), thresholds, report };
      checkNoise(ctx);
      checkPrivacy(ctx);
      tooLong(ctx, bytes);
    }
    checkEcho(content, report);
    tokenLimit(content, totalBytes, this.config.maxTokens, report);
    if (content.parts.length) this.tokens.observe(content.parts.map((p) => p.text).join('\n'), totalBytes);
    const key = content.key;
    f.hash.push(key.trim() === '' ? NaN : normalizedHash(key));
    f.chars.push(key.length);
    f.label.push(content.label === undefined ? -1 : this.labelId(content.label));
    this.rowBytes.push(totalBytes);
  }

  private excludeRow(): void {
    this.facts.hash.push(NaN);
    this.facts.chars.push(0);
    this.facts.label.push(-1);
    this.rowBytes.push(-1);
  }

  private labelId(label: string): number {
    let id = this.labelIds.get(label);
    if (id === undefined) {
      id = this.facts.labelNames.length;
      this.labelIds.set(label, id);
      this.facts.labelNames.push(label);
    }
    return id;
  }

  /** Turns a rule's report into a located finding, applying the configured severity. */
  private emit(row: SourceRow, content: RowContent | undefined, r: RowReport, range?: Range): void {
    const severity = this.severities.get(r.rule);
    if (!severity) return;
    const path = resolvePath(r.target?.path, content, this.fields);
    const finding: Finding = { rule: r.rule, severity, message: r.message, ...(range ?? this.locate(row, path, r.target)) };
    if (r.related) finding.related = r.related;
    if (r.data) finding.data = r.data;
    if (this.options.fixes) {
      const fix = r.fix ? this.encodeFix(row, content, r.fix) : undefined;
      if (fix) finding.fix = fix;
    }
    this.findings.push(finding);
  }

  private locate(row: SourceRow, path: JsonPath | undefined, target: Target | undefined): Range {
    const span = path ? this.reader.locate(row, path) : undefined;
    if (!span) return rangeInRow(row, 0, firstLineLength(row.text));
    if (target?.start === undefined) return rangeInRow(row, span.start, span.end);
    return rangeInRow(row, span.rawIndex(target.start), span.rawIndex(target.end ?? target.start));
  }

  private encodeFix(row: SourceRow, content: RowContent | undefined, spec: FixSpec): Fix | undefined {
    if (spec.kind === 'delete-row') {
      // A JSON array element is not a line of its own; deleting lines would break the array.
      return this.reader.container === 'json' ? undefined : { title: spec.title, edits: [deleteRowEdit(row)] };
    }
    const path = resolvePath(spec.path, content, this.fields);
    const span = path && this.reader.locate(row, path);
    if (!span) return undefined;
    const edit: TextEdit = { ...rangeInRow(row, span.start, span.end), newText: encodeValue(this.reader.container, row.text, span, spec.value) };
    return { title: spec.title, edits: [edit] };
  }

  finish(path: string): DatasetAnalysis {
    const late = new Map<number, RowReport[]>();
    const lateReport = (row: number, r: RowReport) => {
      const list = late.get(row);
      if (list) list.push(r);
      else late.set(row, [r]);
    };
    const t = this.config.thresholds;
    const groups = exactDuplicateGroups(this.facts);
    findExactDuplicates(this.facts, groups, lateReport);
    findLabelImbalance(this.facts, t, lateReport);
    findLabelVariantsAndRareLabels(this.facts, t, lateReport);
    findLengthOutliers(this.facts, t, lateReport);
    for (const [index, reports] of late) {
      const row = index < 0 ? this.reader.row(0) : this.reader.row(index);
      if (!row) continue;
      const content = row.value === undefined ? undefined : extractRow(row.value as Record<string, unknown>, this.format, this.fields);
      for (const r of reports) {
        this.emit(row, content, r, index < 0 ? { line: 1, column: 1, endLine: 1, endColumn: 1 + firstLineLength(row.text) } : undefined);
      }
    }
    this.findings.sort((a, b) => a.line - b.line || a.column - b.column);
    const summary: Record<string, number> = {};
    for (const f of this.findings) summary[f.rule] = (summary[f.rule] ?? 0) + 1;
    const labels: Record<string, number> = {};
    for (let i = 0; i < this.facts.count; i++) {
      const l = this.facts.label[i];
      if (l >= 0) labels[this.facts.labelNames[l]] = (labels[this.facts.labelNames[l]] ?? 0) + 1;
    }
    const stats = computeStats(this.facts, this.rowBytes, this.tokens, this.findings, groups);
    if (this.reader.invalidUtf8) {
      const bad = this.reader.invalidUtf8;
      const severity = this.severities.get('invalid-utf8');
      if (severity) {
        this.findings.unshift({
          rule: 'invalid-utf8', severity, line: bad.line, column: bad.column, endLine: bad.line, endColumn: bad.column + 1,
          message: `The file is not valid UTF-8: byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')} at line ${bad.line}, column ${bad.column}; ${bad.lines} line${bad.lines === 1 ? ' was' : 's were'} read as Windows-1252`,
        });
        summary['invalid-utf8'] = 1;
      }
    }
    return {
      path, container: this.reader.container, format: this.format, fields: this.fields,
      rows: this.facts.count, labels, findings: this.findings, summary, stats,
    };
  }
}

/** Resolves the rules' symbolic paths ("@label", "@text") to the row's real field paths. */
function resolvePath(path: JsonPath | undefined, content: RowContent | undefined, fields: FieldMap): JsonPath | undefined {
  if (!path || path.length !== 1) return path;
  if (path[0] === '@label') return content?.labelPath ?? (fields.label ? [fields.label] : undefined);
  if (path[0] === '@text') return content?.parts.find((p) => p.kind === 'text' || p.kind === 'response')?.path ?? content?.parts[0]?.path;
  return path;
}

function firstLineLength(text: string): number {
  const nl = text.indexOf('\n');
  return nl < 0 ? text.length : nl;
}

/** A text edit deleting a row's whole lines including the line break after them. */
export function deleteRowEdit(row: SourceRow): TextEdit {
  let lines = 0;
  for (let i = row.text.indexOf('\n'); i >= 0; i = row.text.indexOf('\n', i + 1)) lines++;
  return { line: row.line, column: 1, endLine: row.line + lines + 1, endColumn: 1, newText: '' };
}

/** Encodes a new field value for the row's container (JSON string, or CSV field content). */
function encodeValue(container: ContainerKind, rowText: string, span: { start: number; end: number }, value: string): string {
  if (container !== 'csv') return JSON.stringify(value);
  const quoted = rowText[span.start - 1] === '"';
  const escaped = value.replace(/"/g, '""');
  if (quoted) return escaped;
  return /[",\t;|\n\r]|^\s|\s$/.test(value) ? `"${escaped}"` : value;
}

export type { RuleId };
