// Room: split. Train/val/test files from a dataset: the plan (this file: which row goes where,
// stratified by label, grouped so duplicates stay together, or by time) made from the rows' facts
// (splitRows.ts, rowGroups.ts, assignGroups.ts, apportion.ts), then written by renderSplit.ts.
import { detectDatasetFormat, type Detection } from '../analysis/detection';
import { DEFAULT_CONFIG } from '../config';
import { OptionsError } from '../optionsError';
import type { SourceRow } from '../read';
import { balanceIndex } from '../rules/labels';
import { seededRandom, mixSeed } from '../seededRandom';
import { assignByRatio, assignByTime, type Assignment } from './assignGroups';
import { RowGroups } from './rowGroups';
import { readSplitRows, type SplitRows } from './splitRows';
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
  /** Keep exact duplicates (normalised as the exact-duplicate rule does) in one split. */
  groupDuplicates?: boolean;
  /** Keep rows sharing this field's value (e.g. a conversation id) in one split. */
  groupField?: string;
  /** Split by time instead of at random: oldest rows first, cut by the ratios. */
  timeField?: string;
  /**
   * Near-duplicate cluster id per row index (rows sharing an id ≥ 0 stay together); supplied by the
   * caller from the near-duplicate index. Undefined or negative: the row is in no cluster.
   */
  groups?: readonly (number | undefined)[];
  /** The format and fields; detected from the rows when absent. */
  detection?: Detection;
}

/** The options as applied, recorded in the manifest so a split can be re-made. */
export interface AppliedSplitOptions {
  ratios: number[];
  names: string[];
  folds?: number;
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
  /** Groups of two or more rows kept whole. */
  groups: { count: number; rows: number; largest: number };
  /** Things the user should know: unreachable ratios, classes too small for every split… */
  warnings: string[];
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
    ratios = Array.from({ length: Math.max(2, folds || 2) }, () => 1);
    names ??= ratios.map((_, i) => `fold${i + 1}`);
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
    groupDuplicates: !!options.groupDuplicates,
    nearDuplicateGroups: !!options.groups,
  };
  if (folds !== undefined) applied.folds = folds;
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
  const { applied, problems } = resolveSplitOptions(options);
  if (problems.length) throw new OptionsError(problems);
  let detection = options.detection;
  if (!detection) {
    const list = Array.isArray(rows) ? (rows as SourceRow[]) : [...rows];
    detection = detectDatasetFormat(list, DEFAULT_CONFIG);
    rows = list;
  }
  const facts = readSplitRows(rows, detection, { hashKeys: applied.groupDuplicates, groupField: applied.groupField, timeField: applied.timeField });
  const warnings: string[] = [];
  const grouping = new RowGroups(facts.count);
  // Rows that cannot be placed have no key hash (NaN), so they join nothing.
  if (applied.groupDuplicates) grouping.joinByHash(facts.keyHash);
  if (applied.groupField !== undefined) grouping.joinByKey(facts.groupValue, facts.usable);
  if (options.groups) grouping.joinByKey(Array.from({ length: facts.count }, (_, i) => options.groups![i]), facts.usable);
  const groups = grouping.grouping(facts.usable);

  const stratify = applied.stratify && facts.labelNames.length > 0;
  if (applied.stratify && !stratify) warnings.push('No labels found: the split is not stratified');
  const random = seededRandom(mixSeed(applied.seed));
  const assignment: Assignment = applied.timeField !== undefined
    ? assignByTime(groups, facts.count, applied.ratios, facts.time)
    : assignByRatio(groups, facts.count, applied.ratios, random, stratify ? { label: facts.label, classes: facts.labelNames.length } : undefined);

  const splits = describeSplits(facts, assignment, applied.names);
  const multi = groups.groups;
  const groupInfo = { count: multi.length, rows: multi.reduce((n, g) => n + g.length, 0), largest: multi.reduce((m, g) => Math.max(m, g.length), 0) };
  warnings.push(...splitWarnings(facts, splits, applied, stratify, groupInfo));
  return { options: applied, format: detection.format, fields: detection.fields, rows: facts.count, splits, excluded: facts.excluded, groups: groupInfo, warnings };
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

function splitWarnings(facts: SplitRows, splits: SplitPart[], applied: AppliedSplitOptions, stratified: boolean, groups: SplitPlan['groups']): string[] {
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
  for (const s of splits) {
    if (Math.abs(s.rows.length - s.target) > (stratified ? facts.labelNames.length + 1 : 1)) {
      const why = applied.timeField !== undefined ? 'rows sharing a group stay together' : 'groups are kept whole';
      warnings.push(`${s.name} holds ${s.rows.length} rows instead of ${s.target}: ${why}${groups.largest ? ` (largest group: ${groups.largest} rows)` : ''}`);
    }
  }
  return warnings;
}
