import { finishAnalysis, RowAnalyzer, RowPass, sameReports, type AnalyzeOptions, type DatasetAnalysis, type Detection, type RowAccess, type RowOutput } from './analyze';
import type { Config } from './config';
import { jsonlReader, locateInJsonRow, parseJsonRow } from './read/jsonl';
import type { SourceRow } from './read';
import { detectFormat } from './schema/formats';
import type { Finding } from './types';
import { tokenizerLoaded } from './text/tokens';
import type { RowReport } from './rules/rowRule';

/** Lines whose change can change the detected format (the detection sample is the first 200 rows). */
const DETECTION_LINES = 200;

interface CachedRow {
  output: RowOutput;
  /** The 1-based line the findings were computed at; they shift when lines above are inserted or removed. */
  line: number;
  /** The parsed row, once a file-level rule needed it. */
  source?: SourceRow;
  /** The row's file-level findings, with the reports they were made from. */
  late?: { reports: RowReport[]; findings: Finding[] };
}

/** A line edit in editor terms: 0-based positions, end exclusive, as LSP content changes give them. */
export interface LineEdit {
  start: { line: number; character: number };
  end: { line: number; character: number };
  text: string;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function shifted(findings: Finding[], delta: number): Finding[] {
  if (delta === 0) return findings;
  return findings.map((f) => ({
    ...f,
    line: f.line + delta,
    endLine: f.endLine + delta,
    ...(f.row ? { row: { line: f.row.line + delta, endLine: f.row.endLine + delta } } : {}),
    ...(f.fix ? { fix: { ...f.fix, edits: f.fix.edits.map((e) => ({ ...e, line: e.line + delta, endLine: e.endLine + delta })) } } : {}),
  }));
}

/**
 * A JSONL document the editor keeps open: edits replace lines, only changed lines are analyzed
 * again, and the file-level rules run over the cached facts of every other row.
 */
export class IncrementalDataset {
  private lines: string[] = [];
  private cache: (CachedRow | undefined)[] = [];
  private detection: Detection | undefined;
  /** The detection the cached rows were analyzed under. */
  private cachedUnder: Detection | undefined;

  /**
   * @param deferTokenizer calibrate the token estimate only once the tokenizer is loaded (see
   *   `loadTokenizer`): the first diagnostics of a big file then do not wait for it
   */
  constructor(
    private readonly path: string, private readonly config: Config, private readonly options: AnalyzeOptions = {},
    private readonly deferTokenizer = false,
  ) {}

  /** Replaces the whole text (opening a document, or a change without a range). */
  setText(text: string): void {
    this.lines = text.split('\n');
    this.cache = new Array(this.lines.length);
    this.detection = undefined;
  }

  /** Applies one editor change; only the lines it touches are analyzed again. */
  applyEdit(edit: LineEdit): void {
    const { start, end } = edit;
    const first = this.lines[start.line] ?? '';
    const last = this.lines[end.line] ?? '';
    const replaced = (first.slice(0, start.character) + edit.text + last.slice(end.character)).split('\n');
    const removed = Math.min(end.line, this.lines.length - 1) - start.line + 1;
    this.lines.splice(start.line, Math.max(0, removed), ...replaced);
    this.cache.splice(start.line, Math.max(0, removed), ...new Array<CachedRow | undefined>(replaced.length));
    if (start.line < DETECTION_LINES) this.detection = undefined;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** The document's text as the model holds it. */
  get text(): string {
    return this.lines.join('\n');
  }

  analyze(): DatasetAnalysis {
    const detection = this.detect();
    const access: RowAccess = {
      container: 'jsonl',
      row: (index) => {
        if (index < 0 || index >= rows) return undefined;
        const i = rowLines[index];
        // Rows that file-level rules report on are parsed once and kept until their line changes.
        const cached = this.cache[i];
        let row = cached?.source;
        if (!row) {
          const text = this.lines[i];
          row = parseJsonRow(text.endsWith('\r') ? text.slice(0, -1) : text, index, i + 1, 1);
          if (cached) cached.source = row;
        }
        return row.index === index && row.line === i + 1 ? row : { ...row, index, line: i + 1 };
      },
      locate: locateInJsonRow,
      lateFindings: (index, reports, make) => {
        const cached = index >= 0 && index < rows ? this.cache[rowLines[index]] : undefined;
        if (!cached) return make();
        const delta = rowLines[index] + 1 - cached.line;
        if (cached.late && sameReports(cached.late.reports, reports)) return shifted(cached.late.findings, delta);
        const findings = make();
        // Stored at the row's cached line, as its row findings are, so the same shift applies later.
        cached.late = { reports, findings: shifted(findings, -delta) };
        return findings;
      },
    };
    const analyzer = new RowAnalyzer(access, detection, this.config, this.options);
    const pass = new RowPass(access, detection, this.config, this.options, !this.deferTokenizer || tokenizerLoaded(), this.lines.length);
    // The line index of every row (rows are the non-blank lines).
    const rowLines = new Int32Array(this.lines.length);
    let rows = 0;
    for (let i = 0; i < this.lines.length; i++) {
      const text = this.lines[i];
      let cached = this.cache[i];
      if (!cached && isBlank(text)) continue;
      const line = i + 1;
      const wantSample = !pass.calibrated;
      if (!cached || (wantSample && cached.output.sampleText === undefined && cached.output.bytes > 0)) {
        const clean = text.endsWith('\r') ? text.slice(0, -1) : text;
        const output = analyzer.analyzeRow(parseJsonRow(clean, rows, line, 1), wantSample);
        // The band keys are the analyzer's scratch array; the cache keeps its own copy.
        if (output.bands) output.bands = output.bands.slice();
        cached = { output, line, source: undefined, late: undefined };
        this.cache[i] = cached;
      }
      const output = cached.line === line ? cached.output : { ...cached.output, findings: shifted(cached.output.findings, line - cached.line) };
      rowLines[rows++] = i;
      pass.add(line, output);
    }
    return finishAnalysis(this.path, access, detection, this.config, this.options, pass.result());
  }

  private detect(): Detection {
    if (this.detection) return this.detection;
    const sample: Record<string, unknown>[] = [];
    const reader = jsonlReader(new TextEncoder().encode(this.lines.slice(0, DETECTION_LINES * 2).join('\n')));
    let seen = 0;
    for (const row of reader.rows()) {
      if (row.value !== undefined) sample.push(row.value as Record<string, unknown>);
      if (++seen >= DETECTION_LINES) break;
    }
    const { format, fields } = detectFormat(sample, { format: this.config.format, textField: this.config.textField, labelField: this.config.labelField });
    const previous = this.cachedUnder;
    this.detection = this.cachedUnder = { format, fields };
    if (!previous || previous.format !== format || JSON.stringify(previous.fields) !== JSON.stringify(fields)) this.cache = new Array(this.lines.length);
    return this.detection;
  }
}
