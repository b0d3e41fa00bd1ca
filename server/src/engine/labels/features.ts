import type { Steps } from '../analysis/steps';

/**
 * Hashed text features for the label model. Words (lower-cased runs of letters and digits) give
 * unigrams and bigrams; runs of a script written without spaces (Chinese, Japanese kana, Thai, Lao,
 * Khmer, Myanmar) give character 1- to 3-grams instead, because a "word" there is a whole clause.
 * The choice is made per run of characters, so a row mixing English and Chinese gets both kinds.
 * Each term is hashed into 2^bits buckets; a row keeps each bucket once (presence, not counts), which
 * suits short texts and keeps a repeated word from drowning the rest.
 */

/** Rows' features in compressed sparse rows: row i's buckets are features[offsets[i] .. offsets[i+1]). */
export interface HashedFeatures {
  rows: number;
  bits: number;
  offsets: Uint32Array;
  features: Uint32Array;
}

const SEPARATOR = 0;
const WORD = 1;
const UNSPACED = 2;

/** A code unit whose class is not known yet. */
const UNKNOWN = 255;
const LETTER = /[\p{L}\p{N}\p{M}]/u;
let charClasses: Uint8Array | undefined;

/**
 * The class of a UTF-16 code unit, remembered per unit (a regex test per unit is too slow per row).
 * Worked out on first sight, not for all 65,536 units at once: that took ~10 ms of a 100-row check (#22).
 */
function classOf(c: number): number {
  const table = (charClasses ??= new Uint8Array(65536).fill(UNKNOWN));
  const known = table[c];
  return known !== UNKNOWN ? known : (table[c] = classOfUnit(c));
}

function classOfUnit(c: number): number {
  // Astral CJK ideographs (extensions B to F) are surrogate pairs whose high halves are D840-D8BF.
  if ((c >= 0xd840 && c <= 0xd8bf) || (c >= 0xdc00 && c <= 0xdfff)) return UNSPACED;
  if (c >= 0xd800 && c <= 0xdfff) return WORD;
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? WORD : SEPARATOR;
  return LETTER.test(String.fromCharCode(c)) ? (isUnspaced(c) ? UNSPACED : WORD) : SEPARATOR;
}

/** Scripts written without spaces between words. Hangul is spaced, so it is left to words. */
function isUnspaced(c: number): boolean {
  return (
    (c >= 0x3040 && c <= 0x30ff) || // hiragana, katakana
    (c >= 0x3400 && c <= 0x4dbf) || // CJK extension A
    (c >= 0x4e00 && c <= 0x9fff) || // CJK unified ideographs
    (c >= 0xf900 && c <= 0xfaff) || // CJK compatibility ideographs
    (c >= 0x0e00 && c <= 0x0eff) || // Thai, Lao
    (c >= 0x1000 && c <= 0x109f) || // Myanmar
    (c >= 0x1780 && c <= 0x17ff) // Khmer
  );
}

/** Calls `run(kind, start, end)` for each run of word or unspaced characters in a lower-cased text. */
function forEachRun(text: string, run: (kind: number, start: number, end: number) => void): void {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const kind = classOf(text.charCodeAt(i));
    if (kind === SEPARATOR) {
      i++;
      continue;
    }
    let j = i + 1;
    // A low surrogate takes its high half's class, so a pair never splits across runs.
    while (j < n && (classOf(text.charCodeAt(j)) === kind || (kind === WORD && isLowSurrogate(text.charCodeAt(j))))) j++;
    run(kind, i, j);
    i = j;
  }
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

const WORD_SEED = 0x811c9dc5;
const CHAR_SEED = 0x9747b28c;

/** FNV-1a over a stretch of code units, from a seed that keeps words and character n-grams apart. */
function fnv(text: string, start: number, end: number, seed: number): number {
  let h = seed;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A bigram's hash from its words' hashes (order matters: "not good" is not "good not"). */
function pairHash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x5bd1e995, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h ^ b, 0x1b873593);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Emits the hashes of a lower-cased text's terms (repeats included). */
function hashTerms(text: string, emit: (hash: number) => void): void {
  let previous = -1;
  forEachRun(text, (kind, start, end) => {
    if (kind === WORD) {
      const h = fnv(text, start, end, WORD_SEED);
      emit(h);
      if (previous >= 0) emit(pairHash(previous, h));
      previous = h;
      return;
    }
    previous = -1;
    const m = codePointStarts(text, start, end);
    for (let p = 0; p < m; p++) for (let len = 1; len <= 3 && p + len <= m; len++) emit(fnv(text, starts[p], starts[p + len], CHAR_SEED));
  });
}

let starts = new Int32Array(256);

/**
 * Fills `starts` with where each code point of text[start, end) begins, plus `end` after the last,
 * so an n-gram never splits a surrogate pair (CJK extension B and later are astral); returns the count.
 */
function codePointStarts(text: string, start: number, end: number): number {
  if (end - start + 1 > starts.length) starts = new Int32Array(2 * (end - start + 1));
  let m = 0;
  for (let i = start; i < end; i++) {
    if (i > start && isLowSurrogate(text.charCodeAt(i)) && isHighSurrogate(text.charCodeAt(i - 1))) continue;
    starts[m++] = i;
  }
  starts[m] = end;
  return m;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

/**
 * The terms of a text as readable strings: words, "w1 w2" bigrams and character n-grams (for tests
 * and for explaining a prediction; the model uses their hashes).
 */
export function textTerms(text: string): string[] {
  const lower = text.toLowerCase();
  const terms: string[] = [];
  let previous: string | undefined;
  forEachRun(lower, (kind, start, end) => {
    const run = lower.slice(start, end);
    if (kind === WORD) {
      terms.push(run);
      if (previous !== undefined) terms.push(`${previous} ${run}`);
      previous = run;
      return;
    }
    previous = undefined;
    const chars = [...run];
    for (let i = 0; i < chars.length; i++) for (let len = 1; len <= 3 && i + len <= chars.length; len++) terms.push(chars.slice(i, i + len).join(''));
  });
  return terms;
}

/** The buckets one text's terms fall into, sorted and without repeats. */
export function textBuckets(text: string, bits: number): number[] {
  const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
  const out = new Set<number>();
  hashTerms(text.toLowerCase(), (h) => out.add((h & mask) >>> 0));
  return [...out].sort((a, b) => a - b);
}

let stamps = new Uint32Array(0);
let epoch = 0;

/**
 * Calls `visit` once per distinct bucket of a text's terms: textBuckets without the set, the array and
 * the sort, for scoring many texts one at a time (augmentation's label-flip check). bits < 32.
 */
export function forEachBucket(text: string, bits: number, visit: (bucket: number) => void): void {
  if (stamps.length !== 1 << bits) {
    stamps = new Uint32Array(1 << bits);
    epoch = 0;
  }
  if (++epoch === 0xffffffff) {
    stamps.fill(0);
    epoch = 1;
  }
  const mask = (1 << bits) - 1;
  const e = epoch;
  hashTerms(text.toLowerCase(), (h) => {
    const b = h & mask;
    if (stamps[b] !== e) {
      stamps[b] = e;
      visit(b);
    }
  });
}

const ROWS_PER_STEP = 4096;

/** Hashes every text's terms, in steps of a few thousand rows. */
export function* hashFeatures(texts: readonly string[], bits: number): Steps<HashedFeatures> {
  const n = texts.length;
  const mask = (1 << bits) - 1;
  const offsets = new Uint32Array(n + 1);
  let features = new Uint32Array(Math.max(1024, n * 16));
  let scratch = new Uint32Array(256);
  let used = 0;
  let count = 0;
  const emit = (h: number) => {
    if (count === scratch.length) {
      const bigger = new Uint32Array(scratch.length * 2);
      bigger.set(scratch);
      scratch = bigger;
    }
    scratch[count++] = h & mask;
  };
  for (let i = 0; i < n; i++) {
    count = 0;
    hashTerms(texts[i].toLowerCase(), emit);
    const row = scratch.subarray(0, count).sort();
    if (used + count > features.length) {
      const bigger = new Uint32Array(Math.max(features.length * 2, used + count));
      bigger.set(features.subarray(0, used));
      features = bigger;
    }
    let last = -1;
    for (let k = 0; k < count; k++) {
      const f = row[k];
      if (f !== last) features[used++] = f;
      last = f;
    }
    offsets[i + 1] = used;
    if ((i + 1) % ROWS_PER_STEP === 0) yield (i + 1) / n;
  }
  return { rows: n, bits, offsets, features: features.slice(0, used) };
}
