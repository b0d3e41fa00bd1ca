// Host layer: the language of what the language server and the command line say. The engine speaks
// English only, and its English messages stay the canonical ones (tests, JSON, SARIF); they are
// translated here, at the edge: each finding message is matched against the English templates of
// l10n/findings.templates.json ("{0}" placeholders), its arguments are taken out, and @vscode/l10n
// gives the template's translation from the bundle with them put back. The host's own strings (hover,
// code lens, the command line's summary) are plain t() calls, their translations in
// l10n/server.l10n.zh-cn.json; the rules' one-line summaries (rules/catalog.ts), keyed by their English, in
// l10n/rules.l10n.zh-cn.json.
import * as l10n from '@vscode/l10n';
import TEMPLATES from '../../../l10n/findings.templates.json';
import FINDINGS_ZH_CN from '../../../l10n/findings.l10n.zh-cn.json';
import SERVER_ZH_CN from '../../../l10n/server.l10n.zh-cn.json';
import RULES_ZH_CN from '../../../l10n/rules.l10n.zh-cn.json';
import REPORT_PAGE_ZH_CN from '../../../l10n/report.l10n.zh-cn.json';
import { LANGUAGES } from '../engine';

/** The languages Tuneset speaks; English is the engine's own. */
export type Locale = 'en' | 'zh-cn';
export const LOCALES: readonly Locale[] = ['en', 'zh-cn'];

/**
 * The locale for a language tag as VS Code (`zh-cn`, `zh-tw`), BCP 47 (`zh-Hans-CN`) or POSIX
 * (`zh_CN.UTF-8`) write it: Chinese in simplified script is zh-cn; everything else English
 * (traditional Chinese included: this bundle is simplified Chinese).
 */
export function resolveLocale(tag: string | undefined): Locale {
  const t = (tag ?? '').toLowerCase().replace(/_/g, '-').replace(/[.@].*$/, '');
  if (t === 'zh' || t === 'zh-cn' || t === 'zh-sg' || t.startsWith('zh-hans')) return 'zh-cn';
  return 'en';
}

/** The locale the environment asks for, as POSIX reads it: LC_ALL, else LC_MESSAGES, else LANG. */
export function localeFromEnv(env: NodeJS.ProcessEnv): Locale {
  return resolveLocale(env.LC_ALL || env.LC_MESSAGES || env.LANG);
}

interface CompiledTemplate {
  template: string;
  re: RegExp;
  /** The longest literal piece: a message without it cannot match (a cheap test before the regex). */
  anchor: string;
  /** Per placeholder index: whether the template quotes it ("{0}": a name or dataset text, never translated). */
  quoted: boolean[];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a template to an anchored regex, one lazy group per placeholder (in the order they appear). */
export function compileTemplate(template: string): CompiledTemplate {
  const pieces = template.split(/\{(\d+)\}/);
  let source = '^';
  const order: number[] = [];
  const quoted: boolean[] = [];
  for (let i = 0; i < pieces.length; i++) {
    if (i % 2 === 0) source += escapeRe(pieces[i]);
    else {
      const n = Number(pieces[i]);
      order.push(n);
      quoted[n] = pieces[i - 1].endsWith('"') && (pieces[i + 1] ?? '').startsWith('"');
      source += `(?<p${n}>[\\s\\S]+?)`;
    }
  }
  const literals = pieces.filter((_, i) => i % 2 === 0);
  const anchor = literals.reduce((a, b) => (b.length > a.length ? b : a), '');
  return { template, re: new RegExp(source + '$'), anchor, quoted };
}

/**
 * Inline fragments: templates in parentheses around one number ("({0} rows)"), translated where they
 * occur inside an argument that is no phrase of its own (a list of labels with their counts).
 */
const FRAGMENTS = (TEMPLATES as string[])
  .filter((t) => /^\([^()]*\{0\}[^()]*\)$/.test(t))
  .map((template) => ({ template, re: new RegExp(' ?' + template.split('{0}').map(escapeRe).join('(\\d[\\d,.]*)'), 'g') }));

/** The templates, most literal text first, so a more specific template wins over a general one. */
const COMPILED: CompiledTemplate[] = (TEMPLATES as string[])
  .map(compileTemplate)
  .sort((a, b) => literalLength(b.template) - literalLength(a.template));

function literalLength(template: string): number {
  return template.replace(/\{\d+\}/g, '').length;
}

/** The English template a message was made from and its arguments, or undefined when none matches. */
export function matchTemplate(message: string, depth = 0): { template: string; args: string[]; quoted: boolean[] } | undefined {
  // Several templates can match one message when an argument holds quotes itself: '"text" repeats
  // "ha" 6 times in a row' also reads as '"{0}" {1} times in a row' with {1} = 'repeats "ha" 6'.
  // Each reading costs the quotes inside its arguments, but an unquoted argument that is a phrase of
  // its own ('"ha" 6 times in a row') costs nothing; the cheapest reading wins, and among equals the
  // template with the most literal text (the list is in that order).
  let best: { template: string; args: string[]; quoted: boolean[] } | undefined;
  let bestCost = Infinity;
  for (const c of COMPILED) {
    if (!message.includes(c.anchor)) continue;
    const m = c.re.exec(message);
    if (!m) continue;
    const args: string[] = [];
    for (const [k, v] of Object.entries(m.groups ?? {})) args[Number(k.slice(1))] = v;
    let cost = 0;
    for (const [i, a] of args.entries()) {
      const quotes = a.split('"').length - 1;
      if (quotes && (c.quoted[i] || depth > 2 || !matchTemplate(a, depth + 1))) cost += quotes;
    }
    if (cost < bestCost) {
      best = { template: c.template, args, quoted: c.quoted };
      bestCost = cost;
      if (cost === 0) break;
    }
  }
  return best;
}

/** Puts `args` into a "{0}" template. */
export function format(template: string, args: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, n: string) => (Number(n) < args.length ? String(args[Number(n)]) : whole));
}

/** What the host says, in one language. */
export interface Translator {
  readonly locale: Locale;
  /** One of the host's own strings, "{0}" placeholders filled in. */
  t(message: string, ...args: (string | number)[]): string;
  /** An engine message (a finding's, a related row's, a reading note's) in this language; English unchanged. */
  message(english: string): string;
}

const english: Translator = {
  locale: 'en',
  t: (message, ...args) => format(message, args),
  message: (m) => m,
};

let loaded = false;

/** The translator of a locale. @vscode/l10n holds one bundle per process: the zh-cn one, loaded once. */
export function translator(locale: Locale): Translator {
  if (locale === 'en') return english;
  if (!loaded) {
    l10n.config({ contents: { ...FINDINGS_ZH_CN, ...SERVER_ZH_CN, ...RULES_ZH_CN } });
    loaded = true;
  }
  const cache = new Map<string, string>();
  const inFragments = (text: string) => FRAGMENTS.reduce((out, f) => out.replace(f.re, (_, n: string) => l10n.t(f.template, n)), text);
  const translate = (message: string, depth: number): string => {
    const hit = matchTemplate(message);
    if (!hit) return message;
    // Unquoted arguments may be phrases of their own ("2 characters", "an e-mail address"); quoted
    // ones are names and dataset text, said as they are.
    const args = hit.args.map((a, i) => (hit.quoted[i] || depth > 2 ? a : matchTemplate(a) ? translate(a, depth + 1) : inFragments(a)));
    return l10n.t(hit.template, ...args);
  };
  return {
    locale,
    t: (message, ...args) => l10n.t(message, ...args),
    message(m) {
      let out = cache.get(m);
      if (out === undefined) {
        out = translate(m, 0);
        // Messages repeat (the same rule on many rows); a bounded memo keeps a big file's repeats cheap.
        if (cache.size > 5000) cache.clear();
        cache.set(m, out);
      }
      return out;
    },
  };
}

/**
 * A reason that lists one reason per operation ("sr: no word outside the stopwords has a synonym; rs:
 * fewer than two words that can move", why augment left a row unchanged) in the translator's
 * language (`translate`: a translator's message()): a message with a template of its own is translated whole, else each "; " part (its
 * operation code kept).
 */
export function translateReasonList(translate: (message: string) => string, text: string): string {
  if (matchTemplate(text)) return translate(text);
  return text.split('; ').map((part) => {
    const op = /^([a-z]{2}): ([\s\S]+)$/.exec(part);
    return op ? `${op[1]}: ${translate(op[2])}` : translate(part);
  }).join('; ');
}

/**
 * What a quality report says in words the engine made: each rule's summary, its examples' messages,
 * what lowers the score, and the label model's sentences (why it did not run or reports nothing, the
 * learning curve's verdict, the strength of annotator agreement).
 */
interface LocalizableReport {
  header: { quality: { penalties: { cause: string; points: number }[] } };
  findings: { summary: string; examples: { message: string }[] }[];
  labelQuality?: { notRun?: string; withheld?: string; learningCurve?: { verdict: string }; agreement?: { strength: string } };
}

/** The report with the engine's messages in the translator's language (the same report in English). */
export function localizeReport<R extends LocalizableReport>(report: R, tr: Translator): R {
  if (tr.locale === 'en') return report;
  const quality = { ...report.header.quality, penalties: report.header.quality.penalties.map((p) => ({ ...p, cause: tr.message(p.cause) })) };
  const q = report.labelQuality;
  return {
    ...report,
    header: { ...report.header, quality },
    findings: report.findings.map((f) => ({ ...f, summary: tr.t(f.summary), examples: f.examples.map((e) => ({ ...e, message: tr.message(e.message) })) })),
    ...(q ? {
      labelQuality: {
        ...q,
        ...(q.notRun !== undefined ? { notRun: tr.message(q.notRun) } : {}),
        ...(q.withheld !== undefined ? { withheld: tr.message(q.withheld) } : {}),
        ...(q.learningCurve ? { learningCurve: { ...q.learningCurve, verdict: tr.message(q.learningCurve.verdict) } } : {}),
        ...(q.agreement ? { agreement: { ...q.agreement, strength: tr.message(q.agreement.strength) } } : {}),
      },
    } : {}),
  };
}

/** What the report page (media/report.js) needs to speak a language: its `<html lang>` and its strings. */
export interface ReportPageLanguage {
  lang: string;
  /** The page's strings by their English (media/report.js t()); empty in English. */
  strings: Record<string, string>;
}

/**
 * The report page's strings in a locale: l10n/report.l10n.zh-cn.json (the page's own words) and the
 * engine's language names (the header's chip shows them as the report has them, in English).
 */
export function reportPageLanguage(locale: Locale): ReportPageLanguage {
  if (locale === 'en') return { lang: 'en', strings: {} };
  const names: Record<string, string> = {};
  for (const l of LANGUAGES) if (l && l in SERVER_ZH_CN) names[l] = (SERVER_ZH_CN as Record<string, string>)[l];
  return { lang: 'zh-CN', strings: { ...names, ...REPORT_PAGE_ZH_CN } };
}
