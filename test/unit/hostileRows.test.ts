import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IncrementalDataset, parseConfig } from '../../server/src/engine';
import { countTokens, EXACT_CHARS, measureTokens, PIECE_CHARS, pieceEnd, pieceStats, RUN_CHARS, VERDICT_CHARS } from '../../server/src/engine/text/tokens';
import { MAX_NESTING, nestsDeeperThan } from '../../server/src/engine/read/nesting';
import { insertWords, removeWords, splitWords, type Words } from '../../server/src/engine/augment/words';
import { analyze, jsonl, ofRule } from './helpers';

/**
 * Hostile rows (issue 16): a row of any content costs time in proportion to its length, and any
 * nesting is a finding, never a crash. Behaviour only: the times are the bench's (long-rows).
 */

const MB = 1 << 20;
const ROOT = join(__dirname, '..', '..');

/** Deterministic text of `length` UTF-16 units, drawn from an alphabet by code point (astral characters stay whole). */
function drawn(alphabet: string, length: number, seed = 7): string {
  const chars = [...alphabet];
  let x = seed;
  let s = '';
  while (s.length < length) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += chars[x % chars.length];
  }
  return s;
}

const SHAPES: Record<string, string> = {
  'one letter': 'a'.repeat(MB),
  base64: drawn('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', MB),
  'minified JS': 'function(a,b){return a.map(function(c){return c*b+1})};var x=document.getElementById("q");'.repeat(12_000),
  'varied words': drawn('abcdefghijklmnopqrstuvwxyz     ', MB),
  CJK: drawn('数据集质量检查工具我们今天去公园散步', MB / 3),
  emoji: drawn('🙂👍🎉🔥', MB / 2),
  spaces: ' '.repeat(MB),
  digits: drawn('0123456789', MB),
};

/** A few ordinary rows around one hostile line, as a user's file would have them. */
const withNormal = (line: string) =>
  jsonl(...[1, 2, 3].map((i) => ({ text: `an ordinary review number ${i} of a film`, label: 'pos' })), line, { text: 'another ordinary review of a book', label: 'neg' });

test('the tokenizer is given bounded pieces that cover the text, and never half a surrogate pair', () => {
  for (const [shape, text] of Object.entries(SHAPES)) {
    let start = 0;
    while (start < text.length) {
      const end = pieceEnd(text, start);
      assert.ok(end > start && end - start <= PIECE_CHARS, `${shape}: a piece of ${end - start} characters`);
      const last = text.charCodeAt(end - 1);
      assert.ok(end === text.length || !(last >= 0xd800 && last <= 0xdbff), `${shape}: a piece ends inside a surrogate pair`);
      start = end;
    }
  }
});

test('a run with nowhere to split is cut every RUN_CHARS characters; text with breaks is cut only at them', () => {
  const run = 'x'.repeat(10 * RUN_CHARS);
  assert.equal(pieceEnd(run, 0), RUN_CHARS);
  // Words of a few letters: every cut is between a word and the space after it.
  const prose = 'the quick brown fox jumps over the lazy dog '.repeat(500);
  for (let start = 0; start < prose.length; ) {
    const end = pieceEnd(prose, start);
    assert.ok(end === prose.length || prose[end] === ' ', `cut inside a word at ${end}`);
    start = end;
  }
});

test('counting in pieces gives the tokenizer’s own count for texts with breaks (cut only where o200k splits)', () => {
  const enc = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(t: string, o: object): number };
  const whole = (t: string) => enc.countTokens(t, { disallowedSpecial: new Set() });
  const atoms = ['the', 'The', ' ', '  ', '\n', '\n\n', '\t', "'s", "'", "don't", 'HELLO', 'World', '123', '4567', '3.14', ',', '...', '"', '(', '=>', '//',
    'café', 'e\u0301', '中文', '日本語です', 'Привет', 'مرحبا', '🙂', '👍🏽', '𠀀', '\u00a0', '\u3000', '<|endoftext|>', 'http://x.com/a?b=c', '_', '١٢٣', '½'];
  let x = 3;
  for (let k = 0; k < 60; k++) {
    let text = '';
    while (text.length < 3 * PIECE_CHARS) {
      x = (x * 1103515245 + 12345) >>> 0;
      text += atoms[x % atoms.length];
    }
    assert.equal(countTokens(text), whole(text), JSON.stringify(text.slice(0, 120)));
  }
  // Runs cut every RUN_CHARS characters are counted as the tokenizer counts them whole (o200k's runs of these split there too).
  for (const run of ['a'.repeat(4 * RUN_CHARS + 5), ' '.repeat(4 * RUN_CHARS + 5), '7'.repeat(4 * RUN_CHARS + 5)]) assert.equal(countTokens(run), whole(run));
});

test('pre-token counts remembered from earlier texts give the tokenizer’s own count (whitespace, contractions, marks, special-token text)', () => {
  const enc = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(t: string, o: object): number };
  const whole = (t: string) => enc.countTokens(t, { disallowedSpecial: new Set() });
  const atoms = [' ', '  ', '\n', '\r\n', '\t', 'a', 'B', "'s", "'LL", '1', '23', '.', '!!', '/', 'é', '\u0301', '中', '文', 'あ', 'ก', 'ا', '🙂', '<|endoftext|>', '\u00a0', '\u2028', '_', '-', 'Ж', '½', 'Ⅳ', 'ʰ'];
  let x = 11;
  const texts: string[] = [];
  for (let k = 0; k < 3000; k++) {
    let text = '';
    for (let n = 1 + (k % 40); n > 0; n--) {
      x = (x * 1103515245 + 12345) >>> 0;
      text += atoms[(x >>> 8) % atoms.length];
    }
    texts.push(text);
  }
  // Each text twice: the second time its pre-tokens' counts come from what the first count remembered.
  for (const text of [...texts, ...texts]) assert.equal(countTokens(text), whole(text), JSON.stringify(text));
});

test('a text known to be ASCII is cut and counted as one whose characters are read to know it (runs, spaces in runs, lines, long gaps)', () => {
  // asciiPieceEnd finds the breaks by the spaces and falls back to reading every character when two are RUN_CHARS apart.
  const atoms = ['a', 'Bc', ' ', '  ', '\n', '\r\n', '\t', '1', '234', '!', '**', "'s", '/', 'word ', 'the ', '.', '-', ' \n '];
  let x = 5;
  const next = (n: number) => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % n;
  for (let k = 0; k < 400; k++) {
    let text = '';
    const length = 300 + next(12_000);
    while (text.length < length) {
      const r = next(100);
      if (r < 2) text += (next(2) ? '=' : 'x').repeat(next(2 * RUN_CHARS));
      else if (r < 4) text += ' '.repeat(next(RUN_CHARS + 100));
      else text += atoms[next(atoms.length)];
    }
    for (const limit of [0, 300, 2048]) {
      assert.deepEqual(measureTokens(text, text.length, limit, true), measureTokens(text, text.length, limit, false), `limit ${limit}: ${JSON.stringify(text.slice(0, 80))}`);
    }
  }
});

test('long pre-tokens remembered from earlier rows (separator lines, runs of one letter) give the tokenizer’s own count', () => {
  // LongPreTokenCounts keeps a few pre-tokens of 49-512 characters by hash: the same run again, a run
  // of the same length but other characters, ASCII and not (a box-drawing line goes the pattern's way).
  // (Runs stay under RUN_CHARS: a longer one is cut, and its count may differ from the whole run's.)
  const enc = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(t: string, o: object): number };
  const whole = (t: string) => enc.countTokens(t, { disallowedSpecial: new Set() });
  const texts: string[] = [];
  for (const n of [49, 50, 64, 65, 100, 128, 200, 255, 256, 300, 320]) {
    for (const run of ['='.repeat(n), '-'.repeat(n), '_'.repeat(n), 'A'.repeat(n), 'x'.repeat(n), '─'.repeat(n), `${'*'.repeat(n - 1)}#`, '.'.repeat(n)]) {
      texts.push(`Heading ${n}\n${run}\nSome text under it.`, `é ${run} ü`);
    }
  }
  for (const text of [...texts, ...texts.slice().reverse(), ...texts]) assert.equal(countTokens(text), whole(text), JSON.stringify(text.slice(0, 60)));
});

test('words read once as they are counted (capitals, then small letters, after a space) count as the tokenizer counts them', () => {
  // ShortPreTokenCounts.lowerWord takes such words itself and leaves the rest to preTokenEnd: words
  // of 11-13 characters about its SHORT_CHARS, contractions, camel case, capitals alone, a word at
  // the end of a piece or of the text, after two spaces or a symbol.
  const enc = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(t: string, o: object): number };
  const whole = (t: string) => enc.countTokens(t, { disallowedSpecial: new Set() });
  let x = 17;
  const next = (n: number) => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8) % n;
  const word = () => {
    const letters = 'etaoinshrdlucmfwypvbgkqjxz';
    let w = '';
    for (let n = 1 + next(14); n > 0; n--) w += letters[next(letters.length)];
    return w;
  };
  const shapes = [
    () => word(), () => ` ${word()}`, () => ` ${word()}`, () => ` ${word()[0].toUpperCase()}${word()}`, () => ` ${word().toUpperCase()}`,
    () => `${word()}${word()[0].toUpperCase()}${word()}`, () => `${word().toUpperCase()}${word()}`, () => ` ${word()}'s`, () => ` ${word()}'S`,
    () => ` ${word()}'ll`, () => ` ${word()}'re`, () => `${word()}'`, () => ` ${word()}'x`, () => '  ', () => '\t', () => '\n', () => '(',
    () => '.', () => ',', () => String(next(10_000)), () => ' ',
  ];
  for (let k = 0; k < 500; k++) {
    let text = '';
    const length = 1 + next(k < 250 ? 60 : 3000);
    while (text.length < length) text += shapes[next(shapes.length)]();
    assert.equal(countTokens(text), whole(text), JSON.stringify(text.slice(0, 120)));
    assert.equal(measureTokens(text, text.length, 0, true).tokens, whole(text), JSON.stringify(text.slice(0, 120)));
  }
});

test('prose counted after a flood of pre-tokens seen once (a base64 blob) still counts as the tokenizer counts it', () => {
  const enc = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(t: string, o: object): number };
  const whole = (t: string) => enc.countTokens(t, { disallowedSpecial: new Set() });
  const prose = 'The battery lasts two full days, and charging is quick; the strap broke on the second day. '.repeat(40);
  // Lines of 76 characters, as MIME writes base64: no run is long enough to be cut (which would make the count an approximation).
  const blob = drawn('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 400_000, 13).replace(/.{76}/g, '$&\n');
  // The blob's hundred thousand short pre-tokens go through the same cache as the prose's words, before and after them.
  for (const text of [prose, blob, prose, `${prose}${blob.slice(0, 5000)}${prose}`]) assert.equal(countTokens(text), whole(text));
});

test('a 1 MB row of one letter: over the limits as its bytes say it may be, counted on its first characters only', () => {
  const line = JSON.stringify({ text: 'a'.repeat(MB), label: 'pos' });
  Object.assign(pieceStats, { pieces: 0, characters: 0, longest: 0 });
  const a = analyze(withNormal(line));
  const [limit] = ofRule(a, 'token-limit');
  const [long] = ofRule(a, 'too-long');
  // o200k splits a run of "a" into tokens of 8 letters: 131,072 tokens, far over 4,096 and 2,048.
  assert.equal(limit.data?.tokens, MB / 8 + 4);
  assert.equal(long.data?.tokens, MB / 8);
  assert.equal(limit.data?.estimated, true);
  // Far over both limits on four windows of 1,024 characters spread over it: the verdict stands on them.
  assert.match(limit.message, /^Row has about 131,076 tokens \(o200k, estimated from 4,096 of its characters, with 4 per message/);
  assert.ok((limit.data?.tokens as number) > 4096);
  assert.match(long.message, /^"text" has about 131,072 tokens/);
  assert.ok(pieceStats.longest <= PIECE_CHARS, `a piece of ${pieceStats.longest} characters`);
  // One sample of four windows, shared by too-long, token-limit and the calibration: never the whole megabyte.
  assert.ok(pieceStats.characters <= 4 * 1024 + PIECE_CHARS, `${pieceStats.characters} characters counted`);
});

test('a 1 MB row under limits above its byte length is not counted at all', () => {
  pieceStats.characters = 0;
  const a = analyze(withNormal(JSON.stringify({ text: 'a'.repeat(MB), label: 'pos' })), 'data.jsonl', { maxTokens: 2 * MB, thresholds: { maxFieldTokens: 2 * MB } });
  assert.equal(ofRule(a, 'token-limit').length + ofRule(a, 'too-long').length, 0);
  // Only the calibration sample counts it (it counts the first rows), on its first EXACT_CHARS characters.
  assert.ok(pieceStats.characters <= EXACT_CHARS + 2 * PIECE_CHARS, `${pieceStats.characters} characters counted`);
});

test('a long text over a limit by less than twice is counted from its start to past the limit, then estimated', () => {
  // English prose, ~4.5 characters a token: 18,000 characters are ~3,800 tokens, over too-long's 2,048
  // but under twice it, so the spread sample does not decide and the text is counted from its start.
  const prose = 'The battery lasts two full days and charging is quick, the strap broke on the second day. '.repeat(200);
  // (Counted whole after the analysis: a whole count of the same text would be remembered and reused.)
  const [long] = ofRule(analyze(withNormal(JSON.stringify({ text: prose, label: 'pos' }))), 'too-long');
  const tokens = countTokens(prose);
  assert.ok(prose.length >= 2 * VERDICT_CHARS && tokens > 2048 && tokens < 2 * 2048);
  assert.match(long.message, /estimated past the first [\d,]+ characters/);
  assert.ok(Math.abs((long.data?.tokens as number) - tokens) / tokens < 0.02, `${long.data?.tokens} for ${tokens}`);
});

test('a text up to VERDICT_CHARS long over a limit is counted in full, and its finding says no "about"', () => {
  // About one token a character: over the 2,048 of too-long in under VERDICT_CHARS characters.
  const text = '数据集的质量决定了模型的上限'.repeat(Math.floor(VERDICT_CHARS / 14) - 1);
  assert.ok(text.length <= VERDICT_CHARS && countTokens(text) > 2048);
  const [long] = ofRule(analyze(withNormal(JSON.stringify({ text, label: 'pos' }))), 'too-long');
  assert.equal(long.data?.tokens, countTokens(text));
  assert.equal(long.data?.estimated, undefined);
  assert.doesNotMatch(long.message, /about/);
});

const deepArrays = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObjects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

test('JSON.parse reads 100,000 levels of nesting in V8 (no recursion), where JSON.stringify overflows the stack', () => {
  const value: unknown = JSON.parse(deepArrays(100_000));
  assert.throws(() => JSON.stringify(value), RangeError);
  assert.equal(nestsDeeperThan(value, MAX_NESTING), true);
  assert.equal(nestsDeeperThan(JSON.parse(deepObjects(100_000)), MAX_NESTING), true);
});

test('too-deep: a row nested past 64 levels is one finding and takes part in no other rule', () => {
  for (const n of [5_000, 100_000]) {
    const a = analyze(withNormal(`{"text":"hello there","label":"a","extra":${deepArrays(n)}}`));
    const [deep] = ofRule(a, 'too-deep');
    assert.ok(deep, `${n} levels`);
    assert.equal(deep.severity, 'error');
    assert.equal(deep.line, 4);
    assert.match(deep.message, new RegExp(`nests arrays and objects ${(n + 1).toLocaleString('en-US')} levels deep`));
    assert.deepEqual(a.findings.filter((f) => f.line === 4).map((f) => f.rule), ['too-deep'], 'nothing else on that row');
    assert.equal(a.rows, 5);
  }
  const objects = analyze(withNormal(`{"text":"x","label":"a","meta":${deepObjects(100_000)}}`));
  assert.equal(ofRule(objects, 'too-deep').length, 1);
  // A top-level array that deep is too deep before it is "not an object".
  const array = analyze(withNormal(deepArrays(5_000)));
  assert.deepEqual(array.findings.filter((f) => f.line === 4).map((f) => f.rule), ['too-deep']);
});

test('too-deep begins one level past MAX_NESTING, counting the row itself as level 1', () => {
  const nested = (levels: number) => `{"text":"a text that is long enough","label":"a","meta":${deepArrays(levels - 1)}}`;
  assert.equal(ofRule(analyze(withNormal(nested(MAX_NESTING))), 'too-deep').length, 0);
  assert.equal(ofRule(analyze(withNormal(nested(MAX_NESTING + 1))), 'too-deep').length, 1);
  // Strings full of brackets are text, not nesting.
  assert.equal(ofRule(analyze(withNormal(JSON.stringify({ text: '['.repeat(5000), label: 'a' }))), 'too-deep').length, 0);
});

test('too-deep in every reader and host: a JSON array file, rows with unknown fields, the editor model', () => {
  const rows = [{ foo: 'alpha beta', bar: 'x' }, { foo: 'gamma delta', bar: 'y' }];
  const array = analyze(`[${JSON.stringify(rows[0])},{"foo":"x","bar":${deepArrays(5000)}},${JSON.stringify(rows[1])}]`, 'data.json');
  assert.equal(ofRule(array, 'too-deep').length, 1);
  // Rows of no known format were keyed by JSON.stringify of the whole value: the crash issue 16 found.
  const unknown = analyze(jsonl(...rows, `{"qq":${deepArrays(5000)}}`, ...rows));
  assert.equal(ofRule(unknown, 'too-deep').length, 1);
  const model = new IncrementalDataset('d.jsonl', parseConfig({}).config, {});
  model.setText(withNormal(`{"text":"hello there","label":"a","extra":${deepArrays(5000)}}`));
  assert.equal(ofRule(model.analyze(), 'too-deep').length, 1);
});

test('the CLI gives a 5,000-deep and a 100,000-deep line a too-deep finding and exit 1, not a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-deep-'));
  try {
    const file = join(dir, 'deep.jsonl');
    writeFileSync(file, withNormal(`{"text":"hello there","label":"a","extra":${deepArrays(5_000)}}`) + withNormal(deepObjects(100_000)));
    // The CLI from source (dist/ may be older than the tree), run as bin/tuneset.js runs the bundle.
    const main = `require('./server/src/cli/main.ts').main(['check', ${JSON.stringify(file)}]).then((code) => { process.exitCode = code; })`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', main], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /RangeError|\n\s+at /);
    assert.equal(r.stdout.match(/ error too-deep Row nests/g)?.length, 2, r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Augment's word edits one at a time, as they were made before they became one pass (the reference). */
function insertOneByOne(w: Words, inserts: { at: number; word: string }[]): Words {
  const out = { words: [...w.words], gaps: [...w.gaps], origin: [...w.origin], changed: [...w.changed] };
  for (const { at, word } of [...inserts].sort((a, b) => b.at - a.at)) {
    out.words.splice(at, 0, word);
    out.origin.splice(at, 0, -1);
    out.changed.splice(at, 0, true);
    out.gaps.splice(at, 0, ' ');
  }
  return out;
}

function removeOneByOne(w: Words, remove: number[]): Words {
  const out = { words: [...w.words], gaps: [...w.gaps], origin: [...w.origin], changed: [...w.changed] };
  const isSpace = (s: string) => /^\s*$/.test(s);
  for (let k = remove.length - 1; k >= 0; k--) {
    const i = remove[k];
    const [before, after] = [out.gaps[i], out.gaps[i + 1]];
    let merged: string;
    if (i === 0) merged = before + after.replace(/^[\s,;:]+/, '');
    else if (i === out.words.length - 1) merged = before.replace(/[\s,;:]+$/, '') + after;
    else if (isSpace(before)) merged = after;
    else if (isSpace(after)) merged = before;
    else merged = before.trimEnd() + after.trimStart();
    out.words.splice(i, 1);
    out.origin.splice(i, 1);
    out.changed.splice(i, 1);
    out.gaps.splice(i, 2, merged);
  }
  return out;
}

test('augment inserts and deletes words in one pass, with the result of one at a time', () => {
  const texts = ['The cat sat on the mat, then it slept.', '“Well,” she said — and left; (quietly) at 9:30 a.m.', 'one two', 'a, b c; d: e', '  lead and trail  '];
  let x = 5;
  const next = (n: number) => ((x = (x * 1103515245 + 12345) >>> 0), x % n);
  for (const text of texts) {
    const w = splitWords(text);
    const n = w.words.length;
    for (let trial = 0; trial < 200; trial++) {
      const inserts = Array.from({ length: 1 + next(4) }, (_, k) => ({ at: 1 + next(n), word: `new${k}` }));
      assert.deepEqual(insertWords(w, inserts), insertOneByOne(w, inserts), `${text} + ${JSON.stringify(inserts)}`);
      const remove = [...Array(n).keys()].filter(() => next(3) === 0);
      if (remove.length === n) remove.pop();
      assert.deepEqual(removeWords(w, remove), removeOneByOne(w, remove), `${text} - ${remove}`);
    }
  }
});

test('a text\'s count against a limit is the same whatever was counted of it before (duplicate rows, the editor\'s model)', async () => {
  const { measureTokens, sampleTokenCount, utf8Length } = await import('../../server/src/engine/text/tokens');
  const text = 'The strap broke on the second day, but the battery lasts two full days. '.repeat(150);
  const bytes = utf8Length(text);
  const first = measureTokens(text, bytes, 2048);
  // The calibration sample counts the same text further; a second verdict replays, it does not go on.
  sampleTokenCount(text, bytes);
  assert.deepEqual(measureTokens(text, bytes, 2048), first);
  assert.equal(first.estimated, true);
});
