import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isControl, keyProfile, profileText, WORDS, type TextProfile } from '../../server/src/engine/text/profile';
import { normalizedHash } from '../../server/src/engine/text/normalize';
import { utf8Length } from '../../server/src/engine/text/tokens';

/**
 * The profile written the plain way: each field computed on its own from its definition. The
 * engine's profileText fuses these into one pass with a fast path for lower-case ASCII letters;
 * the properties below hold it to this one.
 */
function referenceProfile(s: string): { profile: Omit<TextProfile, 'asciiHash'>; words: { hash: number; start: number; end: number }[] } {
  const n = s.length;
  const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
  const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
  const isWordChar = (c: number) =>
    isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 39 ||
    (c >= 0xc0 && !(c >= 0x2000 && c <= 0x206f) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xfe00 && c <= 0xffff));
  const isOtherLetter = (c: number) =>
    c >= 0xc0 && !(c >= 0x2000 && c <= 0x2bff) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xd800 && c <= 0xdfff) && !(c >= 0xfe00 && c <= 0xffff);
  const isUnicodeSpace = (c: number) => c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);
  const runExcluded = (c: number) => c <= 32 || (c >= 48 && c <= 57) || '-=_*#~.+/\\|`'.includes(String.fromCharCode(c));
  const codes = Array.from({ length: n }, (_, i) => s.charCodeAt(i));

  const nonSpaceAt = codes.map((c) => !isSpace(c));
  const first = nonSpaceAt.indexOf(true);
  const last = nonSpaceAt.lastIndexOf(true);
  const nonSpace = nonSpaceAt.filter(Boolean).length;
  // Han (with supplementary ideographs, one per high surrogate) and Kana (half-width too); Thai, Lao, Khmer, Myanmar.
  const isCjk = (c: number) => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xff66 && c <= 0xff9d) || (c >= 0xd840 && c <= 0xd8bf);
  const isUnspaced = (c: number) => (c >= 0x0e00 && c <= 0x0eff) || (c >= 0x1780 && c <= 0x17ff) || (c >= 0x1000 && c <= 0x109f);
  const letters = codes.filter((c) => isAsciiLetter(c) || (c >= 128 && !isUnicodeSpace(c) && (isOtherLetter(c) || isCjk(c)))).length;
  const cjk = codes.filter(isCjk).length;
  const unspaced = codes.filter(isUnspaced).length;
  const digits = codes.filter((c) => c >= 48 && c <= 57).length;
  const words = s.split(/[ \t\n\v\f\r]+/).filter(Boolean).length;
  const control = codes.findIndex((c) => c === 11 || c === 12 || isControl(c));

  let spaceRun = -1;
  for (let i = 0; i < n && spaceRun < 0; i++) {
    if (codes[i] !== 32 || codes[i + 1] !== 32) continue;
    const lineStart = s.lastIndexOf('\n', i) + 1;
    const textBefore = codes.slice(lineStart, i).some((c) => !isSpace(c));
    let j = i;
    while (codes[j] === 32) j++;
    if (textBefore && j < n && codes[j] !== 10 && codes[j] !== 13) spaceRun = i;
  }

  let charRunStart = -1;
  let charRunLength = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && codes[j] === codes[i]) j++;
    if (j - i > charRunLength && !runExcluded(codes[i])) {
      charRunLength = j - i;
      charRunStart = i;
    }
    i = j;
  }

  const wordList: { hash: number; start: number; end: number }[] = [];
  for (let i = 0; i < n; ) {
    if (!isWordChar(codes[i])) {
      i++;
      continue;
    }
    let j = i;
    let h = 0x811c9dc5;
    while (j < n && isWordChar(codes[j])) h = Math.imul(h ^ lower(codes[j++]), 0x01000193);
    wordList.push({ hash: h, start: i, end: j });
    i = j;
  }

  return {
    profile: {
      letters, digits, nonSpace, words, first, last,
      nonAscii: codes.some((c) => c >= 128),
      control,
      hasAngleOrAmp: s.includes('<') || s.includes('&'),
      keyHint: /[-_]|[A-Za-z][A-Z]/.test(s),
      hasBracket: s.includes('[') || s.includes('{'),
      hasAt: s.includes('@'),
      hasNewline: s.includes('\n'),
      spaceRun, charRunStart, charRunLength,
      bytes: new TextEncoder().encode(s).length,
      wordCount: wordList.length,
      cjk, unspaced,
    },
    words: wordList,
  };
}

function check(s: string): void {
  const { asciiHash, ...profile } = profileText(s);
  const words = Array.from({ length: profile.wordCount }, (_, k) => ({ hash: WORDS.hash[k], start: WORDS.start[k], end: WORDS.end[k] }));
  const expected = referenceProfile(s);
  assert.deepEqual(profile, expected.profile, JSON.stringify(s));
  assert.deepEqual(words, expected.words, JSON.stringify(s));
  if (profile.nonAscii) assert.ok(Number.isNaN(asciiHash));
  else assert.equal(asciiHash, normalizedHash(s), 'the ASCII hash is the normalised-text hash');
  // The grouping's lean profile: the same fields and words.
  const key = keyProfile(s);
  const { bytes, first, letters, nonAscii, cjk, wordCount } = profile;
  assert.deepEqual({ ...key, asciiHash: String(key.asciiHash) }, { bytes, first, letters, nonAscii, cjk, wordCount, asciiHash: String(asciiHash) }, JSON.stringify(s));
  const keyWords = Array.from({ length: key.wordCount }, (_, k) => ({ hash: WORDS.hash[k], start: WORDS.start[k], end: WORDS.end[k] }));
  assert.deepEqual(keyWords, expected.words, JSON.stringify(s));
}

test('profile of ordinary, noisy and multilingual texts matches its definition', () => {
  for (const s of [
    '', ' ', 'a', 'hello', 'Hello, world!', '  leading and trailing  ', 'two  spaces inside', 'indented\n    code  block',
    'line one\nline two\r\nline three', 'aaaaaaaa', 'Sooooo good!!!!!!', '-----', '1111111', 'the the the the',
    'Email me at a.b@example.com <b>now</b> &amp; later', 'tab\there\vand\fform', 'null\u0000byte', 'zero\u200bwidth',
    'Ünïcödé façade naïve', 'Привет мир', '日本語のテキスト。', '这款手机的电池非常耐用，充一次电可以用两天。', 'ｶﾀｶﾅ half-width', '𠀀𠀁 ext B', 'สวัสดีครับ', 'emoji 😀😀😀 party 🎉', 'nbsp\u00a0here', 'ideographic\u3000space',
    "don't can't won't", 'MiXeD CaSe WoRdS', 'x'.repeat(2000), 'word '.repeat(600), 'ok  \n  ok', 'end with spaces  ',
  ]) check(s);
});

test('profile matches its definition on arbitrary strings', () => {
  const alphabet = fc.constantFrom(
    ...'abcxyzABZ019 .,-=_*@<>&\'"\n\r\t\u000b\u000c\u0000\u007f\u0085\u00a0\u00e9\u00df\u200b\u2003\u3000\u4e00\ufeff\ud83d\ude00'.split(''),
  );
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')), (s) => check(s)), { numRuns: 3000 });
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => check(s)), { numRuns: 2000 });
});

test('UTF-8 lengths count a surrogate pair as four bytes and a lone surrogate as three', () => {
  const encoded = (s: string) => new TextEncoder().encode(s).length;
  for (const s of ['', 'ascii', 'é', '€', '😀', 'a😀b🎉', '\ud83d', '\ude00x', '\ud83d\ud83d\ude00']) {
    assert.equal(utf8Length(s), encoded(s), JSON.stringify(s));
    assert.equal(profileText(s).bytes, encoded(s), JSON.stringify(s));
  }
});
