import { randomIndex, shuffle, type Random } from '../seededRandom';
import { copyWords, type PreparedText } from './preparedText';
import { opensSentence } from './protect';
import { hasUnspacedScript, insertWords, joinWords, matchCase, removeWords, unspacedAt, type TextSpan, type Words } from './words';

/**
 * The EDA operations (Wei & Zou, 2019) on one text. Each returns the changed text with the spans to
 * highlight, or the reason it cannot change this text, so "could not augment" is always explained.
 */

/**
 * sr synonym replacement · ri random insertion · rs random swap · rd random deletion · ss sentence
 * shuffle (EDA) · cn character noise · cp copy (oversampling: the row as it is) · bt back-translation
 * and pp paraphrase (a model's rewrite the host fetched: see Rewrites).
 */
export type AugmentOperation = 'sr' | 'ri' | 'rs' | 'rd' | 'ss' | 'cn' | 'cp' | 'bt' | 'pp';

/** The operations in their usual order. */
export const ALL_OPERATIONS: AugmentOperation[] = ['sr', 'ri', 'rs', 'rd', 'ss', 'cn', 'cp', 'bt', 'pp'];

/** The operations used when none is named: EDA's five (the others are asked for by name). */
export const DEFAULT_OPERATIONS: AugmentOperation[] = ['sr', 'ri', 'rs', 'rd', 'ss'];

/** Operations whose text comes from a model the user runs (the host fetches it before augmenting). */
export const MODEL_OPERATIONS: readonly AugmentOperation[] = ['bt', 'pp'];

export const AUGMENT_OPERATIONS: Record<AugmentOperation, string> = {
  sr: 'synonym replacement',
  ri: 'random insertion',
  rs: 'random swap',
  rd: 'random deletion',
  ss: 'sentence shuffle',
  cn: 'character noise',
  cp: 'copy (oversampling)',
  bt: 'back-translation',
  pp: 'paraphrase',
};

/** A model's rewrite of a text for bt or pp (undefined when it has none: not asked, or the request failed). */
export type Rewrites = (op: 'bt' | 'pp', text: string) => string | undefined;

export type { SynonymProvider } from './preparedText';

export interface OperationContext {
  random: Random;
  /** Share of the words to change (sr, ri, rs), chance of deleting each word (rd) or of changing each letter (cn). */
  alpha: number;
  /** The model's rewrites (bt, pp). */
  rewrites?: Rewrites;
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
  cn: characterNoise,
  cp: (p) => ({ text: p.text, changed: [], removed: [] }),
  bt: (p, ctx) => rewritten('bt', p, ctx),
  pp: (p, ctx) => rewritten('pp', p, ctx),
};

/** Neighbours of each letter on a QWERTY keyboard (a typo hits one of them). */
const KEYBOARD: Record<string, string> = {
  q: 'wa', w: 'qeas', e: 'wrsd', r: 'etdf', t: 'ryfg', y: 'tugh', u: 'yihj', i: 'uojk', o: 'ipkl', p: 'ol',
  a: 'qwsz', s: 'awedxz', d: 'serfcx', f: 'drtgvc', g: 'ftyhbv', h: 'gyujnb', j: 'huikmn', k: 'jiolm', l: 'kop',
  z: 'asx', x: 'zsdc', c: 'xdfv', v: 'cfgb', b: 'vghn', n: 'bhjm', m: 'njk',
};

/**
 * Character noise: typos in words that may change (never a protected span, a name, a number, a
 * stopword or negation, an answer or label word): each letter, with chance α, is replaced by a
 * keyboard neighbour, dropped, doubled or swapped with the next one. At least one typo is made.
 */
function characterNoise(p: PreparedText, ctx: OperationContext): OperationResult {
  const eligible = p.words.words.map((_, i) => i).filter((i) => !p.locked[i] && !p.glued[i] && /^\p{L}{3,}$/u.test(p.words.words[i]));
  if (!eligible.length) return { reason: 'no word of three letters or more that may change' };
  const w = copyWords(p.words);
  let typos = 0;
  const typo = (i: number, at: number) => {
    const chars = [...w.words[i]];
    const c = chars[at];
    const lower = c.toLowerCase();
    const kind = randomIndex(ctx.random, 4);
    if (kind === 0 && KEYBOARD[lower]) {
      const n = KEYBOARD[lower][randomIndex(ctx.random, KEYBOARD[lower].length)];
      chars[at] = c === lower ? n : n.toUpperCase();
    } else if (kind === 1 && chars.length > 3) chars.splice(at, 1);
    else if (kind === 3 && at + 1 < chars.length && chars[at + 1] !== c) [chars[at], chars[at + 1]] = [chars[at + 1], chars[at]];
    else chars.splice(at, 0, c);
    w.words[i] = chars.join('');
    w.changed[i] = true;
    typos++;
  };
  for (const i of eligible) {
    const length = [...w.words[i]].length;
    // The first letter stays: a reader (and a model) recognises a word by its start.
    for (let at = length - 1; at >= 1; at--) if (ctx.random() < ctx.alpha) typo(i, at);
  }
  if (!typos) {
    const i = eligible[randomIndex(ctx.random, eligible.length)];
    typo(i, 1 + randomIndex(ctx.random, [...w.words[i]].length - 1));
  }
  return finish(p.text, w);
}

/**
 * The model's rewrite of a text (bt, pp), kept only when every protected word of the original (a
 * name, a number, a quoted or code span, a date, an answer word) is still in it, as it was.
 */
function rewritten(op: 'bt' | 'pp', p: PreparedText, ctx: OperationContext): OperationResult {
  const text = ctx.rewrites?.(op, p.text);
  if (text === undefined) return { reason: 'the model gave no rewrite of this text' };
  const out = text.trim();
  if (!out || out === p.text.trim()) return { reason: 'the model gave back the same text' };
  const missing = p.words.words.filter((word, i) => p.fixed[i] && !p.glued[i] && !out.includes(word));
  if (missing.length) return { reason: `the model's rewrite lost or changed ${missing.slice(0, 3).map((m) => `"${m}"`).join(', ')}` };
  return { text: out, changed: out.length ? [{ start: 0, end: out.length }] : [], removed: [] };
}

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
