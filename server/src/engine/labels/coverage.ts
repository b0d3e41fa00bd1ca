import type { GivenLabel, LabelInput } from './dataset';

/**
 * Coverage: how much of its space a dataset fills. The articles' Coverage = distinct instances /
 * possible distinct instances has no computable denominator for free text, so it is read as the share
 * of distinct (normalised) texts, plus how the rows spread over label × length buckets (lengths cut
 * at the file's own thirds, so "short" means short for this file), with the thinnest labels and
 * buckets named, and, when the host passes each row's near-duplicate cluster, how many clusters the
 * rows fall into.
 */
export interface Coverage {
  rows: number;
  distinctTexts: number;
  /** distinctTexts / rows (1: no two rows have the same normalised text). */
  distinctShare: number;
  /** Word counts at the cuts: short rows have at most the first, medium at most the second, long more. */
  lengthCuts: [number, number];
  /** Rows per label and length (multi-label rows count under each of their labels); unlabelled rows are left out. */
  buckets: { label: string; length: 'short' | 'medium' | 'long'; rows: number }[];
  /** The three labels with the fewest rows, and the three emptiest buckets (empty ones included). */
  thinnestLabels: { label: string; rows: number; share: number }[];
  thinnestBuckets: { label: string; length: 'short' | 'medium' | 'long'; rows: number }[];
  /** When cluster ids are given: how many clusters, and the share of rows in the largest one. */
  clusters?: { count: number; largestShare: number; singletons: number };
}

export interface CoverageOptions {
  /** The text normalisation used for exact duplicates (default: lower case, spaces collapsed). */
  normalize?: (text: string) => string;
  /** Each row's near-duplicate cluster (rows alone in theirs may share a value of -1). */
  clusterOf?: Int32Array;
}

const LENGTHS = ['short', 'medium', 'long'] as const;

const defaultNormalize = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

const wordCount = (text: string) => {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
};

const labelsOf = (value: GivenLabel): string[] => {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter((s) => s !== '');
  const s = String(value).trim();
  return s === '' ? [] : [s];
};

/** Measures coverage of a file's texts and labels. */
export function coverage(input: LabelInput, options: CoverageOptions = {}): Coverage {
  const normalize = options.normalize ?? defaultNormalize;
  const n = input.texts.length;
  const distinct = new Set<string>();
  const lengths = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    distinct.add(normalize(input.texts[i]));
    lengths[i] = wordCount(input.texts[i]);
  }
  const sorted = Int32Array.from(lengths).sort();
  const cut = (q: number) => (n ? sorted[Math.min(n - 1, Math.floor(q * n))] : 0);
  const cuts: [number, number] = [cut(1 / 3), cut(2 / 3)];
  const bucketOf = (len: number) => (len <= cuts[0] ? 0 : len <= cuts[1] ? 1 : 2);
  const perLabel = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    for (const label of labelsOf(input.labels[i])) {
      const counts = perLabel.get(label) ?? perLabel.set(label, [0, 0, 0]).get(label)!;
      counts[bucketOf(lengths[i])]++;
    }
  }
  const labels = [...perLabel.keys()].sort();
  const buckets = labels.flatMap((label) => LENGTHS.map((length, k) => ({ label, length, rows: perLabel.get(label)![k] })));
  const labelled = input.labels.filter((l) => labelsOf(l).length > 0).length;
  const thinnestLabels = labels
    .map((label) => {
      const rows = perLabel.get(label)!.reduce((s, v) => s + v, 0);
      return { label, rows, share: labelled ? rows / labelled : 0 };
    })
    .sort((a, b) => a.rows - b.rows || (a.label < b.label ? -1 : 1))
    .slice(0, 3);
  const thinnestBuckets = [...buckets].sort((a, b) => a.rows - b.rows || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)).slice(0, 3);
  const result: Coverage = { rows: n, distinctTexts: distinct.size, distinctShare: n ? distinct.size / n : 0, lengthCuts: cuts, buckets, thinnestLabels, thinnestBuckets };
  if (options.clusterOf) {
    const sizes = new Map<number, number>();
    let singletons = 0;
    options.clusterOf.forEach((c) => (c < 0 ? singletons++ : sizes.set(c, (sizes.get(c) ?? 0) + 1)));
    const largest = Math.max(singletons ? 1 : 0, ...sizes.values());
    result.clusters = { count: sizes.size + singletons, largestShare: n ? largest / n : 0, singletons };
  }
  return result;
}
