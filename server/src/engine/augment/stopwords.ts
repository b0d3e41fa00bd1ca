/**
 * Words augmentation never replaces or deletes. The base is `natural`'s English stopword list (plain
 * data, no I/O). Negations are added: natural's list lacks "not", and deleting it turns a negative
 * review into a positive one while keeping the "negative" label.
 */
import { words as naturalStopwords } from 'natural/lib/natural/util/stopwords';

const NEGATIONS = ['not', 'no', 'nor', 'never', 'none', 'nobody', 'nothing', 'neither', 'nowhere', 'without', 'cannot'];

/**
 * Chinese words kept for the same reasons: negations (deleting 不 or 没有 reverses a sentence),
 * pronouns and the particles that carry grammar (的, 了, 吗). Intl.Segmenter gives them as words.
 */
const CHINESE = [
  '不', '没', '没有', '别', '未', '无', '非', '莫', '勿', '否', '不是', '不要', '不会', '不能', '不用', '并非', '从未', '从不', '毫无',
  '的', '了', '着', '过', '是', '在', '和', '与', '或', '也', '都', '就', '吗', '呢', '吧', '啊', '得', '地',
  '我', '你', '您', '他', '她', '它', '我们', '你们', '他们', '她们', '这', '那', '这个', '那个', '什么', '怎么', '为什么', '哪', '谁',
];

/** The default stopword set (lower case). */
export const STOPWORDS: ReadonlySet<string> = new Set([...naturalStopwords, ...NEGATIONS, ...CHINESE]);

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
