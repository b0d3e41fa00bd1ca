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

/** A single row or a group: what moves between splits as one. */
interface Piece {
  rows: ArrayLike<number> & Iterable<number>;
}

/**
 * Random assignment by ratios, whole groups at a time. Without `labels` a single stratum; with
 * them (stratified) one per label plus one for unlabelled rows, each with per-split targets
 * (stratifiedTargets: the floor or ceiling of its exact share, and at least one row in every split
 * when the class has a row per split). Groups of several rows go first, biggest first, each to
 * the split where it moves the label counts least past their targets (the squared distance to the
 * targets, over the group's labels and the split's size: StratifiedGroupKFold's idea with ratios);
 * single rows then fill each label's remaining shortfall exactly. Last, a label a split lacks
 * although another split holds it in two or more pieces (rows or groups) gets one piece moved over,
 * so no label is left out of a split that could hold it.
 */
export function assignByRatio(grouping: Grouping, rowCount: number, weights: readonly number[], random: Random, labels?: { label: ArrayLike<number>; classes: number }): Assignment {
  const splits = weights.length;
  const splitOf = new Int32Array(rowCount).fill(-1);
  // Strata: one per label plus one for unlabelled rows; a single stratum when not stratifying.
  const strata = labels ? labels.classes + 1 : 1;
  const stratumOf = (row: number) => (labels ? (labels.label[row] < 0 ? labels.classes : labels.label[row]) : 0);
  const classCounts = new Array<number>(strata).fill(0);
  // Each row alone with its stratum packed in (stratum × rowCount + row), read in file order here: the
  // shuffled loop below then reads no label of a row at random, a cache miss per row on a big file.
  // Below 2^52 the packing and the division that undoes it are exact (a million rows and a million
  // labels are far below); above, the rows go alone and their strata are looked up.
  const { singles } = grouping;
  const scale = strata * rowCount <= 2 ** 52 ? rowCount : 0;
  const packed = new Float64Array(singles.length);
  for (let k = 0; k < singles.length; k++) {
    const stratum = stratumOf(singles[k]);
    classCounts[stratum]++;
    packed[k] = stratum * scale + singles[k];
  }
  for (const g of grouping.groups) for (const r of g) classCounts[stratumOf(r)]++;
  const targets = stratifiedTargets(classCounts, weights);
  // What each stratum still lacks in each split, flat (stratum × splits + split), and each split in all.
  const shortfall = new Float64Array(strata * splits);
  for (let c = 0; c < strata; c++) for (let s = 0; s < splits; s++) shortfall[c * splits + s] = targets[c][s];
  // The split sizes the class targets add up to: the ratios' shares, but for a row a class moved so it is in every split.
  const totals = weights.map((_, s) => targets.reduce((n, t) => n + t[s], 0));
  const totalShortfall = Float64Array.from(totals);

  const place = (row: number, s: number) => {
    splitOf[row] = s;
    shortfall[stratumOf(row) * splits + s]--;
    totalShortfall[s]--;
  };

  // Biggest groups first; the stable sort keeps the shuffled order among equal sizes.
  const groups = shuffle(grouping.groups.slice(), random).sort((a, b) => b.length - a.length);
  const counts = new Map<number, number>();
  for (const group of groups) {
    counts.clear();
    for (const r of group) counts.set(stratumOf(r), (counts.get(stratumOf(r)) ?? 0) + 1);
    let best = -1;
    let bestCost = Infinity;
    for (let s = 0; s < splits; s++) {
      if (weights[s] <= 0) continue;
      // The growth of Σ (count − target)² over the group's strata and the split's size.
      let cost = group.length * (group.length - 2 * totalShortfall[s]);
      for (const [stratum, n] of counts) cost += n * (n - 2 * shortfall[stratum * splits + s]);
      if (best < 0 || cost < bestCost || (cost === bestCost && totalShortfall[s] > totalShortfall[best])) {
        best = s;
        bestCost = cost;
      }
    }
    for (const r of group) place(r, best);
  }
  // Rows alone, the bulk of a big file: shuffled as typed numbers, each placed in the split its
  // stratum is furthest short of (ties: the split furthest short in all). They are shuffled packed
  // with their strata: the shuffle moves the same places whatever the numbers, so the order is that
  // of the rows shuffled alone.
  shuffle(packed, random);
  for (let k = 0; k < packed.length; k++) {
    const stratum = scale ? Math.floor(packed[k] / scale) : stratumOf(packed[k]);
    const r = packed[k] - stratum * scale;
    const at = stratum * splits;
    let best = -1;
    for (let s = 0; s < splits; s++) {
      if (weights[s] <= 0) continue;
      if (best < 0 || shortfall[at + s] > shortfall[at + best] || (shortfall[at + s] === shortfall[at + best] && totalShortfall[s] > totalShortfall[best])) best = s;
    }
    splitOf[r] = best;
    if (best < 0) continue;
    shortfall[at + best]--;
    totalShortfall[best]--;
  }
  // Without groups the targets already place every label where its share allows.
  if (labels && grouping.groups.length) fillMissingLabels(grouping, splitOf, weights, labels, targets, stratumOf);
  return { splitOf, targets: totals };
}

/**
 * Moves one piece (a single row if there is one, else the smallest group) of a label into each
 * split that lacks the label, from the split holding the most pieces of it (two or more, so the
 * giver keeps the label). A single row moved is traded for a single row of a label the receiving
 * split holds more of than its target, so split sizes stay where they were when they can.
 */
function fillMissingLabels(
  grouping: Grouping, splitOf: Int32Array, weights: readonly number[], labels: { label: ArrayLike<number>; classes: number },
  targets: number[][], stratumOf: (row: number) => number,
): void {
  const splits = weights.length;
  const { classes } = labels;
  const rowsIn = Array.from({ length: classes + 1 }, () => new Array<number>(splits).fill(0));
  for (let r = 0; r < splitOf.length; r++) if (splitOf[r] >= 0) rowsIn[stratumOf(r)][splitOf[r]]++;
  const lacking = new Set<number>();
  for (let l = 0; l < classes; l++) for (let s = 0; s < splits; s++) if (weights[s] > 0 && rowsIn[l][s] === 0) lacking.add(l);
  if (!lacking.size) return;
  // Pieces of the labels some split lacks: single rows and groups holding the label.
  const pieces = new Map<number, Piece[]>([...lacking].map((l) => [l, []]));
  for (const r of grouping.singles) pieces.get(labels.label[r])?.push({ rows: [r] });
  for (const g of grouping.groups) {
    const seen = new Set<number>();
    for (const r of g) if (labels.label[r] >= 0) seen.add(labels.label[r]);
    for (const l of seen) pieces.get(l)?.push({ rows: g });
  }
  const held = new Array<number>(splits);
  for (const [l, list] of pieces) {
    if (list.length < 2) continue;
    for (let s = 0; s < splits; s++) {
      if (weights[s] <= 0 || rowsIn[l][s] > 0) continue;
      held.fill(0);
      for (const p of list) held[splitOf[p.rows[0]]]++;
      // The giver keeps the label and stays within one row of the label's exact share there.
      const total = targets[l].reduce((a, b) => a + b, 0);
      const sum = weights.reduce((a, b) => a + b, 0);
      const piecesIn = (t: number) => list.filter((p) => splitOf[p.rows[0]] === t);
      const smallest = (t: number) => piecesIn(t).reduce((a, b) => (b.rows.length < a.rows.length ? b : a));
      const rowsOf = (p: Piece) => Array.from(p.rows).filter((r) => labels.label[r] === l).length;
      let from = -1;
      for (let t = 0; t < splits; t++) {
        if (held[t] < 2 || rowsIn[l][t] - rowsOf(smallest(t)) < (total * weights[t]) / sum - 1 - 1e-9) continue;
        if (from < 0 || held[t] > held[from]) from = t;
      }
      if (from < 0) continue;
      const piece = smallest(from);
      for (const r of piece.rows) {
        rowsIn[stratumOf(r)][from]--;
        rowsIn[stratumOf(r)][s]++;
        splitOf[r] = s;
      }
      if (piece.rows.length !== 1) continue;
      // Trade back a single row of a stratum `s` holds over its target (and keeps after the trade).
      let back = -1;
      for (const r of grouping.singles) {
        if (splitOf[r] !== s || r === piece.rows[0]) continue;
        const m = stratumOf(r);
        if (m !== l && rowsIn[m][s] > targets[m][s] && rowsIn[m][s] >= 2) {
          back = r;
          break;
        }
      }
      if (back < 0) continue;
      const m = stratumOf(back);
      rowsIn[m][s]--;
      rowsIn[m][from]++;
      splitOf[back] = from;
    }
  }
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
