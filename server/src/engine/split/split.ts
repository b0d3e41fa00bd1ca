// Room: split. Train/val/test files from a dataset: the plan (this file: which row goes where,
// stratified by label, grouped so duplicates stay together, or by time) made from the rows' facts
// (splitRows.ts, rowGroups.ts, assignGroups.ts, apportion.ts), then written by renderSplit.ts.
import { detectDatasetFormat, type Detection } from '../analysis/detection';
import { DEFAULT_CONFIG, type Config } from '../config';
import { OptionsError } from '../optionsError';
import type { SourceRow } from '../read';
import { balanceIndex } from '../rules/labels';
import { seededRandom, mixSeed } from '../seededRandom';
import { assignByRatio, assignByTime, type Assignment } from './assignGroups';
import { RowGroups, type Grouping, type RowGroup } from './rowGroups';
import { readSplitRows, type SplitRows, type SplitRowsOptions } from './splitRows';
import type { ExcludedRow } from '../schema/usableRows';
import type { FieldMap } from '../schema/formats';
import type { FormatName } from '../types';

export type { ExcludedRow } from '../schema/usableRows';

/** What the user chose for a split; everything is optional and defaulted as `resolveSplitOptions` says. */
export interface SplitOptions {
  /** Relative sizes, e.g. [80, 10, 10] or [90, 10] (any scale). Default [80, 10, 10]. */
  ratios?: number[];
  /** Split names; default train/val/test for three ratios, train/test for two. */
  names?: string[];
  /** k-fold instead of ratios: k equal parts named fold1…foldK. */
  folds?: number;
  /** Same seed, same split, on every machine. Default 42. */
  seed?: number;
  /** Keep each label's share in every split (within one row per class). */
  stratify?: boolean;
  /** Keep exact duplicates (normalised as the exact-duplicate rule does) in one split; implied by `groups`. The CLI and the panel ask for it by default. */
  groupDuplicates?: boolean;
  /** With folds: the share (percent, 0–99) held out first as a fixed test part, e.g. 10. */
  test?: number;
  /** A time split warns about a part with fewer rows than this. Default 10. */
  minRows?: number;
  /** Keep rows sharing this field's value (e.g. a conversation id) in one split. */
  groupField?: string;
  /** Split by time instead of at random: oldest rows first, cut by the ratios. */
  timeField?: string;
  /**
   * Near-duplicate cluster id per row index (rows sharing an id ≥ 0 stay together); supplied by the
   * caller from the near-duplicate index. Undefined or negative: the row is in no cluster.
   */
  groups?: ArrayLike<number | undefined>;
  /**
   * `groups` already join every two rows whose key hashes (`keyHashes`, or those the facts hold) are
   * equal, as leakGroups' do (made from the same hashes): the plan does not join them again.
   */
  groupsJoinDuplicates?: boolean;
  /**
   * The normalizedHash of each row's duplicate key by row index, when the caller has it already (an
   * analysis's row index holds the same hashes): then the keys are not hashed again. Read for a row
   * as the row arrives, so a caller may fill it while the rows are read.
   */
  keyHashes?: ArrayLike<number>;
  /** The format and fields; detected from the rows when absent. */
  detection?: Detection;
  /**
   * The words that give a file name a split role (the leak check's settings; the built-in ones when
   * absent): a source named with one gets a folder for its parts (see splitPartName). Not recorded in
   * the manifest: it changes names, never which rows go where.
   */
  roleWords?: SplitRoleWords;
}

/** The settings that give a file name a split role (fileSplitRole, splitWordRole). */
export type SplitRoleWords = Pick<Config, 'heldOutFileWords' | 'trainFileWords'>;

/** The options as applied, recorded in the manifest so a split can be re-made. */
export interface AppliedSplitOptions {
  ratios: number[];
  names: string[];
  folds?: number;
  /** With folds: the percent held out first as the test part. */
  test?: number;
  seed: number;
  stratify: boolean;
  groupDuplicates: boolean;
  groupField?: string;
  timeField?: string;
  nearDuplicateGroups: boolean;
}

/** One output split. */
export interface SplitPart {
  name: string;
  /** Row indexes in file order. */
  rows: number[];
  /** Rows per label, labels in order of first appearance in the file. */
  labels: Record<string, number>;
  /** Rows without a label. */
  unlabeled: number;
  /** 1 − Σ(n_c/N − 1/C)² over this split's labels (1 when balanced or unlabelled). */
  balanceIndex: number;
  /** Rows this split was meant to hold by its ratio; whole groups can make `rows.length` differ. */
  target: number;
  /** A time split's oldest and newest date in this part (ISO 8601), when it holds rows. */
  dates?: { first: string; last: string };
}

/** One fold of a k-fold split: training rows (every other fold) and validation rows (this fold), in file order. */
export interface SplitFold {
  name: string;
  train: number[];
  val: number[];
}

/** A label a split lacks, and why it could not be given one. */
export interface MissingLabel {
  label: string;
  /** The splits without a row of it. */
  splits: string[];
  reason: string;
}

/** Which row goes where, as plain data a panel can show and a host can write. */
export interface SplitPlan {
  options: AppliedSplitOptions;
  format: FormatName;
  fields: FieldMap;
  /** Rows read, placed or not. */
  rows: number;
  splits: SplitPart[];
  /** Rows left out (structure errors, no date for a time split), with line and reason. */
  excluded: ExcludedRow[];
  /**
   * Groups of two or more rows kept whole; `straddling` of them a split that ignored groups (same
   * seed, same ratios) would have cut across splits, and `moved` rows it would have put elsewhere.
   */
  groups: { count: number; rows: number; largest: number; straddling: number; moved: number };
  /** Stratified: labels some split lacks (each with why); empty when every label is in every split. */
  missingLabels: MissingLabel[];
  /**
   * Time split: rows whose time field holds a value that is not a date (they are also in `excluded`).
   * The hosts refuse to write such a split: a date the user meant is never dropped quietly.
   */
  unreadableDates?: { lines: number[]; message: string };
  /** k-fold: each fold's training and validation rows (a held-out test part, if any, is the last split). */
  folds?: SplitFold[];
  /** Things the user should know: unreachable ratios, classes too small for every split… */
  warnings: string[];
  /** SplitOptions.roleWords, for the parts' file names. */
  roleWords?: SplitRoleWords;
}

/** Fills defaults and returns the problems with the options (empty when they are usable). */
export function resolveSplitOptions(options: SplitOptions): { applied: AppliedSplitOptions; problems: string[] } {
  const problems: string[] = [];
  const { folds } = options;
  let ratios = options.ratios ?? [80, 10, 10];
  let names = options.names;
  if (folds !== undefined) {
    if (!Number.isInteger(folds) || folds < 2) problems.push(`folds must be a whole number of at least 2, such as 5${typeof folds !== 'number' || Number.isNaN(folds) ? ' (the field is empty or not a number)' : `, not ${folds}`}`);
    if (options.ratios) problems.push('choose ratios or folds, not both');
    if (options.timeField !== undefined) problems.push('a time split cannot be made into folds');
    const k = Math.max(2, Number.isInteger(folds) ? folds : 2);
    const test = options.test ?? 0;
    if (!(Number.isFinite(test) && test >= 0 && test < 100)) problems.push(`the test share is a percent from 0 to 99, not ${test}`);
    // A fixed test part first, then k equal folds of the rest: one assignment of k + 1 parts.
    ratios = Array.from({ length: k }, () => (100 - (test > 0 && test < 100 ? test : 0)) / k);
    names ??= ratios.map((_, i) => `fold${i + 1}`);
    if (test > 0 && test < 100) {
      ratios.push(test);
      names = [...names, 'test'];
    }
  } else if (options.test !== undefined) {
    problems.push('--test holds a test part out of k folds: give it with --folds');
  }
  if (ratios.length < 2) problems.push('give at least two ratios, e.g. 90,10');
  if (ratios.some((r) => !Number.isFinite(r) || r < 0)) problems.push(`ratios must be numbers of 0 or more, such as 80, 10, 10 for train, val and test (${ratios.some((r) => typeof r !== 'number' || Number.isNaN(r)) ? 'one is not a number' : `not ${ratios.join(', ')}`})`);
  if (!(ratios.reduce((a, b) => a + b, 0) > 0)) problems.push('the ratios add up to 0');
  names ??= ratios.length === 3 ? ['train', 'val', 'test'] : ratios.length === 2 ? ['train', 'test'] : ratios.map((_, i) => `split${i + 1}`);
  if (names.length !== ratios.length) problems.push(`${ratios.length} ratios need ${ratios.length} names, not ${names.length}`);
  if (new Set(names).size !== names.length) problems.push(`split names must differ: ${names.join(', ')}`);
  for (const n of names) if (!/^[A-Za-z0-9_-]+$/.test(n)) problems.push(`a split name becomes part of a file name: use letters, digits, _ and -, not "${n}"`);
  const seed = options.seed ?? 42;
  if (!Number.isSafeInteger(seed) || seed < 0) problems.push(`the seed must be a whole number of 0 or more${typeof seed !== 'number' || Number.isNaN(seed) ? ' (the field is empty or not a number)' : `, not ${seed}`}`);
  if (options.stratify && options.timeField !== undefined) problems.push('a time split cannot be stratified: it cuts by date');
  const applied: AppliedSplitOptions = {
    ratios, names, seed,
    stratify: !!options.stratify,
    // The hosts (CLI, panel) ask for it by default; near-duplicate grouping always includes it.
    groupDuplicates: !!options.groupDuplicates,
    nearDuplicateGroups: !!options.groups,
  };
  if (options.groups) applied.groupDuplicates = true;
  if (folds !== undefined) applied.folds = folds;
  if (folds !== undefined && options.test) applied.test = options.test;
  if (options.groupField !== undefined) applied.groupField = options.groupField;
  if (options.timeField !== undefined) applied.timeField = options.timeField;
  return { applied, problems };
}

/**
 * Plans a split of a file's rows (read once, in file order): which row goes to which split, counts
 * per split and label, and the rows left out. Pure and fast enough to re-run on every change of a
 * panel's options. Throws an OptionsError listing the problems when the options are unusable.
 */
export function planSplit(rows: Iterable<SourceRow>, options: SplitOptions = {}): SplitPlan {
  const applied = appliedOptions(options);
  let detection = options.detection;
  if (!detection) {
    const list = Array.isArray(rows) ? (rows as SourceRow[]) : [...rows];
    detection = detectDatasetFormat(list, DEFAULT_CONFIG);
    rows = list;
  }
  const facts = readSplitRows(rows, detection, splitRowsOptions(applied, options));
  return planFromFacts(facts, detection, applied, options);
}

/**
 * planSplit from the rows' facts made already (splitRowsOfIndex: from an analysis of the file, whose
 * row indexes the plan's are), with the options that made them (splitRowsOptions). Throws an
 * OptionsError as planSplit does.
 */
export function planSplitOfFacts(facts: SplitRows, options: SplitOptions & { detection: Detection }): SplitPlan {
  return planFromFacts(facts, options.detection, appliedOptions(options), options);
}

/** What the facts of a split's rows must hold for these options (readSplitRows, splitRowsOfIndex). */
export function splitRowsOptions(applied: AppliedSplitOptions, options: Pick<SplitOptions, 'keyHashes'> = {}): SplitRowsOptions {
  return { hashKeys: applied.groupDuplicates, keyHashes: options.keyHashes, groupField: applied.groupField, timeField: applied.timeField };
}

/** The options as applied; an OptionsError listing the problems when they are unusable. */
function appliedOptions(options: SplitOptions): AppliedSplitOptions {
  const { applied, problems } = resolveSplitOptions(options);
  if (problems.length) throw new OptionsError(problems);
  return applied;
}

function planFromFacts(facts: SplitRows, detection: Detection, applied: AppliedSplitOptions, options: SplitOptions): SplitPlan {
  const warnings: string[] = [];
  const grouping = new RowGroups(facts.count);
  // Rows that cannot be placed have no key hash (NaN), so they join nothing.
  if (applied.groupDuplicates && !(options.groups && options.groupsJoinDuplicates)) grouping.joinByHash(facts.keyHash);
  if (applied.groupField !== undefined) grouping.joinByKey(facts.groupValue, facts.usable);
  if (options.groups) grouping.joinByKey(options.groups, facts.usable);
  const groups = grouping.grouping(facts.usable);

  const stratify = applied.stratify && facts.labelNames.length > 0;
  if (applied.stratify && !stratify) warnings.push('No labels found: the split is not stratified');
  const labels = stratify ? { label: facts.label, classes: facts.labelNames.length } : undefined;
  const assign = (g: Grouping) => (applied.timeField !== undefined
    ? assignByTime(g, facts.count, applied.ratios, facts.time)
    : assignByRatio(g, facts.count, applied.ratios, seededRandom(mixSeed(applied.seed)), labels));
  const assignment: Assignment = assign(groups);

  const splits = describeSplits(facts, assignment, applied.names);
  if (applied.timeField !== undefined) addDates(facts, splits);
  const multi = groups.groups;
  const groupInfo = { count: multi.length, rows: multi.reduce((n, g) => n + g.length, 0), largest: multi.reduce((m, g) => Math.max(m, g.length), 0), straddling: 0, moved: 0 };
  if (multi.length) Object.assign(groupInfo, movedRows(multi, assignment.splitOf, assign({ singles: allRows(facts.usable), groups: [] }).splitOf));
  const missingLabels = stratify ? missingLabelsOf(facts, groups, splits, applied) : [];
  warnings.push(...splitWarnings(facts, splits, applied, stratify, groupInfo, options.minRows ?? DEFAULT_MIN_ROWS));
  const plan: SplitPlan = { options: applied, format: detection.format, fields: detection.fields, rows: facts.count, splits, excluded: facts.excluded, groups: groupInfo, missingLabels, warnings };
  if (options.roleWords) plan.roleWords = options.roleWords;
  if (facts.badDates.length) plan.unreadableDates = unreadableDates(applied.timeField!, facts.badDates);
  if (applied.folds !== undefined) plan.folds = foldsOf(splits, applied.folds, facts.count);
  return plan;
}

/** A time split warns about a part with fewer rows than this unless told otherwise. */
export const DEFAULT_MIN_ROWS = 10;

/**
 * Every usable row, ascending: the rows a plan would split if nothing were grouped (a grouping's
 * singles and groups hold every usable row). Read off `usable` in order, nothing to sort.
 */
function allRows(usable: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < usable.length; i++) count += usable[i];
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < usable.length; i++) if (usable[i]) out[k++] = i;
  return out;
}

/** Groups an ungrouped split would have cut across splits, and its rows not where their group went. */
function movedRows(groups: RowGroup[], splitOf: Int32Array, ungrouped: Int32Array): { straddling: number; moved: number } {
  let straddling = 0;
  let moved = 0;
  for (const g of groups) {
    const to = splitOf[g[0]];
    let away = 0;
    let cut = false;
    for (const r of g) {
      if (ungrouped[r] !== to) away++;
      if (ungrouped[r] !== ungrouped[g[0]]) cut = true;
    }
    if (cut) straddling++;
    moved += away;
  }
  return { straddling, moved };
}

/** One sentence naming the rows whose time field holds something that is not a date. */
function unreadableDates(field: string, bad: { line: number; value: string }[]): SplitPlan['unreadableDates'] {
  return { lines: bad.map((b) => b.line), message: datesMessage(field, bad) };
}

function datesMessage(field: string, bad: { line: number; value: string }[]): string {
  const shown = bad.slice(0, 5).map((b) => `line ${b.line} (${b.value})`).join(', ');
  const more = bad.length > 5 ? ` and ${bad.length - 5} more` : '';
  return `"${field}" is not a date Tuneset can read on ${bad.length} row${bad.length === 1 ? '' : 's'}: ${shown}${more}; use ISO 8601 (2024-05-01, 2024-05-01T12:00:00Z) or epoch seconds/milliseconds`;
}

/** Each part's oldest and newest date. */
function addDates(facts: SplitRows, splits: SplitPart[]): void {
  for (const s of splits) {
    if (!s.rows.length) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of s.rows) {
      lo = Math.min(lo, facts.time[r]);
      hi = Math.max(hi, facts.time[r]);
    }
    s.dates = { first: new Date(lo).toISOString(), last: new Date(hi).toISOString() };
  }
}

/** k-fold: fold k validates on its own part and trains on every other fold (a test part stays out of both). */
function foldsOf(splits: SplitPart[], k: number, rowCount: number): SplitFold[] {
  const partOf = new Int32Array(rowCount).fill(-1);
  splits.forEach((s, i) => {
    for (const r of s.rows) partOf[r] = i;
  });
  return splits.slice(0, k).map((s, f) => {
    const train: number[] = [];
    for (let r = 0; r < rowCount; r++) if (partOf[r] >= 0 && partOf[r] < k && partOf[r] !== f) train.push(r);
    return { name: s.name, train, val: s.rows };
  });
}

/** Labels some split (with a share) lacks, each with the reason: too few rows, or too few groups to go round. */
function missingLabelsOf(facts: SplitRows, grouping: Grouping, splits: SplitPart[], applied: AppliedSplitOptions): MissingLabel[] {
  const used = splits.filter((_, k) => applied.ratios[k] > 0);
  const classes = facts.labelNames.length;
  const rows = new Array<number>(classes).fill(0);
  const pieces = new Array<number>(classes).fill(0);
  for (const r of grouping.singles) {
    if (facts.label[r] >= 0) {
      rows[facts.label[r]]++;
      pieces[facts.label[r]]++;
    }
  }
  for (const g of grouping.groups) {
    const seen = new Set<number>();
    for (const r of g) {
      if (facts.label[r] < 0) continue;
      rows[facts.label[r]]++;
      seen.add(facts.label[r]);
    }
    for (const l of seen) pieces[l]++;
  }
  const out: MissingLabel[] = [];
  facts.labelNames.forEach((label, l) => {
    const lacking = used.filter((s) => !s.labels[label]).map((s) => s.name);
    if (!lacking.length || rows[l] === 0) return;
    const n = used.length;
    const reason = rows[l] < n
      ? `it has ${rows[l]} row${rows[l] === 1 ? '' : 's'} for ${n} splits`
      : pieces[l] < n
        ? `its ${rows[l]} rows are in ${pieces[l]} group${pieces[l] === 1 ? '' : 's'} kept whole (duplicates, near-duplicates or a shared group value), fewer than the ${n} splits`
        : `its share of ${rows[l]} rows rounds to none there at these ratios (a row there would take its other splits more than one row off their shares)`;
    out.push({ label, splits: lacking, reason });
  });
  return out;
}

function describeSplits(facts: SplitRows, assignment: Assignment, names: string[]): SplitPart[] {
  const parts = names.map((name, s) => ({ name, rows: [] as number[], counts: new Array<number>(facts.labelNames.length).fill(0), unlabeled: 0, target: assignment.targets[s] }));
  const { splitOf } = assignment;
  for (let i = 0; i < facts.count; i++) {
    const s = splitOf[i];
    if (s < 0) continue;
    const p = parts[s];
    p.rows.push(i);
    if (facts.label[i] < 0) p.unlabeled++;
    else p.counts[facts.label[i]]++;
  }
  return parts.map((p) => ({
    name: p.name,
    rows: p.rows,
    labels: Object.fromEntries(facts.labelNames.map((l, c) => [l, p.counts[c]])),
    unlabeled: p.unlabeled,
    balanceIndex: balanceIndex(p.counts),
    target: p.target,
  }));
}

function splitWarnings(facts: SplitRows, splits: SplitPart[], applied: AppliedSplitOptions, stratified: boolean, groups: SplitPlan['groups'], minRows: number): string[] {
  const warnings: string[] = [];
  const placed = splits.reduce((n, s) => n + s.rows.length, 0);
  if (placed === 0) warnings.push('No row could be placed: every row was left out');
  const used = applied.ratios.filter((r) => r > 0).length;
  if (stratified) {
    const totals = new Array<number>(facts.labelNames.length).fill(0);
    for (let i = 0; i < facts.count; i++) if (facts.usable[i] && facts.label[i] >= 0) totals[facts.label[i]]++;
    const small = facts.labelNames.filter((_, c) => totals[c] > 0 && totals[c] < used);
    if (small.length) warnings.push(`${small.length === 1 ? 'Label' : 'Labels'} ${small.map((l) => `"${l}"`).join(', ')} ${small.length === 1 ? 'has' : 'have'} fewer rows than there are splits: not every split can hold one`);
  }
  const total = applied.ratios.reduce((a, b) => a + b, 0);
  splits.forEach((s, k) => {
    // A split asked for that comes out empty is written as an empty file: say so, not silently.
    if (placed > 0 && applied.ratios[k] > 0 && s.rows.length === 0 && s.target === 0) {
      const share = Math.round((100 * applied.ratios[k]) / total);
      warnings.push(`${s.name} is empty: ${placed} row${placed === 1 ? ' is' : 's are'} too few for a ${share}% share (it needs at least ${Math.ceil(total / applied.ratios[k])} rows)`);
    }
  });
  if (applied.timeField !== undefined && placed > 0) {
    splits.forEach((s, k) => {
      if (applied.ratios[k] <= 0) return;
      if (s.rows.length === 0 && s.target > 0) warnings.push(`${s.name} is empty: the rows sharing a group with the newest dates went to an earlier split`);
      else if (s.rows.length > 0 && s.rows.length < minRows) warnings.push(`${s.name} holds only ${s.rows.length} row${s.rows.length === 1 ? '' : 's'} (minimum ${minRows}): too few to measure a model on`);
    });
  }
  for (const s of splits) {
    if (Math.abs(s.rows.length - s.target) > (stratified ? facts.labelNames.length + 1 : 1)) {
      const why = applied.timeField !== undefined ? 'rows sharing a group stay together' : 'groups are kept whole';
      warnings.push(`${s.name} holds ${s.rows.length} rows instead of ${s.target}: ${why}${groups.largest ? ` (largest group: ${groups.largest} rows)` : ''}`);
    }
  }
  return warnings;
}
