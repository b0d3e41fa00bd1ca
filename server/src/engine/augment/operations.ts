import { randomIndex, shuffle, type Random } from '../seededRandom';
import { copyWords, type PreparedText } from './preparedText';
import { opensSentence } from './protect';
import { hasUnspacedScript, insertWords, joinWords, matchCase, removeWords, unspacedAt, type TextSpan, type Words } from './words';

/**
 * The EDA operations (Wei & Zou, 2019) on one text. Each returns the changed text with the spans to
 * highlight, or the reason it cannot change this text, so "could not augment" is always explained.
 */

/** sr synonym replacement · ri random insertion · rs random swap · rd random deletion · ss sentence shuffle. */
export type AugmentOperation = 'sr' | 'ri' | 'rs' | 'rd' | 'ss';

/** The operations in their usual order. */
export const ALL_OPERATIONS: AugmentOperation[] = ['sr', 'ri', 'rs', 'rd', 'ss'];

export const AUGMENT_OPERATIONS: Record<AugmentOperation, string> = {
  sr: 'synonym replacement',
  ri: 'random insertion',
  rs: 'random swap',
  rd: 'random deletion',
  ss: 'sentence shuffle',
};

export type { SynonymProvider } from './preparedText';

export interface OperationContext {
  random: Random;
  /** Share of the words to change (sr, ri, rs) or chance of deleting each word (rd). */
  alpha: number;
}

export interface ChangedText {
  text: string;
  /** Spans in the new text of replaced, inserted, swapped or moved words. */
  changed: TextSpan[];
  /** Spans in the original text of deleted words. */
  removed: TextSpan[];
}

export type OperationResult = ChangedText | { reason: string };

export const OPERATIONS: Record<AugmentOperation, (prepared: PreparedText, ctx: OperationContext) => OperationResult> = {
  sr: replaceWithSynonyms,
  ri: insertSynonyms,
  rs: swapWords,
  rd: deleteWords,
  ss: shuffleSentences,
};

/** No thesaurus ships for unspaced scripts (see the README): said plainly rather than as a missing synonym. */
export const NO_THESAURUS = 'no thesaurus for Chinese, Japanese or Thai words: only swap, deletion and sentence shuffle change them';

function noSynonymReason(p: PreparedText, what: string): string {
  return hasUnspacedScript(p.text) ? NO_THESAURUS : `no word outside the stopwords has a synonym${what}`;
}

/** How many words an operation touches: α of them, at least one (as EDA does). */
const howMany = (alpha: number, words: number) => Math.max(1, Math.floor(alpha * words));

function finish(original: string, w: Words, removed: TextSpan[] = []): OperationResult {
  const { text, changed } = joinWords(w);
  return text === original ? { reason: 'the result was the same text' } : { text, changed, removed };
}

function replaceWithSynonyms(p: PreparedText, ctx: OperationContext): OperationResult {
  const candidates = p.candidates().slice();
  if (!candidates.length) return { reason: p.words.words.length ? noSynonymReason(p, '') : 'the text has no words' };
  const w = copyWords(p.words);
  shuffle(candidates, ctx.random);
  for (const { at, synonyms } of candidates.slice(0, howMany(ctx.alpha, w.words.length))) {
    w.words[at] = matchCase(w.words[at], synonyms[randomIndex(ctx.random, synonyms.length)]);
    w.changed[at] = true;
  }
  return finish(p.text, w);
}

function insertSynonyms(p: PreparedText, ctx: OperationContext): OperationResult {
  const candidates = p.candidates();
  const n = p.words.words.length;
  if (!candidates.length) return { reason: n ? noSynonymReason(p, ' to insert') : 'the text has no words' };
  // Never before the first word (the capitalised opening stays the opening), nor inside a glued token.
  // Nor beside a protected word: "French" + "people", "21st" + "of May" would change what they say.
  const places: number[] = [];
  for (let at = 1; at <= n; at++) {
    if (p.fixed[at - 1] || (at < n && p.fixed[at])) continue;
    if (at === n || /\s/.test(p.words.gaps[at]) || unspacedAt(p.words, at)) places.push(at);
  }
  if (!places.length) return { reason: 'no place to insert a word away from protected words' };
  const inserts = Array.from({ length: howMany(ctx.alpha, n) }, () => {
    const { synonyms } = candidates[randomIndex(ctx.random, candidates.length)];
    return { at: places[randomIndex(ctx.random, places.length)], word: synonyms[randomIndex(ctx.random, synonyms.length)] };
  });
  return finish(p.text, insertWords(p.words, inserts));
}

function swapWords(p: PreparedText, ctx: OperationContext): OperationResult {
  const n = p.words.words.length;
  if (n < 2) return { reason: 'fewer than two words to swap' };
  const w = copyWords(p.words);
  const movable = w.words.map((_, i) => i).filter((i) => !p.fixed[i]);
  const lower = w.words.map((x) => x.toLowerCase());
  if (movable.length < 2) return { reason: 'fewer than two words that can move (names, numbers, quoted or answer words stay)' };
  if (movable.every((i) => lower[i] === lower[movable[0]])) return { reason: 'every word is the same' };
  for (let k = howMany(ctx.alpha, n); k > 0; k--) {
    // Swapping two equal words changes nothing: draw again (a few times) for a pair that differs.
    for (let tries = 0; tries < 10; tries++) {
      const i = movable[randomIndex(ctx.random, movable.length)];
      const j = movable[randomIndex(ctx.random, movable.length)];
      if (w.words[i].toLowerCase() === w.words[j].toLowerCase()) continue;
      const [capitalI, capitalJ] = [startsUpper(w.words[i]), startsUpper(w.words[j])];
      [w.words[i], w.words[j]] = [w.words[j], w.words[i]];
      w.changed[i] = w.changed[j] = true;
      // A sentence's capitalised opening word moved inside a sentence loses its capital, and the word taking its place gets it.
      const [opensI, opensJ] = [opensSentence(w, i), opensSentence(w, j)];
      if (opensI && capitalI && !opensJ) sentenceCase(w, i, j);
      else if (opensJ && capitalJ && !opensI) sentenceCase(w, j, i);
      break;
    }
  }
  return finish(p.text, w);
}

function startsUpper(word: string): boolean {
  return word[0] !== word[0].toLowerCase();
}

/** After a swap between a capitalised sentence opening (at `opening`) and a word inside a sentence (at `inside`): the opening gets the capital, the moved Title-case word (never "I"; names never move) loses it. */
function sentenceCase(w: Words, opening: number, inside: number): void {
  const first = w.words[opening];
  const moved = w.words[inside];
  if (first[0] === first[0].toLowerCase() && first[0] !== first[0].toUpperCase()) w.words[opening] = first[0].toUpperCase() + first.slice(1);
  if (moved !== 'I' && startsUpper(moved) && moved.slice(1) === moved.slice(1).toLowerCase()) w.words[inside] = moved[0].toLowerCase() + moved.slice(1);
}

function deleteWords(p: PreparedText, ctx: OperationContext): OperationResult {
  const n = p.words.words.length;
  if (n < 2) return { reason: 'one word only: nothing can be deleted' };
  const w = copyWords(p.words);
  const deletable = w.words.map((_, i) => i).filter((i) => !p.locked[i]);
  if (!deletable.length) return { reason: 'every word is a stopword, a number, a name, part of a longer token or a word that must stay' };
  let chosen = deletable.filter(() => ctx.random() < ctx.alpha);
  // EDA may delete nothing; one deletion is forced so the row changes, and one word always stays.
  if (!chosen.length) chosen = [deletable[randomIndex(ctx.random, deletable.length)]];
  if (chosen.length === n) chosen.splice(randomIndex(ctx.random, n), 1);
  const removed = chosen.map((i) => ({ start: w.origin[i], end: w.origin[i] + w.words[i].length }));
  return finish(p.text, removeWords(w, chosen), removed);
}

/**
 * Sentence ends: terminal punctuation, optional closing quotes or brackets, then whitespace; or
 * Chinese/Japanese full stops (。！？), which need no space after them.
 */
const SENTENCE_END = /(?:[.!?…]+["'”’)\]]*(\s+)|[。！？]+[”’」』）)]*(\s*))(?=\S)/g;

function shuffleSentences(p: PreparedText, ctx: OperationContext): OperationResult {
  const text = p.text;
  const lead = /^\s*/.exec(text)![0];
  const body = text.slice(lead.length).trimEnd();
  const trail = text.slice(lead.length + body.length);
  const sentences: string[] = [];
  const separators: string[] = [];
  let start = 0;
  for (const m of body.matchAll(SENTENCE_END)) {
    const separator = m[1] ?? m[2];
    sentences.push(body.slice(start, m.index! + m[0].length - separator.length));
    separators.push(separator);
    start = m.index! + m[0].length;
  }
  sentences.push(body.slice(start));
  if (sentences.length < 2) return { reason: 'one sentence only' };
  if (sentences.every((s) => s === sentences[0])) return { reason: 'every sentence is the same' };
  const order = sentences.map((_, i) => i);
  let moved = false;
  for (let tries = 0; tries < 10 && !moved; tries++) {
    shuffle(order, ctx.random);
    moved = order.some((o, i) => sentences[o] !== sentences[i]);
  }
  // A rotation by one changes any sequence that is not all one sentence.
  if (!moved) order.forEach((_, i) => (order[i] = (i + 1) % order.length));
  let out = lead;
  const changed: TextSpan[] = [];
  order.forEach((o, i) => {
    if (sentences[o] !== sentences[i]) changed.push({ start: out.length, end: out.length + sentences[o].length });
    out += sentences[o] + (i < separators.length ? separators[i] : '');
  });
  return { text: out + trail, changed, removed: [] };
}
