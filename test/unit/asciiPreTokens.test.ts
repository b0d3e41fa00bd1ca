import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/encodingParams/constants';
import { isAsciiRange, preTokenEnd } from '../../server/src/engine/text/asciiPreTokens';
import { countTokens } from '../../server/src/engine/text/tokens';
import { randomTexts } from './helpers';

/**
 * The ASCII pre-tokenizer (engine/text/asciiPreTokens.ts) splits as gpt-tokenizer's o200k pattern
 * does: the engine's token counts of ASCII text stand on it.
 */

const ours = (text: string, start = 0, end = text.length) => {
  const out: string[] = [];
  for (let i = start; i < end; ) {
    const j = preTokenEnd(text, i, end);
    assert.ok(j > i && j <= end, `no progress at ${i} in ${JSON.stringify(text)}`);
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
};
const theirs = (text: string) => text.match(O200K_TOKEN_SPLIT_REGEX) ?? [];

// Every case of the pattern's alternatives: words after a space, tab or symbol, capitals before small
// letters, contractions in any case and cut short, digit runs, symbols with line breaks and slashes
// after them, whitespace runs with and without line breaks, at the end and before a word or symbol.
const BITS = ['a', 'b', 'Z', 'Q', 'the', 'THE', 'The', 'tHE', ' ', '  ', '\t', '\n', '\r', '\r\n', '\v', '\f', "'", "'s", "'S", "'ll", "'Ll", "'ve", "'RE", "'d", "'m", "'t", "'l", "'v", "'r", '1', '23', '4567', '.', ',', '!?', '/', '//', '-', '_', '\u0000', '\u001c', '\u001f', '\u007f', '(', '"', '#', '@', '~', '\\'];

test('ascii pre-tokens: 30,000 random ASCII texts split as the o200k pattern splits them', () => {
  for (const text of randomTexts(BITS, 30_000, 30, 22)) assert.deepEqual(ours(text), theirs(text), JSON.stringify(text));
});

test('ascii pre-tokens: every pair and triple of ASCII characters split as the pattern splits them', () => {
  const chars = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
  for (const a of chars) for (const b of chars) assert.deepEqual(ours(a + b), theirs(a + b), JSON.stringify(a + b));
  const some = [...' \t\n\r\vaZ1\'./s_'];
  for (const a of some) for (const b of some) for (const c of some) for (const d of some) assert.deepEqual(ours(a + b + c + d), theirs(a + b + c + d), JSON.stringify(a + b + c + d));
});

test('ascii pre-tokens: a range is split as the pattern splits that range alone (its end is an end)', () => {
  const text = "Hello  world's end\n\n  42!  ";
  for (let start = 0; start < text.length; start++) {
    for (let end = start + 1; end <= text.length; end++) assert.deepEqual(ours(text, start, end), theirs(text.slice(start, end)), `${start}-${end}`);
  }
  assert.equal(isAsciiRange('abc é', 0, 4), true);
  assert.equal(isAsciiRange('abc é', 0, 5), false);
});

test('ascii pre-tokens: the sample datasets and the real-shapes fixtures count as gpt-tokenizer counts them', () => {
  const enc = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(t: string, o: object): number };
  const whole = (t: string) => enc.countTokens(t, { disallowedSpecial: new Set() });
  const root = join(__dirname, '..', '..');
  let ascii = 0;
  for (const file of ['samples/support-chat.jsonl', 'samples/reviews/train.jsonl', 'samples/tickets.csv', 'test/fixtures/real-shapes/sms-spam.tsv']) {
    for (const line of readFileSync(join(root, file), 'utf8').split('\n')) {
      if (isAsciiRange(line, 0, line.length)) ascii++;
      // Short lines are counted whole; a long one is counted in pieces, exact but for runs of over RUN_CHARS.
      if (line.length < 384) assert.equal(countTokens(line), whole(line), JSON.stringify(line.slice(0, 80)));
    }
  }
  assert.ok(ascii > 50, `${ascii}`);
  // Twice: the second time from the pre-token cache.
  for (const text of [...randomTexts(BITS, 2000, 40, 5), ...randomTexts(BITS, 2000, 40, 5)]) assert.equal(countTokens(text), whole(text), JSON.stringify(text));
});
