import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { datasetSource, normalizeText, openReader, planSplit, renderSplit, renderSplitBytes, type SplitOptions } from '../../server/src/engine';
import { apportion, stratifiedTargets } from '../../server/src/engine/split/apportion';

/** Plans and renders a split of inline file content; returns the plan and the output files by name. */
function splitFile(content: string, options: SplitOptions = {}, name = 'data.jsonl') {
  const bytes = new TextEncoder().encode(content);
  const reader = openReader(name, bytes);
  const plan = planSplit(reader.rows(), options);
  const files = renderSplit(plan, datasetSource(name, reader, bytes, { sha256: 'abc', toolVersion: '9.9.9' }));
  return { plan, files: Object.fromEntries(files.map((f) => [f.name, f.text])) as Record<string, string> };
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const sorted = (xs: string[]) => [...xs].sort();

// Random JSONL files: few labels and few texts so duplicates and small classes are common, plus broken lines.
const row = fc.oneof(
  { weight: 12, arbitrary: fc.record({ text: fc.constantFrom('good film', 'Good  film', 'bad plot', 'fine', 'meh', 'great cast', 'dull'), label: fc.constantFrom('pos', 'neg', 'neu', 'rare'), conv: fc.integer({ min: 0, max: 6 }) }).map((r) => JSON.stringify(r)) },
  { weight: 1, arbitrary: fc.constantFrom('{"text": "cut off', '[1, 2]', '{"label": "pos"}') },
);
const file = fc.array(row, { minLength: 0, maxLength: 60 }).map((rs) => rs.join('\n') + '\n');
const ratios = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 4 }).filter((r) => r.some((x) => x > 0));

test('apportion: largest remainder, parts add up, zero weights get nothing', () => {
  assert.deepEqual(apportion(10, [80, 10, 10]), [8, 1, 1]);
  assert.deepEqual(apportion(11, [80, 10, 10]), [9, 1, 1]);
  assert.deepEqual(apportion(3, [1, 1]), [2, 1]);
  assert.deepEqual(apportion(5, [1, 0, 1]), [3, 0, 2]);
  fc.assert(fc.property(fc.nat(10_000), ratios, (n, w) => apportion(n, w).reduce((a, b) => a + b, 0) === n));
});

test('stratified targets: every cell within one of its exact share, class totals exact', () => {
  fc.assert(
    fc.property(fc.array(fc.nat(50), { minLength: 1, maxLength: 6 }), ratios, (counts, w) => {
      const t = stratifiedTargets(counts, w);
      const sum = w.reduce((a, b) => a + b, 0);
      counts.forEach((n, c) => {
        assert.equal(t[c].reduce((a, b) => a + b, 0), n);
        w.forEach((ws, s) => assert.ok(Math.abs(t[c][s] - (n * ws) / sum) < 1 + 1e-9, `class ${c} split ${s}`));
      });
    }),
  );
});

test('property: the splits and the left-out rows together are exactly the input lines, each split in file order', () => {
  fc.assert(
    fc.property(file, ratios, fc.nat(1000), fc.boolean(), fc.boolean(), fc.boolean(), (content, r, seed, stratify, groupDuplicates, byConv) => {
      const { plan, files } = splitFile(content, { ratios: r, names: r.map((_, i) => `s${i}`), seed, stratify, groupDuplicates, groupField: byConv ? 'conv' : undefined });
      const input = lines(content);
      const out = plan.splits.flatMap((s) => lines(files[`data.${s.name}.jsonl`]));
      const excluded = plan.excluded.map((e) => input[e.line - 1]);
      assert.deepEqual(sorted(out.concat(excluded)), sorted(input));
      for (const s of plan.splits) assert.deepEqual(s.rows, [...s.rows].sort((a, b) => a - b));
      assert.equal(plan.rows, input.length);
    }),
  );
});

test('property: the same seed gives the same files; the split does not depend on the machine or a second read', () => {
  fc.assert(
    fc.property(file, ratios, fc.nat(1000), fc.boolean(), (content, r, seed, stratify) => {
      const a = splitFile(content, { ratios: r, names: r.map((_, i) => `s${i}`), seed, stratify, groupDuplicates: true });
      const b = splitFile(content, { ratios: r, names: r.map((_, i) => `s${i}`), seed, stratify, groupDuplicates: true });
      assert.deepEqual(a.files, b.files);
    }),
  );
});

test('property: stratified without groups, each label is within one row of its exact share in every split, and sizes hit their targets', () => {
  fc.assert(
    fc.property(file, ratios, fc.nat(1000), (content, r, seed) => {
      const { plan } = splitFile(content, { ratios: r, names: r.map((_, i) => `s${i}`), seed, stratify: true });
      const sum = r.reduce((a, b) => a + b, 0);
      const total = (label: string) => plan.splits.reduce((n, s) => n + s.labels[label], 0);
      for (const s of plan.splits) {
        const share = r[plan.splits.indexOf(s)] / sum;
        for (const [label, n] of Object.entries(s.labels)) assert.ok(Math.abs(n - total(label) * share) <= 1, `${label} in ${s.name}: ${n} of ${total(label)}`);
        // And the split's size is its ratio's largest-remainder share of the rows.
        assert.equal(s.rows.length, s.target, `${s.name} size`);
      }
    }),
  );
});

test('property: grouped rows never straddle two splits (exact duplicates, a group field, caller clusters)', () => {
  fc.assert(
    fc.property(file, ratios, fc.nat(1000), fc.boolean(), fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 60 }), (content, r, seed, stratify, clusters) => {
      const input = lines(content);
      const { plan } = splitFile(content, { ratios: r, names: r.map((_, i) => `s${i}`), seed, stratify, groupDuplicates: true, groupField: 'conv', groups: clusters });
      const splitOf = new Map<number, number>();
      plan.splits.forEach((s, k) => s.rows.forEach((i) => splitOf.set(i, k)));
      const together = (key: (i: number) => string | undefined) => {
        const seen = new Map<string, number>();
        for (const [i, k] of splitOf) {
          const g = key(i);
          if (g === undefined) continue;
          if (seen.has(g)) assert.equal(seen.get(g), k, `group ${g} straddles`);
          else seen.set(g, k);
        }
      };
      // Duplicates are rows with the same normalised text when the file reads as classification data.
      if (plan.format === 'classification') together((i) => normalizeText(JSON.parse(input[i]).text));
      together((i) => String(JSON.parse(input[i]).conv));
      together((i) => (clusters[i] !== undefined && clusters[i] >= 0 ? String(clusters[i]) : undefined));
    }),
  );
});

test('k folds: equal parts (within one row), named fold1…foldK', () => {
  const content = Array.from({ length: 23 }, (_, i) => JSON.stringify({ text: `row ${i}`, label: i % 3 ? 'a' : 'b' })).join('\n');
  const { plan, files } = splitFile(content, { folds: 5, stratify: true, seed: 1 });
  assert.deepEqual(plan.splits.map((s) => s.name), ['fold1', 'fold2', 'fold3', 'fold4', 'fold5']);
  const sizes = plan.splits.map((s) => s.rows.length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, sizes.join(','));
  // A fold is written as its pair only (NAME.folds/foldN/train and val): no flat copy of its rows beside them.
  assert.ok('data.folds/fold3/val.jsonl' in files);
  assert.ok(!('data.fold3.jsonl' in files));
});

test('time split: oldest rows first, each split entirely older than the next; rows without a date are listed', () => {
  const dates = ['2024-03-01', '2023-01-05', '2024-01-01T10:00:00Z', 1700000000, '2022-12-31', 'yesterday', null, '2024-02-10', '2023-06-01', '2023-07-01'];
  const content = dates.map((d, i) => JSON.stringify({ text: `t${i}`, label: 'x', at: d })).join('\n');
  const { plan } = splitFile(content, { ratios: [50, 25, 25], timeField: 'at' });
  assert.deepEqual(plan.excluded.map((e) => [e.line, e.reason]), [
    [6, '"at" is not a date: "yesterday"'],
    [7, 'Row has no date in "at"'],
  ]);
  const time = (i: number) => (typeof dates[i] === 'number' ? (dates[i] as number) * 1000 : Date.parse(dates[i] as string));
  for (let s = 0; s + 1 < plan.splits.length; s++) {
    const newest = Math.max(...plan.splits[s].rows.map(time));
    const oldest = Math.min(...plan.splits[s + 1].rows.map(time));
    assert.ok(newest <= oldest, `${plan.splits[s].name} before ${plan.splits[s + 1].name}`);
  }
  assert.deepEqual(plan.splits.map((s) => s.rows.length), [4, 2, 2]);
});

test('rows with structure errors are left out and listed with line and reason, never dropped silently', () => {
  const content = '{"text": "a", "label": "x"}\n\n{"text": "b", "label": \n{"label": "x"}\n{"text": 5, "label": "x"}\n{"text": "c", "label": "y"}\n';
  const { plan } = splitFile(content, { ratios: [1, 1] });
  assert.deepEqual(plan.excluded.map((e) => [e.line, e.rule]), [[3, 'invalid-json'], [4, 'missing-field'], [5, 'wrong-type']]);
  assert.equal(plan.splits.reduce((n, s) => n + s.rows.length, 0), 2);
});

test('plan: counts per label, balance index, targets; manifest records seed, options, counts and the source hash', () => {
  const content = Array.from({ length: 20 }, (_, i) => JSON.stringify({ text: `row ${i}`, label: i < 10 ? 'pos' : 'neg' })).join('\n');
  const { plan, files } = splitFile(content, { ratios: [80, 20], stratify: true, seed: 3 });
  assert.deepEqual(plan.splits.map((s) => [s.name, s.rows.length, s.labels, s.balanceIndex, s.target]), [
    ['train', 16, { pos: 8, neg: 8 }, 1, 16],
    ['test', 4, { pos: 2, neg: 2 }, 1, 4],
  ]);
  const manifest = JSON.parse(files['data.split.json']);
  assert.equal(manifest.version, '9.9.9');
  assert.equal(manifest.seed, 3);
  assert.deepEqual(manifest.source, { file: 'data.jsonl', sha256: 'abc', rows: 20, container: 'jsonl', format: 'classification', fields: { text: 'text', label: 'label' } });
  assert.deepEqual(manifest.splits.map((s: { file: string; labels: object }) => [s.file, s.labels]), [['data.train.jsonl', { pos: 8, neg: 8 }], ['data.test.jsonl', { pos: 2, neg: 2 }]]);
  assert.equal(manifest.options.stratify, true);
});

test('a different seed gives a different split of the same sizes', () => {
  const content = Array.from({ length: 50 }, (_, i) => JSON.stringify({ text: `row ${i}`, label: 'a' })).join('\n');
  const a = splitFile(content, { seed: 1 }).plan;
  const b = splitFile(content, { seed: 2 }).plan;
  assert.deepEqual(a.splits.map((s) => s.rows.length), b.splits.map((s) => s.rows.length));
  assert.notDeepEqual(a.splits[0].rows, b.splits[0].rows);
});

test('CSV keeps its header and exact records (quoted, multi-line, CRLF); JSON arrays keep element texts', () => {
  const csv = 'text,label\r\n"multi\r\nline, quoted",a\r\nplain,b\r\n"say ""hi""",a\r\nlast,b\r\n';
  const { files } = splitFile(csv, { ratios: [1, 1], seed: 5 }, 'd.csv');
  const all = files['d.train.csv'] + files['d.test.csv'];
  for (const f of [files['d.train.csv'], files['d.test.csv']]) assert.ok(f.startsWith('text,label\r\n'));
  for (const rec of ['"multi\r\nline, quoted",a\r\n', 'plain,b\r\n', '"say ""hi""",a\r\n', 'last,b\r\n']) assert.ok(all.includes(rec), rec);
  const json = '[\n  {"instruction": "a", "output": "x"},\n  {\n    "instruction": "b",\n    "output": "y"\n  },\n  {"instruction": "c", "output": "z"}\n]\n';
  const j = splitFile(json, { ratios: [2, 1], seed: 1 }, 'd.json').files;
  const parsed = [...JSON.parse(j['d.train.json']), ...JSON.parse(j['d.test.json'])].map((o) => o.instruction).sort();
  assert.deepEqual(parsed, ['a', 'b', 'c']);
  assert.ok((j['d.train.json'] + j['d.test.json']).includes('{\n    "instruction": "b",\n    "output": "y"\n  }'));
});

test('bad options are refused with every problem named', () => {
  assert.throws(() => splitFile('{"text":"a"}\n', { ratios: [1] }), /at least two ratios/);
  assert.throws(() => splitFile('{"text":"a"}\n', { ratios: [1, 1], folds: 3 }), /ratios or folds/);
  assert.throws(() => splitFile('{"text":"a"}\n', { stratify: true, timeField: 'at' }), /cannot be stratified/);
  assert.throws(() => splitFile('{"text":"a"}\n', { names: ['a', 'a', 'b/c'] }), /must differ.*file name/);
});

test('stratify without labels says so instead of failing', () => {
  const { plan } = splitFile('{"text":"a"}\n{"text":"b"}\n', { stratify: true, ratios: [1, 1] });
  assert.deepEqual(plan.warnings, ['No labels found: the split is not stratified']);
});


test('bytes rendering: the same files as text rendering; JSONL rows copied byte for byte, invalid UTF-8 included', () => {
  fc.assert(
    fc.property(file, ratios, fc.nat(100), (content, r, seed) => {
      const bytes = new TextEncoder().encode(content);
      const reader = openReader('d.jsonl', bytes);
      const plan = planSplit(reader.rows(), { ratios: r, names: r.map((_, i) => `s${i}`), seed });
      const source = datasetSource('d.jsonl', reader, bytes);
      const asText = renderSplit(plan, source);
      const asBytes = renderSplitBytes(plan, source);
      assert.deepEqual(asBytes.map((f) => [f.name, new TextDecoder().decode(f.bytes)]), asText.map((f) => [f.name, f.text]));
    }),
  );
  // A Latin-1 byte (0xE9) in a row stays 0xE9: decoding and re-encoding would have changed it.
  const latin1 = Uint8Array.from([...new TextEncoder().encode('{"text": "caf'), 0xe9, ...new TextEncoder().encode('", "label": "a"}\r\n{"text": "b", "label": "a"}\r\n')]);
  const reader = openReader('l.jsonl', latin1);
  const plan = planSplit(reader.rows(), { ratios: [1, 0] });
  const [train] = renderSplitBytes(plan, datasetSource('l.jsonl', reader, latin1));
  assert.deepEqual([...train.bytes], [...latin1]);
});

test('a split asked for that comes out empty (too few rows for its share) is a warning, not a silent empty file', () => {
  const rows = Array.from({ length: 4 }, (_, i) => JSON.stringify({ text: `row number ${i} of a tiny file`, label: i % 2 ? 'a' : 'b', date: `2024-01-0${i + 1}` })).join('\n') + '\n';
  const reader = openReader('d.jsonl', new TextEncoder().encode(rows));
  const plan = planSplit(reader.rows(), { timeField: 'date' });
  assert.equal(plan.splits[2].rows.length, 0);
  assert.ok(plan.warnings.includes('test is empty: 4 rows are too few for a 10% share (it needs at least 10 rows)'), plan.warnings.join('; '));
});
