/**
 * natural's Brill part-of-speech tagger (its English lexicon is a 4 MB JSON file) and the Pattern
 * sentiment lexicon, in a bundle of their own (dist/naturalData.js): only augmentation needs them, so
 * the CLI and the language server require it when they first tag or filter a row (host/wordnet.ts),
 * instead of parsing 5 MB at every start (see scripts/build.mjs).
 */
export { BrillPOSTagger, Lexicon, RuleSet } from 'natural/lib/natural/brill_pos_tagger';

/** The Pattern sentiment lexicon natural ships: word → ratings (polarity among them, as a string). */
export function patternSentiment(): Record<string, { polarity?: string }> {
  return require('natural/lib/natural/sentiment/English/pattern-sentiment-en.json') as Record<string, { polarity?: string }>;
}
