/** Deterministic texts for near-duplicate tests: words from a seeded generator, and copies at a chosen similarity. */

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'su', 'ra', 'to', 'vi', 'pe', 'do', 'ga', 'zu', 'fe', 'ho', 'bi', 'ny'];

import { seededRandom } from '../../server/src/engine/seededRandom';

/** A seeded generator (the engine's mulberry32). */
export const rng = seededRandom;

/** `n` made-up lower-case words, distinct with overwhelming probability. */
export function words(n: number, random: () => number): string[] {
  return Array.from({ length: n }, () => {
    let w = '';
    const len = 2 + Math.floor(random() * 3);
    for (let i = 0; i < len; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    return w;
  });
}

/** The words with those at the given positions replaced by fresh ones. */
export function replaced(text: string[], positions: number[], random: () => number): string[] {
  const out = text.slice();
  for (const p of positions) out[p] = `x${words(1, random)[0]}`;
  return out;
}

/** Exact word-5-shingle Jaccard similarity, the plain way (sets of strings). */
export function plainJaccard(a: string, b: string, k = 5): number {
  const set = (t: string) => {
    const w = t.toLowerCase().match(/[a-z0-9']+/g) ?? [];
    const s = new Set<string>();
    for (let i = 0; i + k <= w.length; i++) s.add(w.slice(i, i + k).join(' '));
    return s;
  };
  const sa = set(a);
  const sb = set(b);
  let shared = 0;
  for (const x of sa) if (sb.has(x)) shared++;
  return shared / (sa.size + sb.size - shared);
}
