import {
  assembleAnalysis, fileLevelRuleSteps, FindingBuilder, lateRowFindings, mergeInOrder, ROW_PASS_PART, RowAnalyzer, ROWS_PER_STEP, sameReports, sampleTokens,
  type AnalyzeOptions, type DatasetAnalysis, type FileLevel, type RowAccess, type RowOutput, type RowPassResult,
} from './analyze';
import { annotationShapeOf, type Detection } from './detection';
import { lengthOutliers, sameLengthOutliers } from '../rules/lengths';
import { changedCounts } from '../select';
import { recountFindings, type FindingCounts } from '../report/stats';
import { buildBandTable } from '../similarity/bandTable';
import { emptyFacts, LabelIds, type FileFacts } from '../rules/fileFacts';
import { spliced, type Column } from '../columns';
import type { Config } from '../config';
import { jsonlReader, locateInJsonRow, parseJsonRow } from '../read/jsonl';
import type { SourceRow } from '../read';
import { detectFormat } from '../schema/formats';
import type { Finding } from '../types';
import { tokenizerLoaded, TokenEstimator, type TokenSample } from '../text/tokens';
import type { RowReport } from '../rules/rowRule';
import type { DuplicateGroup } from '../rules/duplicates';
import { FILE_RULES } from '../rules/fileRules';
import { finish, within, type Steps } from './steps';

/** What a line of the model is: not analyzed since it changed, blank, or an analyzed row. */
const UNKNOWN = 0;
const BLANK = 1;
const ROW = 2;

/** Lines whose change can change the detected format (the detection sample is the first 200 rows). */
const DETECTION_LINES = 200;

/** Up to this many changed lines, an analysis tries to keep the last file-level step's decisions. */
const QUICK_MAX_CHANGED = 16;
/** And up to this many rows to make again (changed rows and the rows of the duplicate groups they touch). */
const QUICK_MAX_REBUILT = 256;

/** What an analysis leaves for the next one to start from (see IncrementalDataset.quickFinish). */
interface LastAnalysis {
  /** Its findings in line order; end[i] is the count of those on lines up to line i. */
  findings: Finding[];
  end: Int32Array;
  level: FileLevel;
  counts: FindingCounts;
  /** The duplicate groups by their rows' hash. */
  groupOf: Map<number, DuplicateGroup>;
  facts: FileFacts;
  rowBytes: Int32Array;
  /** The line index of each row. */
  rowLines: Int32Array;
}

/** What a changed line was at the last analysis. */
interface Before {
  state: number;
  hash: number;
  label: number;
  traits: number;
}

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

/** For findings in line order, the count of those on lines up to each of n lines. */
function lineEnds(findings: Finding[], n: number): Int32Array {
  const end = new Int32Array(n);
  for (let i = 0, k = 0; i < n; i++) {
    while (k < findings.length && findings[k].line <= i + 1) k++;
    end[i] = k;
  }
  return end;
}

/** How many entries of a column are the value. */
function count(column: Uint8Array, value: number): number {
  let n = 0;
  for (let i = 0; i < column.length; i++) if (column[i] === value) n++;
  return n;
}

/** The index of a value in an ascending array (which holds it). */
function binarySearch(a: Int32Array, value: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
   * Per-line columns of what the file-level step needs of each analyzed row, so a re-check reads
   * arrays instead of a hundred thousand objects; `state` says which lines are analyzed rows.
   */
  private state = new Uint8Array(0);
  private hashes = new Float64Array(0);
  private chars = new Int32Array(0);
  private traits = new Uint16Array(0);
  private bytes = new Int32Array(0);
  /** The row's label as an id of labelIds (the model's own, in order of first sight), or -1. */
  private labels = new Int32Array(0);
  /** 1 when the row's cached output must be read: it has findings or near-duplicate band keys. */
  private consult = new Uint8Array(0);
  private readonly labelIds = new LabelIds();
  /**
   * The rows' findings in line order at the last analysis, with `end[i]` the count up to line i: the
   * next analysis copies the unchanged lines' share of it instead of reading every row's object.
   * Dropped when lines move (an edit adds or removes lines).
   */
  private lineFindings: { all: Finding[]; end: Int32Array } | undefined;
  /** Lines analyzed since the last analysis. */
  private changedLines: number[] = [];
  /**
   * The last analysis's findings in line order (`end[i]`: the count up to line i) and its file-level
   * decisions; dropped when lines move. With `before` (what each line edited since was then), an
   * edit that leaves the decisions standing is checked without the file-level step (see quickFinish).
   */
  private last: LastAnalysis | undefined;
  private readonly before = new Map<number, Before>();
  /** How the last analysis was made: 'quick' when it kept the file-level step's decisions. */
  lastCheck: 'full' | 'quick' = 'full';

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
    this.setLines(text.split('\n'));
  }

  /** setText with the text already split at '\n' (each piece keeps a '\r' before its '\n'); the model keeps the array. */
  setLines(lines: string[]): void {
    this.lines = lines;
    this.cache = new Array(this.lines.length);
    this.lineFindings = undefined;
    this.last = undefined;
    this.resizeColumns(0, this.state.length, this.lines.length);
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
    this.resizeColumns(start.line, Math.max(0, removed), replaced.length);
    if (start.line < DETECTION_LINES) this.detection = undefined;
  }

  /** Replaces `removed` lines of the columns at `at` with `inserted` lines not analyzed yet. */
  private resizeColumns(at: number, removed: number, inserted: number): void {
    if (removed === inserted) {
      for (let i = at; i < at + inserted; i++) {
        if (!this.before.has(i)) this.before.set(i, { state: this.state[i], hash: this.hashes[i], label: this.labels[i], traits: this.traits[i] });
      }
      this.state.fill(UNKNOWN, at, at + inserted);
      return;
    }
    this.lineFindings = undefined;
    this.last = undefined;
    this.before.clear();
    const resize = <T extends Column>(a: T): T => spliced(a, at, removed, inserted);
    this.state = resize(this.state);
    this.hashes = resize(this.hashes);
    this.chars = resize(this.chars);
    this.traits = resize(this.traits);
    this.bytes = resize(this.bytes);
    this.labels = resize(this.labels);
    this.consult = resize(this.consult);
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** The document's text as the model holds it. */
  get text(): string {
    return this.lines.join('\n');
  }

  analyze(): DatasetAnalysis {
    return finish(this.steps());
  }

  /**
   * analyze() in steps (see Steps), for the editor, which must answer requests while a big file's
   * first analysis runs. A host may stop between any two steps (the text changed, the user
   * cancelled): the lines analyzed so far stay analyzed, and the next analysis goes on from there.
   * Edits wait for the steps to end or be stopped: the lines must not move under a running pass.
   */
  *steps(): Steps<DatasetAnalysis> {
    const detection = this.detect();
    // Rows (the analyzed non-blank lines) and their line indexes, set below; the accessors read them.
    let rows = 0;
    let rowLines: Int32Array = new Int32Array(0);
    const access: RowAccess = {
      container: 'jsonl',
      row: (index) => {
        if (index < 0 || index >= rows) return undefined;
        const i = rowLines[index];
        // Rows that file-level rules report on are parsed once and kept until their line changes.
        const cached = this.entry(i);
        let row = cached.source;
        if (!row) {
          const text = this.lines[i];
          row = parseJsonRow(text.endsWith('\r') ? text.slice(0, -1) : text, index, i + 1, 1);
          cached.source = row;
        }
        return row.index === index && row.line === i + 1 ? row : { ...row, index, line: i + 1 };
      },
      locate: locateInJsonRow,
      lateFindings: (index, reports, make) => {
        const cached = index >= 0 && index < rows ? this.entry(rowLines[index]) : undefined;
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
    const n = this.lines.length;
    yield* this.analyzeChanged(analyzer, n);
    // The token sample: the first rows' texts, counted exactly once and kept with their outputs.
    const tokens = new TokenEstimator();
    if (!this.deferTokenizer || tokenizerLoaded()) {
      for (let i = 0; i < n && !tokens.full; i++) {
        if (this.state[i] !== ROW || this.bytes[i] <= 0) continue;
        let output = this.cache[i]?.output;
        if (!output || (output.sampleTokens === undefined && output.sampleText === undefined)) output = this.analyzeLine(analyzer, i, true)!;
        tokens.add(output.bytes, sampleTokens(output));
      }
    }
    // A quick check (see quickFinish) starts from the last analysis's facts: its rows are the same rows.
    const last = this.last;
    if (last && !analyzer.sketcher) {
      rowLines = last.rowLines;
      rows = last.facts.count;
    }
    const quick = last && !analyzer.sketcher ? this.quickFinish(last, access, detection, tokens.sample) : undefined;
    this.before.clear();
    this.lastCheck = quick ? 'quick' : 'full';
    if (quick) return quick;
    // The file-level step makes its decisions afresh: an analysis stopped on the way leaves none
    // for a quick check to start from (the lines edited since would be missing from them).
    this.last = undefined;
    // The rows' facts, from the columns (a loop of its own: long functions with several loops are
    // compiled mid-loop and thrown away again at the next, which an analysis per keystroke pays for).
    const { facts, rowBytes, bandColumns, lines } = this.facts(n, analyzer.sketcher?.bandsPerRow ?? 0);
    rowLines = lines;
    rows = facts.count;
    facts.bandTables = bandColumns.length > 0 ? [buildBandTable(bandColumns, rows)] : [];
    const pass: RowPassResult = { findings: this.rowFindings(n), facts, rowBytes, tokens: tokens.sample };
    const rules = yield* within(fileLevelRuleSteps(this.path, access, detection, this.config, this.options, pass), ROW_PASS_PART, 1);
    const { analysis, level } = rules();
    const { findingsByRule, findingsBySeverity, rowsWithErrors, rowsWithWarnings } = analysis.stats;
    // The duplicate groups by their rows' hash, for quick checks to update.
    const groupOf = new Map(level.groups.map((g) => [facts.hash[g.rows[0]], g]));
    const counts = { findingsByRule, findingsBySeverity, rowsWithErrors, rowsWithWarnings };
    this.last = { findings: analysis.findings, end: lineEnds(analysis.findings, n), level, counts, groupOf, facts, rowBytes, rowLines };
    return analysis;
  }

  /**
   * The analysis after an edit that leaves the file-level step's decisions standing but for the
   * duplicate groups it touches, made from the last one's: every changed line is a row before and
   * after and keeps its label, the length-outlier bounds hold, and the first row (whose text the
   * file-level findings' range spans) is unchanged and in no touched group. Then only the changed
   * rows and the rows of the duplicate groups they leave or join get their findings made again;
   * everything else is the last analysis's. Undefined when the edit does not qualify (the full step runs).
   */
  private quickFinish(last: LastAnalysis, access: RowAccess, detection: Detection, tokens: TokenSample): DatasetAnalysis | undefined {
    const { rowLines, groupOf } = last;
    if (this.before.size > QUICK_MAX_CHANGED || last.end.length !== this.lines.length || rowLines.length === 0) return undefined;
    // The rows to make again (by row index): the changed ones and those of the groups they touch.
    const rebuild = new Set<number>();
    const touched = new Set<number>();
    for (const i of this.before.keys()) {
      const was = this.before.get(i)!;
      // A row whose language or Chinese-text traits changed may change the language rules' decisions.
      if (was.state !== ROW || this.state[i] !== ROW || was.label !== this.labels[i] || was.traits !== this.traits[i] || i === rowLines[0]) return undefined;
      rebuild.add(binarySearch(rowLines, i));
      const hash = this.hashes[i];
      if (groupOf.has(was.hash)) touched.add(was.hash);
      if (groupOf.has(hash) || this.shared(hash, i)) touched.add(hash);
    }
    // The last analysis's facts with the changed rows' entries replaced (its own arrays stay as they
    // were), and the counts made of them changed by as much.
    const facts: FileFacts = { ...last.facts, hash: last.facts.hash.slice(), chars: last.facts.chars.slice() };
    const rowBytes = last.rowBytes.slice();
    const lengthChanges: [number, number][] = [];
    const charChanges: [number, number][] = [];
    const byteChanges: [number, number][] = [];
    const change = (r: number, delta: number) => {
      if (!Number.isNaN(facts.hash[r])) lengthChanges.push([facts.chars[r], delta]);
      if (rowBytes[r] >= 0) {
        charChanges.push([facts.chars[r], delta]);
        byteChanges.push([rowBytes[r], delta]);
      }
    };
    for (const i of this.before.keys()) {
      const r = binarySearch(rowLines, i);
      change(r, -1);
      facts.hash[r] = this.hashes[i];
      facts.chars[r] = this.chars[i];
      rowBytes[r] = this.bytes[i];
      change(r, +1);
    }
    const pass: RowPassResult = { findings: [], facts, rowBytes, tokens };
    const counted = changedCounts(last.level.lengthCounts, lengthChanges);
    const lengths = lengthOutliers(counted, this.config.thresholds);
    if (!sameLengthOutliers(lengths, last.level.lengths)) return undefined;
    const { summaries } = last.level;
    const summarized = { chars: changedCounts(summaries.chars, charChanges), bytes: changedCounts(summaries.bytes, byteChanges), labels: summaries.labels };
    // The touched groups as they are now, and their rows' reports.
    const groups: DuplicateGroup[] = [];
    for (const hash of touched) {
      const rows: number[] = [];
      for (let r = 0; r < facts.count; r++) if (facts.hash[r] === hash) rows.push(r);
      // The group's rows then and now: those still holding the hash, and the changed ones (added above).
      for (const r of rows) rebuild.add(r);
      groupOf.delete(hash);
      if (rows.length > 1) {
        const group = { rows };
        groupOf.set(hash, group);
        groups.push(group);
      }
      if (rebuild.size > QUICK_MAX_REBUILT) return undefined;
    }
    // The first row's line also holds the file-level findings (label-imbalance): remaking that
    // line's findings from the row's reports alone would drop them.
    if (rebuild.has(0)) return undefined;
    // Each file-level rule's reports of a row, made again from the decisions kept (a rule without
    // a quick form did not run: near-duplicate search needs sketches, and with them no check is quick).
    const reportsOf = FILE_RULES.flatMap((rule) => (rule.quick ? [rule.quick(last.level, facts, groups)] : []));
    const out = new FindingBuilder(access, detection.fields, this.config, this.options);
    const findings: Finding[] = [];
    const end = last.end.slice();
    const replaced: { before: Finding[]; after: Finding[] }[] = [];
    const rows = [...rebuild].sort((x, y) => x - y);
    let from = 0;
    for (let c = 0; c < rows.length; c++) {
      const r = rows[c];
      const i = rowLines[r];
      const start = i > 0 ? last.end[i - 1] : 0;
      for (let k = from; k < start; k++) findings.push(last.findings[k]);
      from = last.end[i];
      // The row's file-level reports, in the order the full step makes them (the order of FILE_RULES).
      const reports: RowReport[] = [];
      for (const again of reportsOf) for (const report of again(r) ?? []) reports.push(report);
      const late = reports.length ? lateRowFindings(out, access, detection, r, reports) : [];
      const after = mergeInOrder(this.ownFindings(i), late.slice());
      replaced.push({ before: last.findings.slice(start, last.end[i]), after });
      for (const f of after) findings.push(f);
      // The lines from this one to the next rebuilt one end where they did, moved by the change so far.
      const shift = findings.length - last.end[i];
      if (shift !== 0) {
        const next = c + 1 < rows.length ? rowLines[rows[c + 1]] : end.length;
        for (let j = i; j < next; j++) end[j] = last.end[j] + shift;
      }
    }
    for (let k = from; k < last.findings.length; k++) findings.push(last.findings[k]);
    const counts = recountFindings(last.counts, replaced);
    const analysis = assembleAnalysis(this.path, access, detection, this.config, this.options, pass, findings, [...groupOf.values()], { clusters: 0, rows: 0 }, summarized, counts);
    const level = { ...last.level, lengthCounts: counted, summaries: summarized };
    this.last = { findings, end, level, counts, groupOf, facts, rowBytes, rowLines };
    return analysis;
  }

  /**
   * Analyzes the lines not analyzed since they changed (all of them, the first time), ROWS_PER_STEP
   * of them a step: an edit's few lines take no step at all.
   */
  private *analyzeChanged(analyzer: RowAnalyzer, n: number): Steps<void> {
    for (let i = this.analyzeSome(analyzer, 0, n); i < n; i = this.analyzeSome(analyzer, i, n)) yield (ROW_PASS_PART * i) / n;
  }

  /** Analyzes up to ROWS_PER_STEP lines not analyzed yet from line `from` on; gives the line to go on from. */
  private analyzeSome(analyzer: RowAnalyzer, from: number, n: number): number {
    let analyzed = 0;
    for (let i = from; i < n; i++) {
      if (this.state[i] !== UNKNOWN) continue;
      this.analyzeLine(analyzer, i, false);
      if (++analyzed === ROWS_PER_STEP) return i + 1;
    }
    return n;
  }

  /** The rows' facts from the per-line columns; only rows with band keys are read as objects. */
  private facts(n: number, bandsPerRow: number): { facts: FileFacts; rowBytes: Int32Array; bandColumns: Uint32Array[]; lines: Int32Array } {
    const rows = count(this.state, ROW);
    const rowLines = new Int32Array(rows);
    const facts = emptyFacts(bandsPerRow);
    facts.count = rows;
    facts.line = new Int32Array(rows);
    facts.hash = new Float64Array(rows);
    facts.label = new Int32Array(rows);
    facts.chars = new Int32Array(rows);
    facts.traits = new Uint16Array(rows);
    const rowBytes = new Int32Array(rows);
    const bandColumns = Array.from({ length: bandsPerRow }, () => new Uint32Array(rows));
    // Label ids in order of first appearance in the file, as a fresh analysis numbers them.
    const labelId = new Int32Array(this.labelIds.names.length).fill(-1);
    for (let i = 0, r = 0; i < n; i++) {
      if (this.state[i] !== ROW) continue;
      rowLines[r] = i;
      facts.line[r] = i + 1;
      facts.hash[r] = this.hashes[i];
      facts.chars[r] = this.chars[i];
      facts.traits[r] = this.traits[i];
      rowBytes[r] = this.bytes[i];
      const l = this.labels[i];
      if (l >= 0 && labelId[l] < 0) {
        labelId[l] = facts.labelNames.length;
        facts.labelNames.push(this.labelIds.names[l]);
      }
      facts.label[r] = l < 0 ? -1 : labelId[l];
      if (bandColumns.length > 0 && this.consult[i]) {
        const bands = this.cache[i]!.output.bands;
        if (bands) for (let t = 0; t < bandColumns.length; t++) bandColumns[t][r] = bands[t];
      }
      r++;
    }
    return { facts, rowBytes, bandColumns, lines: rowLines };
  }

  /** Whether a row other than line i has the hash. */
  private shared(hash: number, i: number): boolean {
    if (Number.isNaN(hash)) return false;
    const hashes = this.hashes;
    const state = this.state;
    for (let j = 0; j < hashes.length; j++) if (hashes[j] === hash && j !== i && state[j] === ROW) return true;
    return false;
  }

  /** The cache entry of the row on line i, made from the columns for a row without findings (which has none until asked for). */
  private entry(i: number): CachedRow {
    let cached = this.cache[i];
    if (!cached) {
      const label = this.labels[i];
      const output: RowOutput = {
        findings: [], hash: this.hashes[i], label: label < 0 ? undefined : this.labelIds.names[label], chars: this.chars[i], traits: this.traits[i], bytes: this.bytes[i],
        sampleText: undefined, sampleTokens: undefined, bands: undefined,
      };
      this.cache[i] = cached = { output, line: i + 1, source: undefined, late: undefined };
    }
    return cached;
  }

  /** The findings of line i's own row, at the line it is on now. */
  private ownFindings(i: number): Finding[] {
    if (this.state[i] !== ROW || !this.consult[i]) return [];
    const cached = this.cache[i]!;
    return cached.line === i + 1 ? cached.output.findings : shifted(cached.output.findings, i + 1 - cached.line);
  }

  /** The rows' findings in line order: the last analysis's with the changed lines' replaced, or made afresh. */
  private rowFindings(n: number): Finding[] {
    const previous = this.lineFindings;
    const findings: Finding[] = [];
    const end = new Int32Array(n);
    const own = (i: number) => this.ownFindings(i);
    if (previous && previous.end.length === n) {
      const changed = new Uint8Array(n);
      for (const i of this.changedLines) changed[i] = 1;
      for (let i = 0, from = 0; i < n; i++) {
        const to = previous.end[i];
        if (changed[i]) for (const f of own(i)) findings.push(f);
        else for (let k = from; k < to; k++) findings.push(previous.all[k]);
        from = to;
        end[i] = findings.length;
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (this.consult[i] && this.state[i] === ROW) for (const f of own(i)) findings.push(f);
        end[i] = findings.length;
      }
    }
    this.lineFindings = { all: findings, end };
    this.changedLines = [];
    return findings;
  }

  /** Analyzes one line (blank lines are no rows) and records its row in the cache and the columns. */
  private analyzeLine(analyzer: RowAnalyzer, i: number, keepSampleText: boolean): RowOutput | undefined {
    const text = this.lines[i];
    this.changedLines.push(i);
    if (isBlank(text)) {
      this.state[i] = BLANK;
      this.cache[i] = undefined;
      return undefined;
    }
    const clean = text.endsWith('\r') ? text.slice(0, -1) : text;
    const output = analyzer.analyzeRow(parseJsonRow(clean, 0, i + 1, 1), keepSampleText);
    // The band keys are the analyzer's scratch array; the cache keeps its own copy.
    if (output.bands) output.bands = output.bands.slice();
    // Most rows have no findings: the columns hold all that is known of them, and an entry is made
    // only if a file-level rule comes to report on one (see entry()).
    const keep = output.findings.length > 0 || output.bands !== undefined || output.sampleText !== undefined;
    this.cache[i] = keep ? { output, line: i + 1, source: undefined, late: undefined } : undefined;
    this.state[i] = ROW;
    this.hashes[i] = output.hash;
    this.chars[i] = output.chars;
    this.traits[i] = output.traits;
    this.bytes[i] = output.bytes;
    this.labels[i] = output.label === undefined ? -1 : this.labelIds.id(output.label);
    this.consult[i] = output.findings.length > 0 || output.bands ? 1 : 0;
    return output;
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
    const annotators = annotationShapeOf(format, sample, this.config);
    this.detection = this.cachedUnder = { format, fields, ...(annotators ? { annotators } : {}) };
    if (!previous || previous.format !== format || JSON.stringify(previous.fields) !== JSON.stringify(fields) || JSON.stringify(previous.annotators) !== JSON.stringify(annotators)) {
      this.cache = new Array(this.lines.length);
      this.state.fill(UNKNOWN);
      this.lineFindings = undefined;
      this.last = undefined;
    }
    return this.detection;
  }
}
