import { extractRow, type PartKind, type RowContent } from '../schema/extract';
import type { Config } from '../config';
import type { Detection } from '../schema/formats';
import { normalizeText } from '../text/normalize';
import { finishHash } from '../text/profile';
import { isCjk } from '../text/scripts';
import { fmix32 } from '../hash';
import { spliced } from '../columns';

/**
 * Shingles for near-duplicate detection. Words are those of profileText (runs of letters, digits
 * and apostrophes; letters of other scripts count), case-folded, after NFKC for non-ASCII text, so
 * the per-row pass reuses the word hashes the profile already computed. A text with fewer words
 * than the shingle size, or mostly Chinese or Japanese (prefersCharShingles), is compared by
 * character 3-grams of its normalised form instead.
 */

const NON_ASCII = /[^\x00-\x7f]/;
const CHAR_GRAM = 3;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** A growable list of 32-bit values, reused from row to row so the per-row pass allocates nothing. */
export class HashList {
  values = new Int32Array(256);
  length = 0;

  push(v: number): void {
    if (this.length === this.values.length) this.reserve(1);
    this.values[this.length++] = v;
  }

  /** Appends `n` values of `from` at once. */
  append(from: Int32Array, n: number): void {
    if (this.length + n > this.values.length) this.reserve(n);
    this.values.set(from.subarray(0, n), this.length);
    this.length += n;
  }

  private reserve(extra: number): void {
    let size = this.values.length * 2;
    while (size < this.length + extra) size *= 2;
    this.values = spliced(this.values, this.values.length, 0, size - this.values.length);
  }
}

/**
 * Whether a row is compared by character 3-grams whatever its word count: when at least half its
 * letters are Han or Kana (Chinese and Japanese have no spaces, so a "word" is a whole clause), as
 * the row's profile counts them (profileText's cjk and letters, summed over its compared texts).
 */
export function prefersCharShingles(cjk: number, letters: number): boolean {
  return cjk > 0 && cjk * 2 >= letters;
}

/** The word-character test of profileText, kept identical (a unit test compares the two). */
export function isWordChar(c: number): boolean {
  const lower = c >= 65 && c <= 90 ? c + 32 : c;
  return (lower >= 97 && lower <= 122) || (c >= 48 && c <= 57) || c === 39 || (c >= 0xc0 && !(c >= 0x2000 && c <= 0x206f) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xfe00 && c <= 0xffff));
}

/**
 * profileText's `letters` and `cjk` of a text, counted the same way (a unit test compares the two) in
 * one light pass: all that shingleSet needs of a profile (prefersCharShingles).
 */
export function letterCounts(s: string): { letters: number; cjk: number } {
  let letters = 0;
  let cjk = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xc0) {
      const lower = c | 32;
      if (c < 128 && lower >= 97 && lower <= 122) letters++;
    } else if (!(c >= 0x2000 && c <= 0x2bff) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xd800 && c <= 0xdfff) && !(c >= 0xfe00 && c <= 0xffff)) {
      letters++;
      if (c >= 0x3040 && isCjk(c)) cjk++;
    } else if ((c >= 0xd840 && c <= 0xd8bf) || (c >= 0xff66 && c <= 0xff9d)) {
      // A supplementary ideograph (one letter for its pair), a half-width Kana.
      letters++;
      cjk++;
    }
  }
  return { letters, cjk };
}

/** Appends the case-folded word hashes of a text to `out`: the hashes profileText leaves in WORDS for ASCII text. */
export function appendWordHashes(text: string, out: HashList): void {
  const s = NON_ASCII.test(text) ? normalizeText(text) : text;
  let h = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isWordChar(c)) {
      if (!inWord) {
        inWord = true;
        h = FNV_OFFSET;
      }
      h = Math.imul(h ^ (c >= 65 && c <= 90 ? c + 32 : c), FNV_PRIME);
    } else if (inWord) {
      out.push(h);
      inWord = false;
    }
  }
  if (inWord) out.push(h);
}

/** One murmur3 round: folds a 32-bit value into a running hash. */
function mixIn(h: number, v: number): number {
  v = Math.imul(v, 0xcc9e2d51);
  v = (v << 15) | (v >>> 17);
  h ^= Math.imul(v, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

const WORD_SEED = 0x2f8b1a3d;
const CHAR_SEED = 0x5c4d1e07;

const ROLL = 0x01000193;

/**
 * 32-bit hashes of the k-word shingles of a word-hash list (the sketch's input; duplicates are
 * harmless): a rolling polynomial Σ w·ROLL^(k−1−j) over the words, finished by a 32-bit mixer,
 * so a shingle costs a few multiplications whatever k is.
 */
export function wordShingleHashes(words: Int32Array, n: number, k: number, out: HashList): void {
  if (n < k) return;
  let top = 1;
  for (let j = 1; j < k; j++) top = Math.imul(top, ROLL);
  let h = 0;
  for (let j = 0; j < k; j++) h = (Math.imul(h, ROLL) + words[j]) | 0;
  out.push(fmix32(h ^ WORD_SEED));
  for (let i = k; i < n; i++) {
    h = (Math.imul(h - Math.imul(words[i - k], top), ROLL) + words[i]) | 0;
    out.push(fmix32(h ^ WORD_SEED));
  }
}

/** 32-bit hashes of the character 3-grams of a text's normalised form (for texts of fewer words than the shingle size). */
export function charShingleHashes(text: string, out: HashList): void {
  const s = normalizeText(text);
  if (s.length === 0) return;
  if (s.length < CHAR_GRAM) {
    let h = CHAR_SEED;
    for (let i = 0; i < s.length; i++) h = mixIn(h, s.charCodeAt(i));
    out.push(fmix32(h ^ s.length));
    return;
  }
  for (let i = 0; i + CHAR_GRAM <= s.length; i++) {
    let h = CHAR_SEED;
    for (let j = 0; j < CHAR_GRAM; j++) h = mixIn(h, s.charCodeAt(i + j));
    out.push(fmix32(h ^ CHAR_GRAM));
  }
}

// Scratch buffers of shingleSet, grown as needed.
let laneA = new Int32Array(256);
let laneB = new Int32Array(256);
let scratch = new Float64Array(256);

/**
 * The exact shingle set of a text as sorted, distinct 53-bit hashes (two different shingles collide
 * with probability about 2⁻⁵³): what verification compares. Each word is hashed once in two
 * independent 32-bit lanes (mixed to uniform values), and a shingle is a polynomial of its words'
 * lanes: position-sensitive, and two different shingles agree in a lane with probability 2⁻³².
 */
export function shingleSet(text: string, k: number): Float64Array {
  // The case-folded form words are read from: NFKC and lower case for non-ASCII text (the normalised
  // form, which character shingles read too), lower case otherwise.
  const nonAscii = NON_ASCII.test(text);
  const s = nonAscii ? normalizeText(text) : text.toLowerCase();
  let words = 0;
  let a = 0;
  let b = 0;
  let inWord = false;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : -1;
    if (c >= 0 && isWordChar(c)) {
      if (!inWord) {
        inWord = true;
        a = FNV_OFFSET;
        b = 0x9747b28c;
      }
      a = Math.imul(a ^ c, FNV_PRIME);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    } else if (inWord) {
      inWord = false;
      if (words === laneA.length) {
        const ga = new Int32Array(words * 2);
        ga.set(laneA);
        laneA = ga;
        const gb = new Int32Array(words * 2);
        gb.set(laneB);
        laneB = gb;
      }
      laneA[words] = fmix32(a);
      laneB[words++] = fmix32(b ^ 0x5bd1e995);
    }
  }
  let n = 0;
  const counts = nonAscii && words >= k ? letterCounts(text) : undefined;
  if (words >= k && !(counts && prefersCharShingles(counts.cjk, counts.letters))) {
    n = words - k + 1;
    if (scratch.length < n) scratch = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      let h1 = k;
      let h2 = 0x3c6ef372;
      for (let w = i; w < i + k; w++) {
        h1 = (Math.imul(h1, 0x01000193) + laneA[w]) | 0;
        h2 = (Math.imul(h2, 0x2c1b3c6d) + laneB[w]) | 0;
      }
      scratch[i] = finishHash(h1, h2);
    }
  } else {
    const t = nonAscii ? s : normalizeText(text);
    const gram = Math.min(CHAR_GRAM, t.length);
    n = gram > 0 ? t.length - gram + 1 : 0;
    if (scratch.length < n) scratch = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      let h1 = 0xc4a7;
      let h2 = 0x3c6ef372;
      for (let c = i; c < i + gram; c++) {
        h1 = mixIn(h1, t.charCodeAt(c));
        h2 = Math.imul(h2 ^ t.charCodeAt(c), FNV_PRIME);
      }
      scratch[i] = finishHash(h1, h2);
    }
  }
  sortNumbers(scratch, 0, n - 1);
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || scratch[i] !== scratch[distinct - 1]) scratch[distinct++] = scratch[i];
  return scratch.slice(0, distinct);
}

/** Sorts a[lo..hi] ascending in place: quicksort, insertion sort for short runs (TypedArray#sort costs microseconds per call). */
export function sortNumbers(a: Float64Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo], y = a[mid], z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    // Recurse into the smaller side, loop on the larger: the stack stays logarithmic.
    if (j - lo < hi - i) {
      sortNumbers(a, lo, j);
      lo = i;
    } else {
      sortNumbers(a, i, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** Jaccard similarity |A ∩ B| / |A ∪ B| of two sorted, distinct shingle sets (0 when both are empty). */
export function jaccard(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  const union = a.length + b.length - shared;
  return union === 0 ? 0 : shared / union;
}

/** Whether a part of a row takes part in near-duplicate comparison under the `nearDuplicateText` setting. */
export function comparesPart(kind: PartKind, mode: Config['nearDuplicateText']): boolean {
  if (kind === 'text') return true;
  if (kind === 'system') return mode === 'all';
  if (kind === 'prompt') return mode !== 'response';
  return mode !== 'prompt';
}

/**
 * The exact shingle set of a row's compared text, from the row read again (undefined for a row
 * without a value): what verifies a candidate pair of rows, within a file or across files.
 */
export function rowShingleSet(row: { value?: unknown } | undefined, detection: Pick<Detection, 'format' | 'fields'>, config: Pick<Config, 'nearDuplicateText' | 'nearDuplicateShingleSize'>): Float64Array | undefined {
  if (!row || row.value === undefined) return undefined;
  const content = extractRow(row.value as Record<string, unknown>, detection.format, detection.fields);
  return shingleSet(comparedText(content, config.nearDuplicateText), config.nearDuplicateShingleSize);
}

/** The text of a row that near-duplicate detection compares: the chosen parts joined by line breaks. */
export function comparedText(content: RowContent, mode: Config['nearDuplicateText']): string {
  let text = '';
  for (const part of content.parts) {
    if (!comparesPart(part.kind, mode)) continue;
    text = text ? `${text}\n${part.text}` : part.text;
  }
  return text;
}
