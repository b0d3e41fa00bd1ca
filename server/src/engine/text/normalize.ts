/**
 * Normalisation for duplicate detection: Unicode NFKC, case-folding and whitespace collapse, with
 * the result hashed in one pass so a million rows never hold a million normalised copies.
 */

import { finishHash } from './profile';

const NON_ASCII = /[^\x00-\x7f]/;

/** The normalised form of a text (NFKC, lower-cased with ß → ss, whitespace runs → one space, trimmed). */
export function normalizeText(s: string): string {
  const folded = NON_ASCII.test(s) ? s.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ') : s.toLowerCase();
  return folded.replace(/\s+/g, ' ').trim();
}

/**
 * A 53-bit hash of normalizeText(s), computed without building the normalised string for ASCII
 * text. Two different texts collide with probability about n²/2⁵⁴ (≈ 6·10⁻⁵ for a million rows).
 */
export function normalizedHash(s: string): number {
  if (NON_ASCII.test(s)) s = s.normalize('NFKC').toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ');
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  let pendingSpace = false;
  let started = false;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0x3000 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x85 || c === 0xfeff) {
      pendingSpace = started;
      continue;
    }
    if (c >= 65 && c <= 90) c += 32;
    if (pendingSpace) {
      h1 = Math.imul(h1 ^ 32, 0x01000193);
      h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
      h2 ^= h2 >>> 15;
      pendingSpace = false;
    }
    started = true;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return finishHash(h1, h2);
}
