import { protectedWords } from './protect';
import { isProtectedWord } from './stopwords';
import { gluedWords, splitWords, type Words } from './words';

/**
 * What the operations need to know about a text, worked out once per text rather than once per
 * operation and variant: its words, which of them must stay, and which have synonyms.
 */

/** WordNet's parts of speech. */
export type WordNetPos = 'noun' | 'verb' | 'adj' | 'adv';

/**
 * Synonyms of a lower-case word (WordNet in the hosts), most frequent senses first; an empty list
 * when it has none. With a part of speech, only senses of that part of speech.
 */
export type SynonymProvider = (word: string, pos?: WordNetPos) => readonly string[];

/**
 * Penn Treebank tags (NN, VBZ, NNP…) for a text's words, one per word, in order (natural's Brill
 * tagger in the hosts), and whether a capitalised word opening a sentence is a name (its lexicon
 * knows it only as a proper noun, or not at all: "Paris is…", not "Translate…").
 */
export interface Tagger {
  tag(words: readonly string[]): readonly string[];
  isName(word: string): boolean;
}

/** The WordNet part of speech of a Penn tag whose words may take a synonym; undefined for the rest (names, numbers, function words, inflected forms WordNet has no lemma for). */
export function wordNetPos(tag: string): WordNetPos | undefined {
  switch (tag) {
    case 'NN':
    case 'NNS':
      return 'noun';
    case 'VB':
    case 'VBP':
    case 'VBZ':
      return 'verb';
    case 'JJ':
      return 'adj';
    case 'RB':
      return 'adv';
    default:
      return undefined;
  }
}

/** Synonym and stopword knowledge for one run; synonym lists are looked up and filtered once per word. */
export class WordKnowledge {
  private readonly cache = new Map<string, readonly string[]>();

  constructor(private readonly provider: SynonymProvider, readonly stopwords: ReadonlySet<string>, readonly tagger?: Tagger) {}

  /**
   * Synonyms of a word that differ from it (case aside), without proper nouns ("day" is not "Clarence
   * Day", "French" not "French people": a synonym with a capital names something else) or numbers.
   */
  synonyms(word: string, pos?: WordNetPos): readonly string[] {
    const lower = word.toLowerCase();
    const key = pos ? `${lower}\u0000${pos}` : lower;
    let list = this.cache.get(key);
    if (!list) {
      const raw = this.provider(lower, pos);
      list = raw.filter((s) => s.toLowerCase() !== lower && s === s.toLowerCase() && !/\p{N}/u.test(s));
      this.cache.set(key, list);
    }
    return list;
  }
}

export interface Candidate {
  at: number;
  synonyms: readonly string[];
}

/** What a row says must stay in one of its texts besides the text's own protected spans. */
export interface KeptWords {
  /** Words the label depends on (lower case): never replaced or deleted. */
  label?: (lower: string) => boolean;
  /** Words of the row's other side (the answer): never replaced, deleted or moved. */
  answer?: ReadonlySet<string>;
}

export interface PreparedText {
  text: string;
  /** The words and gaps; operations work on a copy (`copyWords`). */
  words: Words;
  /** Pieces of glued tokens (e-mails, URLs): never moved, removed or split by an insertion. */
  glued: boolean[];
  /** Words in a protected span or naming something (see protect.ts), or in the answer: never moved, and nothing is inserted beside them. */
  fixed: boolean[];
  /** Words that must stay as they are: fixed words, stopwords, negations, numbers, words the label depends on. */
  locked: boolean[];
  /** Unlocked words with synonyms of their part of speech (worked out on first use: only sr and ri need them). */
  candidates(): Candidate[];
}

export function prepareText(text: string, knowledge: WordKnowledge, kept: KeptWords = {}): PreparedText {
  const words = splitWords(text);
  const glued = gluedWords(words);
  const named = protectedWords(text, words);
  const tagger = knowledge.tagger;
  const fixed = words.words.map((w, i) => {
    if (glued[i] || named[i]) return true;
    // A capitalised word opening a sentence is a name when the tagger's lexicon says so (protectedWords leaves these to it).
    if (tagger && w !== w.toLowerCase() && w !== 'I' && tagger.isName(w)) return true;
    return !!kept.answer && inAnswer(w.toLowerCase(), kept.answer);
  });
  const locked = words.words.map((w, i) => fixed[i] || isProtectedWord(w, knowledge.stopwords) || (!!kept.label && kept.label(w.toLowerCase())));
  let candidates: Candidate[] | undefined;
  return {
    text, words, glued, fixed, locked,
    candidates() {
      if (!candidates) {
        candidates = [];
        // Tagged only here: only synonym replacement and insertion need parts of speech.
        const tags = tagger && words.words.length ? tagger.tag(words.words) : undefined;
        for (let i = 0; i < words.words.length; i++) {
          if (locked[i]) continue;
          const pos = tags ? wordNetPos(tags[i]) : undefined;
          if (tags && !pos) continue;
          const synonyms = knowledge.synonyms(words.words[i], pos);
          if (synonyms.length) candidates.push({ at: i, synonyms });
        }
      }
      return candidates;
    },
  };
}

/** Whether a word is said in the answer: itself, or a piece of it ("thank-you" when the answer says "thank you"). */
function inAnswer(lower: string, answer: ReadonlySet<string>): boolean {
  if (answer.has(lower)) return true;
  return /[-'’]/.test(lower) && lower.split(/[-'’]/).some((piece) => piece !== '' && answer.has(piece));
}

/** A copy of words an operation may change. */
export function copyWords(w: Words): Words {
  return { words: w.words.slice(), gaps: w.gaps.slice(), origin: w.origin.slice(), changed: w.changed.slice() };
}
