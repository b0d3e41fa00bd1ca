import { PARTITIONS, type BandTable } from './bandTable';

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
 * bands keep the per-row index at 64 bytes.
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
    const sorted = this.packed.subarray(0, this.length).sort();
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
  const { skip, side } = options;
  const pairs = new PairList();
  let largest = 0;
  for (let t = 0; t < bandCount; t++) {
    for (let p = 0; p < PARTITIONS; p++) {
      let size = 0;
      for (const table of tables) size += table.starts[t * (PARTITIONS + 1) + p + 1] - table.starts[t * (PARTITIONS + 1) + p];
      largest = Math.max(largest, size);
    }
  }
  // Per partition, two bitmaps of 16 bits per entry find the keys that may repeat (about 6 % false
  // alarms); only those entries are grouped exactly. Repeats are rare, so the common path is one
  // predictable test-and-set per entry, in a bitmap that stays in the L1 cache.
  let bits = 64;
  while (bits < largest * 16) bits *= 2;
  const seen = new Int32Array(bits >>> 5);
  const twice = new Int32Array(bits >>> 5);
  let candidateKeys = new Int32Array(64);
  let candidateRows = new Int32Array(64);
  let run = new Int32Array(64);
  let order = new Int32Array(64);
  for (let t = 0; t < bandCount; t++) {
    for (let p = 0; p < PARTITIONS; p++) {
      let size = 0;
      for (const table of tables) size += table.starts[t * (PARTITIONS + 1) + p + 1] - table.starts[t * (PARTITIONS + 1) + p];
      if (size < 2) continue;
      let width = 64;
      while (width < size * 16) width *= 2;
      const mask = width - 1;
      seen.fill(0, 0, width >>> 5);
      twice.fill(0, 0, width >>> 5);
      let repeats = false;
      for (const table of tables) {
        const { keys } = table;
        const to = table.starts[t * (PARTITIONS + 1) + p + 1];
        for (let i = table.starts[t * (PARTITIONS + 1) + p]; i < to; i++) {
          const h = keys[i] & mask;
          const bit = 1 << (h & 31);
          if (seen[h >>> 5] & bit) {
            twice[h >>> 5] |= bit;
            repeats = true;
          } else seen[h >>> 5] |= bit;
        }
      }
      if (!repeats) continue;
      let count = 0;
      for (const table of tables) {
        const { keys, rows, offset } = table;
        const to = table.starts[t * (PARTITIONS + 1) + p + 1];
        for (let i = table.starts[t * (PARTITIONS + 1) + p]; i < to; i++) {
          const h = keys[i] & mask;
          if ((twice[h >>> 5] & (1 << (h & 31))) === 0) continue;
          if (count === candidateKeys.length) {
            const k = new Int32Array(count * 2);
            k.set(candidateKeys);
            candidateKeys = k;
            const r = new Int32Array(count * 2);
            r.set(candidateRows);
            candidateRows = r;
          }
          candidateKeys[count] = keys[i];
          candidateRows[count++] = rows[i] + offset;
        }
      }
      // Group the few candidates by key; a stable order keeps each group's rows in file order.
      if (order.length < count) order = new Int32Array(count * 2);
      for (let q = 0; q < count; q++) order[q] = q;
      if (count <= 64) {
        for (let q = 1; q < count; q++) {
          const item = order[q];
          const key = candidateKeys[item];
          let r = q - 1;
          while (r >= 0 && candidateKeys[order[r]] > key) {
            order[r + 1] = order[r];
            r--;
          }
          order[r + 1] = item;
        }
      } else {
        const sorted = Array.from(order.subarray(0, count)).sort((a, b) => candidateKeys[a] - candidateKeys[b] || a - b);
        order.set(sorted);
      }
      let i = 0;
      while (i < count) {
        const key = candidateKeys[order[i]];
        let j = i + 1;
        while (j < count && candidateKeys[order[j]] === key) j++;
        if (j - i > 1) {
          if (run.length < j - i) run = new Int32Array(j - i);
          let length = 0;
          for (let q = i; q < j; q++) {
            const row = candidateRows[order[q]];
            if (!skip || !skip[row]) run[length++] = row;
          }
          if (length > 1) {
            if (side) emitAcross(run, length, n, side, pairs);
            else emitWithin(run, length, n, pairs);
          }
        }
        i = j;
      }
    }
  }
  return pairs.finish();
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
