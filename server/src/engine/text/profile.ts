// Room: text. Facts about one text that many rules share: a one-pass profile (this file), the
// normalised form and hash duplicates use (normalize.ts), token counts with an estimate calibrated on
// exact counts (tokens.ts), mojibake repair (mojibake.ts).
import { spliced } from '../columns';
import { isCjk, isUnspacedAlphabet } from './scripts';

/**
 * Facts about a text gathered in one pass over its characters, so the noise and privacy rules
 * can answer most questions without a regex and skip the regexes that cannot match.
 */
export interface TextProfile {
  letters: number;
  digits: number;
  nonSpace: number;
  /** Whitespace-separated words. */
  words: number;
  /** Index of the first and last non-whitespace character (-1 when there is none). */
  first: number;
  last: number;
  nonAscii: boolean;
  /** Index of the first control or invisible character, or -1. */
  control: number;
  hasAngleOrAmp: boolean;
  /**
   * Whether the text has "-" or "_", or an upper-case letter right after a letter (AKIA…, eyJ…): every
   * API key shape has one of these, and most prose without code has none.
   */
  keyHint: boolean;
  /** Whether the text has "[" or "{" (placeholders such as [insert name] and {{var}} need one). */
  hasBracket: boolean;
  hasAt: boolean;
  hasNewline: boolean;
  /** Index of the first run of two or more spaces inside a line (not indentation), or -1. */
  spaceRun: number;
  /** The longest run of one repeated character (letters and most symbols; not digits, spaces or separators like - = _ * .). */
  charRunStart: number;
  charRunLength: number;
  /** UTF-8 byte length. */
  bytes: number;
  /** normalizedHash of the text, computed in the same pass for ASCII text (NaN otherwise). */
  asciiHash: number;
  /** Alphanumeric words: count, and their case-folded hashes and offsets in WORDS (valid until the next call). */
  wordCount: number;
  /** Han and Kana characters (read one by one: see text/scripts.ts); they count as letters too. */
  cjk: number;
  /** Letters of Thai, Lao, Khmer and Myanmar, written without spaces between words. */
  unspaced: number;
}

/** Word hashes and offsets of the last profiled text, reused across calls to spare the allocator. */
export const WORDS = { hash: new Int32Array(512), start: new Int32Array(512), end: new Int32Array(512) };

/** The case-folded hash profileText gives a word (FNV-1a over its lower-cased UTF-16 units). */
export function wordHash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    h = Math.imul(h ^ (c >= 65 && c <= 90 ? c + 32 : c), 0x01000193);
  }
  return h;
}

/** A few words to look for among the words of the last profiled text (WORDS), by case-folded hash. */
export class WordSet {
  /** A one-byte-per-bucket filter on the hash's low bits: most words are rejected by one load. */
  private readonly filter = new Uint8Array(1024);
  private readonly hashes: number[];

  constructor(words: readonly string[]) {
    this.hashes = words.map(wordHash);
    for (const h of this.hashes) this.filter[h & 1023] = 1;
  }

  /** Whether one of the last profiled text's `count` words is in the set. */
  inProfiled(count: number): boolean {
    const hash = WORDS.hash;
    const filter = this.filter;
    for (let i = 0; i < count; i++) {
      const h = hash[i];
      if (filter[h & 1023] === 1 && this.hashes.includes(h)) return true;
    }
    return false;
  }
}

/** Keeps the k-th word of the text being profiled in WORDS (growing it when full). */
function storeWord(k: number, hash: number, start: number, end: number): void {
  if (k === WORDS.hash.length) growWords();
  WORDS.hash[k] = hash;
  WORDS.start[k] = start;
  WORDS.end[k] = end;
}

function growWords(): void {
  const grow = (a: typeof WORDS.hash) => spliced(a, a.length, 0, a.length);
  WORDS.hash = grow(WORDS.hash);
  WORDS.start = grow(WORDS.start);
  WORDS.end = grow(WORDS.end);
}

/** True for characters that are invisible or control codes (tab and newlines are allowed). */
export function isControl(c: number): boolean {
  return (
    (c < 32 && c !== 9 && c !== 10 && c !== 13) ||
    c === 0x7f ||
    (c >= 0x80 && c <= 0x9f) ||
    (c >= 0x200b && c <= 0x200d) ||
    c === 0x2060 ||
    c === 0xfeff
  );
}

/** Characters that legitimately repeat (separators, digits, dots, markdown rules), excluded from character runs. */
function runExcluded(c: number): boolean {
  return c <= 32 || (c >= 48 && c <= 57) || c === 45 || c === 61 || c === 95 || c === 42 || c === 35 || c === 126 || c === 46 || c === 43 || c === 47 || c === 92 || c === 124 || c === 96;
}

/** UTF-8 bytes of a UTF-16 surrogate: a pair is 4 bytes (2 + 2), a lone one is encoded as U+FFFD (3). */
function surrogateBytes(s: string, i: number, c: number): number {
  const paired = c <= 0xdbff ? isLowSurrogate(s.charCodeAt(i + 1)) : isHighSurrogate(s.charCodeAt(i - 1));
  return paired ? 2 : 3;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The final mix of the two 32-bit lanes into a 53-bit number (shared with normalizedHash). */
export function finishHash(h1: number, h2: number): number {
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  return (h1 >>> 0) * 0x200000 + (h2 >>> 11);
}

/** Whether a code unit (`lower`: its ASCII lower case) belongs to an alphanumeric word of WORDS. */
function isWordUnit(c: number, lower: number): boolean {
  return (lower >= 97 && lower <= 122) || (c >= 48 && c <= 57) || c === 39 || (c >= 0xc0 && !(c >= 0x2000 && c <= 0x206f) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xfe00 && c <= 0xffff));
}

const NOT_A_LETTER = 0;
const LETTER = 1;
const CJK = 2;
const UNSPACED = 3;

/** What a code unit of 0x80 or over that is no space counts as: no letter, a letter, a Han or Kana one, one of a script written without spaces. */
function letterKind(c: number): number {
  // Letters of other scripts count as letters; a rough but cheap test.
  if (c >= 0xc0 && !(c >= 0x2000 && c <= 0x2bff) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xd800 && c <= 0xdfff) && !(c >= 0xfe00 && c <= 0xffff)) {
    if (c >= 0x3040 && isCjk(c)) return CJK;
    return c >= 0x0e00 && c <= 0x17ff && isUnspacedAlphabet(c) ? UNSPACED : LETTER;
  }
  // A supplementary ideograph (Extension B on), one letter for its pair; half-width Katakana.
  if ((c >= 0xd840 && c <= 0xd8bf) || (c >= 0xff66 && c <= 0xff9d)) return CJK;
  return NOT_A_LETTER;
}

/** Profiles a text in one pass over its characters. */
export function profileText(s: string): TextProfile {
  let letters = 0;
  let digits = 0;
  let nonSpace = 0;
  let words = 0;
  let first = -1;
  let last = -1;
  let nonAscii = false;
  let control = -1;
  let hasAngleOrAmp = false;
  let hasBracket = false;
  let keyHint = false;
  let hasAt = false;
  let hasNewline = false;
  let spaceRun = -1;
  let lineHasText = false;
  let inWord = false;
  let runChar = -1;
  let runStart = 0;
  let charRunStart = -1;
  let charRunLength = 0;
  let bytes = 0;
  let cjk = 0;
  let unspaced = 0;
  // normalizedHash state (see text/normalize.ts): lower-cased, whitespace runs as one space, trimmed.
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  let pendingSpace = false;
  // Alphanumeric word state for the repetition rule (the arrays are WORDS', held locally while they do not grow).
  let wordCount = 0;
  let wordStart = -1;
  let wh = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      // A run of lower-case ASCII letters, most of any English text: the bookkeeping below without
      // the tests these letters cannot need, and the per-text counters added once for the run.
      // A single space between two such runs, the commonest character after them, is taken here too.
      for (;;) {
        if (pendingSpace) {
          h1 = Math.imul(h1 ^ 32, 0x01000193);
          h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
          h2 ^= h2 >>> 15;
          pendingSpace = false;
        }
        if (!inWord) {
          inWord = true;
          words++;
        }
        if (wordStart < 0) {
          wordStart = i;
          wh = 0x811c9dc5;
        }
        if (first < 0) first = i;
        const from = i;
        do {
          if (c !== runChar) {
            if (i - runStart > charRunLength && runChar >= 0 && !runExcluded(runChar)) {
              charRunLength = i - runStart;
              charRunStart = runStart;
            }
            runChar = c;
            runStart = i;
          }
          wh = Math.imul(wh ^ c, 0x01000193);
          h1 = Math.imul(h1 ^ c, 0x01000193);
          h2 = Math.imul(h2 ^ c, 0x5bd1e995);
          h2 ^= h2 >>> 15;
          // (Reading past the end would give NaN and turn c into a double for the whole function.)
          if (++i === n) break;
          c = s.charCodeAt(i);
        } while (c >= 97 && c <= 122);
        const run = i - from;
        letters += run;
        nonSpace += run;
        bytes += run;
        last = i - 1;
        lineHasText = true;
        if (c !== 32 || i + 1 >= n) break;
        const next = s.charCodeAt(i + 1);
        if (next < 97 || next > 122) break;
        // The space, as the general path below takes it: the word ends, so does the letters' run
        // (a letter is never excluded from runs), and the next word starts after a pending space.
        storeWord(wordCount++, wh, wordStart, i);
        wordStart = -1;
        if (i - runStart > charRunLength) {
          charRunLength = i - runStart;
          charRunStart = runStart;
        }
        runChar = 32;
        runStart = i;
        bytes++;
        pendingSpace = true;
        inWord = false;
        c = next;
        i++;
      }
      i--;
      continue;
    }
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    if (isWordUnit(c, lower)) {
      if (wordStart < 0) {
        wordStart = i;
        wh = 0x811c9dc5;
      }
      wh = Math.imul(wh ^ lower, 0x01000193);
    } else if (wordStart >= 0) {
      storeWord(wordCount++, wh, wordStart, i);
      wordStart = -1;
    }
    if (c !== runChar) {
      if (i - runStart > charRunLength && runChar >= 0 && !runExcluded(runChar)) {
        charRunLength = i - runStart;
        charRunStart = runStart;
      }
      runChar = c;
      runStart = i;
    }
    if (c === 32 || (c >= 9 && c <= 13)) {
      bytes++;
      pendingSpace = nonSpace > 0;
      inWord = false;
      if (c === 32) {
        if (spaceRun < 0 && lineHasText && s.charCodeAt(i + 1) === 32) {
          let j = i + 2;
          while (s.charCodeAt(j) === 32) j++;
          if (j < n && s.charCodeAt(j) !== 10 && s.charCodeAt(j) !== 13) spaceRun = i;
        }
      } else if (c === 10) {
        hasNewline = true;
        lineHasText = false;
      } else if ((c === 11 || c === 12) && control < 0) {
        control = i;
      }
      continue;
    }
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? surrogateBytes(s, i, c) : 3;
    if (!inWord) {
      inWord = true;
      words++;
    }
    if (pendingSpace) {
      h1 = Math.imul(h1 ^ 32, 0x01000193);
      h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
      h2 ^= h2 >>> 15;
      pendingSpace = false;
    }
    h1 = Math.imul(h1 ^ lower, 0x01000193);
    h2 = Math.imul(h2 ^ lower, 0x5bd1e995);
    h2 ^= h2 >>> 15;
    if (first < 0) first = i;
    last = i;
    nonSpace++;
    lineHasText = true;
    // (Lower-case letters never get here: the run loop above took them.)
    if (c >= 65 && c <= 90) {
      letters++;
      if (i > 0 && !keyHint) {
        const before = s.charCodeAt(i - 1) | 32;
        if (before >= 97 && before <= 122) keyHint = true;
      }
    } else if (c >= 48 && c <= 57) digits++;
    else if (c < 128) {
      if (c === 60 || c === 38) hasAngleOrAmp = true;
      else if (c === 64) hasAt = true;
      else if (c === 91 || c === 123) hasBracket = true;
      else if (c === 45 || c === 95) keyHint = true;
      else if (c < 32 || c === 127) { if (control < 0) control = i; }
    } else {
      nonAscii = true;
      if (c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a)) continue;
      if (control < 0 && isControl(c)) control = i;
      const kind = letterKind(c);
      if (kind !== NOT_A_LETTER) {
        letters++;
        if (kind === CJK) cjk++;
        else if (kind === UNSPACED) unspaced++;
      }
    }
  }
  if (runChar >= 0 && n - runStart > charRunLength && !runExcluded(runChar)) {
    charRunLength = n - runStart;
    charRunStart = runStart;
  }
  if (wordStart >= 0) {
    storeWord(wordCount++, wh, wordStart, n);
  }
  const asciiHash = nonAscii ? NaN : finishHash(h1, h2);
  return {
    letters, digits, nonSpace, words, first, last, nonAscii, control, hasAngleOrAmp, keyHint, hasBracket, hasAt, hasNewline, spaceRun,
    charRunStart, charRunLength, bytes, asciiHash, wordCount, cjk, unspaced,
  };
}

/** What a row's grouping reads of its texts when no per-text rule is on (a split's analysis): a subset of TextProfile. */
export type KeyProfile = Pick<TextProfile, 'bytes' | 'first' | 'asciiHash' | 'letters' | 'nonAscii' | 'cjk' | 'wordCount'>;

/**
 * profileText's KeyProfile fields and WORDS, without what only the per-text rules read (runs,
 * flags, spaces, controls): a split's analysis, whose rules are all off, spent a third of its time
 * in profileText (#22). The same values as profileText's (test/unit/profile.test.ts compares them).
 */
export function keyProfile(s: string): KeyProfile {
  let letters = 0;
  let first = -1;
  let nonAscii = false;
  let bytes = 0;
  let cjk = 0;
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  let pendingSpace = false;
  let wordCount = 0;
  let wordStart = -1;
  let wh = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      // A run of lower-case ASCII letters, and single spaces between such runs, as profileText takes them.
      for (;;) {
        if (pendingSpace) {
          h1 = Math.imul(h1 ^ 32, 0x01000193);
          h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
          h2 ^= h2 >>> 15;
          pendingSpace = false;
        }
        if (wordStart < 0) {
          wordStart = i;
          wh = 0x811c9dc5;
        }
        if (first < 0) first = i;
        const from = i;
        do {
          wh = Math.imul(wh ^ c, 0x01000193);
          h1 = Math.imul(h1 ^ c, 0x01000193);
          h2 = Math.imul(h2 ^ c, 0x5bd1e995);
          h2 ^= h2 >>> 15;
          if (++i === n) break;
          c = s.charCodeAt(i);
        } while (c >= 97 && c <= 122);
        letters += i - from;
        bytes += i - from;
        if (c !== 32 || i + 1 >= n) break;
        const next = s.charCodeAt(i + 1);
        if (next < 97 || next > 122) break;
        storeWord(wordCount++, wh, wordStart, i);
        wordStart = -1;
        bytes++;
        pendingSpace = true;
        c = next;
        i++;
      }
      i--;
      continue;
    }
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    if (isWordUnit(c, lower)) {
      if (wordStart < 0) {
        wordStart = i;
        wh = 0x811c9dc5;
      }
      wh = Math.imul(wh ^ lower, 0x01000193);
    } else if (wordStart >= 0) {
      storeWord(wordCount++, wh, wordStart, i);
      wordStart = -1;
    }
    if (c === 32 || (c >= 9 && c <= 13)) {
      bytes++;
      pendingSpace = first >= 0;
      continue;
    }
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? surrogateBytes(s, i, c) : 3;
    if (pendingSpace) {
      h1 = Math.imul(h1 ^ 32, 0x01000193);
      h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
      h2 ^= h2 >>> 15;
      pendingSpace = false;
    }
    h1 = Math.imul(h1 ^ lower, 0x01000193);
    h2 = Math.imul(h2 ^ lower, 0x5bd1e995);
    h2 ^= h2 >>> 15;
    if (first < 0) first = i;
    if (c >= 65 && c <= 90) letters++;
    else if (c >= 128) {
      nonAscii = true;
      if (c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a)) continue;
      const kind = letterKind(c);
      if (kind !== NOT_A_LETTER) {
        letters++;
        if (kind === CJK) cjk++;
      }
    }
  }
  if (wordStart >= 0) {
    storeWord(wordCount++, wh, wordStart, n);
  }
  return { bytes, first, asciiHash: nonAscii ? NaN : finishHash(h1, h2), letters, nonAscii, cjk, wordCount };
}
