import type { Found } from './found';

/**
 * Payment card numbers and IBANs, each with its check digits: a card number passes the Luhn check and
 * starts with a card network's prefix at one of that network's lengths; an IBAN has its country's
 * length and passes the mod-97 check. Digits that only look like them (order numbers, IMEIs, ISBNs,
 * a mistyped number) fail one of these.
 */

// --- card numbers --------------------------------------------------------------------------------

/** 12 to 19 digits, bare or in groups joined by spaces or dashes; not inside a longer number or amount. */
const CARD = /(?<![\d.,#-])\d(?:[ -]?\d){11,18}(?![\d-]|[.,]\d)/g;

/** Card networks: the prefix of their numbers and the lengths they issue. */
const NETWORKS: [RegExp, number[]][] = [
  [/^4/, [13, 16, 19]], // Visa
  [/^(?:5[1-5]|2(?:2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/, [16]], // Mastercard (51-55, 2221-2720)
  [/^3[47]/, [15]], // American Express
  [/^3(?:0[0-5]|[689])/, [14, 15, 16, 17, 18, 19]], // Diners Club
  [/^35(?:2[89]|[3-8]\d)/, [16, 17, 18, 19]], // JCB
  [/^6(?:011|4[4-9]|5)/, [16, 17, 18, 19]], // Discover
  [/^62/, [16, 17, 18, 19]], // UnionPay
  [/^(?:60|508)/, [16]], // RuPay
  [/^(?:5018|5020|5038|5893|6304|6759|676[1-3])/, [12, 13, 14, 15, 16, 17, 18, 19]], // Maestro
  [/^220[0-4]/, [16, 17, 18, 19]], // Mir
];

/** Finds payment card numbers. */
export function findCards(text: string): Found[] {
  const out: Found[] = [];
  CARD.lastIndex = 0;
  for (let m = CARD.exec(text); m; m = CARD.exec(text)) {
    // A card number followed by another number ("4111 1111 1111 1111 2") is found without that last group.
    const written = [m[0], m[0].replace(/[ -]\d+$/, '')].find(isCardNumber);
    if (written) out.push({ start: m.index, end: m.index + written.length, what: 'a payment card number' });
  }
  return out;
}

function isCardNumber(written: string): boolean {
  const digits = written.replace(/[ -]/g, '');
  return groupedLikeACard(written) && NETWORKS.some(([prefix, lengths]) => prefix.test(digits) && lengths.includes(digits.length)) && luhn(digits);
}

/**
 * Whether a number is written as cards are: bare, or in groups of four (the last may be shorter), or
 * American Express's and Diners Club's 4-6-5 and 4-6-4, with one kind of separator.
 */
function groupedLikeACard(written: string): boolean {
  if (/^\d+$/.test(written)) return true;
  if (written.includes(' ') && written.includes('-')) return false;
  const sizes = written.split(/[ -]/).map((g) => g.length);
  if (sizes.length === 3 && sizes[0] === 4 && sizes[1] === 6 && (sizes[2] === 5 || sizes[2] === 4)) return true;
  return sizes.every((n, i) => (i < sizes.length - 1 ? n === 4 : n >= 1 && n <= 4));
}

/** Luhn checksum, the card number check digit test. */
export function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// --- IBAN ----------------------------------------------------------------------------------------

/** A country code, two check digits and the account, bare or in groups of four as IBANs are printed. */
const IBAN = /(?<![\w-])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?![\w-])/g;

/** The length of an IBAN in each country that issues them (the IBAN registry). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28,
  HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25,
  QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20,
};

/** Finds IBANs (in capitals, as they are written). */
export function findIbans(text: string): Found[] {
  const out: Found[] = [];
  IBAN.lastIndex = 0;
  for (let m = IBAN.exec(text); m; m = IBAN.exec(text)) {
    const length = ibanLength(m[0]);
    if (length > 0) out.push({ start: m.index, end: m.index + length, what: 'an IBAN' });
  }
  return out;
}

/**
 * How many characters of a candidate (from its start) are an IBAN, or 0: the country's length of
 * characters, ending at a group's end (a printed IBAN may be followed by a capitalised word such as
 * EUR, which the pattern takes as one more group), with valid check digits.
 */
function ibanLength(written: string): number {
  const length = IBAN_LENGTHS[written.slice(0, 2)];
  if (!length) return 0;
  let chars = 0;
  for (let i = 0; i < written.length; i++) {
    if (written[i] === ' ') continue;
    if (++chars === length) {
      const end = i + 1;
      const next = written.charAt(end);
      return (next === '' || next === ' ') && mod97(written.slice(0, end).replace(/ /g, '')) === 1 ? end : 0;
    }
  }
  return 0;
}

/** The IBAN check: the account with its first four characters moved to the end, letters as 10-35, mod 97. */
export function mod97(iban: string): number {
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    const value = c >= 65 ? c - 55 : c - 48;
    rest = value >= 10 ? (rest * 100 + value) % 97 : (rest * 10 + value) % 97;
  }
  return rest;
}
