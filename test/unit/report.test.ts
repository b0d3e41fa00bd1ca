import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, histogram, parseConfig } from '../../server/src/engine';
import { analyze, jsonl } from './helpers';

test('histogram: round bucket width up to the 99th percentile, computed by hand', () => {
  // p99 of five values is the largest, 12; (12 + 1) / 5 buckets = 2.6 → width 5 → 3 buckets.
  assert.deepEqual(histogram([0, 3, 4, 9, 12], 5), { width: 5, counts: [3, 1, 1], over: 0 });
  // 99 rows of 1 token and one of 500: p99 is 1, so the 500 lands in `over` instead of stretching the axis.
  assert.deepEqual(histogram([...Array(99).fill(1), 500], 5), { width: 1, counts: [0, 99], over: 1 });
  // 0…999: p99 = 989 → 990 / 24 = 41.25 → width 50 → 20 buckets of 50 rows each.
  assert.deepEqual(histogram(Array.from({ length: 1000 }, (_, i) => i)), { width: 50, counts: Array(20).fill(50), over: 0 });
  assert.deepEqual(histogram([]), { width: 1, counts: [], over: 0 });
});

/** Settings as the host passes them: validated and defaulted. */
const settings = (raw: unknown) => parseConfig(raw).config;

const ROWS = jsonl(
  { text: 'one two three', label: 'a' },
  { text: 'one two three', label: 'a' },
  { text: 'four five', label: 'b' },
  '{bad',
);

test('report header and labels: rows, score, severities, shares, and the labels rare-label flags', () => {
  const rows = jsonl(...ROWS.trim().split('\n'), { text: 'six seven', label: 'a' });
  const a = analyze(rows, 'data.jsonl', { thresholds: { rareLabelMin: 2 } });
  const r = buildReport(a, { config: settings({ thresholds: { rareLabelMin: 2 } }) });
  assert.equal(r.version, 1);
  assert.deepEqual([r.header.path, r.header.format, r.header.container, r.header.rows, r.header.validRows], ['data.jsonl', 'classification', 'jsonl', 5, 4]);
  assert.deepEqual(r.header.quality, a.stats.quality);
  assert.equal(r.header.findingsBySeverity.error, 1);
  assert.deepEqual([r.header.duplicateRows, r.header.duplicateGroups], [1, 1]);
  assert.equal(r.header.generatedAt, undefined, 'no clock unless the host passes one');
  // a: 3 rows, b: 1 (under the minimum of 2, and 4 labelled rows are enough to judge).
  assert.deepEqual(r.labels?.labels.map((l) => [l.name, l.count, l.share, l.rare]), [['a', 3, 0.75, false], ['b', 1, 0.25, true]]);
  assert.deepEqual([r.labels?.labelled, r.labels?.rareLabelMin], [4, 2]);
  // 1 − ((3/4 − 1/2)² + (1/4 − 1/2)²) = 0.875
  assert.equal(r.labels?.balanceIndex, 0.875);
  // Three labelled rows are too few to call any label rare, whatever the minimum.
  assert.deepEqual(buildReport(analyze(ROWS, 'data.jsonl', { thresholds: { rareLabelMin: 2 } })).labels?.labels.map((l) => l.rare), [false, false]);
});

test('report lengths: histogram from the stats, limit and outlier counts from the findings', () => {
  const a = analyze(ROWS);
  const r = buildReport(a, { config: settings({ maxTokens: 2 }) });
  // o200k counts 3 and 2 tokens (13 and 9 bytes): 4.375 bytes per token, so the estimates are 3, 3, 2.
  assert.equal(r.lengths.bytesPerToken, 4.38);
  assert.deepEqual(r.lengths.distribution, { min: 2, median: 3, p95: 3, max: 3, mean: 8 / 3 });
  assert.deepEqual(r.lengths.histogram, { width: 1, counts: [0, 0, 1, 2], over: 0 });
  assert.equal(r.lengths.maxTokens, 2, 'the limit line comes from the config the host passes');
  assert.equal(r.lengths.overLimit, 0, 'the analysis ran with the default 4096 limit');
  // token-limit adds 4 tokens of chat-template overhead per text: 3 + 4 = 7 > 6 twice, 2 + 4 = 6 is within.
  const tight = analyze(ROWS, 'data.jsonl', { maxTokens: 6 });
  assert.equal(buildReport(tight, { config: settings({ maxTokens: 6 }) }).lengths.overLimit, 2);
});

test('findings per rule: counts, configured severity, catalogue summary, examples capped', () => {
  const a = analyze(jsonl(...Array.from({ length: 4 }, () => ({ text: 'same text here', label: 'a' }))), 'd.jsonl', { rules: { 'exact-duplicate': 'error' } });
  const r = buildReport(a, { examplesPerRule: 2 });
  const dup = r.findings.find((f) => f.rule === 'exact-duplicate');
  assert.ok(dup);
  assert.equal(dup.count, 3);
  assert.equal(dup.severity, 'error');
  assert.equal(dup.family, 'duplicates');
  assert.match(dup.summary, /same text as an earlier row/);
  assert.deepEqual(dup.examples.map((e) => e.line), [2, 3]);
  assert.equal(r.findings[0].rule, 'exact-duplicate', 'errors come first');
});

test('near-duplicates: a clear "not computed" state, or clusters largest first', () => {
  const a = analyze(ROWS);
  assert.deepEqual(buildReport(a).nearDuplicates, { computed: false, clusters: [] });
  const clusters = [{ size: 2, similarity: 0.9, lines: [1, 5] }, { size: 3, similarity: 0.85, lines: [2, 3, 9] }];
  const near = buildReport(a, { nearDuplicates: { threshold: 0.8, clusters } }).nearDuplicates;
  assert.deepEqual(near.clusters.map((c) => c.size), [3, 2]);
  assert.equal(near.computed, true);
});

test('formats without labels have no label section; the report is plain JSON', () => {
  const a = analyze(jsonl({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }));
  const r = buildReport(a);
  assert.equal(r.labels, null);
  assert.equal(r.diversity, null);
  assert.equal(r.splits, null);
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
});
