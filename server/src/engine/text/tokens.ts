import { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/encodingParams/constants';
import { O200kCounter } from './o200k';
import { isAsciiRange, preTokenEnd } from './asciiPreTokens';

/**
 * Token counts with the o200k BPE (GPT-4o's), offline. Exact counting costs ~14 µs per 300
 * characters, so the engine counts exactly only where a count decides a finding: a text's token
 * count never exceeds its UTF-8 byte length, so texts with fewer bytes than a limit are under it.
 *
 * The BPE merges each pre-token (a word, a number, a run of symbols) in time quadratic in its
 * length, and a pre-token has no bound: a base64 blob, a CJK paragraph or a run of one letter is
 * one. So texts are never given to it whole but in pieces (see pieceEnd): cut where the o200k
 * pre-tokenizer itself splits, which changes no count, and, inside a run with no such place, every
 * RUN_CHARS characters, which makes the count of that run an approximation (measured within 0.3%).
 */

let o200k: O200kCounter | undefined;

/**
 * The counter, loaded on the first exact count: its rank table is 3.6 MB (see o200k.ts), which a run
 * that never counts exactly (most rows are far under any limit) should not read at start-up. The
 * table's module is dist/tokenizer.js in the bundles (see scripts/build.mjs).
 */
function encoding(): O200kCounter {
  o200k ??= new O200kCounter((require('./o200kTable') as typeof import('./o200kTable')).table);
  return o200k;
}

/**
 * Counts of pre-tokens seen before (the words, numbers and runs of symbols the o200k pattern splits
 * a text into, up to PRE_TOKEN_CACHE_CHARS long), emptied when full. The tokenizer finds a
 * vocabulary word with one lookup, but merges a word that is no token byte pair by byte pair
 * (~5 µs): on long prose rows, the 13% of words that need merging took two thirds of the time.
 * Words repeat, so their counts are remembered (#22).
 *
 * An open-addressing table keyed by a pre-token's code units, looked up in place (the text is not
 * cut into strings to ask a Map): a pre-token's units are kept in one array (`units`), so that no
 * entry holds on to the text it came from.
 */
const PRE_TOKEN_CACHE_SIZE = 65_536;
const PRE_TOKEN_CACHE_CHARS = 48;
const SLOTS = PRE_TOKEN_CACHE_SIZE * 2;
class PreTokenCounts {
  private readonly hashes = new Int32Array(SLOTS);
  /** Where an entry's units start in `units`, + 1 (0: an empty slot). */
  private readonly at = new Int32Array(SLOTS);
  private readonly lengths = new Uint8Array(SLOTS);
  private readonly counts = new Int32Array(SLOTS);
  private readonly units = new Uint16Array(PRE_TOKEN_CACHE_SIZE * 16);
  private used = 0;
  private entries = 0;

  /** The count of text[start, end) (at most PRE_TOKEN_CACHE_CHARS units), counted by `count` on its first sight. */
  get(text: string, start: number, end: number, count: (text: string, start: number, end: number) => number): number {
    const n = end - start;
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    let slot = h & (SLOTS - 1);
    for (; ; slot = (slot + 1) & (SLOTS - 1)) {
      const at = this.at[slot];
      if (at === 0) break;
      if (this.hashes[slot] !== h || this.lengths[slot] !== n) continue;
      let i = 0;
      while (i < n && this.units[at - 1 + i] === text.charCodeAt(start + i)) i++;
      if (i === n) return this.counts[slot];
    }
    const tokens = count(text, start, end);
    if (this.entries >= PRE_TOKEN_CACHE_SIZE || this.used + n > this.units.length) {
      this.at.fill(0);
      this.entries = 0;
      this.used = 0;
      slot = h & (SLOTS - 1);
    }
    for (let i = 0; i < n; i++) this.units[this.used + i] = text.charCodeAt(start + i);
    this.hashes[slot] = h;
    this.at[slot] = this.used + 1;
    this.lengths[slot] = n;
    this.counts[slot] = tokens;
    this.used += n;
    this.entries++;
    return tokens;
  }
}

let preTokenCounts: PreTokenCounts | undefined;

/**
 * Counts of ASCII pre-tokens of up to SHORT_CHARS characters (99% of English prose's), keyed by
 * their characters packed seven bits each into three 32-bit lanes with the length on top: a key
 * is made in one pass and compared in three, where PreTokenCounts hashes and then compares the
 * characters one by one.
 *
 * A key's hash picks a bucket of WAYS entries (lanes and count side by side, so a bucket is 64
 * bytes: one or two cache lines); a new key takes an empty entry, else the bucket's next in turn.
 * So a flood of keys seen once (a base64 blob's pieces, ids, numbers) pushes out entries one at a
 * time and a word that keeps coming back stays, where emptying the whole table when full made
 * every word of the prose that followed a blob a miss again.
 */
const SHORT_CHARS = 12;
const WAYS = 4;
const BUCKETS = 8192;
class ShortPreTokenCounts {
  /** Per entry: lane 0 (the length in its top four bits, so never 0 in a filled entry: 0 marks an empty one), lanes 1 and 2, the count. */
  private readonly entries = new Int32Array(BUCKETS * WAYS * 4);
  /** Per bucket, the entry a new key replaces when all are filled. */
  private readonly next = new Uint8Array(BUCKETS);

  /** The count of the ASCII pre-token text[start, end) (2 to SHORT_CHARS units). */
  get(text: string, start: number, end: number): number {
    let k0 = 0;
    let k1 = 0;
    let k2 = 0;
    let i = start;
    for (const e = start + 4 < end ? start + 4 : end; i < e; i++) k0 = (k0 << 7) | text.charCodeAt(i);
    for (const e = start + 8 < end ? start + 8 : end; i < e; i++) k1 = (k1 << 7) | text.charCodeAt(i);
    for (; i < end; i++) k2 = (k2 << 7) | text.charCodeAt(i);
    return this.lookUp(k0 | ((end - start) << 28), k1, k2, text, start, end);
  }

  /**
   * The count of the word at text[start, ..) (capitals then small letters, after at most one space)
   * when it is a whole pre-token of up to SHORT_CHARS characters: read once, its key packed as it is
   * read, where preTokenEnd finds its end and get reads it again. The commonest pre-token of prose.
   * Sets `wordEnd` to its end; -1 with nothing counted when the text there is no such word (a digit,
   * a symbol, a contraction, a longer word): the caller goes the general way.
   */
  lowerWord(text: string, start: number, end: number): number {
    let i = start;
    let c = text.charCodeAt(i);
    let k0 = 0;
    if (c === 32) {
      if (++i === end) return -1;
      k0 = 32;
      c = text.charCodeAt(i);
    }
    // Capitals, then small letters: A1 or A2 of the pattern (see asciiPreTokens.ts), either way the
    // longest such run.
    let capitals = c >= 65 && c <= 90;
    if (!capitals && (c < 97 || c > 122)) return -1;
    let k1 = 0;
    let k2 = 0;
    const stop = start + SHORT_CHARS < end ? start + SHORT_CHARS : end;
    // c is the letter at i: packed into the lane get would put it in, four characters a lane.
    // (Never read at `end`: past the text's end it would be NaN, and c a double from then on.)
    for (;;) {
      const at = i - start;
      if (at < 4) k0 = (k0 << 7) | c;
      else if (at < 8) k1 = (k1 << 7) | c;
      else k2 = (k2 << 7) | c;
      if (++i === end) break;
      c = text.charCodeAt(i);
      if (c >= 97 && c <= 122) capitals = false;
      else if (!capitals || c < 65 || c > 90) break;
      if (i === stop) return -1;
    }
    // A word ends at its last letter (a capital after a small letter starts the next pre-token),
    // unless a contraction ('s, 're…) goes with it.
    if (i < end && c === 39) return -1;
    wordEnd = i;
    return i - start === 1 ? 1 : this.lookUp(k0 | ((i - start) << 28), k1, k2, text, start, i);
  }

  /** The count of the pre-token text[start, end) whose packed key is k0 (with its length), k1, k2. */
  private lookUp(k0: number, k1: number, k2: number, text: string, start: number, end: number): number {
    let h = Math.imul(k0 ^ Math.imul(k1, 0x9e3779b1) ^ Math.imul(k2, 0x85ebca6b), 0x01000193);
    h ^= h >>> 15;
    const bucket = h & (BUCKETS - 1);
    const entries = this.entries;
    const first = bucket * WAYS * 4;
    let empty = -1;
    for (let at = first; at < first + WAYS * 4; at += 4) {
      const held = entries[at];
      if (held === k0 && entries[at + 1] === k1 && entries[at + 2] === k2) return entries[at + 3];
      if (held === 0 && empty < 0) empty = at;
    }
    const tokens = countAsciiPreToken(text, start, end);
    let at = empty;
    if (at < 0) {
      at = first + this.next[bucket] * 4;
      this.next[bucket] = (this.next[bucket] + 1) & (WAYS - 1);
    }
    entries[at] = k0;
    entries[at + 1] = k1;
    entries[at + 2] = k2;
    entries[at + 3] = tokens;
    return tokens;
  }
}

/**
 * Counts of pre-tokens of over PRE_TOKEN_CACHE_CHARS (up to LONG_CHARS) characters: a separator line,
 * a run of one letter (base64 of zeros: AAAA…), a repeated symbol, cut into runs of RUN_CHARS. The merge
 * takes 25-90 µs for such a run, and rows repeat them (the same line of "=" under every heading), so
 * a few are kept, one per slot by their hash, their units copied (no entry holds on to its text).
 * Pre-tokens seen once (a hex chain's runs) replace each other in the slots at the cost of the copy.
 */
const LONG_SLOTS = 64;
const LONG_CHARS = 512;
class LongPreTokenCounts {
  private readonly hashes = new Int32Array(LONG_SLOTS);
  /** Length of each slot's pre-token (0: an empty slot). */
  private readonly lengths = new Int32Array(LONG_SLOTS);
  private readonly counts = new Int32Array(LONG_SLOTS);
  private readonly units = new Uint16Array(LONG_SLOTS * LONG_CHARS);

  /** The count of text[start, end) (PRE_TOKEN_CACHE_CHARS to LONG_CHARS units), counted by `count` when not held. */
  get(text: string, start: number, end: number, count: (text: string, start: number, end: number) => number): number {
    const n = end - start;
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const slot = (h ^ (h >>> 16)) & (LONG_SLOTS - 1);
    const at = slot * LONG_CHARS;
    if (this.lengths[slot] === n && this.hashes[slot] === h) {
      let i = 0;
      while (i < n && this.units[at + i] === text.charCodeAt(start + i)) i++;
      if (i === n) return this.counts[slot];
    }
    const tokens = count(text, start, end);
    for (let i = 0; i < n; i++) this.units[at + i] = text.charCodeAt(start + i);
    this.hashes[slot] = h;
    this.lengths[slot] = n;
    this.counts[slot] = tokens;
    return tokens;
  }
}

let longCounts: LongPreTokenCounts | undefined;

/** A pre-token's count through the cache for its length: PreTokenCounts, LongPreTokenCounts, or none past LONG_CHARS. */
function countCached(text: string, start: number, end: number, count: (text: string, start: number, end: number) => number): number {
  const n = end - start;
  if (n <= PRE_TOKEN_CACHE_CHARS) return (preTokenCounts ??= new PreTokenCounts()).get(text, start, end, count);
  if (n <= LONG_CHARS) return (longCounts ??= new LongPreTokenCounts()).get(text, start, end, count);
  return count(text, start, end);
}

let shortCounts: ShortPreTokenCounts | undefined;
/** Where the word ShortPreTokenCounts.lowerWord counted ends. */
let wordEnd = 0;
const countAsciiPreToken = (text: string, start: number, end: number) => encoding().countAsciiPreToken(text, start, end);
const countPreToken = (text: string, start: number, end: number) => encoding().countPreToken(start === 0 && end === text.length ? text : text.slice(start, end));

/**
 * The o200k count of text[start, end): the sum of its pre-tokens' counts, as the tokenizer counts it
 * (its own split pattern, applied to text[start, end) alone; a pre-token alone is one pre-token
 * again, so counting it alone gives its share; special-token text such as <|endoftext|> is plain
 * text here, as `options` says to the tokenizer). ASCII text is split without the pattern
 * (asciiPreTokens.ts).
 */
function countText(text: string, start: number, end: number, ascii: boolean): number {
  let tokens = 0;
  if (ascii || isAsciiRange(text, start, end)) {
    const short = (shortCounts ??= new ShortPreTokenCounts());
    for (let i = start; i < end; ) {
      const word = short.lowerWord(text, i, end);
      if (word >= 0) {
        tokens += word;
        i = wordEnd;
        continue;
      }
      const j = preTokenEnd(text, i, end);
      // One ASCII character (a space, a full stop, a line break) is one token: no lookup.
      if (j - i === 1) tokens++;
      else if (j - i <= SHORT_CHARS) tokens += short.get(text, i, j);
      else tokens += countCached(text, i, j, countAsciiPreToken);
      i = j;
    }
    return tokens;
  }
  // match() of a global pattern gives the matched strings alone: matchAll made an array with an index
  // and groups for each of them.
  const pieces = (start === 0 && end === text.length ? text : text.slice(start, end)).match(O200K_TOKEN_SPLIT_REGEX) ?? [];
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k];
    if (piece.length === 1 && piece.charCodeAt(0) < 128) tokens++;
    else tokens += countCached(piece, 0, piece.length, countPreToken);
  }
  return tokens;
}

/** Whether the tokenizer is loaded (a host that defers calibration asks before it analyzes). */
export function tokenizerLoaded(): boolean {
  return o200k !== undefined;
}

/** Loads the tokenizer now, e.g. when the editor is idle after publishing diagnostics. */
export function loadTokenizer(): void {
  encoding();
}

/** The o200k token count of a text, counted piece by piece: exact but for runs of over RUN_CHARS without a break. */
export function countTokens(text: string): number {
  return countPieces(text, text.length, Infinity, false).tokens;
}

/**
 * Longest stretch without a pre-token break given to the BPE (characters): its merge loop is quadratic
 * in it, but costs ~1 µs a character up to a thousand or so. A multiple of 3 and of 128, so a run of
 * digits (grouped by threes) or of one space, newline or letter (o200k has tokens of 128 spaces and
 * of 8 letters "a") is cut where its tokens end anyway.
 */
export const RUN_CHARS = 384;

/** Most characters given to the tokenizer in one call: a piece ends at the last break before this. */
export const PIECE_CHARS = 2048;

/**
 * Characters counted exactly before a count that has passed its limit may stop: past them the rest
 * of the text is estimated from its bytes at the ratio of the part counted. The limit is decided
 * exactly; only the size of a text this long is estimated.
 */
export const EXACT_CHARS = 64 * 1024;

/**
 * Characters a count against a limit goes on to once the limit is passed (the verdict is then
 * known): past them the rest is estimated, as past EXACT_CHARS. Counting a 50 KB base64 blob in
 * full to say it is over 2,048 tokens took most of a check's time on data with such rows (#22).
 */
export const VERDICT_CHARS = 8 * 1024;

/**
 * The last texts counted and how far: the rules count a row's texts against two limits (too-long's
 * and token-limit's), and the second count goes on from where the first stopped.
 */
/** Per remembered text, where each counted piece ends and the count up to there. */
const counts: { text: string; ends: number[]; tokens: number[] }[] = [];
const REMEMBERED = 4;

/** What was given to the tokenizer, for tests and the bench: pieces, their characters, the longest piece. */
export const pieceStats = { pieces: 0, characters: 0, longest: 0 };

/** Character classes that decide where the o200k pre-tokenizer splits (see isBreak). */
const enum Kind { Space, OtherSpace, Letter, Mark, Digit, Apostrophe, Other }

/** The kind of each ASCII character; others are looked up with Unicode property regexes. */
const ASCII_KINDS = new Uint8Array(128).map((_, c) =>
  c === 32 ? Kind.Space
    : (c >= 9 && c <= 13) ? Kind.OtherSpace
      : (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? Kind.Letter
        : c >= 48 && c <= 57 ? Kind.Digit
          : c === 39 ? Kind.Apostrophe : Kind.Other);

const LETTER = /\p{L}/uy;
const MARK = /\p{M}/uy;
const DIGIT = /\p{N}/uy;
const SPACE = /\s/uy;

/** The kind of the code point at `i`, whose first UTF-16 unit is `c`. */
function kindAt(text: string, i: number, c: number): Kind {
  if (c < 128) return ASCII_KINDS[c];
  if (matchesAt(LETTER, text, i)) return Kind.Letter;
  if (matchesAt(DIGIT, text, i)) return Kind.Digit;
  if (matchesAt(MARK, text, i)) return Kind.Mark;
  return matchesAt(SPACE, text, i) ? Kind.OtherSpace : Kind.Other;
}

/** Whether a sticky one-character regex matches at `i` (tested in place, without a substring). */
function matchesAt(re: RegExp, text: string, i: number): boolean {
  re.lastIndex = i;
  return re.test(text);
}

/**
 * Whether the o200k pre-tokenizer splits between a character of kind `prev` and one of kind `next`
 * whatever surrounds them, so that counting the text on either side apart gives the same tokens.
 * Its pattern (gpt-tokenizer's O200K_TOKEN_SPLIT_PATTERN) matches letters and marks only in words,
 * which a contraction ('s, 'll) may end; digits only in groups of up to three from the run's start;
 * and takes a space only as the first character of a pre-token. So: after a letter, before
 * anything that continues no word; after a digit, before anything but a digit; and before a space
 * after anything but whitespace.
 */
function isBreak(prev: Kind, next: Kind): boolean {
  if (prev === Kind.Letter) return next !== Kind.Letter && next !== Kind.Mark && next !== Kind.Apostrophe;
  if (prev === Kind.Digit) return next !== Kind.Digit;
  return next === Kind.Space && prev !== Kind.OtherSpace && prev !== Kind.Space;
}

const KINDS = Kind.Other + 1;
/** isBreak of every pair of kinds, at prev * KINDS + next: pieceEnd reads one per character. */
const BREAKS = new Uint8Array(KINDS * KINDS).map((_, k) => (isBreak(Math.floor(k / KINDS), k % KINDS) ? 1 : 0));

/**
 * The end of the piece of `text` that starts at `start` (the tokenizer counts it alone): at most
 * PIECE_CHARS long, ending at a break (isBreak), or RUN_CHARS long when that many characters pass
 * without one. A surrogate pair is never cut.
 */
export function pieceEnd(text: string, start: number): number {
  const n = text.length;
  pieceAscii = Ascii.Unknown;
  if (n - start <= RUN_CHARS) return n;
  let lastBreak = -1;
  let c = text.charCodeAt(start);
  let prev = kindAt(text, start, c);
  let ascii = c < 128;
  // The scan stops RUN_CHARS after the last break, or PIECE_CHARS after the start.
  const pieceStop = start + PIECE_CHARS;
  let stop = start + RUN_CHARS;
  for (let i = start + (c >= 0xd800 && c <= 0xdbff ? 2 : 1); i < n; ) {
    if (i >= stop) {
      pieceAscii = ascii ? Ascii.Yes : Ascii.Unknown;
      return lastBreak > start ? lastBreak : i;
    }
    c = text.charCodeAt(i);
    let kind: Kind;
    if (c < 128) kind = ASCII_KINDS[c];
    else {
      ascii = false;
      kind = kindAt(text, i, c);
    }
    if (BREAKS[prev * KINDS + kind] === 1) {
      lastBreak = i;
      stop = i + RUN_CHARS < pieceStop ? i + RUN_CHARS : pieceStop;
    }
    prev = kind;
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
  }
  pieceAscii = ascii ? Ascii.Yes : Ascii.Unknown;
  return n;
}

/**
 * pieceEnd of a text known to be ASCII only, reading little of it: in prose, a character that is no
 * whitespace followed by a space is a break every few characters (isBreak), and the spaces are found
 * with indexOf. When no two of these breaks are RUN_CHARS apart, no run is cut: the piece ends at
 * the text's end, or at the last break before PIECE_CHARS, found by reading back from there. Else
 * (a long run without spaces) pieceEnd reads the piece. Half of counting long prose was pieceEnd's
 * reading of every character (#22).
 */
function asciiPieceEnd(text: string, start: number): number {
  const n = text.length;
  pieceAscii = Ascii.Yes;
  if (n - start <= RUN_CHARS) return n;
  const limit = n < start + PIECE_CHARS ? n : start + PIECE_CHARS;
  let last = start;
  for (let p = text.indexOf(' ', start + 1); p !== -1 && p < limit; p = text.indexOf(' ', p + 1)) {
    const before = text.charCodeAt(p - 1);
    if (before === 32 || (before >= 9 && before <= 13)) continue;
    if (p - last >= RUN_CHARS) return pieceEnd(text, start);
    last = p;
  }
  if (limit - last >= RUN_CHARS) return pieceEnd(text, start);
  if (limit === n) return n;
  let next = ASCII_KINDS[text.charCodeAt(limit - 1)];
  for (let p = limit - 1; p > start; p--) {
    const prev = ASCII_KINDS[text.charCodeAt(p - 1)];
    if (BREAKS[prev * KINDS + next] === 1) return p;
    next = prev;
  }
  return limit;
}

/** What the last pieceEnd saw of its piece's characters: all ASCII, or not known (it did not read them all, or one was not). */
const enum Ascii { Unknown, Yes }
let pieceAscii = Ascii.Unknown;

/** A text's count, and how much of it the tokenizer read (the rest, when any, was not counted). */
interface PieceCount {
  tokens: number;
  /** Characters counted: the text's length unless the count stopped early. */
  counted: number;
}

/**
 * Counts `text` piece by piece until its end, or until the count passes `limit` and `stopAfter`
 * characters have been counted.
 */
function countPieces(text: string, stopAfter: number, limit: number, ascii: boolean): PieceCount {
  const stops = (tokens: number, start: number) => start >= text.length || (tokens > limit && start >= stopAfter);
  // A count remembered for this text is replayed piece by piece, so a call stops where it would have
  // stopped counting afresh (a count made further for another limit must not change this one's answer).
  const known = counts.find((c) => c.text.length === text.length && c.text === text);
  const memo = known ?? { text, ends: [] as number[], tokens: [] as number[] };
  let tokens = 0;
  let start = 0;
  for (let k = 0; k < memo.ends.length; k++) {
    if (stops(tokens, start)) return { tokens, counted: start };
    start = memo.ends[k];
    tokens = memo.tokens[k];
  }
  while (!stops(tokens, start)) {
    const end = ascii ? asciiPieceEnd(text, start) : pieceEnd(text, start);
    pieceStats.pieces++;
    pieceStats.characters += end - start;
    if (end - start > pieceStats.longest) pieceStats.longest = end - start;
    tokens += countText(text, start, end, pieceAscii === Ascii.Yes);
    start = end;
    memo.ends.push(end);
    memo.tokens.push(tokens);
  }
  // Only texts worth remembering: a short one is counted again faster than looked up.
  if (!known && start > PIECE_CHARS) {
    if (counts.length === REMEMBERED) counts.shift();
    counts.push(memo);
  }
  return { tokens, counted: start };
}

/** UTF-8 byte length without encoding (an upper bound of the token count); of s[start, end) when given. */
export function utf8Length(s: string, start = 0, end = s.length): number {
  let n = end - start;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else {
      // Three bytes, or four for a surrogate pair (two UTF-16 units); a lone surrogate becomes U+FFFD (three).
      n += 2;
      if (c >= 0xd800 && c <= 0xdbff) {
        const next = s.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
      }
    }
  }
  return n;
}

/** A text's token count as a finding states it: counted, or (a text over EXACT_CHARS) estimated past that. */
export interface TokenCount {
  tokens: number;
  /** True when only the first `counted` characters were counted (the rest estimated from its bytes). */
  estimated: boolean;
  /** Characters counted exactly. */
  counted: number;
  /** True when the counted characters were windows spread over the text (see SAMPLE_WINDOWS), not its start. */
  sampled?: boolean;
}

/**
 * A long text is first counted on SAMPLE_WINDOWS windows of WINDOW_CHARS characters spread over it;
 * when the count they give for the whole text is at least SAMPLE_MARGIN times the limit, the
 * verdict stands on them (no text tokenizes at under half the rate of four windows spread over it
 * short of being built to: a megabyte of base64 with a run of spaces at its end). Else it is counted
 * from its start. Exact counting costs ~4 µs a character on base64 blobs.
 */
const SAMPLE_WINDOWS = 4;
const WINDOW_CHARS = 1024;
const SAMPLE_MARGIN = 2;

/**
 * A text's token count, counting only as much as a verdict against `limit` needs: all of a text
 * under the limit; of one that passes it, up to the limit and at least its first VERDICT_CHARS
 * characters, the rest estimated from its `bytes` (UTF-8) at the ratio of the part counted. With
 * `limit` 0 (the calibration sample, the hover), the first EXACT_CHARS characters are counted.
 * `ascii`: the caller knows the text is ASCII only (a profile's exact byte count equals its length),
 * which spares reading its every character to find where pieces end (asciiPieceEnd).
 */
export function measureTokens(text: string, bytes: number, limit: number, ascii = false): TokenCount {
  if (limit > 0 && text.length >= 2 * VERDICT_CHARS) {
    const sample = sampledCount(text, bytes);
    if (sample.tokens >= SAMPLE_MARGIN * limit) return sample;
  }
  const { tokens, counted } = countPieces(text, limit > 0 ? VERDICT_CHARS : EXACT_CHARS, limit, ascii);
  if (counted >= text.length) return { tokens, estimated: false, counted };
  const countedBytes = utf8Length(text, 0, counted);
  return { tokens: tokens + Math.max(0, Math.round(((bytes - countedBytes) * tokens) / countedBytes)), estimated: true, counted };
}

/** A long text's token count from windows spread over it, the rest estimated from its bytes at their ratio. */
function sampledCount(text: string, bytes: number): TokenCount {
  // too-long and token-limit ask about the same text one after the other.
  if (lastSample?.text === text) return lastSample.count;
  let tokens = 0;
  let countedBytes = 0;
  let counted = 0;
  const step = Math.floor(text.length / SAMPLE_WINDOWS);
  for (let w = 0; w < SAMPLE_WINDOWS; w++) {
    let start = w * step;
    // A window starts after a surrogate pair's first half, never inside the pair.
    if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start++;
    let end = start + WINDOW_CHARS;
    if (isLowSurrogate(text.charCodeAt(end))) end++;
    for (let at = start; at < end; ) {
      const pieceStop = Math.min(pieceEnd(text, at), end);
      pieceStats.pieces++;
      pieceStats.characters += pieceStop - at;
      tokens += countText(text, at, pieceStop, pieceAscii === Ascii.Yes);
      at = pieceStop;
    }
    counted += end - start;
    countedBytes += utf8Length(text, start, end);
  }
  const count: TokenCount = { tokens: Math.round((bytes * tokens) / Math.max(1, countedBytes)), estimated: true, counted, sampled: true };
  lastSample = { text, count };
  return count;
}

let lastSample: { text: string; count: TokenCount } | undefined;

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * A text's token count for calibrating the estimator: its first EXACT_CHARS characters counted, the
 * rest (of a longer text) at their ratio; `bytes` is its UTF-8 length, or close to it.
 */
export function sampleTokenCount(text: string, bytes: number): number {
  // A ratio is all calibration takes from a text: a long one is counted on windows spread over it.
  if (text.length >= 2 * VERDICT_CHARS) return sampledCount(text, bytes).tokens;
  return measureTokens(text, bytes, 0).tokens;
}

/** The token count of a text over `limit` tokens, else undefined; counts only when bytes cannot tell. */
export function exceedsTokens(text: string, bytes: number, limit: number, ascii = false): TokenCount | undefined {
  if (bytes <= limit) return undefined;
  const count = measureTokens(text, bytes, limit, ascii);
  return count.tokens > limit ? count : undefined;
}

/**
 * Estimates token counts from UTF-8 bytes with a bytes-per-token ratio calibrated on a sample of
 * the file's own texts (exactly counted); statistics use it, findings never do.
 */
/** The exact counts behind an estimator's ratio, row by row in file order; plain data, so shards can send theirs. */
export interface TokenSample {
  bytes: number[];
  tokens: number[];
}

/** Texts counted exactly to calibrate an estimator (the first ones of the file). */
export const TOKEN_SAMPLE_SIZE = 300;

export class TokenEstimator {
  readonly sample: TokenSample = { bytes: [], tokens: [] };
  private sumBytes = 0;
  private sumTokens = 0;

  /** An estimator over the first rows of several shards' samples, taken in file order. */
  static from(...samples: TokenSample[]): TokenEstimator {
    const e = new TokenEstimator();
    for (const s of samples) {
      for (let i = 0; i < s.bytes.length && !e.full; i++) e.add(s.bytes[i], s.tokens[i]);
    }
    return e;
  }

  get full(): boolean {
    return this.sample.bytes.length >= TOKEN_SAMPLE_SIZE;
  }

  /** Adds a text's byte and exact token counts to the sample (texts of no bytes say nothing). */
  add(bytes: number, tokens: number): void {
    if (this.full || bytes === 0) return;
    this.sample.bytes.push(bytes);
    this.sample.tokens.push(tokens);
    this.sumBytes += bytes;
    this.sumTokens += tokens;
  }

  get bytesPerToken(): number {
    return this.sumTokens > 0 ? this.sumBytes / this.sumTokens : 4;
  }

  estimate(bytes: number): number {
    return Math.round(bytes / this.bytesPerToken);
  }
}
