/**
 * Writing systems of a text, told from its characters' code points: enough to count words where
 * there are no spaces (Chinese, Japanese, Thai…), to measure a text in the unit its script is read
 * in, and to say which language family each row is written in. No dictionary and no model: the
 * script says "Chinese" or "Latin script", not "French".
 */

/** Han ideographs (CJK Unified, Extension A, Compatibility), as UTF-16 units; Extension B+ come as surrogate pairs (see isHanHighSurrogate). */
export function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

/** The high surrogate of a supplementary ideograph (Extensions B-H, U+20000-U+3FFFF). */
export function isHanHighSurrogate(c: number): boolean {
  return c >= 0xd840 && c <= 0xd8bf;
}

/** Hiragana, Katakana (and its phonetic extensions and half-width forms). */
export function isKana(c: number): boolean {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xff66 && c <= 0xff9d);
}

/** Characters read one by one rather than as spaced words: Han and Kana. */
export function isCjk(c: number): boolean {
  return isHan(c) || isKana(c) || isHanHighSurrogate(c);
}

/** Scripts written without spaces between words besides Han and Kana: Thai, Lao, Khmer, Myanmar. */
export function isUnspacedAlphabet(c: number): boolean {
  return (c >= 0x0e00 && c <= 0x0eff) || (c >= 0x1780 && c <= 0x17ff) || (c >= 0x1000 && c <= 0x109f);
}

/** The language families a row is counted in (by script; Han without Kana is Chinese, with Kana Japanese). */
export type Language =
  | 'Chinese' | 'Japanese' | 'Korean' | 'Thai' | 'Latin script' | 'Cyrillic script' | 'Greek' | 'Arabic script' | 'Hebrew' | 'Devanagari' | 'other script';

/** The letters of each script in a text (a fixed set of counters, reused). */
interface ScriptTally {
  han: number;
  kana: number;
  hangul: number;
  thai: number;
  latin: number;
  cyrillic: number;
  greek: number;
  arabic: number;
  hebrew: number;
  devanagari: number;
  other: number;
}

const tally: ScriptTally = { han: 0, kana: 0, hangul: 0, thai: 0, latin: 0, cyrillic: 0, greek: 0, arabic: 0, hebrew: 0, devanagari: 0, other: 0 };

/** Counts a text's letters by script into `tally`; returns how many letters it has. */
function countScripts(text: string): number {
  for (const k in tally) tally[k as keyof ScriptTally] = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if ((c | 32) >= 97 && (c | 32) <= 122) {
        tally.latin++;
        letters++;
      }
      continue;
    }
    letters++;
    if (isHan(c) || isHanHighSurrogate(c)) tally.han++;
    else if (isKana(c)) tally.kana++;
    else if ((c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f)) tally.hangul++;
    else if (c >= 0x0e00 && c <= 0x0e7f) tally.thai++;
    else if ((c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x1e00 && c <= 0x1eff) || (c >= 0xff21 && c <= 0xff5a)) tally.latin++;
    else if (c >= 0x0400 && c <= 0x052f) tally.cyrillic++;
    else if (c >= 0x0370 && c <= 0x03ff) tally.greek++;
    else if ((c >= 0x0600 && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f)) tally.arabic++;
    else if (c >= 0x0590 && c <= 0x05ff) tally.hebrew++;
    else if (c >= 0x0900 && c <= 0x097f) tally.devanagari++;
    else if (isLetterLike(c)) tally.other++;
    else letters--;
  }
  return letters;
}

/** Non-ASCII characters that are neither punctuation, symbols, spaces nor surrogates (emoji; a supplementary ideograph is counted as Han before this is asked). */
function isLetterLike(c: number): boolean {
  return !(c >= 0x2000 && c <= 0x2bff) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xd800 && c <= 0xdfff) && !(c >= 0xfe00 && c <= 0xff20) && !(c >= 0xff3b && c <= 0xff40) && !(c >= 0xff5b && c <= 0xff65) && c >= 0xa0 && !(c >= 0xa0 && c <= 0xbf);
}

/**
 * The language family a text is written in: the script with the most letters (Han and Kana
 * together, Japanese when a tenth of them are Kana), or undefined for a text without letters.
 */
export function languageOf(text: string): Language | undefined {
  if (countScripts(text) === 0) return undefined;
  const cjk = tally.han + tally.kana;
  let best: Language = cjk > 0 ? (tally.kana * 10 >= cjk ? 'Japanese' : 'Chinese') : 'other script';
  let most = cjk;
  const others: [Language, number][] = [
    ['Latin script', tally.latin], ['Korean', tally.hangul], ['Thai', tally.thai], ['Cyrillic script', tally.cyrillic], ['Greek', tally.greek],
    ['Arabic script', tally.arabic], ['Hebrew', tally.hebrew], ['Devanagari', tally.devanagari], ['other script', tally.other],
  ];
  // A Chinese sentence with a brand name in it ("iPhone 的电池") is Chinese: Latin letters are worth a third of a Han character.
  for (const [language, n] of others) {
    const weight = language === 'Latin script' ? n / 3 : n;
    if (weight > most) {
      most = weight;
      best = language;
    }
  }
  return best;
}

/**
 * A Chinese or Japanese text's length as it is read: each Han or Kana character one, each run of
 * other letters or digits (a brand name, a number: "iPhone", "15") one, punctuation and spaces none.
 */
export function cjkLength(text: string): number {
  let n = 0;
  let inRun = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isCjk(c)) {
      n++;
      inRun = false;
    } else if ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || (c >= 0xc0 && c < 0x2000)) {
      if (!inRun) n++;
      inRun = true;
    } else inRun = false;
  }
  return n;
}

/** Made when first used: creating it loads ICU's word-break data (~10 ms), which most files never need. */
let segmenter: Intl.Segmenter | undefined;
const wordSegmenter = (): Intl.Segmenter => (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' }));

/**
 * The words of a text as a reader counts them: Intl.Segmenter's word-like segments (a dictionary
 * for Chinese, Japanese and Thai, spaces and punctuation elsewhere). Costly next to splitting at
 * spaces, so callers use it for texts with CJK or unspaced-alphabet characters only.
 */
export function segmentWords(text: string): { word: string; index: number }[] {
  const out: { word: string; index: number }[] = [];
  for (const s of wordSegmenter().segment(text)) if (s.isWordLike) out.push({ word: s.segment, index: s.index });
  return out;
}

/** How many words a text has as a reader counts them (see segmentWords). */
export function countSegmentedWords(text: string): number {
  let n = 0;
  for (const s of wordSegmenter().segment(text)) if (s.isWordLike) n++;
  return n;
}

/** The languages a row's traits number (0: no letters). */
export const LANGUAGES: readonly (Language | undefined)[] = [
  undefined, 'Chinese', 'Japanese', 'Korean', 'Thai', 'Latin script', 'Cyrillic script', 'Greek', 'Arabic script', 'Hebrew', 'Devanagari', 'other script',
];
const LANGUAGE_ID = new Map(LANGUAGES.map((l, i) => [l, i]));

/**
 * A row's traits the file-level language rules count, packed in 16 bits: its language (bits 0-3,
 * an index into LANGUAGES), and, for Chinese or Japanese text, which widths its punctuation and
 * digits are written in and, for Chinese, which character system it proves (hanVariants).
 */
export const TRAIT = {
  LANGUAGE: 0xf,
  /** Full-width punctuation (，！？：；（）) next to a Han or Kana character; 。 has no half-width form a file would use instead, so it says nothing. */
  FULL_PUNCT: 1 << 4,
  /** Half-width punctuation (, ! ? : ; ( )) right after a Han or Kana character. */
  HALF_PUNCT: 1 << 5,
  /** Full-width letters or digits (１２３, ＡＢＣ). */
  FULL_ALNUM: 1 << 6,
  /** ASCII digits in Chinese or Japanese text. */
  HALF_DIGITS: 1 << 7,
  SIMPLIFIED: 1 << 8,
  TRADITIONAL: 1 << 9,
  /**
   * Not a script trait: the row already has a finding that says it is short or empty (too-short,
   * placeholder, empty-field), so length-outlier does not call it unusually short a second time (one
   * finding per cause); an unusually long row is still said to be.
   */
  SAID_SHORT: 1 << 10,
  /**
   * Not a script trait: the row cannot be used as a row of its format (a structure error, or a field
   * its format needs missing or of the wrong type: usableRows.ts's test), so a split planned from an
   * analysis (RowIndex.split) leaves it out without reading every row again.
   */
  UNUSABLE: 1 << 11,
} as const;

/** Full-width punctuation a Chinese text uses, and the half-width forms they stand for. */
const FULL_PUNCT = '，！？：；（）';
const HALF_PUNCT = ',!?:;()';

/** Whether a character is one of HALF_PUNCT's. */
function isHalfPunct(c: number): boolean {
  return c === 44 || c === 33 || c === 63 || c === 58 || c === 59 || c === 40 || c === 41;
}

/**
 * The traits of a row's text (see TRAIT). `hanVariantsOf` is passed in (text/hanVariants.ts) so this
 * module stays free of its table.
 */
export function rowTraits(text: string, hanVariantsOf: (text: string) => number): number {
  const language = languageOf(text);
  let traits = LANGUAGE_ID.get(language) ?? 0;
  if (language !== 'Chinese' && language !== 'Japanese') return traits;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) {
      if ((c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)) traits |= TRAIT.FULL_ALNUM;
      else if (c === 0xff0c || c === 0xff01 || c === 0xff1f || c === 0xff1a || c === 0xff1b || c === 0xff08 || c === 0xff09) traits |= TRAIT.FULL_PUNCT;
    } else if (c >= 48 && c <= 57) traits |= TRAIT.HALF_DIGITS;
    else if (isHalfPunct(c) && i > 0 && isCjk(text.charCodeAt(i - 1))) traits |= TRAIT.HALF_PUNCT;
  }
  if (language === 'Chinese') {
    const variants = hanVariantsOf(text);
    if (variants & 1) traits |= TRAIT.SIMPLIFIED;
    if (variants & 2) traits |= TRAIT.TRADITIONAL;
  }
  return traits;
}

/**
 * A text with its punctuation and letters/digits written in one width: `punct` and `alnum` say which
 * ('full' or 'half'; undefined leaves them). Half-width punctuation turns full-width only right after
 * a Han or Kana character (so "e.g., (see 1)" in a Chinese sentence keeps its ASCII), and 。 stays.
 */
export function normalizeWidths(text: string, punct: 'full' | 'half' | undefined, alnum: 'full' | 'half' | undefined): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const c = text.charCodeAt(i);
    if (punct === 'half' && FULL_PUNCT.includes(ch)) out += HALF_PUNCT[FULL_PUNCT.indexOf(ch)];
    else if (punct === 'full' && isHalfPunct(c) && i > 0 && isCjk(text.charCodeAt(i - 1))) out += FULL_PUNCT[HALF_PUNCT.indexOf(ch)];
    else if (alnum === 'half' && ((c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a))) out += String.fromCharCode(c - 0xfee0);
    else if (alnum === 'full' && c >= 48 && c <= 57) out += String.fromCharCode(c + 0xfee0);
    else out += ch;
  }
  return out;
}
