import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  analyzeDataset, analyzeJsonlShard, detectDatasetFormat, mergeJsonlShards, openReader, parseConfig, planJsonlShards, type DatasetAnalysis,
} from '../../server/src/engine';
import { omittedPerRule } from '../../server/src/engine/analysis/findingBudget';
import { jsonl } from './helpers';

/** A templated file: every row a PII hit, most rows duplicates, some conflicting, some broken. */
function templated(n: number, seed: number): Uint8Array {
  const rows: unknown[] = [];
  for (let i = 0; i < n; i++) {
    if ((i * 7 + seed) % 23 === 0) rows.push('{"text": broken');
    else rows.push({ text: `Order ${(i + seed) % 17} shipped to ${['Paris', 'Lima', 'Oslo'][i % 3]}; mail help@shop.com`, label: (i + seed) % 5 === 0 ? 'complaint' : 'shipping' });
  }
  return new TextEncoder().encode(jsonl(...rows));
}

/** What the cap must leave exactly as it is: counts, statistics, the score. */
function totals(a: DatasetAnalysis) {
  return { rows: a.rows, summary: a.summary, stats: a.stats, labels: a.labels };
}

test('a per-rule cap keeps at most that many findings of each rule and leaves every count and the score as they were', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 30 }), (n, seed, cap) => {
      const bytes = templated(n, seed);
      const { config } = parseConfig({});
      const all = analyzeDataset('t.jsonl', bytes, config, {});
      const capped = analyzeDataset('t.jsonl', bytes, config, { maxFindingsPerRule: cap });
      assert.deepEqual(totals(capped), totals(all));
      const kept = new Map<string, number>();
      for (const f of capped.findings) kept.set(f.rule, (kept.get(f.rule) ?? 0) + 1);
      for (const [rule, total] of Object.entries(all.summary)) {
        assert.equal(kept.get(rule) ?? 0, Math.min(total, cap), rule);
        assert.equal(capped.omitted ? omittedPerRule(capped.omitted)[rule] ?? 0 : 0, Math.max(0, total - cap), rule);
      }
      // Every kept finding is one the full analysis made, in file order.
      const made = new Set(all.findings.map((f) => JSON.stringify(f)));
      for (const f of capped.findings) assert.ok(made.has(JSON.stringify(f)));
      const lines = capped.findings.map((f) => f.line);
      assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
    }),
    { numRuns: 40, seed: 16 },
  );
});

test('sharded, the cap keeps the file\'s first findings of each row rule and the same counts as one pass', () => {
  const bytes = templated(600, 3);
  const { config } = parseConfig({});
  const options = { maxFindingsPerRule: 25 };
  const single = analyzeDataset('t.jsonl', bytes, config, options);
  const detection = detectDatasetFormat(openReader('t.jsonl', bytes).rows(), config);
  for (const count of [2, 3, 5]) {
    const results = planJsonlShards(bytes, count).map((s) => analyzeJsonlShard(bytes, s, detection, config, options));
    assert.deepEqual(mergeJsonlShards('t.jsonl', bytes, detection, config, options, results), single, `${count} shards`);
  }
  assert.ok(single.omitted && omittedPerRule(single.omitted)['pii-email'] > 0);
});
