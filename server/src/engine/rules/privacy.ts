import { splice, type PartContext } from './rowRule';
import type { RuleId } from './catalog';

/**
 * Privacy rules: personal data and credentials in texts. Each finding points at the match and
 * offers to redact it with a tag such as [EMAIL]; cheap character tests gate the regexes.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const PHONE = /(?<![\w.+-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])\d{3,4}[ .-]?\d{3,4}(?![\w-]|\.\d)/g;
const CARD = /(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])/g;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]|\.\d)/g;
const IPV6 = /(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){2,6}:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4}(?![\w:])/gi;
const SECRETS: [string, RegExp][] = [
  ['an OpenAI/Anthropic API key', /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/g],
  ['a Stripe secret key', /\b[sr]k_live_[0-9a-zA-Z]{20,}/g],
  ['an AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g],
  ['a GitHub token', /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/g],
  ['a GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}/g],
  ['a Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/g],
  ['a Google API key', /\bAIza[0-9A-Za-z_-]{35}/g],
  ['a Hugging Face token', /\bhf_[A-Za-z0-9]{30,}/g],
  ['a JSON Web Token', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g],
  ['a private key', /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY( BLOCK)?-----/g],
];

/** Runs every privacy rule on one text. */
export function checkPrivacy(ctx: PartContext): void {
  const text = ctx.part.text;
  const { digits, hasAt } = ctx.profile;
  if (hasAt) email(ctx);
  if (digits >= 7) {
    const cards = card(ctx);
    phone(ctx, cards);
  }
  if (digits >= 4 && text.includes('.')) ipv4(ctx);
  if (text.includes('::') || (text.includes(':') && digits >= 4)) ipv6(ctx);
  if (ctx.profile.keyHint) secret(ctx);
}

type Match = { start: number; end: number; text: string };

function matches(re: RegExp, text: string, accept: (m: string) => boolean = () => true): Match[] {
  const out: Match[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) if (accept(m[0])) out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  return out;
}

/** One finding per text with the first match highlighted and a fix that redacts every match. */
function reportMatches(ctx: PartContext, rule: RuleId, found: Match[], what: string, tag: string): void {
  if (!found.length) return;
  let redacted = ctx.part.text;
  for (let i = found.length - 1; i >= 0; i--) redacted = splice(redacted, found[i].start, found[i].end, tag);
  const first = found[0];
  const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
  ctx.report({
    rule,
    message: `"${ctx.part.name}" contains ${what}${more}`,
    target: { path: ctx.part.path, start: first.start, end: first.end },
    fix: { title: `Redact ${what.replace(/^an? /, '')} as ${tag}`, kind: 'set-value', path: ctx.part.path, value: redacted },
    data: { tag, count: found.length },
  });
}

function email(ctx: PartContext): void {
  reportMatches(ctx, 'pii-email', matches(EMAIL, ctx.part.text), 'an e-mail address', '[EMAIL]');
}

/** Luhn checksum, the card number check digit test. */
export function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function card(ctx: PartContext): Match[] {
  const found = matches(CARD, ctx.part.text, (m) => {
    const d = m.replace(/[ -]/g, '');
    return d.length >= 13 && d.length <= 19 && /^[3-6]/.test(d) && !/^(\d)\1+$/.test(d) && luhn(d);
  });
  reportMatches(ctx, 'pii-card', found, 'a payment card number', '[CARD]');
  return found;
}

function phone(ctx: PartContext, cards: Match[]): void {
  const found = matches(PHONE, ctx.part.text, (m) => {
    const d = m.replace(/\D/g, '').length;
    return d >= 10 && d <= 15 && !/^\d{4}-\d{2}-\d{2}/.test(m);
  }).filter((m) => !cards.some((c) => m.start < c.end && c.start < m.end));
  reportMatches(ctx, 'pii-phone', found, 'a phone number', '[PHONE]');
}

function ipv4(ctx: PartContext): void {
  // "1.2.3.4" reads as a version number; addresses with a two-digit octet are far likelier real.
  const found = matches(IPV4, ctx.part.text, (m) => m.split('.').some((o) => o.length >= 2));
  reportMatches(ctx, 'pii-ip', found, 'an IP address', '[IP]');
}

function ipv6(ctx: PartContext): void {
  const found = matches(IPV6, ctx.part.text, (m) => /\d/.test(m) && m.split(':').filter(Boolean).length >= 3);
  reportMatches(ctx, 'pii-ip', found, 'an IP address', '[IP]');
}

function secret(ctx: PartContext): void {
  for (const [what, re] of SECRETS) {
    const found = matches(re, ctx.part.text);
    if (found.length) {
      reportMatches(ctx, 'secret', found, what, '[SECRET]');
      return;
    }
  }
}
