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
  /** Per band, the row indexes ordered by their key in that band. */
  private order: Int32Array[] | undefined;

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

  /** Ends the adding: sorts the lookups. */
  seal(): void {
    const n = this.count;
    this.hashes = this.hashes.slice(0, n);
    this.sortedHashes = this.hashes.slice().sort();
    const b = this.bandsPerRow;
    this.order = [];
    for (let t = 0; t < b; t++) {
      const keys = new Uint32Array(n);
      for (let i = 0; i < n; i++) keys[i] = this.bands[i * b + t];
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((x, y) => keys[x] - keys[y]);
      this.order.push(order);
    }
  }

  /**
   * Why a new text repeats a row of the file, or undefined. Rows whose text is the source's (the
   * source itself and its exact duplicates) do not count. `rowKey` reads a candidate row's text.
   */
  repeat(key: string, bands: Uint32Array | undefined, sourceHash: number, rowKey: (index: number) => string | undefined): 'exact duplicate of another row' | 'near duplicate of another row' | undefined {
    if (!this.sortedHashes || !this.order) throw new Error('FileIndex: seal() before lookups');
    if (key.trim() === '') return undefined;
    const h = normalizedHash(key);
    if (h !== sourceHash && binaryHas(this.sortedHashes, h)) return 'exact duplicate of another row';
    if (!bands || !this.bandsPerRow) return undefined;
    const b = this.bandsPerRow;
    const tried = new Set<number>();
    let shingles: Float64Array | undefined;
    for (let t = 0; t < b; t++) {
      const want = bands[t];
      if (want === 0) continue;
      const byKey: Int32Array = this.order[t];
      let lo = 0;
      let hi = byKey.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.bands[byKey[mid] * b + t] < want) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < byKey.length && this.bands[byKey[k] * b + t] === want; k++) {
        const row = byKey[k];
        if (tried.has(row) || this.hashes[row] === sourceHash) continue;
        tried.add(row);
        // A band shared by a very common text (a template) says little: a few dozen candidates are verified at most.
        if (tried.size > 64) return undefined;
        const other = rowKey(row);
        if (other === undefined) continue;
        shingles ??= shingleSet(key, this.shingleSize);
        if (jaccard(shingles, shingleSet(other, this.shingleSize)) >= this.threshold) return 'near duplicate of another row';
      }
    }
    return undefined;
  }
}

function binaryHas(sorted: Float64Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === x;
}
