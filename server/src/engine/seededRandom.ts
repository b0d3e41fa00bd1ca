import { fmix32 } from './hash';

/**
 * Seeded randomness for split and augment. Math.random cannot be seeded, and a split or an augmented
 * file must come out the same on every machine for the same seed, so the engine carries its own.
 */

/** A function returning numbers in [0, 1), like Math.random but reproducible. */
export type Random = () => number;

/** mulberry32: a small, fast 32-bit generator, good enough for shuffling and sampling. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes integers into one 32-bit seed (murmur3's finaliser per part), so a stream can be keyed by
 * (seed, row, copy): a row's augmentations then do not depend on which other rows were augmented,
 * and a preview of ten rows shows exactly what the written file will hold.
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Seeds may be above 2^32; both halves are mixed in so 2^32 and 0 differ.
    const high = Math.floor(part / 4294967296);
    for (const word of [part >>> 0, high >>> 0]) {
      let k = Math.imul(word, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, 0x1b873593);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
  }
  return fmix32(h) >>> 0;
}

/** A whole number in [0, n). */
export function randomIndex(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** Fisher–Yates shuffle in place (arrays and typed arrays); returns the same array. */
export function shuffle<A extends { length: number; [index: number]: unknown }>(items: A, random: Random): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}
