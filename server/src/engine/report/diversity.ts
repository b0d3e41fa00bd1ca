import type * as NaturalRegexpTokenizer from 'natural/lib/natural/tokenizers/regexp_tokenizer';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords';
import { segmentWords } from '../text/scripts';

/**
 * How varied a dataset's wording is: vocabulary, type/token ratio, distinct bigrams and the most
 * common content words. A host feeds the rows' texts once; a sample keeps a million-row file fast.
 */

export interface Diversity {
  /** Rows whose text was read, and whether they were a sample of the file rather than all of it. */
  rows: number;
  sampled: boolean;
  /** Word tokens read (case-folded), and how many distinct ones: the vocabulary. */
  tokens: number;
  vocabulary: number;
  /** vocabulary / tokens; the same figure as "distinct-1". It falls as a corpus grows, so compare files of similar size. */
  typeTokenRatio: number;
  /** Word pairs inside a row, how many are distinct, and the share ("distinct-2"). */
  bigrams: number;
  distinctBigrams: number;
  distinctBigramShare: number;
  /** The most frequent words, stopwords, numbers and one-letter words left out. */
  topTerms: { term: string; count: number }[];
}

export interface DiversityOptions {
  /** The file's row count; with it the sample is spread over the whole file, not taken from its start. */
  totalRows?: number;
  /** Rows read at most (default 200,000). */
  sampleLimit?: number;
  /** Words read at most (default 2,000,000, about a second); word-heavy rows make the sample sparser. */
  wordLimit?: number;
  /** How many top terms to keep (default 20). */
  topTerms?: number;
  /**
   * Splits a text into words; by default natural's word tokenizer, widened from ASCII to every
   * script, and Intl.Segmenter's words for a text with Chinese, Japanese, Thai, Lao, Myanmar or Khmer.
   */
  tokenize?: (text: string) => string[];
  /** Words left out of the top terms (default: natural's English stopwords and Chinese function words). */
  stopwords?: Iterable<string>;
}

export const DIVERSITY_SAMPLE_LIMIT = 200_000;
export const DIVERSITY_WORD_LIMIT = 2_000_000;

// natural's WordTokenizer splits on /[^A-Za-zА-Яа-я0-9_]+/, which cuts "café" into "caf"; the same
// tokenizer with Unicode letter and mark classes keeps words of every script whole.
// Made when first used: natural's tokenizer module brings underscore, ~10 ms to load, which a check never needs.
let regexpTokenizer: NaturalRegexpTokenizer.RegexpTokenizer | undefined;
const wordTokenizer = () =>
  (regexpTokenizer ??= new (require('natural/lib/natural/tokenizers/regexp_tokenizer') as typeof NaturalRegexpTokenizer).RegexpTokenizer({ pattern: /[^\p{L}\p{M}\p{N}_]+/u }));
/** Characters of scripts written without spaces (Han, Kana, Thai, Lao, Myanmar, Khmer): their texts are split by Intl.Segmenter. */
const UNSPACED = /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const defaultTokenize = (text: string) => (UNSPACED.test(text) ? segmentWords(text).map((w) => w.word) : wordTokenizer().tokenize(text));

/**
 * Chinese function words left out of the top terms with the English stopwords: particles, pronouns,
 * copulas, conjunctions and degree adverbs, which top any Chinese corpus and say nothing about it.
 */
const CHINESE_STOPWORDS = [
  '的', '了', '是', '在', '和', '也', '就', '都', '而', '及', '与', '着', '或', '把', '被', '让', '给', '对', '从', '到', '向', '为', '以', '于',
  '这', '那', '这个', '那个', '这些', '那些', '我', '你', '他', '她', '它', '我们', '你们', '他们', '自己', '一个', '一', '个', '有', '没有',
  '不', '很', '非常', '太', '还', '又', '再', '吗', '呢', '吧', '啊', '呀', '嘛', '得', '地', '之', '所', '等', '但', '但是', '因为', '所以',
  '如果', '可以', '会', '能', '要', '说', '上', '下', '中', '里', 'の', 'は', 'が', 'を', 'に', 'で', 'と', 'も', 'です', 'ます',
];

/**
 * Diversity figures of a dataset's texts (one text per row, all of a row's fields joined). A big file is
 * sampled every k-th row, k chosen from the words per row seen so far so that the sample stays within
 * both limits and still spans the whole file. Ratios over a bounded sample are also fairer to compare
 * between files, as the type/token ratio falls as a corpus grows.
 */
export function computeDiversity(texts: Iterable<string>, options: DiversityOptions = {}): Diversity {
  const rowLimit = options.sampleLimit ?? DIVERSITY_SAMPLE_LIMIT;
  const wordLimit = options.wordLimit ?? DIVERSITY_WORD_LIMIT;
  const total = options.totalRows ?? 0;
  const rowStep = total > rowLimit ? Math.ceil(total / rowLimit) : 1;
  const tokenize = options.tokenize ?? defaultTokenize;
  const ids = new Map<string, number>();
  const counts: number[] = [];
  const pairs = new PairSet();
  let rows = 0;
  let tokens = 0;
  let bigrams = 0;
  let index = -1;
  let next = 0;
  let sampled = false;
  for (const text of texts) {
    if (++index < next) {
      sampled = true;
      continue;
    }
    if (rows === rowLimit || tokens >= wordLimit) {
      sampled = true;
      break;
    }
    rows++;
    let previous = -1;
    for (const raw of tokenize(text)) {
      const word = raw.toLowerCase();
      let id = ids.get(word);
      if (id === undefined) {
        id = counts.length;
        ids.set(word, id);
        counts.push(0);
      }
      counts[id]++;
      tokens++;
      if (previous >= 0) {
        pairs.add(previous, id);
        bigrams++;
      }
      previous = id;
    }
    // Spread the word budget over the whole file at the mean words per row seen so far.
    const step = total ? Math.max(rowStep, Math.ceil((total * tokens) / rows / wordLimit)) : 1;
    next = index + step;
  }
  return {
    rows,
    sampled,
    tokens,
    vocabulary: ids.size,
    typeTokenRatio: tokens ? ids.size / tokens : 0,
    bigrams,
    distinctBigrams: pairs.size,
    distinctBigramShare: bigrams ? pairs.size / bigrams : 0,
    topTerms: topTerms(ids, counts, new Set(options.stopwords ?? [...englishStopwords, ...CHINESE_STOPWORDS]), options.topTerms ?? 20),
  };
}

/** A set of (word id, word id) pairs in flat typed arrays: several times faster than a Set of numbers. */
class PairSet {
  size = 0;
  private first = new Int32Array(1 << 16).fill(-1);
  private second = new Int32Array(1 << 16);

  add(a: number, b: number): void {
    const mask = this.first.length - 1;
    let i = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & mask;
    while (this.first[i] !== -1) {
      if (this.first[i] === a && this.second[i] === b) return;
      i = (i + 1) & mask;
    }
    this.first[i] = a;
    this.second[i] = b;
    if (++this.size * 2 > this.first.length) this.grow();
  }

  private grow(): void {
    const { first, second } = this;
    this.first = new Int32Array(first.length * 2).fill(-1);
    this.second = new Int32Array(first.length * 2);
    this.size = 0;
    for (let i = 0; i < first.length; i++) if (first[i] !== -1) this.add(first[i], second[i]);
  }
}

function topTerms(ids: Map<string, number>, counts: number[], stopwords: Set<string>, n: number): { term: string; count: number }[] {
  const terms: { term: string; count: number }[] = [];
  for (const [term, id] of ids) {
    // One-letter words are left out, but a Chinese or Japanese word of one character is a word (好, 贵).
    if ((term.length < 2 && !UNSPACED.test(term)) || stopwords.has(term) || /^\d+$/.test(term)) continue;
    terms.push({ term, count: counts[id] });
  }
  // Ties break alphabetically so the same data always gives the same list.
  terms.sort((a, b) => b.count - a.count || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  return terms.slice(0, n);
}
