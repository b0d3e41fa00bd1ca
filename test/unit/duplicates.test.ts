import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeText, normalizedHash } from '../../server/src/engine';
import { analyze, jsonl, ofRule } from './helpers';

test('normalisation: NFKC, case-fold and whitespace collapse', () => {
  assert.equal(normalizeText('  Ｈｅｌｌｏ\t WORLD\n'), 'hello world');
  assert.equal(normalizeText('Straße'), 'strasse');
  assert.equal(normalizedHash('Hello   World '), normalizedHash('hello world'));
  assert.equal(normalizedHash('ﬁne'), normalizedHash('fine'));
  assert.notEqual(normalizedHash('hello world'), normalizedHash('hello worlds'));
});

test('exact-duplicate: repeats after normalisation point at the first occurrence', () => {
  const a = analyze(jsonl(
    { text: 'The film was great', label: 'pos' },
    { text: 'Something else entirely', label: 'pos' },
    { text: '  the FILM was   great', label: 'pos' },
    { text: 'The film was great!', label: 'pos' },
  ));
  const found = ofRule(a, 'exact-duplicate');
  assert.deepEqual(found.map((f) => [f.line, f.related?.[0].line]), [[3, 1]]);
  assert.equal(found[0].message, 'Duplicate of line 1');
  assert.equal(found[0].column, 9, 'the range is the text value');
});

test('conflicting-labels: every row of a text with two labels, as errors', () => {
  const a = analyze(jsonl({ text: 'Not bad at all', label: 'pos' }, { text: 'not bad at all', label: 'neg' }, { text: 'Not bad at all', label: 'pos' }));
  const found = ofRule(a, 'conflicting-labels');
  assert.deepEqual(found.map((f) => [f.line, f.severity]), [[1, 'error'], [2, 'error'], [3, 'error']]);
  assert.match(found[1].message, /labelled "pos" \(2 rows\), "neg" \(1 row\); this row says "neg"/);
  assert.deepEqual(found[1].related?.map((r) => r.line), [1, 3]);
});

test('chat rows are duplicates only when the whole conversation matches', () => {
  const c = (a: string) => ({ messages: [{ role: 'user', content: 'Hi there' }, { role: 'assistant', content: a }] });
  const a = analyze(jsonl(c('Hello!'), c('Hey, hello.'), c('hello!')));
  assert.deepEqual(ofRule(a, 'exact-duplicate').map((f) => f.line), [3]);
});

test('rows with structure errors take no part in duplicate detection', () => {
  const a = analyze(jsonl({ text: 'fine row here', label: 'a' }, '{"text": ', '{"text": '));
  assert.equal(ofRule(a, 'exact-duplicate').length, 0);
});

test('delete-row fix removes the whole line', () => {
  const a = analyze(jsonl({ text: 'same text here', label: 'a' }, { text: 'same text here', label: 'a' }), 'd.jsonl', {}, true);
  const [f] = ofRule(a, 'exact-duplicate');
  assert.deepEqual(f.fix?.edits[0], { line: 2, column: 1, endLine: 3, endColumn: 1, newText: '' });
});

test('labels that are variants of one another are not a conflict (label-variant says it)', () => {
  const rows = Array.from({ length: 6 }, (_, i) => ({ text: `filler row number ${i}`, label: 'positive' }));
  const a = analyze(jsonl(...rows, { text: 'Great value', label: 'Positive' }, { text: 'great value', label: 'positive' }));
  assert.equal(ofRule(a, 'conflicting-labels').length, 0);
  assert.equal(ofRule(a, 'exact-duplicate').length, 1);
});

test('normalizedHash hashes the normalised text: a text and its normalisation hash alike, whatever the spaces and scripts', () => {
  const alphabet = fc.constantFrom(...'abcXYZ09 .,-\t\n\r\u000b\u0085\u00a0\u00df\u00e9\u1680\u2003\u2028\u202f\u3000\ufb01\uff21\ufeffς'.split(''));
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')), (s) => {
      assert.equal(normalizedHash(s), normalizedHash(normalizeText(s)));
    }),
    { numRuns: 3000 },
  );
});
