import { DEFAULT_CONFIG, type Config } from '../config';
import { isDatasetPath } from '../read';
import { splitWordRole } from '../rules/crossFileLeak';

/**
 * A train/val/test set side by side: sizes, label proportions per split, and the texts that leak
 * from one split into another (exact duplicates after normalisation).
 */

export type SplitName = 'train' | 'val' | 'test';

export const SPLIT_ORDER: SplitName[] = ['train', 'val', 'test'];

/** The role words a name is read with: the settings' `trainFileWords` and `heldOutFileWords`, as the leak check reads them. */
export type RoleWords = Pick<Config, 'heldOutFileWords' | 'trainFileWords'>;

/**
 * The split a file name plays and the pattern its siblings share: a part of the name between dots,
 * dashes or underscores that is a role word (splitWordRole, the leak check's own reading) marks it,
 * and the rest of the name is its family ("data.train.jsonl" and "data.test.jsonl" are "data.*.jsonl").
 * A held-out word that is "test" (or "testset", …) is the test split; any other (val, validation,
 * dev, eval…) the validation split.
 */
export function splitRole(fileName: string, words: RoleWords = DEFAULT_CONFIG): { split: SplitName; family: string } | undefined {
  if (!isDatasetPath(fileName)) return undefined;
  const parts = fileName.split(/([._-])/);
  for (let i = 0; i < parts.length; i += 2) {
    const role = splitWordRole(parts[i], words);
    if (!role) continue;
    const split: SplitName = role === 'train' ? 'train' : splitWordRole(parts[i], { heldOutFileWords: ['test'], trainFileWords: [] }) ? 'test' : 'val';
    return { split, family: [...parts.slice(0, i), '*', ...parts.slice(i + 1)].join('').toLowerCase() };
  }
  return undefined;
}

/**
 * The file's split family among the names of its folder: one file per split (the file itself
 * included), in train, val, test order; empty when the file has no sibling split.
 */
export function findSplitSiblings(fileName: string, namesInFolder: string[], words: RoleWords = DEFAULT_CONFIG): { split: SplitName; name: string }[] {
  const own = splitRole(fileName, words);
  if (!own) return [];
  const chosen = new Map<SplitName, string>([[own.split, fileName]]);
  for (const name of [...namesInFolder].sort()) {
    const role = splitRole(name, words);
    if (role && role.family === own.family && !chosen.has(role.split)) chosen.set(role.split, name);
  }
  if (chosen.size < 2) return [];
  return SPLIT_ORDER.filter((s) => chosen.has(s)).map((split) => ({ split, name: chosen.get(split)! }));
}

/**
 * What the comparison reads of a split's report (a QualityReport is one): its header and its labels.
 * Spelled out here so this module needs nothing of the report that shows the comparison.
 */
export interface SplitReport {
  header: { path: string; rows: number; quality: { score: number } };
  labels: { labels: { name: string; count: number }[] } | null;
}

/** One split of the set: its report (a split's own report needs no diversity) and its rows' hashes. */
export interface SplitInput {
  split: SplitName;
  report: SplitReport;
  /** datasetRowHashes of the split's file. */
  hashes: ReadonlySet<number>;
}

export interface SplitComparison {
  splits: {
    split: SplitName;
    path: string;
    rows: number;
    /** This split's rows over all splits' rows. */
    share: number;
    score: number;
    /** Aligned with `labels`: rows and share of each label within this split. */
    labelCounts: number[];
    labelShares: number[];
  }[];
  /** Every label of any split, the most common over all splits first. */
  labels: string[];
  /** For each pair of splits, the distinct normalised texts found in both. */
  leakage: { between: [SplitName, SplitName]; shared: number }[];
  /**
   * For each pair (same order as `leakage`), the rows of the later split that `check`'s
   * cross-file-leak finds in the earlier one, as it counts them: exact copies after normalisation and
   * verified near-duplicates (a row counted once, exact first). Absent when the host did not compute them.
   */
  leaks?: SplitLeaks[];
}

/** Rows of `between[1]` that leak from `between[0]`, as cross-file-leak counts them. */
export interface SplitLeaks {
  between: [SplitName, SplitName];
  exact: number;
  near: number;
}

/** Compares the splits of a set (given in any order; shown train, val, test). */
export function buildSplitComparison(inputs: SplitInput[], leaks?: SplitLeaks[]): SplitComparison {
  const ordered = [...inputs].sort((a, b) => SPLIT_ORDER.indexOf(a.split) - SPLIT_ORDER.indexOf(b.split));
  const totals = new Map<string, number>();
  const labelsOf = (s: SplitInput) => s.report.labels?.labels ?? [];
  for (const s of ordered) for (const l of labelsOf(s)) totals.set(l.name, (totals.get(l.name) ?? 0) + l.count);
  const labels = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([name]) => name);
  const allRows = ordered.reduce((n, s) => n + s.report.header.rows, 0);
  const splits = ordered.map((s) => {
    const byName = new Map(labelsOf(s).map((l) => [l.name, l.count]));
    const labelled = labelsOf(s).reduce((n, l) => n + l.count, 0);
    const labelCounts = labels.map((name) => byName.get(name) ?? 0);
    const { path, rows, quality } = s.report.header;
    return {
      split: s.split,
      path,
      rows,
      share: allRows ? rows / allRows : 0,
      score: quality.score,
      labelCounts,
      labelShares: labelCounts.map((n) => (labelled ? n / labelled : 0)),
    };
  });
  const leakage: SplitComparison['leakage'] = [];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      leakage.push({ between: [ordered[i].split, ordered[j].split], shared: sharedCount(ordered[i].hashes, ordered[j].hashes) });
    }
  }
  const out: SplitComparison = { splits, labels, leakage };
  if (leaks) {
    const key = (b: [SplitName, SplitName]) => b.join(' ');
    const byPair = new Map(leaks.map((l) => [key(l.between), l]));
    out.leaks = leakage.map((l) => byPair.get(key(l.between)) ?? { between: l.between, exact: 0, near: 0 });
  }
  return out;
}

function sharedCount(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let n = 0;
  for (const h of small) if (large.has(h)) n++;
  return n;
}
