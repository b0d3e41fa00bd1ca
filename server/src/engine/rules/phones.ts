import type * as Libphonenumber from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { before, overlaps, type Found } from './found';

/**
 * Phone numbers: runs of digit groups as people write them, read as a number of the country their
 * shape points to and checked against that country's numbering plan (libphonenumber's full metadata,
 * which knows which digits each plan gives out). A cheap regex finds the runs, and most runs that
 * are not numbers (dates, versions, prices, ISBNs, card-like digits) are turned away by their shape
 * before any plan is asked.
 */

const WHAT = 'a phone number';

/**
 * libphonenumber with its full metadata, required when a run of digits first needs a numbering plan:
 * initializing it costs ~10-20 ms at start-up, which a file without phone-like digits never pays.
 */
let libphonenumber: typeof Libphonenumber | undefined;
const parsePhoneNumberFromString: typeof Libphonenumber.parsePhoneNumberFromString = (...args) =>
  (libphonenumber ??= require('libphonenumber-js/max') as typeof Libphonenumber).parsePhoneNumberFromString(...args);

/**
 * A run of digits in groups joined by spaces, dots, dashes or parentheses, with a "+" in front for
 * international numbers, and not followed by a word character or a decimal part. Its first digit
 * is not inside a run of digits (`(?<!\d\d)`, tested after that digit: a long run of digits is then
 * passed over a digit a step, not tried 26 ways at each). What else may come before it is tested
 * apart, by startsFree: a lookbehind at the front of this regex made it ten times slower, every
 * position of every text with digits paying for it.
 */
const RUN = /(?:\+|\(\+?)?\d(?<!\d\d)[\d ().-]{5,24}\d\)?(?![\w@]|[.,-]\d)/g;

/** Characters that make digits after them part of a word, an amount, a path or a dotted or dashed chain. */
const GLUED_BEFORE = /[\w+.,:/\\#@$€£¥%&=*^~-]/;

/** Whether a run starts on its own: not after a word, an amount or a chain ("tel:" is the one ":" allowed). */
function startsFree(text: string, at: number): boolean {
  if (at === 0 || !GLUED_BEFORE.test(text.charAt(at - 1))) return true;
  return text.charAt(at - 1) === ':' && /\btel:$/i.test(text.slice(Math.max(0, at - 5), at));
}

/**
 * Three or four groups of four digits and maybe a shorter last one (13 to 19 digits), as card and
 * account numbers are printed: one that is not a valid card number (the card rule's) is a mistyped
 * card or an account number, and a stretch of its groups is no phone number (6222 0212 3456 7890 129
 * holds "0212 3456 7890", a valid number in some plan).
 */
const CARD_SHAPE = /^\d{4}(?:([ -])\d{4})(?:\1\d{4}){1,2}(?:\1\d{1,4})?$/;

/** Four dotted groups of up to three digits: an IPv4 address, never a phone number. */
const IPV4_SHAPE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * A whole run in one of the usual North American layouts, the commonest phone numbers in datasets:
 * taken at once, as isNorthAmerican would take it, without cutting the run into groups.
 */
const NORTH_AMERICAN_RUN = /^(?:\+?1[ -])?(?:\([2-9]\d\d\) ?|[2-9]\d\d[ -])[2-9]\d\d[ -]\d{4}$|^[2-9]\d\d\.[2-9]\d\d\.\d{4}$/;

/** Countries whose national numbers start with a trunk 0 (or, in Italy, keep the 0), tried for 0…. */
const LEADING_ZERO: CountryCode[] = ['GB', 'FR', 'DE', 'IN', 'JP', 'AU', 'IT', 'NL', 'BR'];

/** Countries tried for a run of digits that only the words before it call a phone number. */
const ANY: CountryCode[] = ['US', 'CA', 'IN', 'BR', 'MX', 'ES', ...LEADING_ZERO.filter((c) => c !== 'IN' && c !== 'BR')];

/** Words that say the digits after them are a phone number (up to a few characters before them). */
const PHONE_WORDS = /(?:call|phone|tel|mobile|cell|fax|whatsapp|sms|text|dial|ring|contact|reach|hotline|(?:my|your|his|her|our|their) number|t[ée]l[ée]phone|portable|telef|celular|handy|m[oó]vil)\b[^0-9\n]{0,12}$/;

/** Numbering-plan look-ups one text may make: a ceiling on the work a row of digit runs can cost. */
const LOOKUPS_PER_TEXT = 200;

/** What is left of a text's numbering-plan look-ups. */
interface Budget {
  lookups: number;
}

/** One group of digits of a run, with what came before it. */
interface Group {
  start: number;
  end: number;
  digits: string;
  /** The separator before the group: '', ' ', '.' or '-' (parentheses are part of the group). */
  sep: string;
  /** Written in parentheses, as an area code often is: (415), (02), (0). */
  paren: boolean;
  /** The "+" of an international number. */
  plus: boolean;
}

/** Finds the phone numbers of a text, leaving out what overlaps `taken` (card numbers, IBANs). */
export function findPhones(text: string, taken: readonly Found[] = []): Found[] {
  const out: Found[] = [];
  const budget: Budget = { lookups: LOOKUPS_PER_TEXT };
  // Runs come in text order, so the spans taken are walked alongside them (a row of 50,000 card
  // numbers would otherwise compare every run with every card).
  const spans = taken.length > 1 ? [...taken].sort((a, b) => a.start - b.start) : taken;
  let next = 0;
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m; m = RUN.exec(text)) {
    const at = m.index;
    const end = at + m[0].length;
    while (next < spans.length && spans[next].end <= at) next++;
    let last = next;
    while (last < spans.length && spans[last].start < end) last++;
    const near = last > next ? spans.slice(next, last) : [];
    if (!startsFree(text, at) || IPV4_SHAPE.test(m[0]) || CARD_SHAPE.test(m[0]) || near.some((t) => t.start <= at && end <= t.end)) continue;
    if (NORTH_AMERICAN_RUN.test(m[0])) {
      if (!near.length) out.push({ start: at, end, what: WHAT });
      continue;
    }
    const context = () => PHONE_WORDS.test(before(text, at, 40));
    for (const f of numbersInRun(m[0], at, context, budget)) if (!near.some((t) => overlaps(t, f))) out.push(f);
  }
  return out;
}

/** The numbers in one run: the longest valid stretch of groups from each place a number can start. */
function numbersInRun(run: string, at: number, context: () => boolean, budget: Budget): Found[] {
  const groups = groupsOf(run);
  const out: Found[] = [];
  for (let i = 0; i < groups.length; i++) {
    // A number starts and ends at the run's ends or at a space; never inside a dashed or dotted chain.
    if (i > 0 && groups[i].sep !== ' ') continue;
    let digits = 0;
    for (let k = i; k < groups.length; k++) digits += groups[k].digits.length;
    for (let j = groups.length - 1; j >= i; j--, digits -= groups[j + 1].digits.length) {
      if (digits < 7) break;
      if (digits > 15 || (j < groups.length - 1 && groups[j + 1].sep !== ' ')) continue;
      const slice = groups.slice(i, j + 1);
      if (!wellFormed(slice)) continue;
      const written = run.slice(slice[0].start, slice[slice.length - 1].end);
      if (isPhoneNumber(slice, written, j === groups.length - 1, context, budget)) {
        out.push({ start: at + slice[0].start, end: at + slice[slice.length - 1].end, what: WHAT });
        i = j;
        break;
      }
    }
  }
  return out;
}

/** How many digits a stretch of groups has. */
function digitsOf(slice: Group[]): number {
  return slice.reduce((n, g) => n + g.digits.length, 0);
}

/** Cuts a run into groups of digits; it stops at the first thing a written number does not have. */
function groupsOf(run: string): Group[] {
  const groups: Group[] = [];
  const re = /([ .-]?)(\+?)(\(\+?)?(\d+)(\)?)/y;
  for (let m = re.exec(run); m; m = re.exec(run)) {
    const [, sep, plus, open, digits, close] = m;
    // A parenthesis that is not closed right after its digits (or closed without opening) ends the run.
    if (Boolean(open) !== Boolean(close) || (plus && groups.length) || (open?.includes('+') && groups.length)) break;
    const start = m.index + sep.length;
    groups.push({ start, end: re.lastIndex, digits, sep: groups.length ? sep : '', paren: Boolean(open), plus: Boolean(plus) || Boolean(open?.includes('+')) });
  }
  return groups;
}

/**
 * Whether groups are written as a phone number is: one-digit groups only at the front (a country code,
 * a trunk 0 or (0), the 1 of 1-800, the 6 of +33 6), not last; dots only between plain groups of two to
 * four digits (415.555.0132, 01.23.45.67.89) and not four groups of up to three (an IPv4 address); and
 * not a date.
 */
function wellFormed(slice: Group[]): boolean {
  const last = slice[slice.length - 1];
  if (last.digits.length < 2 || last.paren) return false;
  for (let k = 3; k < slice.length; k++) if (slice[k].digits.length === 1) return false;
  const dotted = slice.some((g) => g.sep === '.');
  if (dotted && slice.some((g, k) => (k > 0 && g.sep !== '.') || g.paren || g.plus || g.digits.length < 2 || g.digits.length > 4)) return false;
  if (dotted && slice.length === 4 && slice.every((g) => g.digits.length <= 3)) return false;
  return !isDate(slice);
}

/** Three groups that read as a date: 2023-10-12, 12.10.2023, 12-10-23 (one separator throughout, not a space). */
function isDate(slice: Group[]): boolean {
  if (slice.length !== 3 || slice[1].sep !== slice[2].sep || slice[1].sep === ' ' || slice.some((g) => g.paren || g.plus)) return false;
  const [a, b, c] = slice.map((g) => Number(g.digits));
  const [la, , lc] = slice.map((g) => g.digits.length);
  const day = (n: number) => n >= 1 && n <= 31;
  const month = (n: number) => n >= 1 && n <= 12;
  if (la === 4) return month(b) && day(c);
  return (lc === 2 || lc === 4) && ((day(a) && month(b)) || (month(a) && day(b)));
}

/**
 * Whether a well-formed stretch of groups is a phone number, by the shape it is written in: a North
 * American number in its own layout (+1 or not); "+" (or 00) and a country code, checked against
 * that country's plan; a leading 0 (a trunk prefix), checked against the countries that write one; a
 * Brazilian (11) area code or an Indian 98765 43210; anything else only after a word such as
 * "call" or "phone", then checked against every country tried. A national number must also be
 * grouped as its country groups them (see groupedAsIn).
 */
function isPhoneNumber(slice: Group[], written: string, runEnd: boolean, context: () => boolean, budget: Budget): boolean {
  const first = slice[0];
  const grouped = slice.length > 1 || first.plus;
  if (isNorthAmerican(slice)) return true;
  if (first.plus) return validIn(written, [undefined], budget);
  if (first.digits.startsWith('00') && grouped) return validIn('+' + written.replace(/^\(?00/, ''), [undefined], budget);
  // A national number without "+" is taken only at the end of its run of digits (the end of a serial
  // number or of an IBAN's account digits is not a number of its own) and with nine digits or more.
  if (!runEnd) return false;
  if (first.digits.startsWith('0') && grouped) return digitsOf(slice) >= 9 && validIn(written, LEADING_ZERO, budget, slice);
  if (first.paren && first.digits.length === 2) return validIn(written, ['BR'], budget, slice);
  if (slice.length === 2 && slice[0].digits.length === 5 && slice[1].digits.length === 5 && /^[6-9]/.test(first.digits)) return validIn(written, ['IN'], budget, slice);
  return context() && validIn(written, ANY, budget, slice);
}

/**
 * A North American number in its usual layout: (415) 555-0132, 415-555-0132, 415.555.0132,
 * 415 555 0132, with 1 in front or not. The plan's own rule decides (area code and exchange start
 * with 2-9; 123-456-7890 is no number), not the list of area codes given out so far: the layout
 * alone says "phone number", and an area code not yet in service is no less personal.
 */
function isNorthAmerican(slice: Group[]): boolean {
  const g = slice[0].digits === '1' && slice.length === 4 ? slice.slice(1) : slice;
  if (g.length !== 3 || g[0].digits.length !== 3 || g[1].digits.length !== 3 || g[2].digits.length !== 4) return false;
  if (g[1].paren || g[2].paren) return false;
  const plan = /^[2-9]\d\d$/;
  return plan.test(g[0].digits) && plan.test(g[1].digits);
}

/**
 * Whether libphonenumber finds the number valid for one of the countries (undefined: written with
 * +) and, for a national number (its groups given), grouped as that country writes it.
 */
function validIn(written: string, countries: (CountryCode | undefined)[], budget: Budget, slice?: Group[]): boolean {
  for (const country of countries) {
    if (budget.lookups-- <= 0) return false;
    const number = parsePhoneNumberFromString(written, country);
    if (number?.isValid() && (!slice || groupedAsIn(slice, number.formatNational()))) return true;
  }
  return false;
}

/**
 * Whether a national number's groups are its country's (020 7946 0958, 06 12 34 56 78), or those
 * split further into groups of three or more (07911 123 456, 030 1234 5678), or an area code and the
 * rest (0151 23456789). Any ten digits with a leading 0 are a valid number somewhere; grouped
 * otherwise (0123 4567 89, the account digits of an IBAN) they are a serial number or a code.
 * Groups are compared from the end, so a trunk 0 written or left out does not matter; bare digits
 * (only found after a word such as "call") have no groups to compare.
 */
function groupedAsIn(slice: Group[], national: string): boolean {
  if (slice.length === 1) return true;
  if (slice.length === 2 && slice[0].digits.length + slice[1].digits.length >= 10) return true;
  const theirs = boundariesFromEnd((national.match(/\d+/g) ?? []).map((g) => g.length));
  const ours = boundariesFromEnd(slice.map((g) => g.digits.length));
  if (![...theirs].every((b) => ours.has(b))) return false;
  // Each group of ours not also one of theirs must be a group of three or more.
  let end = 0;
  for (let k = slice.length - 1; k >= 0; k--) {
    const start = end + slice[k].digits.length;
    const theirsToo = (end === 0 || theirs.has(end)) && (k === 0 || theirs.has(start));
    if (!theirsToo && slice[k].digits.length < 3) return false;
    end = start;
  }
  return true;
}

/** Where groups of these lengths end, counted in digits from the number's end (its last digit is 0). */
function boundariesFromEnd(lengths: number[]): Set<number> {
  const out = new Set<number>();
  let n = 0;
  for (let k = lengths.length - 1; k > 0; k--) out.add((n += lengths[k]));
  return out;
}
