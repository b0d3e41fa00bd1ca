// Room: similarity. How near-identical texts are found without comparing every pair: word shingles
// (shingles.ts), MinHash signatures (minhash.ts) cut into LSH band keys per row (rowSketch.ts), kept
// in sorted band tables (bandTable.ts) whose shared keys make candidate pairs (this file), verified
// by exact Jaccard and grouped (clusters.ts). rowIndex/rowLookup keep what cross-file-leak compares.
import { PARTITIONS, type BandTable } from './bandTable';
import { sortNumbers } from './shingles';

/**
 * Banded LSH over OPH signatures: rows whose band keys agree in at least one band become candidate
 * pairs, found partition by partition in the band tables (bandTable.ts) — never JS Maps: a million
 * rows × 16 bands is 16 million entries, which Maps hold at ten times the memory and a fraction of the speed.
 */

/**
 * Bands per row. With r signature bins per band, two rows of Jaccard similarity J share at least one
 * band key with probability P(J) = 1 − (1 − J^r)^b (the S-curve). For b = 16:
 *
 *   J      0.95    0.90    0.85    0.80    0.70    0.60    0.50    0.30
 *   r = 5  1.0000  1.0000  0.9999  0.9983  0.9474  0.7262  0.3983  0.0382
 *   r = 6  1.0000  1.0000  0.9995  0.9923  0.8650  0.5344  0.2227  0.0116
 *   r = 7  1.0000  1.0000  0.9979  0.9769  0.7472  0.3651  0.1179  0.0035
 *   r = 8  1.0000  0.9999  0.9938  0.9470  0.6133  0.2374  0.0607  0.0010
 *
 * `bandLayout` takes the largest r whose P at the threshold is still ≥ 0.99: r = 6 for the default
 * 0.8, which finds 99.95 % of pairs at J = 0.85 and makes only 22 % of pairs at J = 0.5 (and 1 % at
 * 0.3) candidates — every candidate is verified, so the curve's tail costs time, never precision.
 * The bands draw their r bins from a shared pool of 8r (48 by default; see minhash.ts), and 16
 * bands keep the per-row index at 64 bytes. Densification makes bins of short texts agree or
 * disagree together, which widens the curve a little: the benchmark finds 99.9 % of its planted
 * pairs at J ≥ 0.85 (test/unit/minhash.test.ts checks the curve on synthetic pairs).
 */
export const BANDS = 16;
const MIN_CANDIDATE_PROBABILITY = 0.99;
const MAX_ROWS_PER_BAND = 8;

/** The LSH layout for a Jaccard threshold: bands × rows per band (the signature has bands × rows bins). */
export function bandLayout(threshold: number): { bands: number; rows: number } {
  let rows = 1;
  for (let r = 2; r <= MAX_ROWS_PER_BAND; r++) {
    if (1 - (1 - threshold ** r) ** BANDS >= MIN_CANDIDATE_PROBABILITY) rows = r;
  }
  return { bands: BANDS, rows };
}

/**
 * In a bucket of many rows with one band key (templated data), each row is paired with the bucket's
 * first rows and its predecessor only, so a bucket of m rows costs O(m), not O(m²). Clustering
 * compares rows with their cluster's first row, which is among the bucket's first rows.
 */
const PAIRS_PER_ROW_PER_BUCKET = 8;

/** A growable list of packed pairs (hi × n + lo, exact in a double while n² < 2⁵³). */
class PairList {
  private packed = new Float64Array(1024);
  private length = 0;

  push(value: number): void {
    if (this.length === this.packed.length) {
      const grown = new Float64Array(this.packed.length * 2);
      grown.set(this.packed);
      this.packed = grown;
    }
    this.packed[this.length++] = value;
  }

  /** The pairs sorted ascending (by hi, then lo) without repeats. */
  finish(): Float64Array {
    const sorted = this.packed.subarray(0, this.length);
    sortNumbers(sorted, 0, sorted.length - 1);
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) if (distinct === 0 || sorted[i] !== sorted[distinct - 1]) sorted[distinct++] = sorted[i];
    return sorted.slice(0, distinct);
  }
}

/**
 * Candidate pairs: rows sharing a key in any band of the tables (rows numbered row + table offset,
 * all < n; tables in ascending offset order, as shards come). `skip` leaves rows out by number.
 * Without `side`, every pair in a bucket qualifies and is packed as later × n + earlier. With
 * `side` (by number: 1 for rows of the reference set, 2 for rows to check against it; reference
 * rows must have the smaller numbers), only reference–checked pairs qualify, packed as checked × n +
 * reference. Sorted, distinct.
 */
export function candidatePairs(tables: BandTable[], bandCount: number, n: number, options: { skip?: Uint8Array; side?: Uint8Array } = {}): Float64Array {
  if (n * n >= 2 ** 53) throw new Error(`too many rows for near-duplicate detection (${n})`);
  const sizes = partitionSizes(tables, bandCount);
  const finder = new BucketFinder(sizes.reduce((a, b) => Math.max(a, b), 0), n, options.skip, options.side);
  for (let t = 0; t < bandCount; t++) {
    for (let p = 0; p < PARTITIONS; p++) {
      const size = sizes[t * PARTITIONS + p];
      if (size < 2) continue;
      finder.partition(tables, t, p, size);
    }
  }
  return finder.pairs.finish();
}

/**
 * Entries per partition of each band, all tables together (index band × PARTITIONS + partition): summed
 * in one pass, not twice per partition (16 × 4,096 of them, ~10 ms of a 100-row check on cold code; #22).
 */
function partitionSizes(tables: BandTable[], bandCount: number): Uint32Array {
  const sizes = new Uint32Array(bandCount * PARTITIONS);
  for (const { starts } of tables) {
    for (let t = 0; t < bandCount; t++) {
      for (let p = 0; p < PARTITIONS; p++) sizes[t * PARTITIONS + p] += starts[t * (PARTITIONS + 1) + p + 1] - starts[t * (PARTITIONS + 1) + p];
    }
  }
  return sizes;
}

/**
 * Finds the buckets (rows sharing a key) of one partition of one band at a time, in one pass: a
 * bitmap of 32 bits per entry (in the L1 cache) remembers which entry set each bit first, and an
 * entry whose bit is already set is collected, with that first entry when their keys agree. Repeats
 * are rare, so the common path is one predictable test-and-set; the few collected entries (true
 * repeats and about 1.5 % false alarms) are grouped exactly by key. (Each step is its own method,
 * so a rare path seen late does not throw away the optimized code of the hot loop.)
 */
class BucketFinder {
  readonly pairs = new PairList();
  private readonly seen: Int32Array;
  private readonly collected: Int32Array;
  /** Per bit: the table and entry that set it first. */
  private readonly firstTable: Int32Array;
  private readonly firstEntry: Int32Array;
  private keys = new Int32Array(64);
  private rows = new Int32Array(64);
  private order = new Int32Array(64);
  private run = new Int32Array(64);
  private count = 0;

  constructor(largest: number, private readonly n: number, private readonly skip: Uint8Array | undefined, private readonly side: Uint8Array | undefined) {
    let bits = 64;
    while (bits < largest * 32) bits *= 2;
    this.seen = new Int32Array(bits >>> 5);
    this.collected = new Int32Array(bits >>> 5);
    this.firstTable = new Int32Array(bits);
    this.firstEntry = new Int32Array(bits);
  }

  /** Band t's partition p, of `size` entries in all the tables. */
  partition(tables: BandTable[], t: number, p: number, size: number): void {
    let width = 64;
    while (width < size * 32) width *= 2;
    this.seen.fill(0, 0, width >>> 5);
    this.collected.fill(0, 0, width >>> 5);
    this.count = 0;
    for (let q = 0; q < tables.length; q++) this.scan(tables, q, tables[q].starts[t * (PARTITIONS + 1) + p], tables[q].starts[t * (PARTITIONS + 1) + p + 1], width - 1);
    if (this.count === 0) return;
    this.sortCollected();
    this.emitBuckets();
  }

  private scan(tables: BandTable[], q: number, from: number, to: number, mask: number): void {
    const { seen, collected, firstTable, firstEntry, skip } = this;
    const { keys, rows, offset } = tables[q];
    for (let i = from; i < to; i++) {
      // Rows left out (repeats of exact duplicates) take no part at all.
      if (skip && skip[rows[i] + offset]) continue;
      const h = keys[i] & mask;
      const bit = 1 << (h & 31);
      if ((seen[h >>> 5] & bit) === 0) {
        seen[h >>> 5] |= bit;
        firstTable[h] = q;
        firstEntry[h] = i;
        continue;
      }
      const first = tables[firstTable[h]];
      // A different key under the same bit is a false alarm: this entry is kept (a later one may
      // repeat its key), the first one is not.
      if ((collected[h >>> 5] & bit) === 0 && first.keys[firstEntry[h]] === keys[i]) {
        collected[h >>> 5] |= bit;
        this.add(first.keys[firstEntry[h]], first.rows[firstEntry[h]] + first.offset);
      }
      this.add(keys[i], rows[i] + offset);
    }
  }

  private add(key: number, row: number): void {
    if (this.count === this.keys.length) this.grow();
    this.keys[this.count] = key;
    this.rows[this.count++] = row;
  }

  private grow(): void {
    const keys = new Int32Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const rows = new Int32Array(this.rows.length * 2);
    rows.set(this.rows);
    this.rows = rows;
    this.order = new Int32Array(this.keys.length);
    this.run = new Int32Array(this.keys.length);
  }

  /** Orders the collected entries by key, then by row (so each bucket lists its rows in file order). */
  private sortCollected(): void {
    const { keys, rows, order, count } = this;
    for (let q = 0; q < count; q++) order[q] = q;
    if (count > 64) {
      order.set(Array.from(order.subarray(0, count)).sort((a, b) => keys[a] - keys[b] || rows[a] - rows[b]));
      return;
    }
    for (let q = 1; q < count; q++) {
      const item = order[q];
      const key = keys[item];
      const row = rows[item];
      let r = q - 1;
      while (r >= 0 && (keys[order[r]] > key || (keys[order[r]] === key && rows[order[r]] > row))) {
        order[r + 1] = order[r];
        r--;
      }
      order[r + 1] = item;
    }
  }

  private emitBuckets(): void {
    const { keys, rows, order, count, run } = this;
    let i = 0;
    while (i < count) {
      const key = keys[order[i]];
      let j = i + 1;
      while (j < count && keys[order[j]] === key) j++;
      if (j - i > 1) {
        for (let q = i; q < j; q++) run[q - i] = rows[order[q]];
        if (this.side) emitAcross(run, j - i, this.n, this.side, this.pairs);
        else emitWithin(run, j - i, this.n, this.pairs);
      }
      i = j;
    }
  }
}

function emitWithin(rows: Int32Array, length: number, n: number, pairs: PairList): void {
  for (let b = 1; b < length; b++) {
    const hi = rows[b] * n;
    const firstOnes = Math.min(b, PAIRS_PER_ROW_PER_BUCKET);
    for (let a = 0; a < firstOnes; a++) pairs.push(hi + rows[a]);
    if (b - 1 >= firstOnes) pairs.push(hi + rows[b - 1]);
  }
}

function emitAcross(rows: Int32Array, length: number, n: number, side: Uint8Array, pairs: PairList): void {
  // Reference rows have the smaller numbers, so they come first in the bucket.
  let refs = 0;
  while (refs < length && side[rows[refs]] === 1) refs++;
  if (refs === 0 || refs === length) return;
  const firstRefs = Math.min(refs, PAIRS_PER_ROW_PER_BUCKET);
  for (let b = refs; b < length; b++) {
    if (side[rows[b]] !== 2) continue;
    for (let a = 0; a < firstRefs; a++) pairs.push(rows[b] * n + rows[a]);
  }
}

/** Splits a packed pair into its two rows. */
export function unpackPair(packed: number, n: number): { hi: number; lo: number } {
  const hi = Math.floor(packed / n);
  return { hi, lo: packed - hi * n };
}
