import { shuffle, type Random } from '../seededRandom';
import { apportion, stratifiedTargets } from './apportion';
import type { Grouping } from './rowGroups';

/**
 * Puts whole groups into splits. A row alone is the common case: then each class fills its
 * per-split targets exactly. Groups of several rows go first (they are the hard part of the
 * packing), biggest first, and the targets absorb them as well as whole groups allow.
 */

export interface Assignment {
  /** Split index per row index; -1 for rows not placed (excluded). */
  splitOf: Int32Array;
  /** Rows each split was meant to hold (before whole groups bent the numbers). */
  targets: number[];
}

/**
 * Random assignment by ratios. With `labels` (stratified) each group is steered by its majority
 * label to the split furthest below that label's target; without, by the split furthest below
 * its total. Ties go to the split with the larger overall shortfall, then the earlier split.
 */
export function assignByRatio(grouping: Grouping, rowCount: number, weights: readonly number[], random: Random, labels?: { label: ArrayLike<number>; classes: number }): Assignment {
  const splits = weights.length;
  const splitOf = new Int32Array(rowCount).fill(-1);
  // Strata: one per label plus one for unlabelled rows; a single stratum when not stratifying.
  const strata = labels ? labels.classes + 1 : 1;
  const stratumOf = (row: number) => (labels ? (labels.label[row] < 0 ? labels.classes : labels.label[row]) : 0);
  const classCounts = new Array<number>(strata).fill(0);
  for (const r of grouping.singles) classCounts[stratumOf(r)]++;
  for (const g of grouping.groups) for (const r of g) classCounts[stratumOf(r)]++;
  const total = classCounts.reduce((a, b) => a + b, 0);
  const shortfall = stratifiedTargets(classCounts, weights);
  const totals = apportion(total, weights);
  const totalShortfall = totals.slice();

  const choose = (stratum: number): number => {
    const left = shortfall[stratum];
    let best = -1;
    for (let s = 0; s < splits; s++) {
      if (weights[s] <= 0) continue;
      if (best < 0 || left[s] > left[best] || (left[s] === left[best] && totalShortfall[s] > totalShortfall[best])) best = s;
    }
    return best;
  };

  // Biggest groups first; the stable sort keeps the shuffled order among equal sizes.
  const groups = shuffle(grouping.groups.slice(), random).sort((a, b) => b.length - a.length);
  const counts = new Array<number>(strata).fill(0);
  for (const group of groups) {
    for (const r of group) counts[stratumOf(r)]++;
    let major = 0;
    for (let c = 1; c < strata; c++) if (counts[c] > counts[major]) major = c;
    counts.fill(0);
    const best = choose(major);
    for (const r of group) {
      splitOf[r] = best;
      shortfall[stratumOf(r)][best]--;
    }
    totalShortfall[best] -= group.length;
  }
  const singles = shuffle(grouping.singles.slice(), random);
  for (let k = 0; k < singles.length; k++) {
    const r = singles[k];
    const stratum = stratumOf(r);
    const best = choose(stratum);
    splitOf[r] = best;
    shortfall[stratum][best]--;
    totalShortfall[best]--;
  }
  return { splitOf, targets: totals };
}

/** Time split: rows and groups in order of their earliest date fill the splits one after another. */
export function assignByTime(grouping: Grouping, rowCount: number, weights: readonly number[], time: ArrayLike<number>): Assignment {
  const splitOf = new Int32Array(rowCount).fill(-1);
  const { singles, groups } = grouping;
  const units = singles.length + groups.length;
  // Unit u < singles.length is a single row, the rest are groups; sorted by (earliest date, first row).
  const start = new Float64Array(units);
  const first = new Int32Array(units);
  for (let u = 0; u < singles.length; u++) {
    start[u] = time[singles[u]];
    first[u] = singles[u];
  }
  groups.forEach((g, k) => {
    start[singles.length + k] = g.reduce((m, r) => Math.min(m, time[r]), Infinity);
    first[singles.length + k] = g[0];
  });
  const order = new Int32Array(units);
  for (let u = 0; u < units; u++) order[u] = u;
  order.sort((a, b) => start[a] - start[b] || first[a] - first[b]);
  const total = singles.length + groups.reduce((n, g) => n + g.length, 0);
  const targets = apportion(total, weights);
  const filled = new Array<number>(weights.length).fill(0);
  let s = 0;
  for (const u of order) {
    while (s < weights.length - 1 && filled[s] >= targets[s]) s++;
    if (u < singles.length) {
      splitOf[singles[u]] = s;
      filled[s]++;
    } else {
      const g = groups[u - singles.length];
      for (const r of g) splitOf[r] = s;
      filled[s] += g.length;
    }
  }
  return { splitOf, targets };
}
