import { MOJIBAKE, repairMojibake } from '../text/mojibake';
import { isControl, type TextProfile } from '../text/profile';
import { normalizeText } from '../text/normalize';
import type { RowContent } from '../schema/extract';
import type { PartContext, Report } from './rowRule';

/**
 * Noise rules over one text: each is a small function of the text, its profile and the thresholds.
 * They run on every text of every row, so each one first asks the profile whether it can match.
 */

const HTML_TAG = /<\/?(?:p|br|div|span|a|b|i|u|em|strong|img|ul|ol|li|table|tr|td|th|h[1-6]|script|style|iframe|html|body|head|meta|link|font|center|blockquote|pre|hr|sup|sub|small|big|label|input|form|button|nav|footer|header|section|article)\b[^<>]*\/?>/i;
const HTML_ENTITY = /&(?:[a-z]{2,8}|#\d{2,6}|#x[0-9a-f]{2,5});/i;
const URL_ONLY = /^\s*(?:https?:\/\/|www\.)\S+\s*$/i;
const PLACEHOLDER_WHOLE = /^\s*(?:n\/?a|none|null|nil|undefined|nan|todo|tbd|tba|fixme|xxx+|placeholder|test|dummy|sample text|empty|-+|\?+|\.{3,}|lorem ipsum.*)\s*$/is;
const PLACEHOLDER_PART = /\blorem ipsum\b|\bas an ai(?: language)? model\b|\bi am an ai(?: language)? model\b|\b(?:TODO|FIXME|TBD):|\[(?:insert|your|placeholder)[^\]]{0,40}\]|\{\{[^}]{1,40}\}\}/i;
const CHAR_RUN_EXCLUDED = /[\s\-=_*#~.+/\\|`0-9]/;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Runs every per-text noise rule on one part. */
export function checkNoise(ctx: PartContext): void {
  const p = ctx.profile;
  const isMain = ctx.part.kind === 'text' || ctx.part.kind === 'response';
  if (isMain) {
    tooShort(ctx);
    lowAlpha(ctx, p);
    urlOnly(ctx);
  }
  controlChars(ctx, p);
  if (p.nonAscii) mojibake(ctx);
  if (p.hasAngleOrAmp) htmlMarkup(ctx);
  repetition(ctx);
  whitespace(ctx, p);
  placeholder(ctx);
}

export function tooShort({ part, thresholds, report }: PartContext): void {
  const t = part.text.trim();
  if (t === '') return; // empty-field / empty-output say it better
  const words = t.split(/\s+/).length;
  if (t.length < thresholds.minChars || words < thresholds.minWords) {
    report({
      rule: 'too-short',
      message: `"${part.name}" is very short (${plural(t.length, 'character')}, ${plural(words, 'word')}); the minimum is ${thresholds.minChars} characters and ${plural(thresholds.minWords, 'word')}`,
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

export function mojibake({ part, report }: PartContext): void {
  const m = MOJIBAKE.exec(part.text);
  if (!m) return;
  const repaired = repairMojibake(part.text);
  report({
    rule: 'mojibake',
    message: `"${part.name}" looks wrongly decoded ("${m[0]}")${repaired ? '; it repairs to valid UTF-8' : ''}`,
    target: { path: part.path, start: m.index, end: m.index + m[0].length },
    fix: repaired === undefined ? undefined : { title: 'Repair mojibake', kind: 'set-value', path: part.path, value: repaired },
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

export function repetition({ part, thresholds, report }: PartContext): void {
  const text = part.text;
  const hit = repeatedChars(text, thresholds.repeatedCharRun) ?? repeatedWords(text, thresholds.repeatedWordRun) ?? repeatedLines(text);
  if (hit) report({ rule: 'repetition', message: `"${part.name}" repeats ${hit.what}`, target: { path: part.path, start: hit.start, end: hit.end } });
}

interface Repeat { what: string; start: number; end: number }

function repeatedChars(text: string, run: number): Repeat | undefined {
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i < text.length && text[i] === text[start]) continue;
    if (i - start >= run && !CHAR_RUN_EXCLUDED.test(text[start])) {
      return { what: `"${text[start]}" ${i - start} times in a row`, start, end: i };
    }
    start = i;
  }
  return undefined;
}

function repeatedWords(text: string, run: number): Repeat | undefined {
  const words: { w: string; start: number; end: number }[] = [];
  const re = /[\p{L}\p{N}']+/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) words.push({ w: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  for (let n = 1; n <= 4; n++) {
    const times = n === 1 ? run : 3;
    for (let i = 0; i + n * times <= words.length; i++) {
      let k = 1;
      while (i + (k + 1) * n <= words.length && sameWords(words, i, i + k * n, n)) k++;
      if (k >= times) {
        const phrase = words.slice(i, i + n).map((w) => w.w).join(' ');
        return { what: `"${phrase}" ${k} times in a row`, start: words[i].start, end: words[i + k * n - 1].end };
      }
      if (k > 1) i += (k - 1) * n;
    }
  }
  return undefined;
}

function sameWords(words: { w: string }[], a: number, b: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (words[a + j].w !== words[b + j].w) return false;
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
  const lead = /^\s+/.exec(text);
  const trail = /\s+$/.exec(text);
  if (!lead && !trail && p.spaceRun < 0) return;
  if (text.trim() === '') return;
  const what = [lead && 'leading', trail && 'trailing', p.spaceRun >= 0 && 'repeated'].filter(Boolean).join(', ');
  const start = lead ? 0 : p.spaceRun >= 0 ? p.spaceRun : trail!.index;
  const end = lead ? lead[0].length : p.spaceRun >= 0 ? p.spaceRun + 2 : text.length;
  const fixed = text.trim().replace(/(\S) {2,}(?=\S)/g, '$1 ');
  report({
    rule: 'whitespace',
    message: `"${part.name}" has ${what} whitespace`,
    target: { path: part.path, start, end },
    fix: { title: 'Trim whitespace', kind: 'set-value', path: part.path, value: fixed },
  });
}

export function placeholder({ part, report }: PartContext): void {
  const whole = PLACEHOLDER_WHOLE.exec(part.text);
  const m = whole ?? PLACEHOLDER_PART.exec(part.text);
  if (!m) return;
  report({
    rule: 'placeholder',
    message: whole ? `"${part.name}" is a placeholder ("${part.text.trim().slice(0, 40)}")` : `"${part.name}" contains placeholder or boilerplate text "${m[0]}"`,
    target: { path: part.path, start: m.index, end: m.index + m[0].length },
  });
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
