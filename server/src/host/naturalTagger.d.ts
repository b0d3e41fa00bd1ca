/** Types for natural's Brill part-of-speech tagger, imported by path (see host/wordnet.ts). */
declare module 'natural/lib/natural/brill_pos_tagger' {
  export class Lexicon {
    constructor(language: 'EN' | 'DU', defaultCategory: string, defaultCategoryCapitalised?: string);
    /** The word's categories, from the lexicon (its lower-case form when the word is not there), else the defaults. */
    tagWord(word: string): string[];
  }
  export class RuleSet {
    constructor(language: 'EN' | 'DU');
    getRules(): unknown[];
  }
  export class BrillPOSTagger {
    constructor(lexicon: Lexicon, ruleSet: RuleSet);
    tag(words: string[]): { taggedWords: { token: string; tag: string }[] };
  }
}
