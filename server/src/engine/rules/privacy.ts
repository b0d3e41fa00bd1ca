import type { PartContext, Report } from './rowRule';
import type { RuleId } from './catalog';
import { overlaps, withoutOverlaps, type Found } from './found';
import { findCards, findIbans } from './bankNumbers';
import { findChineseIdNumbers, findChineseMobiles } from './chineseIds';
import { findEmails, findIPv4, findIPv6 } from './netAddresses';
import { findPhones } from './phones';
import { findSecrets } from './secrets';
import { profileText, type TextProfile } from '../text/profile';

export { luhn, mod97 } from './bankNumbers';

/** Every rule checkPrivacy reports: with all of them off, the row analyzer does not run it. */
export const PRIVACY_RULES: readonly RuleId[] = ['pii-email', 'pii-card', 'pii-iban', 'pii-id-number', 'pii-phone', 'pii-ip', 'secret'];

/** The rules checkUnreadableRow reports. */
export const UNREADABLE_ROW_RULES: readonly RuleId[] = ['secret', 'pii-card'];

/**
 * Privacy rules: personal data and credentials in texts. Each finding names the kind it found, never
 * the value, points at the first match and offers to redact every match with a tag such as [EMAIL].
 * The text's profile (its digits, an @, the characters every key has) skips the searches that cannot match.
 */
export function checkPrivacy(ctx: PartContext): void {
  for (const [rule, found, tag] of privacyMatches(ctx.part.text, ctx.profile)) reportFound(ctx, rule, found, tag);
}

/** Each kind of personal data or credential in a text, with the tag its quick fix redacts it as (kinds without a match left out). */
function privacyMatches(text: string, profile: Pick<TextProfile, 'digits' | 'hasAt' | 'keyHint'>): [RuleId, Found[], string][] {
  const out: [RuleId, Found[], string][] = [];
  const add = (rule: RuleId, found: Found[], tag: string) => {
    if (found.length) out.push([rule, found, tag]);
  };
  const { digits, hasAt, keyHint } = profile;
  if (hasAt) add('pii-email', findEmails(text), '[EMAIL]');
  if (digits >= 7) {
    // Digits taken as a card number or an IBAN are not also a phone number.
    const cards = findCards(text);
    const ibans = digits >= 8 ? findIbans(text) : [];
    add('pii-card', cards, '[CARD]');
    add('pii-iban', ibans, '[IBAN]');
    const numbers = ibans.length ? cards.concat(ibans) : cards;
    let phones = findPhones(text, numbers);
    // Mainland mobile numbers and identity numbers, written without +86 in Chinese text (11 and 18 digits).
    if (digits >= 11) {
      const ids = findChineseIdNumbers(text).filter((f) => !numbers.some((n) => overlaps(n, f)));
      add('pii-id-number', ids, '[ID]');
      const mobiles = findChineseMobiles(text).filter((f) => !numbers.some((n) => overlaps(n, f)) && !ids.some((n) => overlaps(n, f)));
      if (mobiles.length) phones = withoutOverlaps(phones.concat(mobiles));
    }
    add('pii-phone', phones, '[PHONE]');
  }
  const v4 = digits >= 4 && text.includes('.');
  const v6 = text.includes('::') || (digits >= 4 && text.includes(':'));
  if (v4 || v6) {
    // An IPv4 address embedded in an IPv6 one (::ffff:192.0.2.128) is found by both searches, once reported.
    const ips = v4 && v6 ? withoutOverlaps(findIPv4(text).concat(findIPv6(text))) : v4 ? findIPv4(text) : findIPv6(text);
    add('pii-ip', ips, '[IP]');
  }
  if (keyHint) add('secret', findSecrets(text), '[SECRET]');
  return out;
}

/**
 * A text with every credential and piece of personal data the privacy rules find replaced by the tag
 * their quick fixes use ([EMAIL], [CARD], [SECRET]…), and the rules that matched; kinds are redacted
 * one after another (a card number gone, a phone number is looked for in what is left).
 */
export function redactPrivacy(text: string): { text: string; rules: RuleId[] } {
  const rules: RuleId[] = [];
  for (let round = 0; round < 8; round++) {
    const matches = privacyMatches(text, profileText(text));
    if (!matches.length) break;
    const [rule, found, tag] = matches[0];
    rules.push(rule);
    text = redact(text, found, tag);
  }
  return { text, rules };
}

/**
 * The credential and card number searches on the raw text of a row the rules cannot read field by
 * field (a line that is not JSON or not an object, a broken CSV record): a key in it is as exposed as
 * in any other row, and these are the kinds that fail a CI run. Offsets are the row text's.
 */
export function checkUnreadableRow(text: string, report: Report): void {
  const searches: [RuleId, Found[]][] = [['secret', findSecrets(text)], ['pii-card', findCards(text)]];
  for (const [rule, found] of searches) {
    if (found.length) report({ rule, message: `The row's raw text contains ${found[0].what}${andMore(found)}`, target: { start: found[0].start, end: found[0].end }, data: { count: found.length } });
  }
}

/** One finding per text with the first match highlighted and a fix that redacts every match. */
function reportFound(ctx: PartContext, rule: RuleId, found: Found[], tag: string): void {
  if (!found.length) return;
  const { start, end, what } = found[0];
  ctx.report({
    rule,
    message: `"${ctx.part.name}" contains ${what}${andMore(found)}`,
    target: { path: ctx.part.path, start, end },
    fix: { title: `Redact ${what.replace(/^an? /, '')} as ${tag}`, kind: 'set-value', path: ctx.part.path, value: redact(ctx.part.text, found, tag) },
    data: { tag, count: found.length },
  });
}

/** The text with every match replaced by the tag, in one pass (a 1 MB row may hold 100,000 matches). */
function redact(text: string, found: Found[], tag: string): string {
  let out = '';
  let from = 0;
  for (const f of found) {
    out += text.slice(from, f.start) + tag;
    from = f.end;
  }
  return out + text.slice(from);
}

function andMore(found: Found[]): string {
  return found.length > 1 ? ` (and ${found.length - 1} more)` : '';
}
