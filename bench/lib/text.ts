/**
 * English-like text: words drawn from a Zipf(s≈1.1) distribution over a
 * vocabulary of ~4,600 real English words (function words at the top ranks,
 * WordNet content words below), assembled into capitalised, punctuated
 * sentences. Output is pure ASCII with single spaces, so clean rows never trip
 * a noise rule by accident.
 */
import { fmix32 } from "../../server/src/engine/hash";
import { Rng, Zipf } from "./rng";
import { CONTENT_WORDS } from "./words";

/** Common English function words, most frequent first ("i" left out: it needs a capital). */
const FUNCTION_WORDS = (
  "the of and to a in is that for it as was with be by on not he this are or his from at which but " +
  "have an they you were her she there been one all we their has would when if so no will more can who its " +
  "my them him me what about than our up out some your could into only other then these do also may any like " +
  "two should most just over such because how very many those did each much where while before after again under " +
  "both same through here own off few down why once during against between without every within toward among upon " +
  "although though since until unless whether either neither nor yet still even ever never always often already " +
  "perhaps quite rather almost three four first next last"
).split(" ");

/** Ranked vocabulary: 25 top function words, then the rest interleaved with content words. */
export function buildVocabulary(): string[] {
  const seen = new Set<string>();
  const fw = FUNCTION_WORDS.filter((w) => !seen.has(w) && seen.add(w));
  const cw = CONTENT_WORDS.filter((w) => !seen.has(w) && seen.add(w));
  const vocab = fw.slice(0, 25);
  let f = 25;
  let c = 0;
  while (c < cw.length || f < fw.length) {
    if (f < fw.length && (vocab.length % 3 === 0 || c >= cw.length)) vocab.push(fw[f++]);
    else vocab.push(cw[c++]);
  }
  return vocab;
}

function mix(h: number, tok: number): number {
  return Math.imul(h ^ tok, 0x01000193) ^ (h >>> 15);
}

const SPACE = 32;
const COMMA = 44;
const END_PUNCT = [46, 63, 33]; // . ? !
const EMPTY_HASH = 0x811c9dc5 | 0;

/**
 * Writes text as ASCII bytes straight into a caller's buffer (no string
 * building, so no garbage), or returns it as a string via a scratch buffer.
 */
export class TextGen {
  readonly vocab: string[];
  /** Content words of 3–7 letters, for short answers and e-mail/URL parts. */
  readonly shortWords: string[];
  private readonly zipf: Zipf;
  /** All words' ASCII bytes back to back; word k is at wordOff[k] with length wordLen[k]. */
  private readonly wordData: Uint8Array;
  private readonly wordOff: Int32Array;
  private readonly wordLen: Int32Array;
  private readonly scratch = Buffer.allocUnsafe(1 << 14);

  /**
   * Running hash of the token stream of the text being built. Tokens are
   * space-delimited and every word is distinct, so the token stream and the
   * text determine each other; the hash ignores case, so it identifies the
   * text under case-folding without re-reading its characters.
   */
  private h = EMPTY_HASH;
  // token ids of the last three tokens (words: vocab index, numbers: 100000 + n), carried
  // across sentences because checkers may ignore punctuation when looking for repeats
  private prev = -1;
  private prev2 = -1;
  private prev3 = -1;

  constructor(private readonly rng: Rng) {
    this.vocab = buildVocabulary();
    const n = this.vocab.length;
    this.wordOff = new Int32Array(n);
    this.wordLen = new Int32Array(n);
    this.wordData = new Uint8Array(this.vocab.reduce((a, w) => a + w.length, 0));
    let off = 0;
    this.vocab.forEach((w, k) => {
      this.wordOff[k] = off;
      this.wordLen[k] = w.length;
      for (let j = 0; j < w.length; j++) this.wordData[off++] = w.charCodeAt(j);
    });
    this.zipf = new Zipf(this.vocab.length, 1.1);
    this.shortWords = CONTENT_WORDS.filter((w) => w.length <= 7);
  }

  /** Content word (rank-biased but skipping function words). */
  contentWord(): string {
    return CONTENT_WORDS[this.zipf.sample(this.rng.next()) % CONTENT_WORDS.length];
  }

  /** Case-insensitive hash of the text written by the last text call. */
  lastHash(): number {
    return fmix32(this.h) >>> 0;
  }

  private reset(): void {
    this.h = EMPTY_HASH;
    this.prev = this.prev2 = this.prev3 = -1;
  }

  /** Write one sentence at `pos`; returns the end position. */
  private writeSentence(out: Uint8Array, pos: number, minWords: number, maxWords: number): number {
    const rng = this.rng;
    // Triangular length distribution between minWords and maxWords.
    const span = maxWords - minWords;
    const n = minWords + Math.min(span, Math.floor(((span + 1) * (rng.next() + rng.next())) / 2));
    const zipf = this.zipf;
    const nv = this.vocab.length;
    let prev = this.prev;
    let prev2 = this.prev2;
    let prev3 = this.prev3;
    let h = this.h;
    const data = this.wordData;
    for (let i = 0; i < n; i++) {
      // no immediate repeats ("the the") and no repeated pairs ("the to the to")
      let k = zipf.sample(rng.next());
      if (k === prev || (k === prev2 && prev === prev3)) k = zipf.sample(rng.next());
      while (k === prev || (k === prev2 && prev === prev3)) k = (k + 1 + rng.int(nv - 1)) % nv;
      prev3 = prev2;
      prev2 = prev;
      const v = rng.next(); // one draw decides both the rare number and the comma
      const num = v < 0.004 ? 2 + Math.floor(v * 24500) : 0; // occasional small number, 2–99
      if (i > 0) {
        if (v > 0.94 && i > 1 && i < n - 1) {
          out[pos++] = COMMA;
          h = mix(h, 200_001);
        }
        out[pos++] = SPACE;
      }
      if (num && prev !== 100_000 + num) {
        if (num >= 10) out[pos++] = 48 + Math.floor(num / 10);
        out[pos++] = 48 + (num % 10);
        prev = 100_000 + num;
        h = mix(h, prev);
      } else {
        const o = this.wordOff[k];
        const len = this.wordLen[k];
        for (let j = 0; j < len; j++) out[pos + j] = data[o + j];
        if (i === 0) out[pos] -= 32; // capitalise (words are lower-case a–z)
        pos += len;
        prev = k;
        h = mix(h, k + 1);
      }
    }
    const r = rng.next();
    const end = r < 0.86 ? 0 : r < 0.94 ? 1 : 2;
    out[pos++] = END_PUNCT[end];
    this.h = mix(h, 200_002 + end);
    this.prev = prev;
    this.prev2 = prev2;
    this.prev3 = prev3;
    return pos;
  }

  /**
   * Write a text of roughly `target` characters (whole sentences, at least
   * one) at `pos`; returns the end position. Writes at most ~1,300 bytes for
   * targets up to 900.
   */
  writeText(out: Uint8Array, pos: number, target: number): number {
    this.reset();
    if (target < 60) {
      // short row: one sentence of 5–10 words, at least 24 characters
      for (;;) {
        const end = this.writeSentence(out, pos, 5, 10);
        if (end - pos >= 24) return end;
        this.reset();
      }
    }
    let p = this.writeSentence(out, pos, 5, 22);
    while (p - pos < target - 25) {
      out[p++] = SPACE;
      p = this.writeSentence(out, p, 4, 22);
    }
    return p;
  }

  /** Row text length profile: some short, most 200–400 chars, a few long. */
  writeRowText(out: Uint8Array, pos: number): number {
    const r = this.rng.next();
    if (r < 0.08) return this.writeText(out, pos, this.rng.range(20, 59));
    if (r < 0.93) return this.writeText(out, pos, this.rng.range(200, 360));
    return this.writeText(out, pos, this.rng.range(400, 900));
  }

  text(target: number): string {
    return this.scratch.toString("latin1", 0, this.writeText(this.scratch, 0, target));
  }

  rowText(): string {
    return this.scratch.toString("latin1", 0, this.writeRowText(this.scratch, 0));
  }

  /** A normal text in the main length band, used as the body of noisy rows. */
  bodyText(): string {
    return this.text(this.rng.range(160, 320));
  }
}
