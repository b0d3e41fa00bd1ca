import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { distribution, qualityScore, rowScore } from '../../server/src/engine';
import { findingCounts } from '../../server/src/engine/report/stats';
import { formatCount } from '../../server/src/engine/format';
import { changedCounts, kthValue, medianValue, valueCounts } from '../../server/src/engine/select';
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

test('value counts: lengths are tallied, other numbers sorted; quantiles and medians agree with sorting', () => {
  const check = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const vc = valueCounts(values);
    assert.equal(vc.total, values.length);
    assert.deepEqual([...vc.values], [...new Set(sorted)]);
    for (let k = 0; k < sorted.length; k++) assert.equal(kthValue(vc, k), sorted[k]);
    const n = sorted.length;
    assert.equal(medianValue(vc), n % 2 ? sorted[n >> 1] : (sorted[(n >> 1) - 1] + sorted[n >> 1]) / 2);
    const d = distribution(values);
    assert.deepEqual(d, { min: sorted[0], max: sorted[n - 1], median: sorted[Math.ceil(0.5 * n) - 1], p95: sorted[Math.ceil(0.95 * n) - 1], mean: values.reduce((a, b) => a + b, 0) / n });
  };
  check([5, 3, 3, 0, 12, 7, 7, 7, 1]);
  check([2, 1]);
  check([1.5, -2, 1.5, 8e9, 3]);
  check([2 ** 23, 4, 4, 1]);
  fc.assert(fc.property(fc.array(fc.nat({ max: 300 }), { minLength: 1, maxLength: 200 }), (values) => check(values)));
});

test('formatCount writes thousands separators like en-US', () => {
  for (const n of [0, 7, 999, 1000, 12345, 999999, 1234567, -1234, 2.5, 1234.5678]) assert.equal(formatCount(n), n.toLocaleString('en-US'));
});

test('finding counts: rows are counted by their worst finding, in any order of findings', () => {
  const reference = (findings: { line: number; severity: 'error' | 'warning' | 'info'; rule: string }[]) => {
    const worst = new Map<number, string>();
    for (const f of findings) {
      if (f.rule === 'label-imbalance') continue;
      const prev = worst.get(f.line);
      if (f.severity === 'error' || (f.severity === 'warning' && prev !== 'error')) worst.set(f.line, f.severity);
    }
    const values = [...worst.values()];
    return { errors: values.filter((s) => s === 'error').length, warnings: values.filter((s) => s === 'warning').length };
  };
  const finding = fc.record({ line: fc.integer({ min: 1, max: 8 }), severity: fc.constantFrom('error' as const, 'warning' as const, 'info' as const), rule: fc.constantFrom('a', 'label-imbalance') });
  fc.assert(fc.property(fc.array(finding, { maxLength: 30 }), fc.boolean(), (list, sortFirst) => {
    const findings = (sortFirst ? [...list].sort((a, b) => a.line - b.line) : list).map((f) => ({ ...f, column: 1, endLine: f.line, endColumn: 2, message: '' }));
    const counts = findingCounts(findings);
    const expected = reference(findings);
    assert.deepEqual([counts.rowsWithErrors, counts.rowsWithWarnings], [expected.errors, expected.warnings]);
    assert.equal(Object.values(counts.findingsByRule).reduce((a, b) => a + b, 0), findings.length);
  }));
});

test('changedCounts: the counts of a list after values came and went equal the counts of the new list', () => {
  fc.assert(
    fc.property(fc.array(fc.nat(40)), fc.array(fc.nat(40), { maxLength: 6 }), fc.array(fc.nat(12)), (list, added, removeAt) => {
      const removed = [...new Set(removeAt.filter((i) => i < list.length))].map((i) => list[i]);
      const after = [...list];
      for (const v of removed) after.splice(after.indexOf(v), 1);
      after.push(...added);
      const changes = [...removed.map((v) => [v, -1] as const), ...added.map((v) => [v, 1] as const)];
      assert.deepEqual(changedCounts(valueCounts(list), changes), valueCounts(after));
    }),
  );
  assert.throws(() => changedCounts(valueCounts([1]), [[1, -2]]), /removed more often/);
});

test('a row\'s score is on the file score\'s scale: an error costs 100, a warning 40, a repeat 30; the file score is their mean', () => {
  assert.equal(rowScore(undefined), 100);
  assert.equal(rowScore([{ rule: 'too-short', severity: 'info' }]), 100, 'information costs nothing');
  assert.equal(rowScore([{ rule: 'too-short', severity: 'warning' }, { rule: 'pii-email', severity: 'warning' }]), 60, 'a row loses a warning\'s points once');
  assert.equal(rowScore([{ rule: 'exact-duplicate', severity: 'warning' }]), 30);
  assert.equal(rowScore([{ rule: 'invalid-json', severity: 'error' }, { rule: 'too-short', severity: 'warning' }]), 0);
  // 10 rows: 1 in error, 2 with warnings (one a repeat): rows score 0, 60, 30 and 100 × 7.
  const rows = [0, 60, 30, ...Array(7).fill(100)];
  assert.equal(qualityScore(10, 1, 2, 1, 1).score, Math.round(rows.reduce((a, b) => a + b) / rows.length));
});
