/** Small deterministic helpers shared by the benchmark generator. */

import { fmix32 } from "../../server/src/engine/hash";
import { seededRandom } from "../../server/src/engine/seededRandom";

/** mulberry32 (the engine's seeded generator): same seed → same sequence on every platform. */
export const mulberry32 = seededRandom;

export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.next() * a.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Random string of `n` characters drawn from `alphabet`. */
  chars(alphabet: string, n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
}

/**
 * Zipf(s) sampler over ranks 0..n-1 (rank 0 most frequent). Uses a cumulative
 * table plus a bucket index so a draw costs O(1) on average.
 */
const ZIPF_BUCKETS = 1 << 16; // small enough to stay in L1 cache

export class Zipf {
  private readonly cdf: Float64Array;
  private readonly bucket: Uint16Array | Uint32Array;

  constructor(n: number, s: number) {
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      sum += 1 / Math.pow(k + 1, s);
      this.cdf[k] = sum;
    }
    for (let k = 0; k < n; k++) this.cdf[k] /= sum;
    this.cdf[n - 1] = 1;
    this.bucket = n <= 0xffff ? new Uint16Array(ZIPF_BUCKETS + 1) : new Uint32Array(ZIPF_BUCKETS + 1);
    let k = 0;
    for (let b = 0; b <= ZIPF_BUCKETS; b++) {
      const u = b / ZIPF_BUCKETS;
      while (k < n - 1 && this.cdf[k] < u) k++;
      this.bucket[b] = k;
    }
  }

  sample(u: number): number {
    let k = this.bucket[Math.floor(u * ZIPF_BUCKETS)];
    const cdf = this.cdf;
    while (cdf[k] < u) k++;
    return k;
  }
}

/** 32-bit FNV-1a style string hash (Math.imul mixing). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return fmix32(h) >>> 0;
}

/**
 * Fixed-size bit set keyed by a 32-bit hash, used to keep generated texts
 * unique. A false positive only causes the caller to generate another text,
 * so true duplicates can never slip through and memory stays at 16 MB.
 */
export class SeenSet {
  private readonly bits = new Uint32Array(1 << 22); // 2^27 bits
  /** Returns true if (probably) seen; otherwise records it and returns false. */
  testAndSet(key: string): boolean {
    return this.testAndSetHash(hash32(key));
  }
  testAndSetHash(hash: number): boolean {
    const h = hash >>> 5; // 27-bit index
    const w = h >>> 5;
    const m = 1 << (h & 31);
    if (this.bits[w] & m) return true;
    this.bits[w] |= m;
    return false;
  }
}
