import { isProtectedWord } from './stopwords';
import { gluedWords, splitWords, type Words } from './words';

/**
 * What the operations need to know about a text, worked out once per text rather than once per
 * operation and variant: its words, which of them must stay, and which have synonyms.
 */

/** Synonyms of a lower-case word (WordNet in the hosts); an empty list when it has none. */
export type SynonymProvider = (word: string) => readonly string[];

/** Synonym and stopword knowledge for one run; synonym lists are looked up and filtered once per word. */
export class WordKnowledge {
  private readonly cache = new Map<string, readonly string[]>();

  constructor(private readonly provider: SynonymProvider, readonly stopwords: ReadonlySet<string>) {}

  /** Synonyms of a word that differ from it (case aside). */
  synonyms(word: string): readonly string[] {
    const lower = word.toLowerCase();
    let list = this.cache.get(lower);
    if (!list) {
      const raw = this.provider(lower);
      list = raw.some((s) => s.toLowerCase() === lower) ? raw.filter((s) => s.toLowerCase() !== lower) : raw;
      this.cache.set(lower, list);
    }
    return list;
  }
}

export interface Candidate {
  at: number;
  synonyms: readonly string[];
}

export interface PreparedText {
  text: string;
  /** The words and gaps; operations work on a copy (`copyWords`). */
  words: Words;
  /** Pieces of glued tokens (e-mails, URLs): never moved, removed or split by an insertion. */
  glued: boolean[];
  /** Words that must stay as they are: glued pieces, stopwords, negations, numbers. */
  locked: boolean[];
  /** Unlocked words with synonyms (worked out on first use: only sr and ri need them). */
  candidates(): Candidate[];
}

export function prepareText(text: string, knowledge: WordKnowledge): PreparedText {
  const words = splitWords(text);
  const glued = gluedWords(words);
  const locked = words.words.map((w, i) => glued[i] || isProtectedWord(w, knowledge.stopwords));
  let candidates: Candidate[] | undefined;
  return {
    text, words, glued, locked,
    candidates() {
      if (!candidates) {
        candidates = [];
        for (let i = 0; i < words.words.length; i++) {
          if (locked[i]) continue;
          const synonyms = knowledge.synonyms(words.words[i]);
          if (synonyms.length) candidates.push({ at: i, synonyms });
        }
      }
      return candidates;
    },
  };
}

/** A copy of words an operation may change. */
export function copyWords(w: Words): Words {
  return { words: w.words.slice(), gaps: w.gaps.slice(), origin: w.origin.slice(), changed: w.changed.slice() };
}
