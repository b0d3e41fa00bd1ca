import { spliced } from '../columns';
import { jaccard, shingleSet } from '../similarity/shingles';
import { normalizedHash } from '../text/normalize';

/**
 * The file's own rows, for dropping a new row that repeats one of them exactly (normalised text) or
 * nearly (the near-duplicate rule's MinHash band keys find candidates, a Jaccard of word shingles
 * verifies them). Typed columns, about 8 + 4 × bands bytes a row: no text and no shingle set is kept,
 * and a candidate's text is read again when it is verified (rare: only real near-duplicates share a
 * band key).
 */
export class FileIndex {
  private hashes = new Float64Array(1024);
  private bands: Uint32Array;
  private count = 0;
  private sortedHashes: Float64Array | undefined;
  /** Per band, its (key, row) entries packed as key × ROW_SPAN + row and sorted: one native sort, no comparator. */
  private packed: Float64Array[] | undefined;

  constructor(private readonly bandsPerRow: number, private readonly threshold: number, private readonly shingleSize: number) {
    this.bands = new Uint32Array(1024 * bandsPerRow);
  }

  /** Adds row `index` (rows come in order; a row left out is added with an empty key and no bands). */
  add(index: number, key: string, bands: Uint32Array | undefined): void {
    while (index >= this.hashes.length) {
      this.hashes = spliced(this.hashes, this.hashes.length, 0, this.hashes.length);
      this.bands = spliced(this.bands, this.bands.length, 0, this.bands.length);
    }
    this.hashes[index] = key.trim() === '' ? NaN : normalizedHash(key);
    if (bands) this.bands.set(bands.subarray(0, this.bandsPerRow), index * this.bandsPerRow);
    this.count = Math.max(this.count, index + 1);
  }

  /** The normalised-text hash of row `index` (NaN for none). */
  hashOf(index: number): number {
    return this.hashes[index];
  }

  /** Ends the adding: sorts the lookups. Rows past ROW_SPAN are not looked up for near-duplicates (exact ones still are). */
  seal(): void {
    const n = this.count;
    this.hashes = this.hashes.slice(0, n);
    this.sortedHashes = this.hashes.slice().sort();
    const b = this.bandsPerRow;
    const rows = Math.min(n, ROW_SPAN);
    this.packed = [];
    for (let t = 0; t < b; t++) {
      const entries = new Float64Array(rows);
      for (let i = 0; i < rows; i++) entries[i] = this.bands[i * b + t] * ROW_SPAN + i;
      this.packed.push(entries.sort());
    }
    this.bands = new Uint32Array(0);
  }

  /**
   * Why a new text repeats a row of the file, or undefined. Rows whose text is the source's (the
   * source itself and its exact duplicates) do not count. `rowKey` reads a candidate row's text.
   */
  repeat(key: string, bands: Uint32Array | undefined, sourceHash: number, rowKey: (index: number) => string | undefined): 'exact duplicate of another row' | 'near duplicate of another row' | undefined {
    if (!this.sortedHashes || !this.packed) throw new Error('FileIndex: seal() before lookups');
    if (key.trim() === '') return undefined;
    const h = normalizedHash(key);
    if (h !== sourceHash && lowerBound(this.sortedHashes, h) < this.sortedHashes.length && this.sortedHashes[lowerBound(this.sortedHashes, h)] === h) return 'exact duplicate of another row';
    if (!bands) return undefined;
    // Candidates and how many bands each shares with the new text: a pair at the near-duplicate
    // threshold shares several, so only rows sharing two or more are read again (the most first, a few at most).
    const shared = new Map<number, number>();
    for (let t = 0; t < this.packed.length; t++) {
      const want = bands[t];
      if (want === 0) continue;
      const entries: Float64Array = this.packed[t];
      for (let k = lowerBound(entries, want * ROW_SPAN); k < entries.length && Math.floor(entries[k] / ROW_SPAN) === want; k++) {
        const row = entries[k] - want * ROW_SPAN;
        if (this.hashes[row] === sourceHash) continue;
        shared.set(row, (shared.get(row) ?? 0) + 1);
        // A band shared by a very common text (a template) says little: stop gathering.
        if (shared.size > MAX_CANDIDATES * 32) break;
      }
    }
    const candidates = [...shared].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, MAX_CANDIDATES);
    let shingles: Float64Array | undefined;
    for (const [row] of candidates) {
      const other = rowKey(row);
      if (other === undefined) continue;
      shingles ??= shingleSet(key, this.shingleSize);
      if (jaccard(shingles, shingleSet(other, this.shingleSize)) >= this.threshold) return 'near duplicate of another row';
    }
    return undefined;
  }
}

/** Candidate rows verified per new text at most. */
const MAX_CANDIDATES = 8;

/** Rows a band entry can number: key × ROW_SPAN + row stays an exact integer in a double (2^32 × 2^21 = 2^53). */
const ROW_SPAN = 2 ** 21;

/** The first position in a sorted array whose value is at least x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
