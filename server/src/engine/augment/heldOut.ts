import type { Detection } from '../analysis/detection';
import type { SourceRow } from '../read';
import { jaccard, shingleSet } from '../similarity/shingles';
import { normalizedHash } from '../text/normalize';
import { usableRow } from '../schema/usableRows';

/** Where a new row repeats a validation/test row, and how closely (1 for the same normalised text). */
export interface HeldOutMatch {
  file: string;
  line: number;
  similarity: number;
}

/** Shingles shared by more held-out rows than this are too common to find candidates by (they still count in the verified Jaccard). */
const COMMON_SHINGLE = 64;

/**
 * The validation/test rows a new row must not repeat: exactly (normalised text) or nearly (Jaccard
 * of word shingles at or above the near-duplicate threshold, verified exactly). Candidates come from
 * an inverted index of rare shingles, which held-out files (a tenth or two of the data) keep small.
 */
export class HeldOutIndex {
  private readonly exact = new Map<number, HeldOutMatch>();
  private readonly rows: { file: string; line: number; hash: number; shingles: Float64Array }[] = [];
  private readonly postings = new Map<number, number[]>();

  constructor(files: { file: string; rows: Iterable<SourceRow> }[] | undefined, detection: Detection, private readonly threshold = 0.8, private readonly shingleSize = 5) {
    for (const { file, rows } of files ?? []) {
      for (const row of rows) {
        const u = usableRow(row, detection);
        const key = u.content?.key;
        if (key) this.add(file, row.line, key);
      }
    }
  }

  /** Adds a row's text (its key); an empty text is not indexed. */
  add(file: string, line: number, key: string): void {
    if (key.trim() === '') return;
    const h = normalizedHash(key);
    if (!this.exact.has(h)) this.exact.set(h, { file, line, similarity: 1 });
    const id = this.rows.length;
    const shingles = shingleSet(key, this.shingleSize);
    this.rows.push({ file, line, hash: h, shingles });
    for (const s of shingles) {
      const list = this.postings.get(s);
      if (!list) this.postings.set(s, [id]);
      else if (list.length <= COMMON_SHINGLE) list.push(id);
    }
  }

  get size(): number {
    return this.rows.length;
  }

  /**
   * The indexed row a text repeats, exactly or nearly, if any. Rows whose text is `source` (the
   * normalised text the new one was made from, and its duplicates) do not count.
   */
  find(key: string, source?: string): HeldOutMatch | undefined {
    const h = normalizedHash(key);
    const skip = source === undefined ? NaN : normalizedHash(source);
    const exact = h === skip ? undefined : this.exact.get(h);
    if (exact) return exact;
    const shingles = shingleSet(key, this.shingleSize);
    const seen = new Set<number>();
    let best: HeldOutMatch | undefined;
    for (const s of shingles) {
      const list = this.postings.get(s);
      if (!list || list.length > COMMON_SHINGLE) continue;
      for (const id of list) {
        if (seen.has(id)) continue;
        seen.add(id);
        const r = this.rows[id];
        if (r.hash === skip) continue;
        const similarity = jaccard(shingles, r.shingles);
        if (similarity >= this.threshold && (!best || similarity > best.similarity)) best = { file: r.file, line: r.line, similarity };
      }
    }
    return best;
  }
}
