import { gbkMojibake, MOJIBAKE, repairMojibake } from '../text/mojibake';
import { isControl, WordSet, WORDS, type TextProfile } from '../text/profile';
import { normalizeText } from '../text/normalize';
import { cjkLength, countSegmentedWords } from '../text/scripts';
import type { RowContent } from '../schema/extract';
import type { PartContext, Report } from './rowRule';
import type { RuleId } from './catalog';

/**
 * Noise rules over one text: each is a small function of the text, its profile and the thresholds.
 * They run on every text of every row, so each one first asks the profile whether it can match.
 */

const HTML_TAG = /<\/?(?:p|br|div|span|a|b|i|u|em|strong|img|ul|ol|li|table|tr|td|th|h[1-6]|script|style|iframe|html|body|head|meta|link|font|center|blockquote|pre|hr|sup|sub|small|big|label|input|form|button|nav|footer|header|section|article)\b[^<>]*\/?>/i;
const HTML_ENTITY = /&(?:[a-z]{2,8}|#\d{2,6}|#x[0-9a-f]{2,5});/i;
const URL_ONLY = /^\s*(?:https?:\/\/|www\.)\S+\s*$/i;
const PLACEHOLDER_WHOLE = /^\s*(?:n\/?a|none|null|nil|undefined|nan|todo|tbd|tba|fixme|xxx+|placeholder|test|dummy|sample text|empty|-+|\?+|\.{3,}|lorem ipsum.*|(?:无|暂无|空|测试|待补充|待定|待填写|待完善|略|无内容|暂无内容|暂缺|未填写|此处填写|占位符|示例文本|[？?]+|[…—]+)[。.！!]?)\s*$/is;
const PLACEHOLDER_PART = /\blorem ipsum\b|\bas an ai(?: language)? model\b|\bi am an ai(?: language)? model\b|\[(?:insert|your|placeholder)[^\]]{0,40}\]|\{\{[^}]{1,40}\}\}/i;
/** Work markers count in capitals only ("todo: buy milk" is a sentence, "TODO: write this" is not). */
const WORK_MARKER = /\b(?:TODO|FIXME|TBD):/;
/**
 * The words a placeholder phrase needs one of (see PLACEHOLDER_PART and WORK_MARKER); profile words
 * keep apostrophes, so a quoted 'lorem ipsum' is looked for with its quote too.
 */
const PLACEHOLDER_WORDS = new WordSet(['lorem', "'lorem", 'ipsum', "ipsum'", 'ai', 'todo', 'fixme', 'tbd']);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Every rule checkNoise reports: with all of them off, the row analyzer does not run it. */
export const NOISE_RULES: readonly RuleId[] = ['too-short', 'low-alpha', 'url-only', 'control-chars', 'mojibake', 'html-markup', 'repetition', 'whitespace', 'placeholder'];

/** Runs every per-text noise rule on one part. */
export function checkNoise(ctx: PartContext): void {
  const p = ctx.profile;
  const isMain = ctx.part.kind === 'text' || ctx.part.kind === 'response';
  if (isMain) {
    // A text that is nothing but a placeholder ("N/A") is said to be one; "very short" would say it twice.
    if (!wholePlaceholder(ctx.part.text, p)) tooShort(ctx, p);
    lowAlpha(ctx, p);
    if (p.words === 1) urlOnly(ctx);
  }
  controlChars(ctx, p);
  if (p.nonAscii) mojibake(ctx);
  if (p.hasAngleOrAmp) htmlMarkup(ctx);
  repetition(ctx, p);
  whitespace(ctx, p);
  placeholder(ctx, p);
}

/**
 * too-short, measured in the unit the text is read in: a Chinese or Japanese text in characters
 * (a run of Latin letters or digits counts one: cjkLength) against minCjkChars (classification texts; "是的" is a whole
 * answer), a text in Thai, Lao, Khmer or Myanmar in the words Intl.Segmenter finds, any other in
 * characters and space-separated words.
 */
export function tooShort({ part, thresholds, report }: PartContext, p: TextProfile): void {
  if (p.first < 0) return; // empty-field / empty-output say it better
  const isText = part.kind === 'text';
  // Chinese or Japanese, as languageOf weighs it: Latin letters count a third of a Han character.
  if (p.cjk > 0 && p.cjk * 3 >= p.letters - p.cjk) {
    if (!isText || p.cjk >= thresholds.minCjkChars) return;
    const length = cjkLength(part.text);
    if (length < thresholds.minCjkChars) {
      report({
        rule: 'too-short',
        message: `"${part.name}" is very short (${plural(length, 'character')}); the minimum for Chinese and Japanese text is ${plural(thresholds.minCjkChars, 'character')}`,
        target: { path: part.path },
      });
    }
    return;
  }
  const length = p.last - p.first + 1;
  const minWords = isText ? thresholds.minWords : 0;
  const words = p.unspaced > 0 && p.unspaced * 2 >= p.letters ? countSegmentedWords(part.text) : p.words;
  if (length < thresholds.minChars || words < minWords) {
    report({
      rule: 'too-short',
      message: `"${part.name}" is very short (${plural(length, 'character')}, ${plural(words, 'word')}); the minimum is ${plural(thresholds.minChars, 'character')}${minWords ? ` and ${plural(minWords, 'word')}` : ''}`,
      target: { path: part.path },
    });
  }
}

export function lowAlpha({ part, thresholds, report }: PartContext, p: TextProfile): void {
  if (p.nonSpace < 5) return;
  const ratio = p.letters / p.nonSpace;
  if (ratio < thresholds.minAlphaRatio) {
    report({
      rule: 'low-alpha',
      message: `"${part.name}" is mostly symbols or digits: only ${Math.round(ratio * 100)}% of its characters are letters`,
      target: { path: part.path },
    });
  }
}

export function urlOnly({ part, report }: PartContext): void {
  if (URL_ONLY.test(part.text)) report({ rule: 'url-only', message: `"${part.name}" is only a URL`, target: { path: part.path } });
}

export function controlChars({ part, report }: PartContext, p: TextProfile): void {
  if (p.control < 0) return;
  const text = part.text;
  let count = 0;
  let stripped = '';
  for (let i = 0; i < text.length; i++) {
    if (isControl(text.charCodeAt(i))) count++;
    else stripped += text[i];
  }
  const code = text.charCodeAt(p.control).toString(16).toUpperCase().padStart(4, '0');
  report({
    rule: 'control-chars',
    message: `"${part.name}" contains ${plural(count, 'invisible control character')} (first: U+${code})`,
    target: { path: part.path, start: p.control, end: p.control + 1 },
    fix: { title: 'Strip control characters', kind: 'set-value', path: part.path, value: stripped },
  });
}

export function mojibake(ctx: PartContext): void {
  const { part, report } = ctx;
  const m = MOJIBAKE.exec(part.text);
  if (!m) {
    if (ctx.profile.cjk > 0) gbkMojibakeIn(ctx);
    return;
  }
  const repaired = repairMojibake(part.text);
  report({
    rule: 'mojibake',
    message: `"${part.name}" looks wrongly decoded ("${m[0]}")${repaired ? '; it repairs to valid UTF-8' : ''}`,
    target: { path: part.path, start: m.index, end: m.index + m[0].length },
    fix: repaired === undefined ? undefined : { title: 'Repair mojibake', kind: 'set-value', path: part.path, value: repaired },
  });
}

/** UTF-8 Chinese read as GBK ("浣犲ソ" for "你好"), or the 锟斤拷 left where characters were lost that way. */
function gbkMojibakeIn({ part, report }: PartContext): void {
  const found = gbkMojibake(part.text);
  if (!found) return;
  const shown = part.text.slice(found.start, found.end);
  if (found.lost) {
    report({
      rule: 'mojibake',
      message: `"${part.name}" contains "${shown.slice(0, 12)}": characters lost when UTF-8 text was read as GBK and saved; they cannot be repaired`,
      target: { path: part.path, start: found.start, end: found.end },
    });
    return;
  }
  const sample = (s: string) => (s.length > 12 ? `${s.slice(0, 12)}…` : s);
  report({
    rule: 'mojibake',
    message: `"${part.name}" looks like UTF-8 Chinese read as GBK: "${sample(part.text)}" reads back as "${sample(found.readBack ?? '')}"${found.repaired ? '' : ' (some bytes were lost, so it cannot be repaired whole)'}`,
    target: { path: part.path, start: found.start, end: found.end },
    fix: found.repaired === undefined ? undefined : { title: 'Repair mojibake (read back as UTF-8)', kind: 'set-value', path: part.path, value: found.repaired },
  });
}

export function htmlMarkup({ part, report }: PartContext): void {
  const m = HTML_TAG.exec(part.text) ?? HTML_ENTITY.exec(part.text);
  if (!m) return;
  report({
    rule: 'html-markup',
    message: `"${part.name}" contains HTML ${m[0].startsWith('&') ? 'entity' : 'markup'} ${m[0]}`,
    target: { path: part.path, start: m.index, end: m.index + m[0].length },
  });
}

export function repetition({ part, thresholds, report }: PartContext, p: TextProfile): void {
  const text = part.text;
  const hit =
    (p.charRunLength >= thresholds.repeatedCharRun
      ? { what: `"${text[p.charRunStart]}" ${p.charRunLength} times in a row`, start: p.charRunStart, end: p.charRunStart + p.charRunLength }
      : undefined) ??
    repeatedWords(text, thresholds.repeatedWordRun, p.wordCount) ??
    (p.hasNewline ? repeatedLines(text) : undefined);
  if (hit) report({ rule: 'repetition', message: `"${part.name}" repeats ${hit.what}`, target: { path: part.path, start: hit.start, end: hit.end } });
}

interface Repeat { what: string; start: number; end: number }

/** A word, or a phrase of two to four words, repeated back to back (words compared case-insensitively by hash). */
function repeatedWords(text: string, run: number, count: number): Repeat | undefined {
  const { hash, start, end } = WORDS;
  if (!mayRepeat(hash, count, run)) return undefined;
  for (let size = 1; size <= 4; size++) {
    const times = size === 1 ? run : 3;
    for (let i = 0; i + size * times <= count; i++) {
      let k = 1;
      while (i + (k + 1) * size <= count && samePhrase(hash, i, i + k * size, size)) k++;
      if (k >= times) {
        const phrase = text.slice(start[i], end[i + size - 1]).toLowerCase();
        return { what: `"${phrase}" ${k} times in a row`, start: start[i], end: end[i + k * size - 1] };
      }
      if (k > 1) i += (k - 1) * size;
    }
  }
  return undefined;
}

/**
 * Rules out most texts cheaply: k back-to-back copies of an s-word phrase make (k - 1)·s
 * consecutive positions j where word j equals word j + s (run - 1 of them for one word, 4, 6 and 8
 * for phrases of 2, 3 and 4 words).
 */
export function mayRepeat(hash: Int32Array, count: number, run: number): boolean {
  return hasMatchRun(hash, count, 1, run - 1) || hasMatchRun(hash, count, 2, 4) || hasMatchRun(hash, count, 3, 6) || hasMatchRun(hash, count, 4, 8);
}

/**
 * Whether `m` consecutive positions j have hash[j] === hash[j + s]. Such a run holds one of every
 * m consecutive positions, so only every m-th position is tested, and a match's run is measured.
 */
function hasMatchRun(hash: Int32Array, count: number, s: number, m: number): boolean {
  const last = count - s;
  if (m <= 1) return m <= 0 ? count >= 2 : firstMatch(hash, last, s);
  for (let j = m - 1; j < last; j += m) {
    if (hash[j] !== hash[j + s]) continue;
    let a = j;
    while (a > 0 && hash[a - 1] === hash[a - 1 + s]) a--;
    let b = j;
    while (b + 1 < last && hash[b + 1] === hash[b + 1 + s]) b++;
    if (b - a + 1 >= m) return true;
    // Position b + 1 does not match: a later run starts after it, and the next tests are from b + m on.
    j = b;
  }
  return false;
}

function firstMatch(hash: Int32Array, last: number, s: number): boolean {
  for (let j = 0; j < last; j++) if (hash[j] === hash[j + s]) return true;
  return false;
}

function samePhrase(hash: Int32Array, a: number, b: number, size: number): boolean {
  for (let j = 0; j < size; j++) if (hash[a + j] !== hash[b + j]) return false;
  return true;
}

function repeatedLines(text: string): Repeat | undefined {
  if (!text.includes('\n')) return undefined;
  const lines = text.split('\n');
  let offset = 0;
  let runStart = 0;
  let runOffset = 0;
  for (let i = 1; i <= lines.length; i++) {
    offset += lines[i - 1].length + 1;
    if (i < lines.length && lines[i].trim() !== '' && lines[i].trim() === lines[runStart].trim()) continue;
    if (i - runStart >= 3) return { what: `the line "${lines[runStart].trim().slice(0, 40)}" ${i - runStart} times`, start: runOffset, end: offset - 1 };
    runStart = i;
    runOffset = offset;
  }
  return undefined;
}

export function whitespace({ part, report }: PartContext, p: TextProfile): void {
  const text = part.text;
  if (p.first < 0) return;
  const lead = p.first > 0 || isSpaceLike(text.charCodeAt(0));
  const trail = p.last < text.length - 1 || isSpaceLike(text.charCodeAt(text.length - 1));
  if (!lead && !trail && p.spaceRun < 0) return;
  const what = [lead && 'leading', trail && 'trailing', p.spaceRun >= 0 && 'repeated'].filter(Boolean).join(', ');
  const start = lead ? 0 : p.spaceRun >= 0 ? p.spaceRun : p.last + 1;
  const end = lead ? Math.max(1, p.first) : p.spaceRun >= 0 ? p.spaceRun + 2 : text.length;
  const fixed = text.trim().replace(/(\S) {2,}(?=\S)/g, '$1 ');
  report({
    rule: 'whitespace',
    message: `"${part.name}" has ${what} whitespace`,
    target: { path: part.path, start, end },
    fix: { title: 'Trim whitespace', kind: 'set-value', path: part.path, value: fixed },
  });
}

/** Unicode spaces the profile does not count as whitespace words split on (no-break and typographic spaces). */
function isSpaceLike(c: number): boolean {
  return c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f;
}

export function placeholder({ part, report }: PartContext, p: TextProfile): void {
  // Whole-text placeholders are short; the phrase search runs only on texts with a bracket or one of
  // the phrases' words, which the profile's word hashes tell without a regex.
  const whole = wholePlaceholder(part.text, p);
  if (!whole && !p.hasBracket && !PLACEHOLDER_WORDS.inProfiled(p.wordCount)) return;
  const m = whole ?? PLACEHOLDER_PART.exec(part.text) ?? WORK_MARKER.exec(part.text);
  if (!m) return;
  report({
    rule: 'placeholder',
    message: whole ? `"${part.name}" is a placeholder ("${part.text.trim().slice(0, 40)}")` : `"${part.name}" contains placeholder or boilerplate text "${m[0]}"`,
    target: { path: part.path, start: m.index, end: m.index + m[0].length },
  });
}

/** The match when the whole text is a placeholder (N/A, TODO, lorem ipsum…), else null. */
function wholePlaceholder(text: string, p: TextProfile): RegExpExecArray | null {
  return p.nonSpace <= 40 || /^\s*lorem/i.test(text) ? PLACEHOLDER_WHOLE.exec(text) : null;
}

/** echo: an answer that only repeats its instruction, input or the last user turn. */
export function checkEcho(content: RowContent, report: Report): void {
  const prompts = content.parts.filter((p) => p.kind === 'prompt');
  const answers = content.parts.filter((p) => p.kind === 'response');
  if (!prompts.length || !answers.length) return;
  const answer = answers[answers.length - 1];
  const a = normalizeText(answer.text);
  if (a.length === 0) return;
  for (const prompt of prompts) {
    const q = normalizeText(prompt.text);
    if (q.length > 0 && (a === q || (a.startsWith(q) && a.length - q.length < Math.max(8, q.length * 0.1)))) {
      report({ rule: 'echo', message: `"${answer.name}" only repeats "${prompt.name}"`, target: { path: answer.path } });
      return;
    }
  }
}
