/**
 * Types for the two `natural` modules the engine imports by path. Importing `natural` as a whole would
 * load WordNet, classifiers and storage back-ends (file and database I/O); these two are plain JS.
 */
declare module 'natural/lib/natural/tokenizers/regexp_tokenizer' {
  export class RegexpTokenizer {
    constructor(options?: { pattern?: RegExp; gaps?: boolean; discardEmpty?: boolean });
    tokenize(text: string): string[];
  }
  export class WordTokenizer extends RegexpTokenizer {}
}

declare module 'natural/lib/natural/util/stopwords' {
  export const words: string[];
}
