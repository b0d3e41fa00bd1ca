import { forEachRepeat } from '../similarity/repeats';

/**
 * Rows that must land in the same split: exact duplicates, rows sharing a group field value, and
 * rows of one near-duplicate cluster. Any shared key joins two rows, and joining is transitive
 * (union–find), so a duplicate of a row in conversation A also pulls in the rest of conversation A.
 */

/** Rows in file order, for one group. */
export type RowGroup = number[];

/**
 * The groups of usable rows. Most rows are alone, so they are kept apart as one flat list: a
 * million one-row arrays would cost more than the whole rest of the split.
 */
export interface Grouping {
  /** Rows in no group, ascending. */
  singles: Int32Array;
  /** Groups of two or more rows, each in file order, ordered by their first row. */
  groups: RowGroup[];
}

export class RowGroups {
  private readonly parent: Int32Array;

  constructor(count: number) {
    this.parent = new Int32Array(count);
    for (let i = 0; i < count; i++) this.parent[i] = i;
  }

  private root(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]];
      i = p[i];
    }
    return i;
  }

  private join(a: number, b: number): void {
    const ra = this.root(a);
    const rb = this.root(b);
    // The smaller index stays root, so a group's id is its first row whatever the join order.
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }

  /** Joins the rows whose hash is equal (a row whose hash is NaN joins nothing): the exact-duplicate keys of a split. */
  joinByHash(hashes: ArrayLike<number>): void {
    forEachRepeat(hashes, hashes.length, (first, row) => this.join(first, row));
  }

  /** Joins the rows (among `usable`) whose key is equal; undefined, NaN and negative keys join nothing. */
  joinByKey(keys: ArrayLike<string | number | undefined>, usable: ArrayLike<boolean | number>): void {
    const first = new Map<string | number, number>();
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === undefined || !usable[i] || (typeof k === 'number' && (Number.isNaN(k) || k < 0))) continue;
      const f = first.get(k);
      if (f === undefined) first.set(k, i);
      else this.join(f, i);
    }
  }

  /** The usable rows as singles and groups. */
  grouping(usable: ArrayLike<boolean | number>): Grouping {
    const n = this.parent.length;
    const root = new Int32Array(n);
    const size = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (!usable[i]) continue;
      root[i] = this.root(i);
      size[root[i]]++;
    }
    let singleCount = 0;
    for (let i = 0; i < n; i++) if (usable[i] && size[root[i]] === 1) singleCount++;
    const singles = new Int32Array(singleCount);
    const byRoot = new Map<number, RowGroup>();
    const groups: RowGroup[] = [];
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (!usable[i]) continue;
      const r = root[i];
      if (size[r] === 1) {
        singles[k++] = i;
        continue;
      }
      let g = byRoot.get(r);
      if (!g) {
        byRoot.set(r, (g = []));
        groups.push(g);
      }
      g.push(i);
    }
    return { singles, groups };
  }
}
