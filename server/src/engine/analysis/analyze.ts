// Room: analysis. Runs the rules over a file: the per-row pass (RowAnalyzer, RowPass) gathers each
// row's findings and facts, then the file-level step runs FILE_RULES (rules/fileRules.ts) over the
// facts and makes the statistics. The same two halves run sharded over worker threads (shards.ts),
// in ~30 ms steps for a host that must stay responsive (steps.ts), and line by line in the editor's
// model (incremental.ts). Findings over a per-rule cap are counted, not kept (findingBudget.ts);
// packedFindings/postedAnalysis carry an analysis across threads; detection.ts detects the format.
import { DEFAULT_CONFIG, type Config } from '../config';
import { openReader, rangeInRow, type DatasetContainer, type SourceRow } from '../read';
import { fileEncoding, type InvalidUtf8 } from '../read/decode';
import { ENCODING_TITLES, type EncodingName } from '../read/encoding';
import type { JsonPath } from '../read/jsonScan';
import type { FieldSpan } from '../read/row';
import { RULES, type RuleId } from '../rules/catalog';
import { countsWithOmitted, FindingBudget, type OmittedFindings } from './findingBudget';
import type { DuplicateGroup } from '../rules/duplicates';
import type { NearDuplicateCounts } from '../rules/nearDuplicates';
import { emptyFacts, LabelIds, type FileFacts } from '../rules/fileFacts';
import { FILE_RULES, startFileRules, type FileRuleDecisions } from '../rules/fileRules';
import { spliced, type Column } from '../columns';
import { tokenLimit, tooLong } from '../rules/limits';
import { checkAnnotators } from '../rules/annotators';
import type { AnnotationShape } from '../labels/agreement';
import { checkEcho, checkNoise, NOISE_RULES } from '../rules/noise';
import { checkPrivacy, checkUnreadableRow, PRIVACY_RULES, UNREADABLE_ROW_RULES } from '../rules/privacy';
import type { FixSpec, RowReport, Target } from '../rules/rowRule';
import type { FieldMap } from '../schema/formats';
import { detectDatasetFormat, type Detection } from './detection';
import { extractRow, type RowContent, type TextPart } from '../schema/extract';
import { unusableIssue } from '../schema/usableRows';
import { computeStats, countedRows, findingCounts, qualityScore, rowSummaries, type DatasetStats, type FindingCounts, type RowSummaries } from '../report/stats';
import { RowSketcher, sketchesNeeded } from '../similarity/rowSketch';
import { buildRowIndex, type RowIndex } from '../similarity/rowIndex';
import { buildBandTable } from '../similarity/bandTable';
import { rowShingleSet } from '../similarity/shingles';
import { normalizedHash } from '../text/normalize';
import { hanVariants } from '../text/hanVariants';
import { keyProfile, profileText, type KeyProfile } from '../text/profile';
import { LANGUAGES, rowTraits, TRAIT } from '../text/scripts';
import { measureTokens, sampleTokenCount, TokenEstimator, utf8Length, type TokenSample } from '../text/tokens';
import { parseJsonRow } from '../read/jsonl';
import { countNewlines } from '../read/source';
import { finish, within, type Steps } from './steps';
import type { ContainerKind, Finding, Fix, FormatName, Range, Severity, TextEdit } from '../types';

export interface DatasetAnalysis {
  path: string;
  container: ContainerKind;
  format: FormatName;
  fields: FieldMap;
  /** Where several annotators' labels are, when the file has them (its detection's: the setting or its first rows). */
  annotators?: AnnotationShape;
  rows: number;
  labels: Record<string, number>;
  /** Every finding in file order. */
  findings: Finding[];
  /** Findings per rule. */
  summary: Record<string, number>;
  /**
   * The encoding the file was read in: 'utf-8', 'utf-8-bom', 'utf-16le'/'utf-16be', or the legacy
   * encoding its lines that are not UTF-8 were read in ('windows-1252', 'gb18030', 'shift_jis'…).
   * 'utf-8' for an editor's document: the editor decoded it.
   */
  encoding: EncodingName;
  stats: AnalysisStats;
  /** The compact per-row index cross-file-leak needs (only when asked for with `rowIndex`). */
  rowIndex?: RowIndex;
  /** Findings counted but not kept, over the cap of AnalyzeOptions.maxFindingsPerRule (omittedPerRule counts them per rule). */
  omitted?: OmittedFindings;
  /** How the file was read where a person would want to know: guessed fields, no header row, quotes read as text. */
  notes?: ReadingNote[];
  /** What the label model said (labelCheckJson): set by a host that ran it (the CLI's check), never by the rule pass. */
  labelQuality?: Record<string, unknown>;
}

/** One sentence on how a file was read; `unknown-field` is a setting that names a field the file lacks (an error for the CLI). */
export interface ReadingNote {
  kind: 'guessed-fields' | 'no-header' | 'quotes-as-text' | 'unknown-field';
  message: string;
  /** A few words of it, for the CodeLens: "no header row (col1, col2)", "guessed text = col2". */
  brief: string;
}

/** The statistics of a file, with the near-duplicate clusters the file-level step found. */
export type AnalysisStats = DatasetStats & {
  /** Near-duplicate clusters (two or more near-identical rows, exact repeats aside). */
  nearDuplicateClusters: number;
  /** Rows flagged near-duplicate: every cluster member but its first row. */
  nearDuplicateRows: number;
};

export interface AnalyzeOptions {
  /** Attach quick fixes (text edits) to findings; the editor wants them, the CLI does not. */
  fixes?: boolean;
  /** Keep the per-row index (line, hash, near-duplicate band keys) on the analysis, for cross-file-leak. */
  rowIndex?: boolean;
  /**
   * Look for near-duplicates (default true). The editor's keystroke path turns it off for big files
   * and runs it in the background instead: near-duplicate search is file-wide, not per line.
   */
  nearDuplicates?: boolean;
  /**
   * How to read the bytes, for a file whose name does not say (the host sniffed it: sniffContainer);
   * default: by the path's extension.
   */
  container?: DatasetContainer;
  /**
   * Keep at most this many findings per rule (the CLI's --max-findings-per-rule); the rest are
   * counted, not made (FindingBudget), so a file of millions of findings checks in bounded memory.
   * Unset (the editor, whose model must equal a fresh analysis): every finding is kept.
   */
  maxFindingsPerRule?: number;
  /**
   * Count the first texts exactly with the tokenizer to calibrate the statistics' token estimate
   * (default true). A host that reads no statistics (a split's grouping: hashes and sketches only)
   * turns it off and spares loading the tokenizer; the statistics then use the uncalibrated estimate.
   */
  tokenSample?: boolean;
  /** With rowIndex: keep the pass's band tables on the row index (RowIndex.bandTables), for a split's grouping. */
  keepBandTables?: boolean;
  /**
   * With rowIndex: keep what a split plans from on the row index (RowIndex.split: each row's label and
   * usability, a JSON Lines file's row byte ranges), so the split need not read every row again.
   */
  splitFacts?: boolean;
}

/** How the file-level step reaches rows again after the pass (to locate findings raised at the end). */
export interface RowAccess {
  container: ContainerKind;
  row(index: number): SourceRow | undefined;
  locate(row: SourceRow, path: JsonPath): FieldSpan | undefined;
  /** What the reader noted on how it read the file (a CSV without a header row…), once rows were read. */
  readonly notes?: ReadingNote[];
  /** A JSON Lines file's row byte ranges, once rows were read (as DatasetReader.offsets). */
  offsets?(): { starts: Float64Array; ends: Float64Array };
  /**
   * The editor's model remembers a row's file-level findings: when the same reports come again for
   * an unchanged row (the usual case after an edit elsewhere) it returns the findings it made before
   * (`sameReports` tells).
   */
  lateFindings?(index: number, reports: RowReport[], make: () => Finding[]): Finding[];
}

/** What the per-row pass leaves for the file-level rules: plain data, so worker threads can send it. */
export interface RowPassResult {
  findings: Finding[];
  facts: FileFacts;
  /** UTF-8 bytes of each row's texts, -1 for rows with structure errors. */
  rowBytes: Int32Array;
  tokens: TokenSample;
  invalidUtf8?: InvalidUtf8;
  /** Findings counted over the per-rule cap but not kept (maxFindingsPerRule). */
  omitted?: OmittedFindings;
  /** The file's encoding (see DatasetAnalysis), when it was read from bytes. */
  encoding?: EncodingName;
}


/** Analyzes one dataset file's bytes: reads, detects the format, runs every enabled rule, and computes statistics. */
export function analyzeDataset(path: string, bytes: Uint8Array, config: Config = DEFAULT_CONFIG, options: AnalyzeOptions = {}): DatasetAnalysis {
  return finish(analysisSteps(path, bytes, config, options));
}

/** Rows analyzed between two steps of a long analysis (a few milliseconds of work). */
export const ROWS_PER_STEP = 1000;

/** Of an analysis's time, about the part the per-row pass takes (the file-level step takes the rest): for progress. */
export const ROW_PASS_PART = 0.8;

/** analyzeDataset in steps (see Steps), for a host that must stay responsive: the language server's worker. */
export function* analysisSteps(path: string, bytes: Uint8Array, config: Config = DEFAULT_CONFIG, options: AnalyzeOptions = {}): Steps<DatasetAnalysis> {
  const reader = openReader(path, bytes, options.container, config);
  const detection = detectDatasetFormat(reader.rows(), config);
  const pass = new RowPass(reader, detection, config, options);
  // Counted once a file turns out to be long enough to take steps: how far the pass is goes by lines.
  let lines = 0;
  let rows = 0;
  for (const row of reader.rows()) {
    pass.addRow(row);
    if (++rows % ROWS_PER_STEP !== 0) continue;
    lines ||= countNewlines(bytes, 0, bytes.length) + 1;
    yield ROW_PASS_PART * Math.min(1, row.line / lines);
  }
  const result = pass.result();
  result.invalidUtf8 = reader.invalidUtf8;
  result.encoding = fileEncoding(bytes, reader.invalidUtf8);
  const rules = yield* within(fileLevelRuleSteps(path, reader, detection, config, options, result), ROW_PASS_PART, 1);
  return rules().analysis;
}

/** Effective severity per rule, undefined for rules turned off. */
function severities(config: Config): Map<string, Severity | undefined> {
  const map = new Map<string, Severity | undefined>();
  for (const [id, info] of Object.entries(RULES)) {
    const setting = config.rules[id];
    map.set(id, setting === 'off' ? undefined : ((setting ?? info.severity) as Severity));
  }
  return map;
}

/**
 * A finding with every field present (absent ones undefined, which JSON leaves out) in one order:
 * all findings share one shape, so the passes over tens of thousands of them stay monomorphic.
 */
export function makeFinding(
  rule: string, severity: Severity, message: string, at: Range, related?: Finding['related'], data?: Finding['data'],
  similarity?: number, cluster?: number, row?: Finding['row'], fix?: Fix,
): Finding {
  return { rule, severity, message, line: at.line, column: at.column, endLine: at.endLine, endColumn: at.endColumn, related, data, similarity, cluster, row, fix };
}

/** Turns rule reports into located findings with the configured severity (and fixes when asked). */
export class FindingBuilder {
  /** Where emitted findings go; the per-row pass points it at each row's own list. */
  sink: Finding[] = [];
  private readonly severity: Map<string, Severity | undefined>;

  constructor(
    private readonly access: Pick<RowAccess, 'container' | 'locate'>,
    private readonly fields: FieldMap,
    config: Config,
    private readonly options: AnalyzeOptions,
    /** Counts findings over the per-rule cap instead of keeping them (the per-row pass's builder only). */
    readonly budget?: FindingBudget,
  ) {
    this.severity = severities(config);
  }

  /** Whether any of the rules is on: a check whose rules are all off need not run (its findings would be dropped). */
  anyOn(rules: readonly string[]): boolean {
    return rules.some((id) => this.severity.get(id) !== undefined);
  }

  /** Makes a finding of a report; false when its rule is off (a finding over the budget is counted: true). */
  emit(row: SourceRow, content: RowContent | undefined, r: RowReport, range?: Range): boolean {
    const severity = this.severity.get(r.rule);
    if (!severity) return false;
    if (this.budget && !this.budget.take(r.rule, severity, row.line)) return true;
    const path = resolvePath(r.target?.path, content, this.fields);
    const at = range ?? this.locate(row, path, r.target);
    let rowLines: Finding['row'];
    let fix: Fix | undefined;
    if (this.options.fixes) {
      const del = deleteRowEdit(row);
      rowLines = { line: del.line, endLine: del.endLine - 1 };
      fix = r.fix ? this.encodeFix(row, content, r.fix) : undefined;
    }
    this.sink.push(makeFinding(r.rule, severity, r.message, at, r.related, r.data, r.similarity, r.cluster, rowLines, fix));
    return true;
  }

  /** The last value located (a row's findings mostly point into the same field): row, path, span. */
  private located: { row?: SourceRow; key: string; span?: FieldSpan } = { key: '' };

  /** access.locate, the same row's same path found once: a 50 KB row was scanned again for each of its findings. */
  private span(row: SourceRow, path: JsonPath): FieldSpan | undefined {
    const key = path.map((p) => (typeof p === 'number' ? `#${p}` : `.${p}`)).join('\u0000');
    const last = this.located;
    if (last.row === row && last.key === key) return last.span;
    const span = this.access.locate(row, path);
    this.located = { row, key, span };
    return span;
  }

  private locate(row: SourceRow, path: JsonPath | undefined, target: Target | undefined): Range {
    const span = path ? this.span(row, path) : undefined;
    if (!span) return rangeInRow(row, 0, firstLineLength(row.text));
    if (target?.start === undefined) return rangeInRow(row, span.start, span.end);
    return rangeInRow(row, span.rawIndex(target.start), span.rawIndex(target.end ?? target.start));
  }

  /** The edits of a fix on a row (also used by the label edits of `tuneset suggest`'s panel, labelEdits). */
  encodeFix(row: SourceRow, content: RowContent | undefined, spec: FixSpec): Fix | undefined {
    if (spec.kind === 'replace-row') return { title: spec.title, edits: [{ ...rangeInRow(row, 0, row.text.length), newText: spec.text }] };
    if (spec.kind === 'delete-row') {
      // A JSON array element is not a line of its own; deleting lines would break the array.
      return this.access.container === 'json' ? undefined : { title: spec.title, edits: [deleteRowEdit(row)] };
    }
    const path = resolvePath(spec.path, content, this.fields);
    const span = path && this.span(row, path);
    if (!span) return undefined;
    let value: string;
    if (spec.kind === 'map-value') {
      const part = content?.parts.find((p) => samePath(p.path, path!));
      if (!part) return undefined;
      value = spec.map(part.text);
      if (value === part.text) return undefined;
    } else value = spec.value;
    const edit: TextEdit = { ...rangeInRow(row, span.start, span.end), newText: spec.kind === 'set-value' && spec.json && this.access.container !== 'csv' ? value : encodeValue(this.access.container, row.text, span, value) };
    return { title: spec.title, edits: [edit] };
  }
}

/** What the per-row rules found in one row and what the file rules need to know of it. */
export interface RowOutput {
  findings: Finding[];
  /** normalizedHash of the row's key; NaN when the row takes no part in file rules. */
  hash: number;
  label?: string;
  chars: number;
  /** The row's language traits (text/scripts.ts rowTraits), for the file-level language rules. */
  traits: number;
  /** UTF-8 bytes of the row's texts; -1 for rows with structure errors. */
  bytes: number;
  /** The joined texts, for token calibration (kept only when asked). */
  sampleText?: string;
  /** Their exact token count, once counted (the editor's model keeps outputs across edits). */
  sampleTokens?: number;
  /**
   * Near-duplicate band keys of the row, when it has a sketch. This is the analyzer's scratch array,
   * valid until its next row: whoever keeps outputs (the incremental model) keeps a copy.
   */
  bands?: Uint32Array;
}

/** The token count of a row's sample text (see sampleTokenCount), counted once and kept with the output. */
export function sampleTokens(r: RowOutput): number {
  return (r.sampleTokens ??= sampleTokenCount(r.sampleText ?? '', r.bytes));
}

/** Every RowOutput has all fields, in one order: the passes that read a million of them stay monomorphic. */
function rowOutput(findings: Finding[], hash: number, label: string | undefined, chars: number, bytes: number, traits = 0): RowOutput {
  return { findings, hash, label, chars, traits, bytes, sampleText: undefined, sampleTokens: undefined, bands: undefined };
}

/** Whether two JSON paths name the same value. */
function samePath(a: JsonPath, b: JsonPath): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

/** Findings that say a row is short or empty: length-outlier leaves such a row to them. */
const SHORT_RULES = new Set(['too-short', 'placeholder', 'empty-field']);

/** The traits of a row whose spoken text is ASCII letters: Latin script. */
const LATIN = LANGUAGES.indexOf('Latin script');

/**
 * The text of a row its language is told from: what a model learns to write (the last answer of an
 * instruction or chat row), else the text of a classification row.
 */
function spokenPart(parts: readonly TextPart[]): TextPart | undefined {
  let text: TextPart | undefined;
  for (let i = parts.length - 1; i >= 0; i--) {
    if (parts[i].kind === 'response') return parts[i];
    if (parts[i].kind === 'text') text = parts[i];
  }
  return text;
}

/** Runs every per-row rule on one row. */
export class RowAnalyzer {
  private readonly out: FindingBuilder;
  readonly format: FormatName;
  readonly fields: FieldMap;
  /** Undefined when no rule needs near-duplicate sketches. */
  readonly sketcher: RowSketcher | undefined;
  /** A classification file's annotators' labels (annotator-disagreement), when it has them and the rule is on. */
  private readonly annotators: AnnotationShape | undefined;
  /**
   * Which checks have a rule on. A check whose rules are all off is skipped: it reports nothing, and
   * a split's grouping (every rule off, only hashes and sketches wanted) spares their time.
   */
  private readonly runs: { noise: boolean; privacy: boolean; unreadable: boolean; tooLong: boolean; echo: boolean; tokenLimit: boolean };
  /** The UTF-8 length of each text of the row being analyzed (token-limit's byte bounds). */
  private readonly partBytes: number[] = [];

  constructor(access: Pick<RowAccess, 'container' | 'locate'>, detection: Detection, private readonly config: Config, options: AnalyzeOptions) {
    this.format = detection.format;
    this.fields = detection.fields;
    this.annotators = detection.format === 'classification' && config.rules['annotator-disagreement'] !== 'off' ? detection.annotators : undefined;
    const cap = options.maxFindingsPerRule;
    this.out = new FindingBuilder(access, detection.fields, config, options, cap ? new FindingBudget(cap) : undefined);
    const on = (rules: readonly string[]) => this.out.anyOn(rules);
    this.runs = { noise: on(NOISE_RULES), privacy: on(PRIVACY_RULES), unreadable: on(UNREADABLE_ROW_RULES), tooLong: on(['too-long']), echo: on(['echo']), tokenLimit: on(['token-limit']) };
    this.sketcher = options.nearDuplicates !== false && sketchesNeeded(config) ? new RowSketcher(config) : undefined;
  }

  /** What the pass counted over the per-rule cap but did not keep. */
  omitted(): OmittedFindings | undefined {
    return this.out.budget?.omitted();
  }

  analyzeRow(row: SourceRow, keepSampleText = false): RowOutput {
    const findings: Finding[] = [];
    this.out.sink = findings;
    if (row.notes) this.reportNotes(row);
    if (row.problem) {
      const p = row.problem;
      this.out.emit(row, undefined, { rule: p.rule, message: p.message }, rangeInRow(row, p.start ?? 0, p.end ?? firstLineLength(row.text)));
      // A row that cannot be read may still hold a key: its raw text is searched for credentials and cards.
      if (this.runs.unreadable) checkUnreadableRow(row.text, (r) => this.out.emit(row, undefined, r, rangeInRow(row, r.target?.start ?? 0, r.target?.end ?? 0)));
      return rowOutput(findings, NaN, undefined, 0, -1, TRAIT.UNUSABLE);
    }
    const content = extractRow(row.value as Record<string, unknown>, this.format, this.fields);
    // Whether a rule that is on said the row is short or empty (counted before the finding budget, so
    // a capped CLI run and the editor leave the same rows to length-outlier).
    let saidShort = false;
    const report = (r: RowReport) => {
      if (this.out.emit(row, content, r) && SHORT_RULES.has(r.rule)) saidShort = true;
    };
    for (const issue of content.issues) {
      const fix = issue.suggestion && issue.path ? { title: issue.suggestion.title, kind: 'set-value' as const, path: issue.path, value: issue.suggestion.value } : undefined;
      report({ rule: issue.rule, message: issue.message, target: { path: issue.path }, ...(fix ? { fix } : {}) });
    }
    if (this.annotators) checkAnnotators(row.value as Record<string, unknown>, this.annotators, this.fields.label, report);
    let totalBytes = 0;
    let keyHash = NaN;
    let traits = 0;
    const spoken = spokenPart(content.parts);
    const thresholds = this.config.thresholds;
    const sketcher = this.sketcher;
    const runs = this.runs;
    sketcher?.begin();
    const partBytes = this.partBytes;
    partBytes.length = 0;
    // A text whose per-text rules are all off (a split's grouping) needs only its hashes, words and letters.
    const textRules = runs.noise || runs.privacy || runs.tooLong;
    for (const part of content.parts) {
      const full = textRules ? profileText(part.text) : undefined;
      const profile: KeyProfile = full ?? keyProfile(part.text);
      sketcher?.addPart(part, profile);
      totalBytes += profile.bytes;
      partBytes.push(profile.bytes);
      // The key of a one-text row is that text: its hash came with the profile (ASCII texts).
      if (part.text === content.key) keyHash = profile.first < 0 ? NaN : profile.asciiHash;
      // Only a text with other letters than ASCII's needs its script looked at.
      if (part === spoken && profile.letters > 0) traits = profile.nonAscii ? rowTraits(part.text, hanVariants) : LATIN;
      if (full) {
        const ctx = { part, profile: full, thresholds, report };
        if (runs.noise) checkNoise(ctx);
        if (runs.privacy) checkPrivacy(ctx);
        if (runs.tooLong) tooLong(ctx, full.bytes);
      }
    }
    if (runs.echo) checkEcho(content, report);
    if (runs.tokenLimit) tokenLimit(content, partBytes, totalBytes, this.config.maxTokens, report);
    if (saidShort) traits |= TRAIT.SAID_SHORT;
    if (unusableIssue(content)) traits |= TRAIT.UNUSABLE;
    const key = content.key;
    if (Number.isNaN(keyHash) && key.trim() !== '') keyHash = normalizedHash(key);
    const output = rowOutput(findings, keyHash, content.label, key.length, totalBytes, traits);
    if (keepSampleText && content.parts.length) output.sampleText = content.parts.map((p) => p.text).join('\n');
    if (sketcher && !Number.isNaN(keyHash) && sketcher.finish()) output.bands = sketcher.keys;
    return output;
  }
  /** What the reader noticed about how it read the row, each with its own range (and fix). */
  private reportNotes(row: SourceRow): void {
    for (const n of row.notes!) {
      const fix = n.replacement ? { title: n.replacement.title, kind: 'replace-row' as const, text: n.replacement.text } : undefined;
      this.out.emit(row, undefined, { rule: n.rule, message: n.message, data: n.data, fix }, rangeInRow(row, n.start, n.end));
    }
  }
}

/** The per-row pass over a whole file (or shard): row outputs folded into flat facts. */
export class RowPass {
  private readonly analyzer: RowAnalyzer;
  private readonly findings: Finding[] = [];
  private readonly facts: FileFacts;
  private readonly labelIds: LabelIds;
  private readonly tokens = new TokenEstimator();
  private rowBytes: Int32Array;
  /** Band keys of every row so far, one column per band. */
  private bandColumns: Uint32Array[];
  /** Rows the columns hold before they grow (they double). */
  private capacity: number;
  /** Whether this pass counts the first texts exactly for the token estimator. */
  private readonly calibrate: boolean;

  /**
   * @param calibrate count the first texts exactly for the token estimator (a shard after the first
   *   of a file leaves that to the shards before it)
   * @param expectedRows rows the columns are sized for at first (the editor's model knows)
   */
  constructor(
    access: Pick<RowAccess, 'container' | 'locate'>, detection: Detection, config: Config, options: AnalyzeOptions,
    calibrate = true, expectedRows = 1024,
  ) {
    this.calibrate = calibrate && options.tokenSample !== false;
    this.analyzer = new RowAnalyzer(access, detection, config, options);
    this.capacity = Math.max(16, expectedRows);
    const f = (this.facts = emptyFacts(this.analyzer.sketcher?.bandsPerRow ?? 0));
    this.labelIds = new LabelIds(f.labelNames);
    f.line = new Int32Array(this.capacity);
    f.hash = new Float64Array(this.capacity);
    f.label = new Int32Array(this.capacity);
    f.chars = new Int32Array(this.capacity);
    f.traits = new Uint16Array(this.capacity);
    this.rowBytes = new Int32Array(this.capacity);
    this.bandColumns = Array.from({ length: f.bandsPerRow }, () => new Uint32Array(this.capacity));
  }

  addRow(row: SourceRow): void {
    this.add(row.line, this.analyzer.analyzeRow(row, this.calibrate && !this.tokens.full));
  }

  /** Folds one row's output in (the incremental editor model reuses outputs of unchanged rows). */
  add(line: number, r: RowOutput): void {
    const f = this.facts;
    if (f.count === this.capacity) this.grow();
    const i = f.count++;
    f.line[i] = line;
    f.hash[i] = r.hash;
    f.chars[i] = r.chars;
    f.traits[i] = r.traits;
    f.label[i] = r.label === undefined ? -1 : this.labelIds.id(r.label);
    this.rowBytes[i] = r.bytes;
    // Rows without a sketch keep zeros, which no band key is.
    const bands = r.bands;
    if (bands) for (let t = 0; t < this.bandColumns.length; t++) this.bandColumns[t][i] = bands[t];
    const findings = r.findings;
    for (let k = 0; k < findings.length; k++) this.findings.push(findings[k]);
    if (r.sampleText !== undefined && this.calibrate && !this.tokens.full) this.tokens.add(r.bytes, sampleTokens(r));
  }

  private grow(): void {
    const f = this.facts;
    // Doubled: as many entries again as the columns hold.
    const more = this.capacity;
    const grown = <T extends Column>(a: T): T => spliced(a, a.length, 0, more);
    this.capacity += more;
    f.line = grown(f.line);
    f.hash = grown(f.hash);
    f.label = grown(f.label);
    f.chars = grown(f.chars);
    f.traits = grown(f.traits);
    this.rowBytes = grown(this.rowBytes);
    this.bandColumns = this.bandColumns.map(grown);
  }

  get calibrated(): boolean {
    return !this.calibrate || this.tokens.full;
  }


  result(): RowPassResult {
    const f = this.facts;
    f.bandTables = this.bandColumns.length > 0 ? [buildBandTable(this.bandColumns, f.count)] : [];
    // Views of the filled part: no copy.
    f.line = f.line.subarray(0, f.count);
    f.hash = f.hash.subarray(0, f.count);
    f.label = f.label.subarray(0, f.count);
    f.chars = f.chars.subarray(0, f.count);
    f.traits = f.traits.subarray(0, f.count);
    const omitted = this.analyzer.omitted();
    return { findings: this.findings, facts: f, rowBytes: this.rowBytes.subarray(0, f.count), tokens: this.tokens.sample, ...(omitted ? { omitted } : {}) };
  }
}

/**
 * What the file-level step decided besides the findings: the editor's model reuses it after an edit
 * that leaves it standing (see IncrementalDataset).
 */
export interface FileLevel extends FileRuleDecisions {
  /** What the statistics were counted from. */
  summaries: RowSummaries;
}

/** The file-level step: the file-level rules (FILE_RULES) over the facts, then statistics. */
export function finishAnalysis(path: string, access: RowAccess, detection: Detection, config: Config, options: AnalyzeOptions, pass: RowPassResult): DatasetAnalysis {
  return fileLevelStep(path, access, detection, config, options, pass).analysis;
}

/** finishAnalysis, with what the step decided on the way. */
export function fileLevelStep(
  path: string, access: RowAccess, detection: Detection, config: Config, options: AnalyzeOptions, pass: RowPassResult,
): { analysis: DatasetAnalysis; level: FileLevel } {
  return fileLevelRules(path, access, detection, config, options, pass)();
}

/**
 * The file-level step up to the statistics, which are made when the returned function is called:
 * with the pass's token sample, or one a host had taken elsewhere in the meantime.
 */
export function fileLevelRules(
  path: string, access: RowAccess, detection: Detection, config: Config, options: AnalyzeOptions, pass: RowPassResult,
): (tokens?: TokenSample) => { analysis: DatasetAnalysis; level: FileLevel } {
  return finish(fileLevelRuleSteps(path, access, detection, config, options, pass));
}

/** Rows whose file-level findings are made between two steps of the file-level step. */
const LATE_ROWS_PER_STEP = 500;

/**
 * fileLevelRules in steps (see Steps): one after each rule, and every few hundred rows while the
 * rows they reported on get their findings (on a big file, each of these takes a few tens of ms).
 */
export function* fileLevelRuleSteps(
  path: string, access: RowAccess, detection: Detection, config: Config, options: AnalyzeOptions, pass: RowPassResult,
): Steps<(tokens?: TokenSample) => { analysis: DatasetAnalysis; level: FileLevel }> {
  const { facts } = pass;
  const out = new FindingBuilder(access, detection.fields, config, options);
  const late = new Map<number, RowReport[]>();
  const ruleSeverity = severities(config);
  // Late reports over the cap are counted here, before any of them is made into a finding.
  const budget = options.maxFindingsPerRule ? FindingBudget.resume(options.maxFindingsPerRule, pass.findings, pass.omitted) : undefined;
  const lateReport = (row: number, r: RowReport) => {
    const severity = ruleSeverity.get(r.rule);
    // A report of a rule that is off makes no finding: its row is not read again for it.
    if (!severity) return;
    if (budget && !budget.take(r.rule, severity, row < 0 ? 1 : facts.line[row])) return;
    const list = late.get(row);
    if (list) list.push(r);
    else late.set(row, [r]);
  };
  const enabled = (rule: RuleId) => ruleSeverity.get(rule) !== undefined;
  const run = startFileRules(facts, config, enabled, options.nearDuplicates !== false, rowShingles(access, detection, config), lateReport);
  yield 0.1;
  for (const rule of FILE_RULES) {
    rule.run(run);
    yield rule.done;
  }
  const { groups, near } = run;
  const lateFindings: Finding[] = [];
  // In file order: rows are read again, and a big file's rows come from disk through a window.
  const lateRows = Int32Array.from(late.keys()).sort();
  for (let k = 0; k < lateRows.length; k++) {
    for (const f of lateRowFindings(out, access, detection, lateRows[k], late.get(lateRows[k])!)) lateFindings.push(f);
    if ((k + 1) % LATE_ROWS_PER_STEP === 0) yield 0.55 + (0.35 * k) / lateRows.length;
  }
  yield 0.9;
  const bad = pass.invalidUtf8;
  const utf8Severity = ruleSeverity.get('invalid-utf8');
  if (bad && utf8Severity) {
    lateFindings.push(makeFinding(
      'invalid-utf8', utf8Severity,
      `The file is not valid UTF-8: byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')} at line ${bad.line}, column ${bad.column}; ${bad.lines} line${bad.lines === 1 ? ' was' : 's were'} read as ${ENCODING_TITLES[bad.encoding]}`,
      { line: bad.line, column: bad.column, endLine: bad.line, endColumn: bad.column + 1 },
    ));
  }
  const findings = mergeInOrder(pass.findings, lateFindings);
  const summaries = rowSummaries(facts, pass.rowBytes);
  const omitted = budget?.omitted();
  const counts = omitted ? countsWithOmitted(findings, omitted) : findingCounts(findings);
  return (tokens = pass.tokens) => {
    const analysis = assembleAnalysis(path, access, detection, config, options, { ...pass, tokens }, findings, groups, near, summaries, counts);
    if (omitted) analysis.omitted = omitted;
    const { canonical, labelReport, lengths, lengthCounts, languages } = run;
    return { analysis, level: { groups, lengths, lengthCounts, summaries, canonical, labelReport, languages } };
  };
}

/**
 * A row's file-level findings made from its reports (through the editor model's memory of them,
 * when it has one); row -1 is the file as a whole, reported on line 1.
 */
export function lateRowFindings(out: FindingBuilder, access: RowAccess, detection: Detection, index: number, reports: RowReport[]): Finding[] {
  const make = (): Finding[] => {
    const row = access.row(Math.max(0, index));
    if (!row) return [];
    const content = row.value === undefined ? undefined : extractRow(row.value as Record<string, unknown>, detection.format, detection.fields);
    out.sink = [];
    for (const r of reports) {
      out.emit(row, content, r, index < 0 ? { line: 1, column: 1, endLine: 1, endColumn: 1 + firstLineLength(row.text) } : undefined);
    }
    return out.sink;
  };
  return access.lateFindings && index >= 0 ? access.lateFindings(index, reports, make) : make();
}

/** The analysis from its findings (in file order; their counts, when known) and the facts with their summaries: statistics, summary, label counts. */
export function assembleAnalysis(
  path: string, access: RowAccess, detection: Detection, config: Config, options: AnalyzeOptions, pass: RowPassResult,
  findings: Finding[], groups: DuplicateGroup[], near: { clusters: number; rows: number }, summaries: RowSummaries,
  counts: FindingCounts = findingCounts(findings),
): DatasetAnalysis {
  const { facts } = pass;
  // Assigned onto the object computeStats made: other modules key data by that object's identity.
  const counted = countedRows(findings, counts, facts, pass.rowBytes);
  const stats: AnalysisStats = Object.assign(computeStats(facts, summaries, TokenEstimator.from(pass.tokens), counts, groups, counted), {
    nearDuplicateClusters: near.clusters,
    nearDuplicateRows: near.rows,
  });
  const summary: Record<string, number> = { ...stats.findingsByRule };
  const labels: Record<string, number> = {};
  for (const l of stats.labels) labels[l.name] = l.count;
  const analysis: DatasetAnalysis = {
    path, container: access.container, format: detection.format, fields: detection.fields, rows: facts.count, labels, findings, summary, encoding: pass.encoding ?? 'utf-8', stats,
  };
  if (detection.annotators) analysis.annotators = detection.annotators;
  const notes = [...(access.notes ?? []), ...detectionNotes(detection)];
  if (notes.length) analysis.notes = notes;
  if (options.rowIndex) {
    const split = options.splitFacts ? { offsets: access.offsets?.(), encoding: pass.invalidUtf8?.encoding } : undefined;
    analysis.rowIndex = buildRowIndex(facts, detection, access.container, config, { bandTables: options.keepBandTables, split });
  }
  return analysis;
}

/** What the detection decided that a person should hear: a guess to confirm, a setting that names nothing. */
function detectionNotes(detection: Detection): ReadingNote[] {
  const notes: ReadingNote[] = [];
  if (detection.guessed) {
    const guess = Object.entries(detection.fields).map(([k, v]) => `${k} = ${v}`).join(', ');
    const flags = detection.fields.label ? '--text-field/--label-field' : '--text-field';
    notes.push({ kind: 'guessed-fields', brief: `guessed ${guess}`, message: `no field has a known name: guessed ${guess}; pass ${flags} (or set textField/labelField) to override` });
  }
  for (const u of detection.unknownFields ?? []) {
    const flag = u.setting === 'textField' ? '--text-field' : '--label-field';
    notes.push({ kind: 'unknown-field', brief: `no field "${u.field}"`, message: `${flag} (${u.setting}) names "${u.field}", which is not a field of this file; its fields are ${u.available.join(', ')}` });
  }
  return notes;
}

/** Reads a row again and returns the exact shingle set of its compared text (for verifying candidates). */
function rowShingles(access: RowAccess, detection: Detection, config: Config): (row: number) => Float64Array | undefined {
  return (index) => rowShingleSet(access.row(index), detection, config);
}

/**
 * The analysis with findings raised after it: cross-file-leak (which needs other files), or the
 * near-duplicates the editor's background pass found for a big file (with `near`, their clusters and
 * rows). Merged in file order, with the summary and the finding-based statistics counted again. The
 * statistics object is updated in place, because other modules key data by its identity. The one
 * merge of findings into an analysis: the CLI and the editor both use it.
 */
export function withExtraFindings(analysis: DatasetAnalysis, extra: Finding[], near?: NearDuplicateCounts): DatasetAnalysis {
  if (!extra.length && !near) return analysis;
  const findings = extra.length ? analysis.findings.concat(extra).sort(compareFindings) : analysis.findings;
  const s = analysis.stats;
  const counts = analysis.omitted ? countsWithOmitted(findings, analysis.omitted) : findingCounts(findings);
  const stats: AnalysisStats = Object.assign(s, {
    ...counts,
    quality: qualityScore(s.rows, counts.rowsWithErrors, counts.rowsWithWarnings, s.duplicateRows, s.balanceIndex),
    ...(near ? { nearDuplicateClusters: near.clusters, nearDuplicateRows: near.rows } : {}),
  });
  return { ...analysis, findings, summary: { ...counts.findingsByRule }, stats };
}

function compareFindings(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

/**
 * The pass's findings (in row order already, nearly always in full order) and the late ones, in
 * file order: what a stable sort of the two end to end gives, for the cost of sorting the late ones.
 */
export function mergeInOrder(rowFindings: Finding[], late: Finding[]): Finding[] {
  let sorted = true;
  for (let i = 1; i < rowFindings.length && sorted; i++) sorted = compareFindings(rowFindings[i - 1], rowFindings[i]) <= 0;
  const a = sorted ? rowFindings : rowFindings.slice().sort(compareFindings);
  const b = late.sort(compareFindings);
  const out = new Array<Finding>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  // On a tie the row finding goes first, as it would in the stable sort.
  while (i < a.length && j < b.length) out[k++] = compareFindings(b[j], a[i]) < 0 ? b[j++] : a[i++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/** Whether two lists of a row's file-level reports make the same findings for an unchanged row. */
export function sameReports(a: RowReport[], b: RowReport[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k];
    const y = b[k];
    if (x.rule !== y.rule || x.message !== y.message || x.similarity !== y.similarity || x.cluster !== y.cluster) return false;
    if (!sameTarget(x.target, y.target) || !sameRelated(x.related, y.related)) return false;
  }
  return true;
}

function sameTarget(a: Target | undefined, b: Target | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.start !== b.start || a.end !== b.end) return false;
  const pa = a.path;
  const pb = b.path;
  if (!pa || !pb) return pa === pb;
  if (pa.length !== pb.length) return false;
  for (let i = 0; i < pa.length; i++) if (pa[i] !== pb[i]) return false;
  return true;
}

function sameRelated(a: RowReport['related'], b: RowReport['related']): boolean {
  const n = a?.length ?? 0;
  if (n !== (b?.length ?? 0)) return false;
  for (let i = 0; i < n; i++) if (a![i].line !== b![i].line || a![i].path !== b![i].path || a![i].message !== b![i].message) return false;
  return true;
}

/**
 * Resolves the rules' symbolic paths to the row's real field paths: "@label"; "@text", the row's
 * first text or answer; "@spoken", the text its language and widths are told from (the last answer of
 * an instruction or chat row: spokenPart), so a finding on those traits points at that turn.
 */
function resolvePath(path: JsonPath | undefined, content: RowContent | undefined, fields: FieldMap): JsonPath | undefined {
  if (!path || path.length !== 1) return path;
  if (path[0] === '@label') return content?.labelPath ?? (fields.label ? [fields.label] : undefined);
  if (path[0] === '@spoken' && content) {
    const spoken = spokenPart(content.parts);
    if (spoken) return spoken.path;
  }
  if (path[0] === '@text' || path[0] === '@spoken') return content?.parts.find((p) => p.kind === 'text' || p.kind === 'response')?.path ?? content?.parts[0]?.path;
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

/**
 * A row's label and token count, for the editor's hover (JSON rows only): counted like token-limit
 * counts, so a text of a megabyte is counted on its first characters and estimated past them.
 */
export function describeJsonRow(text: string, detection: Detection): { label?: string; tokens: number; estimated: boolean } | undefined {
  const row = parseJsonRow(text, 0, 1, 1);
  if (row.value === undefined) return undefined;
  const content = extractRow(row.value as Record<string, unknown>, detection.format, detection.fields);
  let tokens = 0;
  let estimated = false;
  for (const p of content.parts) {
    const count = measureTokens(p.text, utf8Length(p.text), 0);
    tokens += count.tokens;
    estimated ||= count.estimated;
  }
  return { label: content.label, tokens, estimated };
}
