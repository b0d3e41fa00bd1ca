import type { TextSpan, Words } from './words';

/**
 * What augmentation must leave exactly as it is, found in a text before any word is changed: spans
 * whose meaning is their exact form (URLs, e-mail addresses, code, placeholders such as {name} or
 * <br>, quoted spans, dates) and words that name something (names, numbers). A word touching such
 * a span is never replaced, deleted or moved, and nothing is inserted inside one.
 */

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec';
const WEEKDAYS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun';

/** Span shapes, each kept whole. Order does not matter: overlapping spans merge. */
const SPAN_SHAPES: RegExp[] = [
  // URLs and bare domains with a path, e-mail addresses, @handles and #tags.
  /\b(?:https?|ftp):\/\/[^\s<>"'`]+/giu,
  /\bwww\.[^\s<>"'`]+/giu,
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gu,
  /(?<![\w@])[@#][\p{L}\p{N}_]+/gu,
  // Code: fenced blocks, inline `code`, and words with code punctuation (snake_case, a.b(), x=1, --flag).
  /```[\s\S]*?```/gu,
  /`[^`\n]+`/gu,
  /\b[\p{L}\p{N}]+(?:_[\p{L}\p{N}]+)+\b/gu,
  /\b[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)*\([^()\n]*\)/gu,
  /(?<!\S)--?[a-z][\w-]*/giu,
  // Placeholders and markup: {name}, {{name}}, ${x}, %s, %(name)s, <br>, </b>, [MASK], $VAR.
  /\{\{?[^{}\n]*\}\}?/gu,
  /\$\{[^}\n]*\}/gu,
  /%(?:\([^)\n]+\))?[sdfir]/gu,
  /<\/?[A-Za-z][^<>\n]*>/gu,
  /\[[A-Z][A-Z0-9_ ]*\]/gu,
  /\$[A-Z_][A-Z0-9_]*/gu,
  // Quoted spans (straight and typographic quotes; a single quote only when it cannot be an apostrophe).
  /"[^"\n]+"/gu,
  /“[^”\n]+”/gu,
  /‘[^’\n]+’(?![\p{L}])/gu,
  /(?<![\p{L}\p{N}])'[^'\n]+'(?![\p{L}\p{N}])/gu,
  /«[^»\n]+»/gu,
  /「[^」\n]+」/gu,
  /『[^』\n]+』/gu,
  // Dates and times: "21st May", "May 21, 2024", "Monday", "10:30", "2024-05-21".
  new RegExp(`\\b(?:\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?)?(?:${MONTHS})\\.?(?:\\s+\\d{1,2}(?:st|nd|rd|th)?)?(?:,?\\s+\\d{4})?\\b`, 'giu'),
  new RegExp(`\\b(?:${WEEKDAYS})\\b`, 'giu'),
  /\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?/giu,
  /\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b/gu,
  /\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b/gu,
];

/** Month names that are also everyday words: protected only beside a number or another date word. */
const AMBIGUOUS_MONTHS = new Set(['may', 'march', 'jan', 'mar', 'sat', 'sun', 'wed', 'dec']);

/** The protected spans of a text, sorted and merged. */
export function protectedSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const re of SPAN_SHAPES) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const s = m[0];
      // "may" or "march" alone is a verb; as a date it comes with a day, a year or a capital.
      if (AMBIGUOUS_MONTHS.has(s.toLowerCase()) && s[0] === s[0].toLowerCase()) continue;
      if (s.length) spans.push({ start: m.index!, end: m.index! + s.length });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: TextSpan[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** Whether a text can hold a protected span at all: most short plain texts are ruled out at once. */
const MAY_PROTECT =
  /[\d"'“‘«「『`{}<>[\]$%@#_/(]|--|\w\.\w|\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tues?(?:day)?|wed(?:nesday)?|thu(?:rs)?(?:day)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b/iu;

/**
 * Which words lie in a protected span, or are names: a capitalised word that does not open a
 * sentence (Paris, French, NASA), or a word with a digit. A sentence's first word is judged by the
 * tagger where there is one (see PreparedText), since "Paris is…" and "Translate…" look alike.
 */
export function protectedWords(text: string, w: Words): boolean[] {
  const out = new Array<boolean>(w.words.length).fill(false);
  if (MAY_PROTECT.test(text)) {
    const spans = protectedSpans(text);
    let s = 0;
    for (let i = 0; i < w.words.length; i++) {
      const start = w.origin[i];
      const end = start + w.words[i].length;
      while (s < spans.length && spans[s].end <= start) s++;
      if (s < spans.length && spans[s].start < end) out[i] = true;
    }
  }
  for (let i = 0; i < w.words.length; i++) {
    if (out[i]) continue;
    const word = w.words[i];
    if (/\p{N}/u.test(word) || NUMBER_WORDS.has(word.toLowerCase())) out[i] = true;
    else if (isCapitalised(word) && !opensSentence(w, i)) out[i] = true;
  }
  return out;
}

/** Numbers written as words ("one" is not "unity", nor "second" a "moment"): a count or an order is a fact. */
const NUMBER_WORDS = new Set(
  ('zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty ' +
    'thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion dozen half quarter twice once thrice ' +
    'first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth twentieth hundredth thousandth millionth').split(' '),
);

/** A word with an upper-case letter (Paris, iPhone, NASA), "I" aside. */
export function isCapitalised(word: string): boolean {
  return word !== 'I' && word !== word.toLowerCase();
}

/** Whether word i opens the text or a sentence (after . ! ? : or a line break, with any quote or bracket between). */
export function opensSentence(w: Words, i: number): boolean {
  if (i === 0) return true;
  return /(?:[.!?:;…。！？]["'”’)\]」』]*\s*|\n\s*)$/u.test(w.gaps[i]);
}
