import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distribution, qualityScore } from '../../server/src/engine';
import { analyze, jsonl } from './helpers';

test('distribution: nearest-rank percentiles, computed by hand', () => {
  assert.deepEqual(distribution([5, 1, 3, 2, 4]), { min: 1, median: 3, p95: 5, max: 5, mean: 3 });
  assert.deepEqual(distribution([]), { min: 0, median: 0, p95: 0, max: 0, mean: 0 });
});

test('quality score: 100 for clean balanced data; penalties listed largest first', () => {
  assert.deepEqual(qualityScore(100, 0, 0, 0, 1), { score: 100, penalties: [] });
  // 10 error rows (10 points), 20 warning rows (8), 5 duplicates (1.5), balance 0.9 (2): 100 − 21.5 → 79 (rounded)
  const q = qualityScore(100, 10, 20, 5, 0.9);
  assert.equal(q.score, 79);
  assert.deepEqual(q.penalties.map((p) => p.cause), ['rows with errors', 'rows with warnings', 'label imbalance', 'duplicate rows']);
});

test('file statistics: rows, labels with shares, lengths, findings per rule and severity', () => {
  const a = analyze(jsonl({ text: 'one two three', label: 'a' }, { text: 'one two three', label: 'a' }, { text: 'four five', label: 'b' }, '{bad'));
  const s = a.stats;
  assert.equal(s.rows, 4);
  assert.equal(s.validRows, 3);
  assert.deepEqual(s.labels.map((l) => [l.name, l.count, Math.round(l.share * 100)]), [['a', 2, 67], ['b', 1, 33]]);
  assert.deepEqual([s.chars.min, s.chars.median, s.chars.max], [9, 13, 13]);
  assert.equal(s.findingsByRule['exact-duplicate'], 1);
  assert.equal(s.findingsBySeverity.error, 1);
  assert.deepEqual([s.duplicateGroups, s.duplicateRows, s.rowsWithErrors, s.rowsWithWarnings], [1, 1, 1, 1]);
  assert.equal(s.tokens.estimated, true);
  assert.ok(s.quality.score < 100 && s.quality.score > 0);
});
