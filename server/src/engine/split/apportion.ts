/**
 * How many rows each split should hold. Shares are rounded by largest remainder, per class when
 * stratifying, so every class gets the floor or the ceiling of its exact share in every split
 * (within one row), and the leftover rows are handed out so the split totals stay on their ratios.
 */

/** Splits `total` into whole parts proportional to `weights` (largest remainder; ties go to the earlier part). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    if (weights[i] <= 0) continue;
    parts[i]++;
    left--;
  }
  return parts;
}

/**
 * Targets per class and split ([class][split]). Each class's row count is cut by the ratios with
 * floors first; each class then gives its leftover rows (fewer than the number of splits) one each
 * to distinct splits, preferring the splits furthest below their overall target (Ryser's greedy
 * for 0/1 tables), then the larger fractional share. So every cell is the floor or the ceiling of
 * the class's exact share, and split totals match `apportion(total)` in all but contrived cases.
 */
export function stratifiedTargets(classCounts: readonly number[], weights: readonly number[]): number[][] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const splits = weights.length;
  const total = classCounts.reduce((a, b) => a + b, 0);
  const demand = apportion(total, weights);
  const targets: number[][] = [];
  const fractions: number[][] = [];
  const leftover: number[] = [];
  classCounts.forEach((n, c) => {
    const exact = weights.map((w) => (sum > 0 ? (n * w) / sum : 0));
    targets[c] = exact.map(Math.floor);
    fractions[c] = exact.map((e) => e - Math.floor(e));
    leftover[c] = n - targets[c].reduce((a, b) => a + b, 0);
    for (let s = 0; s < splits; s++) demand[s] -= targets[c][s];
  });
  // Classes with more leftovers choose first: they have the fewest ways to place them.
  const order = classCounts.map((_, c) => c).sort((a, b) => leftover[b] - leftover[a] || a - b);
  for (const c of order) {
    const choice = [...Array(splits).keys()]
      .filter((s) => weights[s] > 0)
      .sort((a, b) => demand[b] - demand[a] || fractions[c][b] - fractions[c][a] || a - b)
      .slice(0, leftover[c]);
    for (const s of choice) {
      targets[c][s]++;
      demand[s]--;
    }
  }
  // A class with at least one row per split is in every split: a split its share rounds to 0 takes
  // one row from the split holding most of the class, when both stay within one row of their exact
  // share (a class of 5 over 80/10/10 is 3/1/1, not 4/1/0), and another class trades a row back
  // the other way when it can, so the split sizes stay on their ratios.
  const used = weights.filter((w) => w > 0).length;
  const exactOf = (c: number, s: number) => (sum > 0 ? (classCounts[c] * weights[s]) / sum : 0);
  const within = (c: number, s: number, value: number) => Math.abs(value - exactOf(c, s)) <= 1 + 1e-9;
  classCounts.forEach((n, c) => {
    if (n < used) return;
    for (let s = 0; s < splits; s++) {
      if (weights[s] <= 0 || targets[c][s] > 0) continue;
      let from = -1;
      for (let t = 0; t < splits; t++) {
        if (targets[c][t] > 1 && within(c, t, targets[c][t] - 1) && (from < 0 || targets[c][t] > targets[c][from])) from = t;
      }
      if (from < 0) continue;
      targets[c][from]--;
      targets[c][s]++;
      const back = classCounts.findIndex((m, d) => d !== c && targets[d][s] > (m >= used ? 1 : 0) && within(d, s, targets[d][s] - 1) && within(d, from, targets[d][from] + 1));
      if (back >= 0) {
        targets[back][s]--;
        targets[back][from]++;
      }
    }
  });
  return targets;
}
