import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from './helpers';

/**
 * Real public data: the UCI Sentiment Labelled Sentences (Amazon, IMDB, Yelp; 3,003 rows) as
 * shipped in the npm package sentiment@5.0.2 (see test/corpus/README.md). What it holds was
 * counted independently of Tuneset; these tests pin that the engine finds the same.
 */
const out = mkdtempSync(join(tmpdir(), 'tuneset-corpus-'));
const convert = spawnSync(process.execPath, [join(__dirname, '..', 'corpus', 'convert.mjs'), out, '--only=uci', '--string-labels'], { encoding: 'utf8' });

test('the corpus converts', () => {
  assert.equal(convert.status, 0, convert.stderr);
});

test('UCI sentences (JSONL): duplicates, C1 control characters, an HTML entity, empty rows; balanced labels', () => {
  const a = analyze(readFileSync(join(out, 'uci-sentiment-all.jsonl')), 'uci.jsonl');
  assert.equal(a.rows, 3003);
  assert.deepEqual(a.labels, { 0: 1500, 1: 1500 });
  assert.equal(a.stats.balanceIndex, 1);
  // 23 repeated rows after lower-casing and whitespace collapse, less the two repeats of the empty text (empty rows are empty-field, not duplicates).
  assert.equal(a.summary['exact-duplicate'], 21);
  assert.equal(a.summary['conflicting-labels'], undefined);
  assert.equal(a.summary['control-chars'], 8, 'U+0085/U+0096/U+0097 left from Windows-1252 text');
  assert.equal(a.summary['html-markup'], 1, 'one &amp;, and AT&T; is not an entity');
  assert.equal(a.summary['empty-field'], 3);
  assert.equal(a.summary['missing-label'], 3);
  assert.equal(a.summary['whitespace'], 1000, 'every IMDB sentence ends in two spaces');
});

test('UCI IMDB (CSV): the same facts through the CSV reader', () => {
  const a = analyze(readFileSync(join(out, 'uci-sentiment-imdb.csv')), 'imdb.csv');
  assert.equal(a.rows, 1001);
  assert.equal(a.summary['control-chars'], 8);
  assert.equal(a.summary['exact-duplicate'], 3);
});
