/**
 * A text as words and the gaps between them, so word-level edits keep the text's own spacing and
 * punctuation: gaps[i] precedes words[i], and gaps[words.length] is what follows the last word.
 */

/** A range of a text, end exclusive (UTF-16 offsets, as editors and webviews count). */
export interface TextSpan {
  start: number;
  end: number;
}

export interface Words {
  words: string[];
  gaps: string[];
  /** Where each word started in the original text; -1 for an inserted word. */
  origin: number[];
  /** Whether a word is new or moved, for highlighting. */
  changed: boolean[];
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}\p{M}]/u;

/** Whether the UTF-16 unit at i starts or continues a word: ASCII by table, the rest by Unicode class. */
function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  // A surrogate pair is tested as the whole code point.
  if (c >= 0xd800 && c <= 0xdbff) return LETTER_OR_DIGIT.test(text.slice(i, i + 2));
  if (c >= 0xdc00 && c <= 0xdfff) return LETTER_OR_DIGIT.test(text.slice(i - 1, i + 1));
  return LETTER_OR_DIGIT.test(text[i]);
}

/**
 * Words are runs of letters and digits, with inner apostrophes and hyphens kept inside the word
 * (don't, well-known). A hand-written scanner: a Unicode regex costs several times more per text.
 */
export function splitWords(text: string): Words {
  const w: Words = { words: [], gaps: [], origin: [], changed: [] };
  const n = text.length;
  let last = 0;
  let i = 0;
  while (i < n) {
    if (!isWordChar(text, i)) {
      i++;
      continue;
    }
    const start = i;
    for (;;) {
      while (i < n && isWordChar(text, i)) i++;
      const joiner = text[i];
      if ((joiner === "'" || joiner === '’' || joiner === '-') && i + 1 < n && isWordChar(text, i + 1)) i++;
      else break;
    }
    w.gaps.push(text.slice(last, start));
    w.words.push(text.slice(start, i));
    w.origin.push(start);
    w.changed.push(false);
    last = i;
  }
  w.gaps.push(text.slice(last));
  return w;
}

/** The text of the words and gaps, with the spans of changed words in it. */
export function joinWords(w: Words): { text: string; changed: TextSpan[] } {
  let text = w.gaps[0];
  const changed: TextSpan[] = [];
  for (let i = 0; i < w.words.length; i++) {
    if (w.changed[i]) changed.push({ start: text.length, end: text.length + w.words[i].length });
    text += w.words[i] + w.gaps[i + 1];
  }
  return { text, changed };
}

/** Inserts a word before position `at` (1…length), separated by one space. */
export function insertWord(w: Words, at: number, word: string): void {
  w.words.splice(at, 0, word);
  w.origin.splice(at, 0, -1);
  w.changed.splice(at, 0, true);
  // The new word takes a plain space before it; the old gap stays before the word that followed.
  w.gaps.splice(at, 0, ' ');
}

/**
 * Removes the word at `i`, merging the gaps around it: a plain-space gap gives way to the other
 * one (so "a, b c" minus b is "a, c"), and the text's start and end lose no punctuation.
 */
export function removeWord(w: Words, i: number): void {
  const before = w.gaps[i];
  const after = w.gaps[i + 1];
  let merged: string;
  if (i === 0) merged = before + after.replace(/^[\s,;:]+/, '');
  else if (i === w.words.length - 1) merged = before.replace(/[\s,;:]+$/, '') + after;
  else if (isSpace(before)) merged = after;
  else if (isSpace(after)) merged = before;
  else merged = before.trimEnd() + after.trimStart();
  w.words.splice(i, 1);
  w.origin.splice(i, 1);
  w.changed.splice(i, 1);
  w.gaps.splice(i, 2, merged);
}

function isSpace(s: string): boolean {
  return /^\s*$/.test(s);
}

/**
 * Words glued to a neighbour by punctuation without a space (jane.doe@example.com, U.S.A, and/or,
 * https://x.io/a): pieces of one token that edits would break, so they are never moved or removed.
 */
export function gluedWords(w: Words): boolean[] {
  const glued = new Array<boolean>(w.words.length).fill(false);
  for (let i = 1; i < w.words.length; i++) {
    if (!/\s/.test(w.gaps[i])) glued[i - 1] = glued[i] = true;
  }
  return glued;
}

/** Gives `replacement` the capitalisation pattern of `original` (UPPER, Title or as it is). */
export function matchCase(original: string, replacement: string): string {
  if (original.length > 1 && original === original.toUpperCase() && original !== original.toLowerCase()) return replacement.toUpperCase();
  const first = original[0];
  if (first && first !== first.toLowerCase() && replacement[0] === replacement[0].toLowerCase()) return replacement[0].toUpperCase() + replacement.slice(1);
  return replacement;
}
