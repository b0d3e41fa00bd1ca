import type { Found } from './found';

/**
 * Personal numbers of mainland China, written as people write them in Chinese text: mobile numbers
 * (11 digits from 1[3-9], optionally +86 and 3-4-4 groups) and resident identity numbers (18
 * characters: region, date of birth, sequence, ISO 7064 MOD 11-2 check character). Precision comes
 * before recall: a run inside a longer number, a mobile-shaped number named as an order, tracking or
 * invoice number, an identity number whose date, region or check character is wrong, is not reported.
 * Bank card numbers (UnionPay 62…, Luhn) are the card rule's.
 */

/** The carriers' mobile prefixes (13x, 145-149, 15x but 154, 162/165-167, 170-178, 18x, 19x but 194). */
const MOBILE_PREFIX = /^1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])/;

/** +86 or 0086 optionally, then 11 digits bare or as 3-4-4 with one kind of separator; not inside a longer number or word. */
const MOBILE = /(?<![\dA-Za-z_+.-])(?:(?:\+|00)86[ -]?)?(1[3-9]\d)([ -]?)(\d{4})\2(\d{4})(?![\dA-Za-z_]|[.,-]\d)/g;

/** Words that name the number before it as something other than a phone number (order, waybill, invoice, serial, account, ID). */
const NOT_A_PHONE = /(?:订单|单号|编号|流水|运单|快递|物流|发票|序列|账号|账户|帐号|工号|学号|QQ|qq|ID|No\.?|#)[号码]?\s*[：:]?\s*$/;

/** Finds mainland mobile numbers. */
export function findChineseMobiles(text: string): Found[] {
  const out: Found[] = [];
  MOBILE.lastIndex = 0;
  for (let m = MOBILE.exec(text); m; m = MOBILE.exec(text)) {
    const digits = m[1] + m[3] + m[4];
    if (!MOBILE_PREFIX.test(digits)) continue;
    if (NOT_A_PHONE.test(text.slice(Math.max(0, m.index - 8), m.index))) continue;
    out.push({ start: m.index, end: m.index + m[0].length, what: 'a mobile phone number' });
  }
  return out;
}

/** 17 digits and a check character (a digit or X); not inside a longer run of digits or letters. */
const ID_NUMBER = /(?<![\dA-Za-z])[1-8]\d{16}[\dXx](?![\dA-Za-z])/g;

/** Province-level region codes (the first two digits): 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82. */
const PROVINCES = /^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])/;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of an identity number's first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** Whether YYYYMMDD is a real date from 1900 on (not checked against today: the engine has no clock). */
function isBirthDate(s: string): boolean {
  const y = +s.slice(0, 4);
  const m = +s.slice(4, 6);
  const d = +s.slice(6, 8);
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

/** Whether an 18-character string is a well-formed resident identity number. */
export function isChineseIdNumber(s: string): boolean {
  return s.length === 18 && PROVINCES.test(s) && isBirthDate(s.slice(6, 14)) && idCheckCharacter(s) === s[17].toUpperCase();
}

/** Finds resident identity numbers. */
export function findChineseIdNumbers(text: string): Found[] {
  const out: Found[] = [];
  ID_NUMBER.lastIndex = 0;
  for (let m = ID_NUMBER.exec(text); m; m = ID_NUMBER.exec(text)) {
    if (isChineseIdNumber(m[0])) out.push({ start: m.index, end: m.index + 18, what: 'a resident identity number' });
  }
  return out;
}
