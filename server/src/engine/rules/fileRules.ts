import type { Config } from '../config';
import type { ValueCounts } from '../select';
import type { RuleId } from './catalog';
import { exactDuplicateGroups, findExactDuplicates, type DuplicateGroup } from './duplicates';
import { labelCounts, type FileFacts, type LateReport } from './fileFacts';
import { findLabelImbalance, findLabelVariantsAndRareLabels, labelReports, labelVariants } from './labels';
import { findLengthOutliers, isReportedOutlier, lengthCounts, lengthOutliers, type LengthOutliers } from './lengths';
import { findHanVariantMix, findLanguageMix, languageDecisions, type LanguageDecisions } from './languages';
import { findNearDuplicates, type NearDuplicateCounts } from './nearDuplicates';
import type { RowReport } from './rowRule';

/**
 * The file-level rules, in the order they run: each works over the facts the per-row pass gathered
 * (FileFacts: a hash, a label and a length per row, near-duplicate band keys) and reports on rows
 * through `report`. Every driver runs this one list: a whole file (analysis/analyze.ts), merged
 * shards (analysis/shards.ts, through analyze's file-level step) and the editor's model
 * (analysis/incremental.ts), whose quick re-check after a small edit asks each rule again for a few
 * rows only (`quick`). A new file-level rule is an entry here (and one in catalog.ts, scope 'file').
 */

/** What the file-level rules decided that the editor's quick re-check keeps (with the facts they were made from). */
export interface FileRuleDecisions {
  groups: DuplicateGroup[];
  /** The label a label id is a variant of (itself when none): conflicts are between canonical labels. */
  canonical: (label: number) => number;
  /** The label-variant or rare-label report for the rows of a label id. */
  labelReport: (label: number) => RowReport | undefined;
  lengths: LengthOutliers | undefined;
  /** The lengths the length-outlier test was made from (lengthCounts). */
  lengthCounts: ValueCounts;
  /** The main language and the file's widths (mixed-language, width-mix). */
  languages: LanguageDecisions | undefined;
}

/** One run of the file-level rules over a file's facts: their input, and their decisions as they are made. */
export interface FileRuleRun extends FileRuleDecisions {
  facts: FileFacts;
  config: Config;
  /** Whether a rule is on (not 'off' in the settings). */
  enabled: (rule: RuleId) => boolean;
  /** Near-duplicate search asked for (the editor's keystroke path turns it off for big files). */
  nearDuplicates: boolean;
  /** A row's exact shingle set, read again (near-duplicate verifies candidate pairs with it). */
  rowShingles: (row: number) => Float64Array | undefined;
  report: LateReport;
  near: NearDuplicateCounts;
}

export interface FileRule {
  /** The rules it reports: together, the catalog's rules of scope 'file' (invalid-utf8, which the reader finds, aside). */
  rules: readonly RuleId[];
  /** The share of the file-level step done once it has run, for progress. */
  done: number;
  run(run: FileRuleRun): void;
  /**
   * The editor's quick re-check of a few changed rows: the reports of a row made again from the
   * decisions the last full run kept (`groups`: the duplicate groups the edit touched, as they are
   * now). Absent for a rule whose decisions an edit may change anywhere in the file: near-duplicate,
   * which the quick re-check never follows (it runs only when no near-duplicate sketches are made).
   */
  quick?(kept: FileRuleDecisions, facts: FileFacts, groups: DuplicateGroup[]): (row: number) => readonly RowReport[] | undefined;
}

export const FILE_RULES: readonly FileRule[] = [
  {
    rules: ['exact-duplicate', 'conflicting-labels'],
    done: 0.2,
    run(r) {
      // Its reports are all it makes (the groups are made before, for the statistics too): with both
      // rules off (a split's grouping) they would all be dropped.
      if (!r.enabled('exact-duplicate') && !r.enabled('conflicting-labels')) return;
      findExactDuplicates(r.facts, r.groups, r.report, r.canonical);
    },
    quick(kept, facts, groups) {
      const reports = new Map<number, RowReport[]>();
      findExactDuplicates(facts, groups, (row, report) => {
        const list = reports.get(row);
        if (list) list.push(report);
        else reports.set(row, [report]);
      }, kept.canonical);
      return (row) => reports.get(row);
    },
  },
  {
    rules: ['near-duplicate', 'conflicting-labels'],
    done: 0.4,
    run(r) {
      if (!r.nearDuplicates || r.facts.bandsPerRow === 0 || !(r.enabled('near-duplicate') || r.enabled('conflicting-labels'))) return;
      r.near = findNearDuplicates(r.facts, r.groups, r.config.nearDuplicateThreshold, r.rowShingles, r.report, r.canonical);
    },
  },
  {
    // Reported on the file as a whole (row -1): the quick re-check keeps the last finding, as it never remakes the first row's.
    rules: ['label-imbalance'],
    done: 0.45,
    run: (r) => findLabelImbalance(r.facts, r.config.thresholds, r.report),
    quick: () => () => undefined,
  },
  {
    rules: ['label-variant', 'rare-label'],
    done: 0.5,
    run(r) {
      r.labelReport = labelReports(r.facts, r.config.thresholds);
      findLabelVariantsAndRareLabels(r.facts, r.labelReport, r.report);
    },
    quick: (kept, facts) => (row) => {
      const report = kept.labelReport(facts.label[row]);
      return report ? [report] : undefined;
    },
  },
  {
    rules: ['length-outlier'],
    done: 0.55,
    run(r) {
      r.lengthCounts = lengthCounts(r.facts);
      r.lengths = lengthOutliers(r.lengthCounts, r.config.thresholds);
      findLengthOutliers(r.facts, r.lengths, r.report);
    },
    quick: (kept, facts) => (row) => {
      const outliers = kept.lengths;
      return outliers && isReportedOutlier(facts, outliers, row) ? [outliers.report(facts.chars[row])] : undefined;
    },
  },
  {
    rules: ['mixed-language', 'width-mix'],
    done: 0.58,
    run(r) {
      if (!r.enabled('mixed-language') && !r.enabled('width-mix')) return;
      r.languages = languageDecisions(r.facts, r.config.thresholds);
      findLanguageMix(r.facts, r.languages, r.report);
    },
    // The quick re-check runs only when no edited row's traits changed: the decisions stand.
    quick: (kept, facts) => (row) => kept.languages?.reports(facts.traits[row]),
  },
  {
    // Reported on the file as a whole (row -1), as label-imbalance is.
    rules: ['han-variant-mix'],
    done: 0.6,
    run: (r) => findHanVariantMix(r.facts, r.report),
    quick: () => () => undefined,
  },
];

/**
 * A run of FILE_RULES over a file's facts, with the decisions every rule may lean on made first: the
 * exact-duplicate groups, and the label variants (so "Positive" against "positive" is a variant, not
 * a conflict).
 */
export function startFileRules(
  facts: FileFacts, config: Config, enabled: (rule: RuleId) => boolean, nearDuplicates: boolean,
  rowShingles: (row: number) => Float64Array | undefined, report: LateReport,
): FileRuleRun {
  const variants = labelVariants(facts.labelNames, labelCounts(facts), config.thresholds.labelVariantMaxEdits);
  return {
    facts, config, enabled, nearDuplicates, rowShingles, report,
    groups: exactDuplicateGroups(facts),
    canonical: (l) => variants.get(l) ?? l,
    near: { clusters: 0, rows: 0 },
    labelReport: () => undefined,
    lengths: undefined,
    // Until length-outlier counts them.
    lengthCounts: { values: new Float64Array(0), counts: new Int32Array(0), total: 0 },
    languages: undefined,
  };
}
