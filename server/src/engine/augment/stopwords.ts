/**
 * Words augmentation never replaces or deletes. The base is `natural`'s English stopword list (plain
 * data, no I/O). Negations are added: natural's list lacks "not", and deleting it turns a negative
 * review into a positive one while keeping the "negative" label.
 */
import { words as naturalStopwords } from 'natural/lib/natural/util/stopwords';

const NEGATIONS = ['not', 'no', 'nor', 'never', 'none', 'nobody', 'nothing', 'neither', 'nowhere', 'without', 'cannot'];

/** The default stopword set (lower case). */
export const STOPWORDS: ReadonlySet<string> = new Set([...naturalStopwords, ...NEGATIONS]);

/**
 * Whether a word must stay as it is: a stopword, a contracted negation (don't, isn’t) or a word
 * with digits (numbers carry facts a label may depend on).
 */
export function isProtectedWord(word: string, stopwords: ReadonlySet<string>): boolean {
  const lower = word.toLowerCase();
  if (stopwords.has(lower)) return true;
  const n = lower.length;
  // Hand-written checks: this runs for every word of every augmented text.
  if (n > 2 && lower.charCodeAt(n - 1) === 116 && lower.charCodeAt(n - 3) === 110 && (lower[n - 2] === "'" || lower[n - 2] === '’')) return true;
  for (let i = 0; i < n; i++) {
    const c = lower.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}
