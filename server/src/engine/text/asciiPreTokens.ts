/**
 * The o200k pre-tokenizer on ASCII text, without its regular expression (#22).
 *
 * gpt-tokenizer splits a text into pre-tokens with O200K_TOKEN_SPLIT_REGEX, whose alternatives are
 * tried in order at each position:
 *   A1 [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(contraction)?
 *   A2 [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(contraction)?
 *   A3 \p{N}{1,3}
 *   A4  ?[^\s\p{L}\p{N}]+[\r\n/]*
 *   A5 \s*[\r\n]+
 *   A6 \s+(?!\S)
 *   A7 \s+
 * where a contraction is '(s|d|m|t|ll|ve|re), any case. On ASCII, a letter is A-Z (Lu) or a-z (Ll),
 * \s is space, tab, line feed, vertical tab, form feed and carriage return, and every other character
 * that is no digit is a symbol. preTokenEnd follows the alternatives on these classes; the pattern
 * allocated a string and an array entry for each pre-token of a text counted, and counting prose was
 * mostly that. test/unit/asciiPreTokens.test.ts compares the splits with the pattern's.
 */

const enum K { Upper = 1, Lower, Digit, Newline, Space, OtherSpace, Symbol }

/** The class of each ASCII code unit. */
const KIND = new Uint8Array(128).map((_, c) =>
  c >= 65 && c <= 90 ? K.Upper
    : c >= 97 && c <= 122 ? K.Lower
      : c >= 48 && c <= 57 ? K.Digit
        : c === 10 || c === 13 ? K.Newline
          : c === 32 ? K.Space
            : c === 9 || c === 11 || c === 12 ? K.OtherSpace
              : K.Symbol);

/** Whether text[start, end) is ASCII only. */
export function isAsciiRange(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}

/**
 * The end of the pre-token of ASCII text[.., end) that starts at `i` (< end), as the o200k pattern
 * splits text[.., end) (the pattern sees `end` as the end of its string).
 */
export function preTokenEnd(text: string, i: number, end: number): number {
  const k0 = KIND[text.charCodeAt(i)];
  // A1, A2: a word, after at most one character that is no line break, letter or digit.
  let w = i;
  if ((k0 === K.Symbol || k0 === K.Space || k0 === K.OtherSpace) && i + 1 < end) {
    const k1 = KIND[text.charCodeAt(i + 1)];
    if (k1 === K.Upper || k1 === K.Lower) w = i + 1;
  }
  const kw = w === i ? k0 : K.Upper;
  if (kw === K.Upper || kw === K.Lower) return wordEnd(text, w, end);
  // A3: up to three digits.
  if (k0 === K.Digit) {
    let j = i + 1;
    while (j < end && j < i + 3 && KIND[text.charCodeAt(j)] === K.Digit) j++;
    return j;
  }
  // A4: symbols, after at most one space, then any line breaks and slashes.
  let p = i;
  if (k0 === K.Space && i + 1 < end && KIND[text.charCodeAt(i + 1)] === K.Symbol) p = i + 1;
  if (KIND[text.charCodeAt(p)] === K.Symbol) {
    p++;
    while (p < end && KIND[text.charCodeAt(p)] === K.Symbol) p++;
    for (let c = text.charCodeAt(p); p < end && (c === 10 || c === 13 || c === 47); c = text.charCodeAt(++p));
    return p;
  }
  // Whitespace. A5: up to its last line break; A6: all of it at the end, else all but its last
  // character (which goes with what follows); A7: one character followed by a non-space.
  let r = i;
  let lastBreak = -1;
  for (; r < end; r++) {
    const k = KIND[text.charCodeAt(r)];
    if (k === K.Newline) lastBreak = r;
    else if (k !== K.Space && k !== K.OtherSpace) break;
  }
  if (lastBreak >= 0) return lastBreak + 1;
  if (r === end) return r;
  return r - i >= 2 ? r - 1 : i + 1;
}

/** A1 or A2 from the word's first letter at `w`: capitals then small letters (or capitals alone), then a contraction. */
function wordEnd(text: string, w: number, end: number): number {
  let u = w;
  while (u < end && KIND[text.charCodeAt(u)] === K.Upper) u++;
  while (u < end && KIND[text.charCodeAt(u)] === K.Lower) u++;
  if (u + 1 < end && text.charCodeAt(u) === 39) {
    // An ASCII letter's small form is its code | 0x20; no other code unit lands on one of these.
    const a = text.charCodeAt(u + 1) | 0x20;
    if (a === 115 || a === 100 || a === 109 || a === 116) return u + 2; // s d m t
    if (u + 2 < end) {
      const b = text.charCodeAt(u + 2) | 0x20;
      if ((a === 108 && b === 108) || (a === 118 && b === 101) || (a === 114 && b === 101)) return u + 3; // ll ve re
    }
  }
  return u;
}
