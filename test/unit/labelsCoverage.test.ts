import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coverage } from '../../server/src/engine/labels';

test('coverage: distinct share of normalised texts, label x length buckets cut at the thirds, thinnest named', () => {
  const texts = ['Good film', 'good  FILM', 'a fine and long film indeed', 'bad', 'so bad it hurts', 'dull', 'ok', 'really quite good'];
  const labels = ['pos', 'pos', 'pos', 'neg', 'neg', 'neg', null, ['pos', 'neu']];
  const c = coverage({ texts, labels });
  assert.equal(c.rows, 8);
  assert.equal(c.distinctTexts, 7, "'Good film' and 'good  FILM' are one text");
  assert.equal(c.distinctShare, 7 / 8);
  // Word counts 2 2 6 1 4 1 1 3, sorted 1 1 1 2 2 3 4 6: cuts at index 2 (1) and index 5 (3).
  assert.deepEqual(c.lengthCuts, [1, 3]);
  const rows = (label: string) => ['short', 'medium', 'long'].map((length) => c.buckets.find((b) => b.label === label && b.length === length)!.rows);
  assert.deepEqual(rows('pos'), [0, 3, 1]);
  assert.deepEqual(rows('neg'), [2, 0, 1]);
  assert.deepEqual(rows('neu'), [0, 1, 0]);
  assert.deepEqual(c.thinnestLabels, [
    { label: 'neu', rows: 1, share: 1 / 7 },
    { label: 'neg', rows: 3, share: 3 / 7 },
    { label: 'pos', rows: 4, share: 4 / 7 },
  ]);
  assert.deepEqual(c.thinnestBuckets.map((b) => `${b.label}/${b.length}:${b.rows}`), ['neg/medium:0', 'neu/short:0', 'neu/long:0']);
  assert.equal(c.clusters, undefined);
});

test('coverage with near-duplicate clusters: count, largest share, rows alone', () => {
  const c = coverage({ texts: ['a', 'a b', 'c', 'd', 'e'], labels: ['x', 'x', 'y', 'y', 'y'] }, { clusterOf: Int32Array.from([0, 0, 0, -1, -1]) });
  assert.deepEqual(c.clusters, { count: 3, largestShare: 0.6, singletons: 2 });
  assert.equal(coverage({ texts: [], labels: [] }).distinctShare, 0);
});
