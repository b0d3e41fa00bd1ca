import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeDataset, parseConfig } from '../../server/src/engine';
import { mayRepeat } from '../../server/src/engine/rules/noise';
import { analyze, jsonl, ofRule, textFindings } from './helpers';

/** Each rule: [rule, text that must hit, near miss that must not]. */
const CASES: [string, string, string][] = [
  ['too-short', 'ok', 'fine thanks'],
  ['too-short', 'Excellent!', 'Excellent value!'],
  ['low-alpha', '$$$ ### 123 !!! %%%', 'Price is $5 (about 4 EUR)'],
  ['control-chars', 'bell\u0007 inside', 'tab\tand\nnewline are fine'],
  ['control-chars', 'zero\u200bwidth space', 'plain text'],
  ['mojibake', 'cafÃ© and donâ€™t', 'café and don’t'],
  ['html-markup', '<p>Great fun</p>', 'a < b and c > d'],
  ['html-markup', 'Tom &amp; Jerry', 'Tom & Jerry'],
  ['url-only', 'https://example.com/a?b=c', 'see https://example.com for more'],
  ['repetition', 'sooooooo good', 'soo good'],
  ['repetition', 'good good good good movie', 'good good movie'],
  ['repetition', 'buy now buy now buy now please', 'buy now and then buy later'],
  ['repetition', 'same line\nsame line\nsame line', 'same line\nother line\nsame line'],
  ['whitespace', '  leading space', 'no extra space'],
  ['whitespace', 'trailing space ', 'code:\n    indented is fine'],
  ['whitespace', 'double  space inside', 'single space inside'],
  ['placeholder', 'N/A', 'Not applicable to me at all'],
  ['placeholder', 'Lorem ipsum dolor sit amet', 'Lorem is a name'],
  ['placeholder', 'As an AI language model, I cannot', 'As a language learner, I can'],
  ['placeholder', 'TODO: write this', 'todo list app review'],
];

for (const [rule, hit, miss] of CASES) {
  test(`${rule}: hits ${JSON.stringify(hit)}, not ${JSON.stringify(miss)}`, () => {
    assert.equal(textFindings(hit, rule).length, 1, `expected ${rule} on ${JSON.stringify(hit)}`);
    assert.equal(textFindings(miss, rule).length, 0, `no ${rule} on ${JSON.stringify(miss)}`);
  });
}

test('too-long: a text over the per-field token threshold, counted exactly', () => {
  const settings = { thresholds: { maxFieldTokens: 20 } };
  const [f] = textFindings('word '.repeat(30).trim(), 'too-long', settings);
  assert.match(f.message, /has 30 tokens \(o200k\), over the 20 set for one text/);
  assert.equal(textFindings('word '.repeat(15), 'too-long', settings).length, 0);
});

test('length-outlier: a row far longer than the rest', () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({ text: `a normal review ${'and more '.repeat(i % 7)}of the film`, label: 'x' }));
  rows.push({ text: 'long '.repeat(400), label: 'x' });
  const found = ofRule(analyze(jsonl(...rows)), 'length-outlier');
  assert.deepEqual(found.map((f) => f.line), [41]);
  assert.match(found[0].message, /Unusually long: 2,000 characters/);
});

test('length-outlier: one finding per cause, so a row already said to be short (too-short, placeholder) is not also an outlier', () => {
  const typical = Array.from({ length: 30 }, (_, i) => ({ text: `A perfectly ordinary review number ${i} of the product, long enough to be typical.`, label: 'a' }));
  const text = jsonl({ text: 'N/A', label: 'a' }, { text: 'ok', label: 'a' }, { text: 'ok ok', label: 'a' }, ...typical);
  const rules = (a: ReturnType<typeof analyze>, line: number) => a.findings.filter((f) => f.line === line).map((f) => f.rule).sort();
  const a = analyze(text);
  assert.deepEqual(rules(a, 1), ['placeholder']);
  assert.deepEqual(rules(a, 2), ['too-short']);
  assert.deepEqual(rules(a, 3), ['length-outlier'], 'short, but long enough for too-short: the outlier is the only finding saying so');
  const tooShortOff = analyze(text, 'data.jsonl', { rules: { 'too-short': 'off' } });
  assert.deepEqual(rules(tooShortOff, 2), ['length-outlier'], 'with too-short off, the outlier says it');
  // Only "unusually short" is left to them: a long row that is also a placeholder is still unusually long.
  const long = jsonl({ text: `TODO: ${'lorem ipsum dolor sit amet '.repeat(150)}`, label: 'a' }, ...typical);
  assert.ok(analyze(long).findings.some((f) => f.line === 1 && f.rule === 'length-outlier' && /Unusually long/.test(f.message)));
  // The finding budget (check --max-findings-per-rule) keeps the same rows out: a row over too-short's cap is still said short.
  const shorts = jsonl(...Array.from({ length: 6 }, () => ({ text: 'ok', label: 'a' })), ...typical);
  const outliers = (a: ReturnType<typeof analyze>) => a.findings.filter((f) => f.rule === 'length-outlier').map((f) => f.line);
  const capped = analyzeDataset('data.jsonl', new TextEncoder().encode(shorts), parseConfig({}).config, { maxFindingsPerRule: 2 });
  assert.deepEqual(outliers(capped), outliers(analyze(shorts)));
  assert.deepEqual(outliers(capped), []);
});

test('echo: an answer that repeats the instruction', () => {
  const a = analyze(jsonl(
    { instruction: 'Translate to French: hello', input: '', output: 'Translate to French: hello' },
    { instruction: 'Translate to French: hello', input: '', output: 'Bonjour' },
  ));
  assert.deepEqual(ofRule(a, 'echo').map((f) => f.line), [1]);
});

test('empty-output: an instruction row without an answer is an error', () => {
  const a = analyze(jsonl({ instruction: 'Name a colour', output: '  ' }, { instruction: 'Name a fruit', output: 'Apple' }));
  const found = ofRule(a, 'empty-output');
  assert.deepEqual(found.map((f) => [f.line, f.severity]), [[1, 'error']]);
});

test('fixes: whitespace trims, control chars strip, mojibake repairs', () => {
  const a = analyze(jsonl({ text: '  hi  there ', label: 'a' }, { text: 'x\u0007y z', label: 'a' }, { text: 'cafÃ© time', label: 'a' }), 'd.jsonl', {}, true);
  assert.equal(ofRule(a, 'whitespace')[0].fix?.edits[0].newText, '"hi there"');
  assert.equal(ofRule(a, 'control-chars')[0].fix?.edits[0].newText, '"xy z"');
  assert.equal(ofRule(a, 'mojibake')[0].fix?.edits[0].newText, '"café time"');
});

test('rules can be turned off or given another severity', () => {
  assert.equal(textFindings('ok', 'too-short', { rules: { 'too-short': 'off' } }).length, 0);
  assert.equal(textFindings('ok', 'too-short', { rules: { 'too-short': 'error' } })[0].severity, 'error');
});

test('too-short: a one-word answer is fine, a one-word classified text is not', () => {
  const a = analyze(jsonl({ instruction: 'Capital of France?', output: 'Paris.' }, { instruction: 'Capital of Spain?', output: 'Madrid.' }));
  assert.equal(ofRule(a, 'too-short').length, 0);
});

test('placeholder phrases are found inside longer texts, quoted or not; work markers count in capitals only', () => {
  const long = (s: string) => `Here is a longer answer that goes on for a while before it says ${s} and then ends properly.`;
  for (const phrase of ['lorem ipsum dolor', "'Lorem ipsum'", 'as an AI language model', 'I am an AI model', 'FIXME: check', 'TBD: later', '[insert name here]', '{{customer_name}}']) {
    assert.equal(textFindings(long(phrase), 'placeholder').length, 1, phrase);
  }
  for (const phrase of ['todo: buy milk', 'an AI tool', 'the ipsum of it', 'a [citation] here', 'a {brace} here']) {
    assert.equal(textFindings(long(phrase), 'placeholder').length, 0, phrase);
  }
});

test('repetition: a word 4 times or a phrase of 2 to 4 words 3 times back to back, on any word sequence', () => {
  const repeats = (words: string[]) => {
    for (let size = 1; size <= 4; size++) {
      const times = size === 1 ? 4 : 3;
      for (let i = 0; i + size * times <= words.length; i++) {
        let k = 1;
        while (i + (k + 1) * size <= words.length && words.slice(i, i + size).join() === words.slice(i + k * size, i + (k + 1) * size).join()) k++;
        if (k >= times) return true;
      }
    }
    return false;
  };
  fc.assert(
    fc.property(fc.array(fc.constantFrom('go', 'Go', 'on', 'up', 'it'), { minLength: 1, maxLength: 24 }), (words) => {
      const found = textFindings(words.join(' '), 'repetition').length > 0;
      assert.equal(found, repeats(words.map((w) => w.toLowerCase())), words.join(' '));
    }),
    { numRuns: 2000 },
  );
});

test('the repetition pre-filter (mayRepeat) passes exactly the word sequences with a long enough run of matches', () => {
  // The plain count it stands for: consecutive positions j where word j equals word j + s.
  const reference = (hash: Int32Array, count: number, run: number): boolean => {
    const need = [run - 1, 4, 6, 8];
    const runs = [0, 0, 0, 0];
    for (let j = 0; j + 1 < count; j++) {
      for (let s = 1; s <= 4; s++) runs[s - 1] = j + s < count && hash[j] === hash[j + s] ? runs[s - 1] + 1 : 0;
      if (runs.some((r, k) => r >= need[k])) return true;
    }
    return false;
  };
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }), fc.integer({ min: 2, max: 6 }), (words, run) => {
      const hash = Int32Array.from(words);
      assert.equal(mayRepeat(hash, hash.length, run), reference(hash, hash.length, run));
    }),
    { numRuns: 3000 },
  );
});

test('a text that is nothing but a placeholder is a placeholder, not also too short', () => {
  for (const text of ['N/A', 'TODO', 'none']) {
    assert.equal(textFindings(text, 'too-short').length, 0, text);
    assert.equal(textFindings(text, 'placeholder').length, 1, text);
  }
  assert.equal(textFindings('ok', 'too-short').length, 1, 'a short text that is no placeholder still is');
});
