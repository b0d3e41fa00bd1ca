import { isCjk, isUnspacedAlphabet, segmentWords } from '../text/scripts';

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
  if (hasUnspacedScript(text)) return segmentedWords(text);
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

/** Whether a text has letters of a script written without spaces between words (Chinese, Japanese, Thai…). */
export function hasUnspacedScript(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x0e00 && (isCjk(c) || isUnspacedAlphabet(c))) return true;
  }
  return false;
}

/** Words of a text in an unspaced script, as Intl.Segmenter finds them (mixed-script text too); gaps keep every other character. */
function segmentedWords(text: string): Words {
  const w: Words = { words: [], gaps: [], origin: [], changed: [] };
  let last = 0;
  for (const { word, index } of segmentWords(text)) {
    w.gaps.push(text.slice(last, index));
    w.words.push(word);
    w.origin.push(index);
    w.changed.push(false);
    last = index + word.length;
  }
  w.gaps.push(text.slice(last));
  return w;
}

/** Whether the character before or after a gap belongs to a script written without spaces: words there meet without one. */
export function unspacedAt(w: Words, gap: number): boolean {
  const before = gap > 0 ? w.words[gap - 1] : '';
  const after = gap < w.words.length ? w.words[gap] : '';
  const edge = (s: string, i: number) => {
    const c = s.charCodeAt(i);
    return c >= 0x0e00 && (isCjk(c) || isUnspacedAlphabet(c));
  };
  return (before !== '' && edge(before, before.length - 1)) || (after !== '' && edge(after, 0));
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

/**
 * Inserts words, each before its position `at` (1…length) of `w` and separated by one space; at one
 * position, the later in `inserts` comes first. One pass that builds new arrays: inserting one by one
 * (Array.splice) is quadratic, 7 s for the 20,000 insertions into a 1 MB text.
 */
export function insertWords(w: Words, inserts: readonly { at: number; word: string }[]): Words {
  const order = inserts.map((_, k) => k).sort((a, b) => inserts[a].at - inserts[b].at || b - a);
  const out: Words = { words: [], gaps: [], origin: [], changed: [] };
  let next = 0;
  for (let p = 0; p <= w.words.length; p++) {
    for (; next < order.length && inserts[order[next]].at === p; next++) {
      // The new word takes a plain space before it (none between words of an unspaced script); the old gap stays before the word that followed.
      out.gaps.push(unspacedAt(w, p) && hasUnspacedScript(inserts[order[next]].word) ? '' : ' ');
      out.words.push(inserts[order[next]].word);
      out.origin.push(-1);
      out.changed.push(true);
    }
    out.gaps.push(w.gaps[p]);
    if (p === w.words.length) break;
    out.words.push(w.words[p]);
    out.origin.push(w.origin[p]);
    out.changed.push(w.changed[p]);
  }
  return out;
}

/**
 * Removes the words at the (ascending) indices `remove`, merging the gaps around each: a plain-space
 * gap gives way to the other one (so "a, b c" minus b is "a, c"), and the text's start and end lose
 * no punctuation. The gaps of a run of removed words merge from its end, as removing them one by one
 * from the back would; one pass, where splicing each out is quadratic in a long text.
 */
export function removeWords(w: Words, remove: readonly number[]): Words {
  const out: Words = { words: [], gaps: [], origin: [], changed: [] };
  const n = w.words.length;
  let r = 0;
  for (let i = 0; i < n; i++) {
    if (r < remove.length && remove[r] === i) {
      // A run of removed words i…j: its gaps fold into one, from the gap after j leftwards.
      let j = i;
      while (r + 1 < remove.length && remove[r + 1] === j + 1) {
        r++;
        j++;
      }
      r++;
      let merged = w.gaps[j + 1];
      for (let k = j; k >= i; k--) merged = mergedGap(w.gaps[k], merged, k === 0, j === n - 1);
      out.gaps.push(merged);
      i = j;
      if (j === n - 1) return out;
      // The merged gap precedes the word after the run, pushed next without its own gap.
      i++;
    } else out.gaps.push(w.gaps[i]);
    out.words.push(w.words[i]);
    out.origin.push(w.origin[i]);
    out.changed.push(w.changed[i]);
  }
  out.gaps.push(w.gaps[n]);
  return out;
}

/** The gap left where a word was, from the gaps before and after it (first/last: the word opened/closed the text). */
function mergedGap(before: string, after: string, first: boolean, last: boolean): string {
  if (first) return before + after.replace(/^[\s,;:]+/, '');
  if (last) return before.replace(/[\s,;:]+$/, '') + after;
  if (isSpace(before)) return after;
  if (isSpace(after)) return before;
  return before.trimEnd() + after.trimStart();
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
    // Chinese or Thai words meet without a space: that is not glue.
    if (!/\s/.test(w.gaps[i]) && !unspacedAt(w, i)) glued[i - 1] = glued[i] = true;
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
