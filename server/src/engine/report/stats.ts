import { LANGUAGES, TRAIT } from '../text/scripts';
import { balanceIndex } from '../rules/labels';
import { changedCounts, mapValues, mergedValues, quantileValue, valueCounts, type ValueCounts } from '../select';
import { labelCounts, type FileFacts } from '../rules/fileFacts';
import type { DuplicateGroup } from '../rules/duplicates';
import type { TokenEstimator } from '../text/tokens';
import type { Finding, Severity } from '../types';

export interface Distribution {
  min: number;
  median: number;
  p95: number;
  max: number;
  mean: number;
}

/** Fixed-width buckets of a length distribution, computed once in the stats pass so charts never touch rows. */
export interface Histogram {
  /** Width of every bucket: bucket i holds values in [i·width, (i+1)·width). */
  width: number;
  counts: number[];
  /** Values at or past counts.length × width: the long tail, drawn as one last bar. */
  over: number;
}

export interface QualityScore {
  /** 0–100, see `qualityScore`. */
  score: number;
  /** Points lost to each cause, largest first, for "what lowers it". */
  penalties: { cause: string; points: number }[];
}

export interface DatasetStats {
  rows: number;
  /** Rows that parsed and fit the format (structure errors excluded). */
  validRows: number;
  labels: { name: string; count: number; share: number }[];
  /** Rows per language (by script, of each row's spoken text: text/scripts.ts), most first; rows without letters left out. */
  languages: { name: string; rows: number; share: number }[];
  balanceIndex: number;
  chars: Distribution;
  /**
   * Token lengths, estimated from UTF-8 bytes with a ratio calibrated on an exact sample of
   * `sampledTexts` texts (0 while the editor has not loaded the tokenizer yet: then 4 bytes a token).
   * The `exactRows` rows that a rule counted exactly (token-limit) count with that count instead, so
   * the max is never below a finding's count.
   */
  tokens: Distribution & { estimated: true; bytesPerToken: number; sampledTexts: number; exactRows: number };
  /** Histogram of the same estimated token lengths, for the report's chart. */
  tokenHistogram: Histogram;
  findingsByRule: Record<string, number>;
  findingsBySeverity: Record<Severity, number>;
  rowsWithErrors: number;
  rowsWithWarnings: number;
  duplicateGroups: number;
  duplicateRows: number;
  quality: QualityScore;
}

/** Distribution of a list of numbers (nearest-rank percentiles), from its value counts. */
export function distribution(values: ArrayLike<number> | ValueCounts): Distribution {
  const vc = 'total' in values ? values : valueCounts(values);
  const n = vc.total;
  if (n === 0) return { min: 0, median: 0, p95: 0, max: 0, mean: 0 };
  let sum = 0;
  for (let j = 0; j < vc.values.length; j++) sum += vc.values[j] * vc.counts[j];
  return { min: vc.values[0], median: quantileValue(vc, 0.5), p95: quantileValue(vc, 0.95), max: vc.values[vc.values.length - 1], mean: sum / n };
}

/** The smallest round number (1, 2 or 5 × 10^k, at least 1) not below x. */
function roundWidth(x: number): number {
  if (x <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 5]) if (step * power >= x) return step * power;
  return 10 * power;
}

/**
 * A histogram of non-negative values with at most `maxBuckets` buckets of a round width covering 0 to
 * the 99th percentile (nearest rank); the rest is counted in `over`, so one 100k-token row cannot
 * squash the chart. Linear time, like `distribution`.
 */
export function histogram(values: ArrayLike<number> | ValueCounts, maxBuckets = 24): Histogram {
  const vc = 'total' in values ? values : valueCounts(values);
  if (vc.total === 0) return { width: 1, counts: [], over: 0 };
  // The +1 keeps the 99th percentile itself inside the last bucket rather than on its upper edge.
  const top = quantileValue(vc, 0.99) + 1;
  const width = roundWidth(top / maxBuckets);
  const counts = new Array<number>(Math.ceil(top / width)).fill(0);
  let over = 0;
  for (let j = 0; j < vc.values.length; j++) {
    const bucket = Math.floor(vc.values[j] / width);
    if (bucket < counts.length) counts[bucket] += vc.counts[j];
    else over += vc.counts[j];
  }
  return { width, counts, over };
}

/** The points a row (or the file, for imbalance) loses in the quality score; see qualityScore. */
const SCORE_WEIGHTS = { error: 100, warning: 40, duplicate: 30, imbalance: 20 } as const;

/**
 * A row's score, on the file score's scale: 100, less 100 for an error finding (or 40 for a warning
 * when it has no error) and 30 when it repeats an earlier row (`exact-duplicate`), floored at 0. The
 * file's score is the mean of its rows' scores (before the floor) less its label imbalance penalty.
 */
export function rowScore(findings: readonly Pick<Finding, 'rule' | 'severity'>[] | undefined): number {
  let lost = 0;
  let worst = -1;
  for (const f of findings ?? []) {
    worst = Math.max(worst, f.severity === 'error' ? 2 : f.severity === 'warning' ? 1 : 0);
    if (f.rule === 'exact-duplicate') lost = SCORE_WEIGHTS.duplicate;
  }
  lost += worst === 2 ? SCORE_WEIGHTS.error : worst === 1 ? SCORE_WEIGHTS.warning : 0;
  return Math.max(0, 100 - lost);
}

/**
 * The quality score: 100 minus penalties, floored at 0.
 * - errors: 100 × (rows with an error finding / rows)
 * - warnings: 40 × (rows with a warning but no error / rows)
 * - duplicates: 30 × (duplicate rows beyond the first of each group / rows)
 * - imbalance: 20 × (1 − balance index) for classification data
 * A clean, balanced file scores 100; one with every row in error scores 0.
 */
export function qualityScore(rows: number, rowsWithErrors: number, rowsWithWarnings: number, duplicateRows: number, balance: number): QualityScore {
  if (rows === 0) return { score: 0, penalties: [{ cause: 'the file has no rows', points: 100 }] };
  const penalties = [
    { cause: 'rows with errors', points: (SCORE_WEIGHTS.error * rowsWithErrors) / rows },
    { cause: 'rows with warnings', points: (SCORE_WEIGHTS.warning * rowsWithWarnings) / rows },
    { cause: 'duplicate rows', points: (SCORE_WEIGHTS.duplicate * duplicateRows) / rows },
    { cause: 'label imbalance', points: SCORE_WEIGHTS.imbalance * (1 - balance) },
  ]
    .filter((p) => p.points >= 0.05)
    .map((p) => ({ cause: p.cause, points: Math.round(p.points * 10) / 10 }))
    .sort((a, b) => b.points - a.points);
  const lost = penalties.reduce((s, p) => s + p.points, 0);
  return { score: Math.max(0, Math.round(100 - lost)), penalties };
}

export interface FindingCounts {
  findingsByRule: Record<string, number>;
  findingsBySeverity: Record<Severity, number>;
  /** Rows whose worst finding is an error, and rows whose worst is a warning (file-level findings aside). */
  rowsWithErrors: number;
  rowsWithWarnings: number;
}

/** Counts of findings by rule and severity, and of rows by their worst finding, as the quality score needs them. */
export function findingCounts(findings: Finding[]): FindingCounts {
  // One pass (tens of thousands of findings scattered in memory cost a cache miss each): findings
  // come in line order, so a row's findings are one run; out of order, the rows are counted again.
  const byRule = new Map<string, number>();
  const bySeverity = new Map<Severity, number>();
  let rowsWithErrors = 0;
  let rowsWithWarnings = 0;
  let line = -Infinity;
  let worst: Severity | undefined;
  let inOrder = true;
  for (const f of findings) {
    byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
    if (!inOrder || f.rule === 'label-imbalance') continue;
    if (f.line !== line) {
      if (f.line < line) inOrder = false;
      if (worst === 'error') rowsWithErrors++;
      else if (worst === 'warning') rowsWithWarnings++;
      line = f.line;
      worst = undefined;
    }
    if (f.severity === 'error' || (f.severity === 'warning' && worst !== 'error')) worst = f.severity;
  }
  if (worst === 'error') rowsWithErrors++;
  else if (worst === 'warning') rowsWithWarnings++;
  if (!inOrder) ({ rowsWithErrors, rowsWithWarnings } = rowsByWorstFinding(findings));
  const findingsBySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const [severity, n] of bySeverity) findingsBySeverity[severity] = n;
  return { findingsByRule: Object.fromEntries(byRule), findingsBySeverity, rowsWithErrors, rowsWithWarnings };
}

/** The worst severity among one line's findings that count for the row (file-level ones aside). */
function worstOfLine(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) {
    if (f.rule === 'label-imbalance') continue;
    if (f.severity === 'error' || (f.severity === 'warning' && worst !== 'error')) worst = f.severity;
  }
  return worst;
}

/**
 * The counts after some lines' findings were replaced, from the counts before: `lines` gives each
 * replaced line's findings before and after. What findingCounts of the new findings gives, without
 * reading the others.
 */
export function recountFindings(counts: FindingCounts, lines: { before: readonly Finding[]; after: readonly Finding[] }[]): FindingCounts {
  const byRule = { ...counts.findingsByRule };
  const bySeverity = { ...counts.findingsBySeverity };
  let { rowsWithErrors, rowsWithWarnings } = counts;
  for (const { before, after } of lines) {
    for (const f of before) {
      bySeverity[f.severity]--;
      if (--byRule[f.rule] === 0) delete byRule[f.rule];
    }
    for (const f of after) {
      bySeverity[f.severity]++;
      byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    }
    const was = worstOfLine(before);
    const is = worstOfLine(after);
    rowsWithErrors += (is === 'error' ? 1 : 0) - (was === 'error' ? 1 : 0);
    rowsWithWarnings += (is === 'warning' ? 1 : 0) - (was === 'warning' ? 1 : 0);
  }
  return { findingsByRule: byRule, findingsBySeverity: bySeverity, rowsWithErrors, rowsWithWarnings };
}

/** Rows whose worst finding is an error or a warning, for findings in any order. */
function rowsByWorstFinding(findings: Finding[]): { rowsWithErrors: number; rowsWithWarnings: number } {
  const worst = new Map<number, Severity>();
  for (const f of findings) {
    if (f.rule === 'label-imbalance') continue;
    const prev = worst.get(f.line);
    if (f.severity === 'error' || (f.severity === 'warning' && prev !== 'error')) worst.set(f.line, f.severity);
  }
  let rowsWithErrors = 0;
  let rowsWithWarnings = 0;
  for (const s of worst.values()) {
    if (s === 'error') rowsWithErrors++;
    else if (s === 'warning') rowsWithWarnings++;
  }
  return { rowsWithErrors, rowsWithWarnings };
}

/** Rows without structure errors (non-negative bytes); a loop of its own, see validRowLengths. */
function countValid(rows: number, rowBytes: ArrayLike<number>): number {
  let valid = 0;
  for (let i = 0; i < rows; i++) if (rowBytes[i] >= 0) valid++;
  return valid;
}

/**
 * Characters and bytes of the rows without structure errors. Each loop sits in a function of its
 * own: code after a loop that was compiled mid-loop lacks type feedback and is thrown away, on every
 * call, which an analysis per keystroke pays for.
 */
function validRowLengths(facts: FileFacts, rowBytes: ArrayLike<number>): { chars: Int32Array; bytes: Int32Array } {
  const validRows = countValid(facts.count, rowBytes);
  const chars = new Int32Array(validRows);
  const bytes = new Int32Array(validRows);
  for (let i = 0, j = 0; i < facts.count; i++) {
    if (rowBytes[i] < 0) continue;
    chars[j] = facts.chars[i];
    bytes[j++] = rowBytes[i];
  }
  return { chars, bytes };
}

/**
 * What the statistics count over rows, counted once: the characters and bytes of the rows without
 * structure errors, and the rows per label id. The editor's model updates them after an edit
 * (changedCounts) instead of counting a hundred thousand rows again.
 */
export interface RowSummaries {
  chars: ValueCounts;
  bytes: ValueCounts;
  labels: number[];
}

export function rowSummaries(facts: FileFacts, rowBytes: ArrayLike<number>): RowSummaries {
  const { chars, bytes } = validRowLengths(facts, rowBytes);
  return { chars: valueCounts(chars), bytes: valueCounts(bytes), labels: labelCounts(facts) };
}

/**
 * A row whose tokens a rule counted: its UTF-8 bytes (what its estimate is made from) and the count.
 * `exact` for a whole row's count (token-limit's, template overhead included); otherwise the count
 * of some of its texts (too-long's), which the row has at least.
 */
export interface CountedRow {
  bytes: number;
  tokens: number;
  exact: boolean;
}

/**
 * The rows whose tokens token-limit or too-long counted, from their findings (which carry the
 * count in `data.tokens`); none are looked for when neither rule reported anything, the usual case.
 */
export function countedRows(findings: readonly Finding[], counts: FindingCounts, facts: FileFacts, rowBytes: ArrayLike<number>): CountedRow[] {
  if (!counts.findingsByRule['token-limit'] && !counts.findingsByRule['too-long']) return [];
  const byRow = new Map<number, CountedRow>();
  for (const f of findings) {
    const exact = f.rule === 'token-limit';
    if ((!exact && f.rule !== 'too-long') || typeof f.data?.tokens !== 'number') continue;
    const row = rowAtLine(facts, f.line);
    if (row < 0 || rowBytes[row] < 0) continue;
    const known = byRow.get(row) ?? { bytes: rowBytes[row], tokens: 0, exact: false };
    if (known.exact) continue;
    // A row's count replaces what its texts' counts added up to; the texts' counts add up.
    byRow.set(row, exact ? { ...known, tokens: f.data.tokens, exact } : { ...known, tokens: known.tokens + f.data.tokens });
  }
  return [...byRow.values()];
}

/** The row a line belongs to: the last one starting at or before it (a finding can sit on a later line of its row), -1 for none. */
function rowAtLine(facts: FileFacts, line: number): number {
  let lo = 0;
  let hi = facts.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (facts.line[mid] <= line) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi;
}

/**
 * The estimated token counts with each counted row moved from its estimate to its count (or, for a
 * lower bound, to the larger of the two): a summary that says "max 4,305" beside a token-limit
 * finding of 5,305 tokens on the same row would contradict itself.
 */
function withCountedRows(estimated: ValueCounts, rows: readonly CountedRow[], tokens: TokenEstimator): ValueCounts {
  if (!rows.length) return estimated;
  const changes: [number, number][] = [];
  for (const r of rows) {
    const guess = tokens.estimate(r.bytes);
    changes.push([guess, -1], [r.exact ? r.tokens : Math.max(guess, r.tokens), +1]);
  }
  // changedCounts needs distinct values; estimates of different byte counts can be equal.
  return changedCounts(mergedValues(estimated), changes);
}

/** Per-file statistics, from the facts the rules already gathered (no second pass over rows). */
/** The rows per language of a file's facts (see DatasetStats.languages). */
function languageShares(facts: FileFacts): DatasetStats['languages'] {
  const counts = new Array<number>(LANGUAGES.length).fill(0);
  for (let i = 0; i < facts.count; i++) counts[facts.traits[i] & TRAIT.LANGUAGE]++;
  let total = 0;
  for (let l = 1; l < counts.length; l++) total += counts[l];
  const out: DatasetStats['languages'] = [];
  for (let l = 1; l < counts.length; l++) if (counts[l] > 0) out.push({ name: LANGUAGES[l]!, rows: counts[l], share: counts[l] / total });
  return out.sort((a, b) => b.rows - a.rows || (a.name < b.name ? -1 : 1));
}

export function computeStats(
  facts: FileFacts, summaries: RowSummaries, tokens: TokenEstimator, findings: FindingCounts, groups: DuplicateGroup[], counted: readonly CountedRow[] = [],
): DatasetStats {
  const validRows = summaries.chars.total;
  // The estimate only grows with the bytes, so the bytes' counts map straight to the tokens' counts.
  const tokenCounts = withCountedRows(mapValues(summaries.bytes, (b) => tokens.estimate(b), true), counted, tokens);
  const counts = summaries.labels;
  const labelled = counts.reduce((a, b) => a + b, 0);
  const labels = counts
    .map((count, i) => ({ name: facts.labelNames[i], count, share: labelled ? count / labelled : 0 }))
    .filter((l) => l.count > 0)
    .sort((a, b) => b.count - a.count);
  const { findingsByRule, findingsBySeverity, rowsWithErrors, rowsWithWarnings } = findings;
  const duplicateRows = groups.reduce((s, g) => s + g.rows.length - 1, 0);
  const balance = labels.length >= 2 ? balanceIndex(counts) : 1;
  const charDist = distribution(summaries.chars);
  const stats: DatasetStats = {
    rows: facts.count,
    validRows,
    labels,
    languages: languageShares(facts),
    balanceIndex: balance,
    chars: charDist,
    tokens: { ...distribution(tokenCounts), estimated: true, bytesPerToken: Math.round(tokens.bytesPerToken * 100) / 100, sampledTexts: tokens.sample.bytes.length, exactRows: counted.filter((r) => r.exact).length },
    tokenHistogram: histogram(tokenCounts),
    findingsByRule,
    findingsBySeverity,
    rowsWithErrors,
    rowsWithWarnings,
    duplicateGroups: groups.length,
    duplicateRows,
    quality: qualityScore(facts.count, rowsWithErrors, rowsWithWarnings, duplicateRows, balance),
  };
  // The split comparison reuses the exact-duplicate hashes instead of reading the file again.
  recordRowHashes(stats, facts.hash);
  return stats;
}

// Hashes recorded by computeStats, keyed by the stats object so they live exactly as long as the analysis.
const recorded = new WeakMap<DatasetStats, ArrayLike<number>>();

/** Remembers the exact-duplicate hashes behind a file's statistics (called by computeStats). */
export function recordRowHashes(stats: DatasetStats, hashes: ArrayLike<number>): void {
  recorded.set(stats, hashes);
}

/** The hashes recorded for statistics made in this thread (an analysis sent to another thread takes them along). */
export function recordedRowHashes(stats: DatasetStats): ArrayLike<number> | undefined {
  return recorded.get(stats);
}
