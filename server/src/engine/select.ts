/**
 * Order statistics of a million lengths without sorting a million numbers: a list is reduced to
 * its distinct values (ascending) with their counts. Lengths are non-negative integers of modest
 * size, so they are tallied in one pass into an array indexed by value; any other list is sorted.
 */
export interface ValueCounts {
  /** The distinct values, ascending (after `mapValues` with a function that is not one-to-one, equal values may repeat). */
  values: Float64Array;
  /** How often each value occurs. */
  counts: Int32Array;
  /** The length of the list (the sum of counts). */
  total: number;
}

/** Lists whose values are integers in [0, this] are tallied by value (16 MB of counts at most). */
const MAX_TALLIED = 1 << 22;

/** The distinct values of a list with their counts. */
export function valueCounts(values: ArrayLike<number>): ValueCounts {
  const n = values.length;
  let max = 0;
  let tallied = true;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!(v >= 0 && v <= MAX_TALLIED && Math.floor(v) === v)) {
      tallied = false;
      break;
    }
    if (v > max) max = v;
  }
  if (!tallied) return runs(Float64Array.from(values).sort());
  const tally = new Int32Array(max + 1);
  for (let i = 0; i < n; i++) tally[values[i]]++;
  let distinct = 0;
  for (let v = 0; v <= max; v++) if (tally[v] > 0) distinct++;
  const out: ValueCounts = { values: new Float64Array(distinct), counts: new Int32Array(distinct), total: n };
  for (let v = 0, j = 0; v <= max; v++) {
    if (tally[v] === 0) continue;
    out.values[j] = v;
    out.counts[j++] = tally[v];
  }
  return out;
}

/** Run-length encodes a sorted list. */
function runs(sorted: Float64Array): ValueCounts {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (values.length > 0 && sorted[i] === values[values.length - 1]) counts[counts.length - 1]++;
    else {
      values.push(sorted[i]);
      counts.push(1);
    }
  }
  return { values: Float64Array.from(values), counts: Int32Array.from(counts), total: sorted.length };
}

/** The same counts with every value mapped through `f`, re-sorted when `f` does not keep the order. */
export function mapValues(vc: ValueCounts, f: (v: number) => number, monotone: boolean): ValueCounts {
  const values = vc.values.map(f);
  if (monotone) return { values, counts: vc.counts, total: vc.total };
  const order = Array.from(values.keys()).sort((a, b) => values[a] - values[b]);
  return {
    values: Float64Array.from(order, (j) => values[j]),
    counts: Int32Array.from(order, (j) => vc.counts[j]),
    total: vc.total,
  };
}

/** The same counts with equal values (which `mapValues` may leave side by side) merged into one. */
export function mergedValues(vc: ValueCounts): ValueCounts {
  let distinct = 0;
  for (let j = 0; j < vc.values.length; j++) if (j === 0 || vc.values[j] !== vc.values[j - 1]) distinct++;
  if (distinct === vc.values.length) return vc;
  const out: ValueCounts = { values: new Float64Array(distinct), counts: new Int32Array(distinct), total: vc.total };
  for (let j = 0, k = -1; j < vc.values.length; j++) {
    if (j === 0 || vc.values[j] !== vc.values[j - 1]) out.values[++k] = vc.values[j];
    out.counts[k] += vc.counts[j];
  }
  return out;
}

/** The k-th smallest value (0-based) of the list. */
export function kthValue(vc: ValueCounts, k: number): number {
  let seen = 0;
  for (let j = 0; j < vc.values.length; j++) {
    seen += vc.counts[j];
    if (k < seen) return vc.values[j];
  }
  return vc.values[vc.values.length - 1];
}

/** The median (the mean of the two middle values for even lengths); 0 for an empty list. */
export function medianValue(vc: ValueCounts): number {
  const n = vc.total;
  if (n === 0) return 0;
  const upper = kthValue(vc, n >> 1);
  return n % 2 ? upper : (kthValue(vc, (n >> 1) - 1) + upper) / 2;
}

/** The nearest-rank q-quantile (0 < q ≤ 1). */
export function quantileValue(vc: ValueCounts, q: number): number {
  return kthValue(vc, Math.min(vc.total - 1, Math.max(0, Math.ceil(q * vc.total) - 1)));
}

/**
 * The counts after some values came (delta +1) and went (delta -1): a new ValueCounts, values still
 * ascending and without zero counts, made in time linear in the distinct values (the editor's
 * model updates a file's length counts this way after an edit instead of counting every row again).
 */
export function changedCounts(vc: ValueCounts, changes: readonly (readonly [value: number, delta: number])[]): ValueCounts {
  const merged = new Map<number, number>();
  for (const [value, delta] of changes) merged.set(value, (merged.get(value) ?? 0) + delta);
  const added = [...merged.keys()].filter((v) => !hasValue(vc, v)).sort((a, b) => a - b);
  const values: number[] = [];
  const counts: number[] = [];
  let total = 0;
  const push = (value: number, count: number) => {
    if (count < 0) throw new Error(`value ${value} removed more often than counted`);
    if (count === 0) return;
    values.push(value);
    counts.push(count);
    total += count;
  };
  let a = 0;
  for (let j = 0; j < vc.values.length; j++) {
    const v = vc.values[j];
    for (; a < added.length && added[a] < v; a++) push(added[a], merged.get(added[a])!);
    push(v, vc.counts[j] + (merged.get(v) ?? 0));
  }
  for (; a < added.length; a++) push(added[a], merged.get(added[a])!);
  return { values: Float64Array.from(values), counts: Int32Array.from(counts), total };
}

function hasValue(vc: ValueCounts, value: number): boolean {
  let lo = 0;
  let hi = vc.values.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (vc.values[mid] === value) return true;
    if (vc.values[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
