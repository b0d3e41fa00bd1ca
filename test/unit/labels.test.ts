import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balanceIndex, editDistance } from '../../server/src/engine/rules/labels';
import { analyze, jsonl, ofRule } from './helpers';

const rows = (label: string, n: number, prefix = label) => Array.from({ length: n }, (_, i) => ({ text: `${prefix} sample text number ${i}`, label }));

test('balance index: 1 when uniform, lower when skewed (hand-computed)', () => {
  assert.equal(balanceIndex([5, 5]), 1);
  // shares 0.9/0.1: 1 − (0.4² + 0.4²) = 0.68
  assert.ok(Math.abs(balanceIndex([9, 1]) - 0.68) < 1e-12);
});

test('label-imbalance: one finding on line 1 with counts, ratio and balance index', () => {
  const a = analyze(jsonl(...rows('neg', 40), ...rows('pos', 10)));
  const [f] = ofRule(a, 'label-imbalance');
  assert.equal(f.line, 1);
  assert.equal(f.message, 'Labels are imbalanced: neg: 40 · pos: 10; majority/minority ratio 4.0, balance index 0.82');
  assert.equal(ofRule(analyze(jsonl(...rows('neg', 30), ...rows('pos', 10))), 'label-imbalance').length, 0, 'ratio 3 is within the threshold');
});

test('label-imbalance: a class far under its uniform share', () => {
  const a = analyze(jsonl(...rows('a', 30), ...rows('b', 30), ...rows('c', 30), ...rows('d', 2)), 'd.jsonl', { thresholds: { imbalanceRatio: 100 } });
  assert.equal(ofRule(a, 'label-imbalance').length, 1);
});

test('rare-label: rows of a label under the minimum', () => {
  const a = analyze(jsonl(...rows('a', 20), ...rows('b', 20), ...rows('zebra', 2)));
  assert.deepEqual(ofRule(a, 'rare-label').map((f) => f.line), [41, 42]);
  assert.equal(ofRule(analyze(jsonl(...rows('a', 20), ...rows('b', 5))), 'rare-label').length, 0);
});

test('label-variant: case, whitespace and a one-letter typo, with a fix to the common label', () => {
  const a = analyze(jsonl(...rows('positive', 10), ...rows('negative', 10), { text: 'x one two', label: 'Positive' }, { text: 'y one two', label: 'positve ' }, { text: 'z one two', label: 'neutral' }), 'd.jsonl', {}, true);
  const found = ofRule(a, 'label-variant');
  assert.deepEqual(found.map((f) => [f.line, f.data?.canonical]), [[21, 'positive'], [22, 'positive']]);
  assert.equal(found[0].fix?.edits[0].newText, '"positive"');
  assert.equal(editDistance('neutral', 'negative', 1), 2);
});

test('missing-label is reported; unlabelled rows do not count in the distribution', () => {
  const a = analyze(jsonl({ text: 'has a label here', label: 'a' }, { text: 'has a label too', label: 'a' }, { text: 'has none here' }));
  assert.deepEqual(a.labels, { a: 2 });
  assert.equal(ofRule(a, 'missing-label').length, 1);
});
