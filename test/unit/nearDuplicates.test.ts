import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeDataset, analyzeJsonlShard, detectDatasetFormat, IncrementalDataset, mergeJsonlShards, nearDuplicateClusters, openReader,
  parseConfig, planJsonlShards, type LineEdit,
} from '../../server/src/engine';
import { analyze, jsonl, ofRule } from './helpers';
import { plainJaccard, replaced, rng, words } from './nearText';

const random = rng(42);
const base = words(60, random);
/** One mid-text word replaced: 5 of 56 shingles change, J = 51/61 ≈ 0.84. */
const oneOff = replaced(base, [20], random);
/** Two far-apart words replaced: J with the base ≈ 0.70, with oneOff ≈ 0.84. */
const twoOff = replaced(oneOff, [45], random);
const other = words(60, random);
const text = (w: string[]) => w.join(' ');

test('near-duplicates are verified, reported on the later row with the similarity, and point at the first row', () => {
  const a = analyze(jsonl({ text: text(base), label: 'a' }, { text: text(other), label: 'a' }, { text: text(oneOff), label: 'a' }), 'd.jsonl', {}, true);
  const [f] = ofRule(a, 'near-duplicate');
  assert.equal(ofRule(a, 'near-duplicate').length, 1);
  assert.equal(f.line, 3);
  assert.equal(f.similarity, Math.round(plainJaccard(text(base), text(oneOff)) * 10000) / 10000);
  assert.equal(f.cluster, 1);
  assert.deepEqual(f.related, [{ line: 1, message: 'first row of the near-duplicate cluster' }]);
  assert.deepEqual(f.data, { similarity: f.similarity, cluster: 1, clusterSize: 2, firstLine: 1 });
  assert.match(f.message, /^Near-duplicate of line 1 \(similarity 0\.8\d; 2 rows in this cluster\)$/);
  assert.deepEqual(f.fix?.edits, [{ line: 3, column: 1, endLine: 4, endColumn: 1, newText: '' }], 'keep one row: delete this one');
  assert.equal(a.stats.nearDuplicateClusters, 1);
  assert.equal(a.stats.nearDuplicateRows, 1);
  assert.deepEqual(nearDuplicateClusters(a.findings), [{ size: 2, similarity: f.similarity, lines: [1, 3] }]);
});

test('no pair under the threshold is reported, whatever the sketch says', () => {
  // J ≈ 0.58, 0.70 and 0.78: the last is a candidate in nearly every run (P ≈ 0.98) and must fail verification.
  const rows = [base, replaced(base, [10, 30, 50], random), replaced(base, [15, 40], random), replaced(base, [20, 22], random)].map((w) => ({ text: text(w), label: 'a' }));
  assert.ok(Math.abs(plainJaccard(rows[0].text, rows[3].text) - 49 / 63) < 1e-9);
  for (const threshold of [0.8, 0.9]) {
    const a = analyze(jsonl(...rows), 'd.jsonl', { nearDuplicateThreshold: threshold });
    for (const f of ofRule(a, 'near-duplicate')) {
      const related = rows[f.related![0].line - 1].text;
      assert.ok(plainJaccard(rows[f.line - 1].text, related) >= threshold, `line ${f.line} at ${threshold}`);
    }
    assert.equal(ofRule(a, 'near-duplicate').length, 0, `every pair here is under ${threshold} (0.58–0.78)`);
  }
});

test('clusters do not chain: C near B near A, but C not near A, is not in A’s cluster', () => {
  assert.ok(plainJaccard(text(base), text(oneOff)) >= 0.8 && plainJaccard(text(oneOff), text(twoOff)) >= 0.8);
  assert.ok(plainJaccard(text(base), text(twoOff)) < 0.8);
  const a = analyze(jsonl(...[base, oneOff, twoOff].map((w) => ({ text: text(w), label: 'a' }))));
  const near = ofRule(a, 'near-duplicate');
  assert.deepEqual(near.map((f) => [f.line, f.related![0].line]), [[2, 1]], 'row 3 stays out: its only near row is a member, not a first row');
  assert.equal(a.stats.nearDuplicateClusters, 1);
});

test('exact duplicates stay exact-duplicate only; near-identical texts with other labels are conflicting-labels', () => {
  const rows = [
    { text: text(base), label: 'positive' },
    { text: text(base).toUpperCase(), label: 'positive' },
    { text: text(oneOff), label: 'negative' },
    { text: text(other), label: 'positive' },
    { text: text(replaced(other, [30], random)), label: 'Positive' },
    { text: text(other), label: 'negative' },
  ];
  const a = analyze(jsonl(...rows));
  assert.deepEqual(ofRule(a, 'exact-duplicate').map((f) => f.line), [2, 6]);
  assert.deepEqual(ofRule(a, 'near-duplicate').map((f) => f.line), [3, 5], 'the exact copies are not near-duplicates as well');
  const conflicts = ofRule(a, 'conflicting-labels');
  const near = conflicts.filter((f) => f.data?.nearIdentical);
  assert.deepEqual(near.map((f) => f.line), [1, 3], 'a label variant ("Positive") is no conflict');
  assert.match(near[1].message, /^A near-identical text \(similarity 0\.8\d\) at line 1 is labelled "positive"; this row says "negative"$/);
  assert.equal(near[1].similarity, ofRule(a, 'near-duplicate')[0].similarity);
  assert.match(near[0].message, /^Near-identical texts have other labels: line 3 "negative" \(similarity 0\.8\d\); this row says "positive"$/);
  assert.equal(near[0].similarity, near[1].similarity, "the first row's finding carries the closest similarity");
  assert.deepEqual(conflicts.filter((f) => !f.data?.nearIdentical).map((f) => f.line), [4, 6], 'the exact conflict is unchanged');
});

test('settings: the threshold, the shingle size, and which chat texts are compared', () => {
  const rows = jsonl({ text: text(base), label: 'a' }, { text: text(oneOff), label: 'a' });
  assert.equal(ofRule(analyze(rows, 'd.jsonl', { nearDuplicateThreshold: 0.9 }), 'near-duplicate').length, 0);
  assert.equal(ofRule(analyze(rows, 'd.jsonl', { nearDuplicateShingleSize: 2 }), 'near-duplicate')[0].similarity, Math.round(plainJaccard(text(base), text(oneOff), 2) * 10000) / 10000);
  assert.equal(ofRule(analyze(rows, 'd.jsonl', { rules: { 'near-duplicate': 'off' } }), 'near-duplicate').length, 0);
  const { problems } = parseConfig({ nearDuplicateThreshold: 0.2, nearDuplicateText: 'everything' });
  assert.deepEqual(problems.map((p) => p.split(':')[0]).sort(), ['nearDuplicateText', 'nearDuplicateThreshold']);

  const chat = (user: string, assistant: string) => ({ messages: [{ role: 'user', content: user }, { role: 'assistant', content: assistant }] });
  const chats = jsonl(chat(text(base.slice(0, 30)), text(other.slice(0, 30))), chat(text(base.slice(0, 30)), text(replaced(other, [15], random).slice(0, 30))));
  const by = (mode: string) => ofRule(analyze(chats, 'c.jsonl', { nearDuplicateText: mode }), 'near-duplicate').length;
  assert.equal(by('prompt'), 1, 'the same user turns');
  assert.equal(by('response'), 0, 'answers differ in one word of 30: J = 21/31');
  assert.equal(by('prompt-and-response'), 1);
});

/** Rows with near-duplicates, exact duplicates and broken lines, for the equality tests. */
function mixedRows(): string {
  const r = rng(3);
  const out: unknown[] = [];
  const bases = Array.from({ length: 12 }, () => words(40, r));
  for (let i = 0; i < 150; i++) {
    const b = bases[i % bases.length];
    const kind = i % 5;
    const w = kind === 0 ? b : kind === 1 ? replaced(b, [39], r) : kind === 2 ? words(40, r) : kind === 3 ? replaced(b, [0, 20], r) : b.slice(0, 3);
    out.push({ text: text(w), label: ['pos', 'neg', 'Pos'][i % 3] });
  }
  out.splice(40, 0, '{"text": broken', '[1]');
  return jsonl(...out);
}

test('a sharded analysis with near-duplicates gives exactly the single-pass result', () => {
  const bytes = new TextEncoder().encode(mixedRows());
  const { config } = parseConfig({});
  const single = analyzeDataset('d.jsonl', bytes, config, { fixes: true, rowIndex: true });
  assert.ok(single.summary['near-duplicate'] > 5 && single.summary['exact-duplicate'] > 5);
  const detection = detectDatasetFormat(openReader('d.jsonl', bytes).rows(), config);
  for (const count of [2, 3, 7]) {
    const results = planJsonlShards(bytes, count).map((s) => analyzeJsonlShard(bytes, s, detection, config, { fixes: true, rowIndex: true }));
    assert.deepEqual(mergeJsonlShards('d.jsonl', bytes, detection, config, { fixes: true, rowIndex: true }, results), single, `${count} shards`);
  }
});

test('the incremental model agrees with a fresh analysis as edits make and break near-duplicates', () => {
  const { config } = parseConfig({});
  let doc = mixedRows();
  const model = new IncrementalDataset('d.jsonl', config, { fixes: true });
  model.setText(doc);
  const line = (n: number) => doc.split('\n')[n];
  const edits: LineEdit[] = [
    // Turn row 10 into a near-copy of row 1 (one word changed), then break row 2's similarity, then delete rows.
    { start: { line: 9, character: 0 }, end: { line: 9, character: line(9).length }, text: line(0).replace(/"text": "(\w+)/, '"text": "zzzq') },
    { start: { line: 1, character: 10 }, end: { line: 1, character: 40 }, text: 'completely different words go here now' },
    { start: { line: 5, character: 0 }, end: { line: 8, character: 0 }, text: '' },
  ];
  for (const e of edits) {
    model.applyEdit(e);
    const lines = doc.split('\n');
    const before = lines.slice(0, e.start.line).join('\n');
    const head = (before ? before + '\n' : '') + lines[e.start.line].slice(0, e.start.character);
    doc = head + e.text + lines.slice(e.end.line).join('\n').slice(e.end.character);
    assert.equal(model.text, doc);
    assert.deepEqual(model.analyze(), analyzeDataset('d.jsonl', new TextEncoder().encode(doc), config, { fixes: true }));
  }
  assert.ok(ofRule(model.analyze(), 'near-duplicate').some((f) => f.line === 6 || f.related?.[0].line === 1));
});

test('the row index is kept only when asked for', () => {
  const rows = jsonl({ text: text(base), label: 'a' }, { text: text(oneOff), label: 'a' });
  assert.equal(analyze(rows).rowIndex, undefined);
  const { config } = parseConfig({});
  const index = analyzeDataset('d.jsonl', new TextEncoder().encode(rows), config, { rowIndex: true }).rowIndex!;
  assert.deepEqual(Array.from(index.lines), [1, 2]);
  assert.equal(index.bands.length, 32);
  assert.ok(index.bands.every((k) => k !== 0));
});
