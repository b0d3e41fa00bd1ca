import { shuffle, type Random } from '../seededRandom';

/**
 * Balancing classes: either augment the smaller classes up to a target (default: the majority's
 * count), or downsample the larger ones to a target (default: the minority's count).
 */

export interface BalanceOptions {
  method: 'augment' | 'downsample';
  /** Rows per class to reach; defaults as above. */
  target?: number;
}

export interface BalancePlan {
  target: number;
  /** Augmented copies planned per row index. */
  copies: Int32Array;
  /** Whether each row index is written, 1 or 0 (downsampling drops rows; nothing else does). */
  keep: Uint8Array;
  /** Per class: its rows in the seeded order extra copies go round in, and how many new rows it needs. */
  classes: { rows: number[]; need: number }[];
}

/**
 * Plans copies per row: a class short of the target by `need` rows spreads them over its rows in a
 * seeded order, each row getting ⌊need/m⌋ or one more. Rows without a label are kept, not augmented.
 */
export function planBalance(labels: ArrayLike<number>, usable: ArrayLike<number>, classCount: number, options: BalanceOptions, random: Random): BalancePlan {
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < labels.length; i++) if (usable[i] && labels[i] >= 0) byClass[labels[i]].push(i);
  const sizes = byClass.map((r) => r.length).filter((n) => n > 0);
  const target = options.target ?? (options.method === 'augment' ? Math.max(0, ...sizes) : Math.min(...sizes));
  const copies = new Int32Array(labels.length);
  const keep = Uint8Array.from(usable, (u) => (u ? 1 : 0));
  const classes = byClass.map((rows) => {
    const order = shuffle(rows.slice(), random);
    if (options.method === 'downsample') {
      for (const r of order.slice(target)) keep[r] = 0;
      return { rows: order, need: 0 };
    }
    const need = rows.length ? Math.max(0, target - rows.length) : 0;
    order.forEach((r, k) => (copies[r] = Math.floor(need / rows.length) + (k < need % rows.length ? 1 : 0)));
    return { rows: order, need };
  });
  return { target, copies, keep, classes };
}
