import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildO200kTable, O200kCounter } from '../../server/src/engine/text/o200k';
import { table } from '../../server/src/engine/text/o200kTable';

/**
 * The engine's o200k counter (engine/text/o200k.ts) counts as gpt-tokenizer does, token for token:
 * its counts decide token-limit findings and calibrate the token statistics, which must not move.
 */

const enc = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(t: string, o: object): number; setMergeCacheSize(n: number): void };
enc.setMergeCacheSize(0);
const theirs = (t: string) => enc.countTokens(t, { disallowedSpecial: new Set() });
const ranks = require('gpt-tokenizer/bpeRanks/o200k_base').default as (string | number[])[];
const counter = new O200kCounter(table);

test('o200k: every vocabulary entry, alone, doubled and after a byte-order mark, counts as gpt-tokenizer counts it', () => {
  // A byte-order mark starting a merged piece is dropped by gpt-tokenizer's decoding (see mergeRank).
  for (const r of ranks) {
    if (typeof r !== 'string') continue;
    for (const t of [r, r + r, `\uFEFF${r}`, `x${r}\uFEFF`]) assert.equal(counter.countTokens(t), theirs(t), JSON.stringify(t));
  }
});

test('o200k: random texts of letters, marks, digits, CJK, emoji, lone surrogates, BOMs and special-token text count as gpt-tokenizer counts them', () => {
  const atoms = ['a', 'e', ' ', '  ', '\n', '\r\n', '\t', '\uFEFF', '\uD800', '\uDC00', '🙂', 'é', 'e\u0301', 'ﬁ', '中', '文', '1', '234', "'s", "'LL", '<|endoftext|>', '\u00a0', '\uFFFD', 'the', 'ing', '.', ',', 'ض', 'ק', 'ह', '\u200b', 'Ж'];
  let x = 7;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  for (let k = 0; k < 20_000; k++) {
    let t = '';
    for (let n = 1 + (k % 24); n > 0; n--) t += next() % 5 === 0 ? String.fromCharCode(next() % 0x10000) : atoms[next() % atoms.length];
    assert.equal(counter.countTokens(t), theirs(t), JSON.stringify(t));
  }
  const samples = readFileSync(join(__dirname, '..', '..', 'samples', 'support-chat.jsonl'), 'utf8');
  for (const line of samples.split('\n')) assert.equal(counter.countTokens(line), theirs(line));
});

test('o200k: the table refuses ranks the byte lookup could not stand on', () => {
  assert.throws(() => buildO200kTable(['a', 'b', 'a']), /same bytes/);
  assert.throws(() => buildO200kTable(['a', '\uD800']), /well-formed/);
  // Bytes that are valid UTF-8 stay out of the lookup (gpt-tokenizer looks valid UTF-8 up among strings only).
  const small = new O200kCounter(buildO200kTable(['a', 'b', [0x61, 0x62]]));
  assert.equal(small.countTokens('ab'), 2);
  assert.equal(new O200kCounter(buildO200kTable(['a', 'b', 'ab'])).countTokens('ab'), 1);
});

test('o200k: a table at an offset that is not a multiple of 4 (a Buffer read into a bigger one) counts the same', () => {
  const shifted = Buffer.alloc(table.length + 1);
  table.forEach((b, i) => (shifted[i + 1] = b));
  const fromBuffer = new O200kCounter(shifted.subarray(1));
  for (const t of ['hello world', 'naïve café 中文 🙂', 'x'.repeat(50)]) assert.equal(fromBuffer.countTokens(t), counter.countTokens(t));
});

test('o200k: long pre-tokens (runs of Thai, Cyrillic, random letters, emoji), merged through the heap, count as gpt-tokenizer counts them', () => {
  let x = 11;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  const alphabets = ['กขคงจฉชซญดตถทนบปผพฟภมยรลวศสหอฮะาำิีึืุู่้๊๋', 'абвгдежзийклмнопрстуфхцчшщыьэюя', 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 'qxzjv', '🙂🎉👍🏽', 'ñçéàü'];
  let long = 0;
  for (let k = 0; k < 400; k++) {
    const letters = [...alphabets[k % alphabets.length]];
    let t = '';
    for (let n = 20 + (next() % 600); n > 0; n--) t += letters[next() % letters.length];
    if (new TextEncoder().encode(t).length > 48) long++;
    assert.equal(counter.countTokens(t), theirs(t), JSON.stringify(t.slice(0, 40)));
  }
  assert.ok(long > 300, `${long}`);
});
