import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDiversity } from '../../server/src/engine';

test('diversity: words, vocabulary, type/token ratio and distinct bigrams, computed by hand', () => {
  // the cat sat | the cat ran | a dog → 8 words, 6 distinct; bigrams the·cat ×2, cat·sat, cat·ran, a·dog → 5, 4 distinct.
  const d = computeDiversity(['The cat sat.', 'The cat ran!', 'A dog']);
  assert.deepEqual(
    { rows: d.rows, sampled: d.sampled, tokens: d.tokens, vocabulary: d.vocabulary, ttr: d.typeTokenRatio, bigrams: d.bigrams, distinct: d.distinctBigrams, share: d.distinctBigramShare },
    { rows: 3, sampled: false, tokens: 8, vocabulary: 6, ttr: 0.75, bigrams: 5, distinct: 4, share: 0.8 },
  );
  // "the" and "a" are stopwords; ties are alphabetical.
  assert.deepEqual(d.topTerms, [{ term: 'cat', count: 2 }, { term: 'dog', count: 1 }, { term: 'ran', count: 1 }, { term: 'sat', count: 1 }]);
});

test('diversity: bigrams stop at row ends; numbers and one-letter words are not top terms', () => {
  const d = computeDiversity(['red blue', 'blue red', '42 x 42']);
  assert.equal(d.bigrams, 4);
  assert.equal(d.distinctBigrams, 4, 'blue·red across the row break is not counted');
  assert.deepEqual(d.topTerms.map((t) => t.term), ['blue', 'red']);
});

test('diversity: words of every script stay whole (natural\'s WordTokenizer would cut "café")', () => {
  const d = computeDiversity(['Café crème, naïve façade', 'Привет мир', '東京']);
  assert.deepEqual(d.topTerms.map((t) => t.term).sort(), ['café', 'crème', 'façade', 'naïve', 'мир', 'привет', '東京'].sort());
});

test('diversity sample: spread over the file when the row count is known, else the first rows', () => {
  const texts = Array.from({ length: 10 }, (_, i) => `w${i}`);
  const spread = computeDiversity(texts, { totalRows: 10, sampleLimit: 5 });
  assert.deepEqual([spread.rows, spread.sampled], [5, true]);
  assert.deepEqual(spread.topTerms.map((t) => t.term), ['w0', 'w2', 'w4', 'w6', 'w8']);
  const first = computeDiversity(texts, { sampleLimit: 5 });
  assert.deepEqual([first.rows, first.sampled], [5, true]);
  assert.deepEqual(first.topTerms.map((t) => t.term), ['w0', 'w1', 'w2', 'w3', 'w4']);
  const all = computeDiversity(texts.slice(0, 5), { sampleLimit: 5 });
  assert.deepEqual([all.rows, all.sampled], [5, false]);
});

test('diversity sample: a word budget widens the step so the sample still spans the file', () => {
  // 100 rows of 10 words, budget 100 words: every 10th row (0, 10, …, 90), not the first ten.
  const texts = Array.from({ length: 100 }, (_, i) => `r${i} ` + 'w '.repeat(9));
  const d = computeDiversity(texts, { totalRows: 100, wordLimit: 100 });
  assert.deepEqual([d.rows, d.tokens, d.sampled], [10, 100, true]);
  assert.ok(d.topTerms.some((t) => t.term === 'r90'), 'the last rows are in the sample');
  // Without the row count there is no way to spread it: the first rows until the budget is spent.
  const first = computeDiversity(texts, { wordLimit: 100 });
  assert.deepEqual([first.rows, first.tokens, first.sampled], [10, 100, true]);
});

test('diversity: a host may bring its own tokenizer and stopwords; empty input gives zeros', () => {
  const d = computeDiversity(['a-b a-b'], { tokenize: (s) => s.split(' '), stopwords: [] });
  assert.deepEqual([d.tokens, d.vocabulary, d.topTerms[0]], [2, 1, { term: 'a-b', count: 2 }]);
  const none = computeDiversity([]);
  assert.deepEqual([none.tokens, none.typeTokenRatio, none.distinctBigramShare, none.topTerms.length], [0, 0, 0, 0]);
});
