import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDataset, datasetSource, DEFAULT_CONFIG, detectDatasetFormat, leakGroups, openReader, planSplit, renderSplit, rowLookup, rowLookupByOffsets, splitRowsOfIndex, type SplitOptions } from '../../server/src/engine';
import { groupedSplitSource, groupingConfig, leakGroupsOf, planGroupedSplit, planSplitOfGrouping } from '../../server/src/host/leaks';
import { stratifiedTargets } from '../../server/src/engine/split/apportion';

/**
 * Splits that never leak (#17): grouped stratified assignment (groups whole, every label in every
 * split that can hold one, shares near their targets), k-fold train/val pairs with a fixed test part,
 * time split warnings and refusals, and the CLI's defaults checked by `tuneset check` itself.
 */

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');

function tuneset(cwd: string, ...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function splitFile(content: string, options: SplitOptions = {}, name = 'data.jsonl') {
  const bytes = new TextEncoder().encode(content);
  const reader = openReader(name, bytes);
  const plan = planSplit(reader.rows(), options);
  const files = renderSplit(plan, datasetSource(name, reader, bytes, { sha256: 'abc', toolVersion: '9.9.9' }));
  return { plan, files: Object.fromEntries(files.map((f) => [f.name, f.text])) as Record<string, string> };
}

const lines = (text: string) => text.split('\n').filter(Boolean);

// Rows with a label and a caller cluster id (near-duplicate clusters as the host passes them); texts repeat to make exact duplicates.
const dataset = fc.array(
  fc.record({ text: fc.integer({ min: 0, max: 40 }), label: fc.constantFrom('a', 'a', 'a', 'b', 'b', 'c', 'd'), cluster: fc.integer({ min: -8, max: 5 }) }),
  { minLength: 1, maxLength: 120 },
);
const ratios = fc.constantFrom<number[]>([80, 10, 10], [70, 15, 15], [60, 20, 20], [50, 50], [90, 10]);

test('property: grouped and stratified, groups stay whole, every row lands once, every label is in every split that can hold it, shares stay near their targets', () => {
  fc.assert(
    fc.property(dataset, ratios, fc.nat(1000), (rows, r, seed) => {
      const content = rows.map((x) => JSON.stringify({ text: `review number ${x.text} of the product`, label: x.label })).join('\n') + '\n';
      const groups = rows.map((x) => (x.cluster >= 0 ? x.cluster : -1));
      const { plan } = splitFile(content, { ratios: r, seed, stratify: true, groupDuplicates: true, groups });
      const splitOf = new Map<number, number>();
      plan.splits.forEach((s, k) => s.rows.forEach((i) => {
        assert.ok(!splitOf.has(i), `row ${i} twice`);
        splitOf.set(i, k);
      }));
      assert.equal(splitOf.size, rows.length);
      // Groups whole: exact duplicates (same text) and clusters.
      const byKey = new Map<string, number>();
      rows.forEach((x, i) => {
        for (const key of [`t${x.text}`, ...(x.cluster >= 0 ? [`c${x.cluster}`] : [])]) {
          const k = byKey.get(key);
          if (k === undefined) byKey.set(key, splitOf.get(i)!);
          else assert.equal(k, splitOf.get(i), `group ${key} straddles`);
        }
      });
      // Every label in every split unless the plan names it with a reason.
      const missing = new Map(plan.missingLabels.map((m) => [m.label, m]));
      for (const label of new Set(rows.map((x) => x.label))) {
        const lacking = plan.splits.filter((s) => !s.labels[label]).map((s) => s.name);
        if (lacking.length) assert.deepEqual(missing.get(label)?.splits, lacking, `label ${label} left out of ${lacking} silently`);
        else assert.ok(!missing.has(label));
      }
      // Shares: within one row of the exact share plus the rows of the label that sit in groups.
      const sum = r.reduce((a, b) => a + b, 0);
      const grouped = new Set<number>();
      const keyRows = new Map<string, number[]>();
      rows.forEach((x, i) => {
        for (const key of [`t${x.text}`, ...(x.cluster >= 0 ? [`c${x.cluster}`] : [])]) keyRows.set(key, [...(keyRows.get(key) ?? []), i]);
      });
      for (const list of keyRows.values()) if (list.length > 1) list.forEach((i) => grouped.add(i));
      for (const label of new Set(rows.map((x) => x.label))) {
        const total = rows.filter((x) => x.label === label).length;
        const inGroups = rows.filter((x, i) => x.label === label && grouped.has(i)).length;
        plan.splits.forEach((s, k) => {
          const n = s.labels[label] ?? 0;
          assert.ok(Math.abs(n - (total * r[k]) / sum) <= 1 + inGroups + 1e-9, `${label} in ${s.name}: ${n} of ${total} (${inGroups} grouped)`);
        });
      }
    }),
    { numRuns: 150 },
  );
});

test('property: k-fold output (with or without a fixed test part): each fold\'s files hold every row once, train is exactly the other folds, no group straddles a fold\'s train and val or the test part, same seed same bytes', () => {
  fc.assert(
    fc.property(dataset, fc.integer({ min: 2, max: 5 }), fc.constantFrom(0, 10, 25), fc.boolean(), fc.nat(1000), (rows, k, test, stratify, seed) => {
      const content = rows.map((x) => JSON.stringify({ text: `review number ${x.text} of the product`, label: x.label })).join('\n') + '\n';
      const input = lines(content);
      const groups = rows.map((x) => (x.cluster >= 0 ? x.cluster : -1));
      const options: SplitOptions = { folds: k, ...(test ? { test } : {}), seed, stratify, groupDuplicates: true, groups };
      const { plan, files } = splitFile(content, options);
      assert.deepEqual(splitFile(content, options).files, files, 'same seed, same bytes');
      const testRows = test ? plan.splits[k].rows : [];
      // Only the pairs, the test part and the manifest are written: no flat copy of a fold.
      assert.deepEqual(Object.keys(files).sort(), [...plan.folds!.flatMap((f) => [`data.folds/${f.name}/train.jsonl`, `data.folds/${f.name}/val.jsonl`]), ...(test ? ['data.test.jsonl'] : []), 'data.split.json'].sort());
      // Rows by text key and cluster: the rows that must stay on one side.
      const keyRows = new Map<string, number[]>();
      rows.forEach((x, i) => {
        for (const key of [`t${x.text}`, ...(x.cluster >= 0 ? [`c${x.cluster}`] : [])]) keyRows.set(key, [...(keyRows.get(key) ?? []), i]);
      });
      const foldOf = new Map<number, number>();
      plan.folds!.forEach((f, j) => f.val.forEach((r) => foldOf.set(r, j)));
      for (const r of testRows) assert.ok(!foldOf.has(r), `row ${r} in a fold and the test part`);
      assert.equal(foldOf.size + testRows.length, rows.length, 'every row in one fold or the test part');
      plan.folds!.forEach((f, j) => {
        const val = new Set(f.val);
        const train = new Set(f.train);
        assert.deepEqual(f.train, input.map((_, r) => r).filter((r) => foldOf.has(r) && foldOf.get(r) !== j), `${f.name} trains on the other folds`);
        assert.deepEqual(lines(files[`data.folds/${f.name}/train.jsonl`]), f.train.map((r) => input[r]));
        assert.deepEqual(lines(files[`data.folds/${f.name}/val.jsonl`] ?? ''), f.val.map((r) => input[r]));
        for (const [key, list] of keyRows) {
          const sides = new Set(list.map((r) => (val.has(r) ? 'val' : train.has(r) ? 'train' : 'test')));
          assert.ok(sides.size === 1, `${key} straddles ${[...sides].join(' and ')} in ${f.name}`);
        }
      });
    }),
    { numRuns: 120 },
  );
});

test('property: a label of single rows is in every split whose exact share of it is half a row or more (80/10/10 gives a class of 5 3/1/1); others are named', () => {
  assert.deepEqual(stratifiedTargets([5], [80, 10, 10]), [[3, 1, 1]]);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 3, max: 40 }), { minLength: 1, maxLength: 5 }), ratios, fc.nat(100), (counts, r, seed) => {
      const content = counts.flatMap((n, c) => Array.from({ length: n }, (_, i) => JSON.stringify({ text: `text ${c} ${i}`, label: `l${c}` }))).join('\n');
      const { plan } = splitFile(content, { ratios: r, seed, stratify: true });
      const sum = r.reduce((a, b) => a + b, 0);
      const named = new Set(plan.missingLabels.flatMap((m) => m.splits.map((s) => `${m.label}/${s}`)));
      plan.splits.forEach((s, k) => {
        for (const [label, n] of Object.entries(s.labels)) {
          const total = counts[Number(label.slice(1))];
          if ((total * r[k]) / sum >= 0.5) assert.ok(n > 0, `${label} missing from ${s.name}`);
          assert.equal(n === 0, named.has(`${label}/${s.name}`), `${label} in ${s.name}: ${n}, named: ${named.has(`${label}/${s.name}`)}`);
        }
      });
    }),
  );
});

test('a label whose rows are all in one group is named with the reason, not left out silently', () => {
  const content = [
    ...Array.from({ length: 30 }, (_, i) => JSON.stringify({ text: `ordinary text ${i}`, label: 'common' })),
    ...Array.from({ length: 4 }, () => JSON.stringify({ text: 'the same rare text', label: 'rare' })),
  ].join('\n');
  const { plan } = splitFile(content, { stratify: true, groupDuplicates: true, seed: 3 });
  const rare = plan.missingLabels.find((m) => m.label === 'rare');
  assert.ok(rare, 'rare is named');
  assert.equal(rare.splits.length, 2);
  assert.match(rare.reason, /its 4 rows are in 1 group kept whole/);
  assert.ok(!plan.missingLabels.some((m) => m.label === 'common'));
});

test('k-fold with a test part: the test rows are held out first; each fold trains on the other folds and validates on its own; groups whole everywhere', () => {
  const content = Array.from({ length: 60 }, (_, i) => JSON.stringify({ text: `item ${i % 45}`, label: i % 3 ? 'x' : 'y' })).join('\n') + '\n';
  const { plan, files } = splitFile(content, { folds: 4, test: 10, stratify: true, groupDuplicates: true, seed: 5 });
  assert.deepEqual(plan.splits.map((s) => s.name), ['fold1', 'fold2', 'fold3', 'fold4', 'test']);
  const test = new Set(plan.splits[4].rows);
  assert.ok(test.size >= 5 && test.size <= 7, `test holds ${test.size} rows`);
  assert.equal(plan.folds?.length, 4);
  const all = plan.splits.flatMap((s) => s.rows);
  for (const [k, f] of plan.folds!.entries()) {
    assert.deepEqual(f.val, plan.splits[k].rows);
    assert.deepEqual([...f.train, ...f.val].sort((a, b) => a - b), all.filter((r) => !test.has(r)).sort((a, b) => a - b));
    assert.ok(f.val.every((r) => !f.train.includes(r)));
    // The files a trainer reads, with the exact lines, and the manifest naming them.
    const input = lines(content);
    assert.deepEqual(lines(files[`data.folds/${f.name}/train.jsonl`]), f.train.map((r) => input[r]));
    assert.deepEqual(lines(files[`data.folds/${f.name}/val.jsonl`]), f.val.map((r) => input[r]));
    // Duplicates ("item 0" at rows 0 and 45, …) never straddle train and val.
    const trainTexts = new Set(f.train.map((r) => JSON.parse(input[r]).text));
    assert.ok(f.val.every((r) => !trainTexts.has(JSON.parse(input[r]).text)), `${f.name} leaks`);
  }
  const manifest = JSON.parse(files['data.split.json']);
  assert.deepEqual(manifest.folds.map((f: { train: string; val: string }) => [f.train, f.val]), [1, 2, 3, 4].map((k) => [`data.folds/fold${k}/train.jsonl`, `data.folds/fold${k}/val.jsonl`]));
  assert.equal(manifest.options.test, 10);
  assert.throws(() => splitFile(content, { ratios: [80, 20], test: 10 }), /--test holds a test part out of k folds/);
});

test('time split: each part\'s date range, a warning for a part under the minimum and for an empty part, unreadable dates listed by line', () => {
  const at = (i: number) => `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`;
  const content = Array.from({ length: 25 }, (_, i) => JSON.stringify({ text: `t${i}`, at: at(i) })).join('\n');
  const { plan } = splitFile(content, { ratios: [80, 10, 10], timeField: 'at' });
  assert.deepEqual(plan.splits.map((s) => s.rows.length), [20, 3, 2]);
  assert.equal(plan.splits[0].dates?.first, '2024-01-01T00:00:00.000Z');
  assert.ok(plan.splits[0].dates!.last <= plan.splits[1].dates!.first);
  assert.ok(plan.warnings.some((w) => w === 'val holds only 3 rows (minimum 10): too few to measure a model on'), plan.warnings.join('\n'));
  assert.ok(plan.warnings.some((w) => w.startsWith('test holds only 2 rows')));
  assert.ok(!splitFile(content, { ratios: [80, 10, 10], timeField: 'at', minRows: 2 }).plan.warnings.some((w) => w.includes('minimum')));
  // Every row of one date group: the last part comes out empty, and says so.
  const same = Array.from({ length: 12 }, (_, i) => JSON.stringify({ text: `u${i}`, at: i < 11 ? '2024-01-01' : '2024-02-01', conv: i < 11 ? 'c' : 'd' })).join('\n');
  const grouped = splitFile(same, { ratios: [50, 25, 25], timeField: 'at', groupField: 'conv' }).plan;
  assert.ok(grouped.warnings.some((w) => w.startsWith('test is empty')), grouped.warnings.join('\n'));
  const bad = Array.from({ length: 8 }, (_, i) => JSON.stringify({ text: `v${i}`, at: i === 2 ? 'last tuesday' : i === 5 ? '2024-13-45' : '2024-03-01' })).join('\n');
  const refused = splitFile(bad, { ratios: [50, 50], timeField: 'at' }).plan;
  assert.deepEqual(refused.unreadableDates?.lines, [3, 6]);
  assert.match(refused.unreadableDates!.message, /"at" is not a date Tuneset can read on 2 rows: line 3 \("last tuesday"\), line 6 \("2024-13-45"\)/);
});

/** A realistic file: reviews with exact duplicates that differ in case and spacing, and near-duplicates a word apart. */
function realisticReviews(): string {
  const products = ['kettle', 'blender', 'toaster', 'lamp', 'fan', 'heater', 'mixer', 'scale', 'clock', 'radio', 'speaker', 'router'];
  const good = ['works perfectly and heats up fast every single morning', 'arrived early and looks great on the kitchen counter', 'is quiet and easy to clean after a long day'];
  const bad = ['broke after two weeks and the seller ignored every email', 'smells of burnt plastic whenever it runs for a while', 'stopped charging and the replacement part never came'];
  const rows: { text: string; label: string }[] = [];
  products.forEach((p, i) => {
    good.forEach((g, k) => rows.push({ text: `The ${p} I bought in ${2015 + k} ${g}, model ${i}${k}.`, label: 'positive' }));
    bad.forEach((b, k) => rows.push({ text: `My ${p} from shop ${i} ${b}, order ${k}${i}.`, label: 'negative' }));
  });
  const planted: { text: string; label: string }[] = [];
  for (let i = 0; i < 12; i++) {
    const r = rows[i * 5];
    // An exact duplicate after normalisation (case and spacing) and a near-duplicate (one word changed).
    planted.push({ text: `  ${r.text.toUpperCase()} `, label: r.label });
    planted.push({ text: r.text.replace(/ the /, ' that '), label: r.label });
  }
  const all = [...rows, ...planted];
  // A fixed interleaving so duplicates are spread through the file.
  const order = all.map((_, i) => i).sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101) || a - b);
  const out = order.map((i) => JSON.stringify(all[i]));
  // A blank line and a broken row early on: the analysis and the split must still agree on which row is which.
  out.splice(3, 0, '', '{"text": "cut off');
  return out.join('\n') + '\n';
}

const leaksIn = (out: string) => (JSON.parse(out) as { files: { findings: { rule: string }[] }[] }).files.flatMap((f) => f.findings).filter((f) => f.rule === 'cross-file-leak').length;

test('CLI end to end: the default split of a file with duplicates and near-duplicates passes check (no cross-file-leak, no error); without grouping check finds the leaks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-grouped-'));
  writeFileSync(join(dir, 'reviews.jsonl'), realisticReviews());
  const r = tuneset(dir, 'split', 'reviews.jsonl', '--stratify', '--seed', '7');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /duplicates kept together, near-duplicate clusters kept together/);
  assert.match(r.out, /rows in \d+ groups kept whole \(largest: \d+ rows\); \d+ rows? moved to keep \d+ groups? whole/);
  const parts = ['reviews.train.jsonl', 'reviews.val.jsonl', 'reviews.test.jsonl'];
  const checked = tuneset(dir, 'check', '--format', 'json', '--fail-on', 'error', ...parts);
  assert.equal(checked.code, 0, 'no error finding in the parts');
  assert.equal(leaksIn(checked.out), 0);
  const loose = tuneset(dir, 'split', 'reviews.jsonl', '--stratify', '--seed', '7', '--no-group-duplicates', '--force');
  assert.equal(loose.code, 0, loose.err);
  assert.match(loose.out, /duplicates not grouped/);
  assert.ok(leaksIn(tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', ...parts).out) > 0, 'ungrouped split leaks');
  // k-fold: each fold's pair passes check too.
  const folds = tuneset(dir, 'split', 'reviews.jsonl', '--folds', '3', '--test', '10', '--stratify', '--force');
  assert.equal(folds.code, 0, folds.err);
  for (const k of [1, 2, 3]) {
    const pair = [`reviews.folds/fold${k}/train.jsonl`, `reviews.folds/fold${k}/val.jsonl`];
    assert.equal(leaksIn(tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', ...pair).out), 0, `fold${k}`);
    assert.equal(leaksIn(tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', pair[0], 'reviews.test.jsonl').out), 0, `fold${k} train vs test`);
  }
});

test('leak groups from the band tables the analysis kept are the groups made from its per-row band keys', () => {
  // Long reviews a word apart (Jaccard of their 5-word shingles about 0.85), with unrelated rows between them.
  const words = 'the kettle I bought last spring works perfectly and heats a full jug of water in under two minutes without any noise at all which my old one never managed even on its best day so I would happily buy it again for my parents'.split(' ');
  const extra = Array.from({ length: 30 }, (_, i) => {
    const text = [`review ${i % 10}:`, ...words.slice(i % 10), ...words.slice(0, i % 10)].join(' ');
    return JSON.stringify({ text: i >= 20 ? text.replace('kettle', 'teapot') : i >= 10 ? text : `${text} ${'and more '.repeat(i)}`, label: i % 2 ? 'a' : 'b' });
  });
  const bytes = new TextEncoder().encode(realisticReviews() + extra.join('\n') + '\n');
  const config = groupingConfig(DEFAULT_CONFIG, true);
  const index = analyzeDataset('reviews.jsonl', bytes, config, { rowIndex: true, keepBandTables: true }).rowIndex!;
  assert.ok(index.bandTables?.length, 'the tables are kept');
  assert.equal(index.bands.length, 0, 'and no per-row copy of their keys');
  const byBands = analyzeDataset('reviews.jsonl', bytes, config, { rowIndex: true }).rowIndex!;
  assert.equal(byBands.bandTables, undefined);
  const rows = rowLookup('reviews.jsonl', bytes, index.lines);
  const fromTables = leakGroups({ index, rows }, config, { near: true });
  const fromBands = leakGroups({ index: byBands, rows }, config, { near: true });
  assert.ok(fromTables.nearPairs > 0, 'near pairs joined');
  assert.deepEqual(fromTables.groupOf, fromBands.groupOf);
});

test('CLI: the default split is the same bytes read on one thread or on several, and with the near-duplicate, noise and privacy rules off (and --group-near-duplicates): its grouping runs no rule check and no tokenizer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-grouped-same-'));
  // Rows the skipped checks would report on (an email, a card number, markup, a very short text) among duplicates and near-duplicates.
  const extra = [
    { text: 'Mail me at jane.doe@example.com about the kettle I bought', label: 'positive' },
    { text: 'Paid with 4111 1111 1111 1111 and the blender never came', label: 'negative' },
    { text: '<p>The lamp is great</p>', label: 'positive' },
    { text: 'ok', label: 'positive' },
  ].map((r) => JSON.stringify(r));
  writeFileSync(join(dir, 'reviews.jsonl'), realisticReviews() + extra.join('\n') + '\n');
  const names = ['reviews.train.jsonl', 'reviews.val.jsonl', 'reviews.test.jsonl', 'reviews.split.json'];
  const run = (parallelBytes: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'split', 'reviews.jsonl', '--stratify', '--seed', '3', '--force', ...args], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, TUNESET_PARALLEL_BYTES: parallelBytes },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /near-duplicate clusters kept together/);
    return Object.fromEntries(names.map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
  };
  const oneThread = run(String(1e12));
  assert.match(oneThread['reviews.split.json'], /"line": 5/, 'the broken row is listed as left out');
  assert.deepEqual(run('1000'), oneThread, 'read by worker threads');
  const off = { rules: { 'near-duplicate': 'off', 'too-short': 'off', 'html-markup': 'off', 'pii-email': 'off', 'pii-card': 'off', 'secret': 'off', 'too-long': 'off' } };
  writeFileSync(join(dir, 'rules-off.json'), JSON.stringify(off));
  assert.deepEqual(run('1000', '--config', 'rules-off.json', '--group-near-duplicates'), oneThread, 'rules off');
});

test('CLI: k-fold output checked as a folder has no cross-file-leak (a fold\'s val against its own train only, the fixed test against every fold); a leak planted in a fold is found', () => {
  for (const [name, content] of [['reviews.jsonl', realisticReviews()], ['train.jsonl', readFileSync(join(ROOT, 'samples/reviews/train.jsonl'), 'utf8')]]) {
    for (const extra of [[], ['--test', '10']]) {
      const dir = mkdtempSync(join(tmpdir(), 'tuneset-kfold-'));
      writeFileSync(join(dir, name), content);
      const stem = name.replace(/\.jsonl$/, '');
      // A source named for a split (train.jsonl) gets a folder of its parts: train/folds/…, train/test.jsonl.
      const parts = stem === 'train' ? 'train/' : `${stem}.`;
      const r = tuneset(dir, 'split', name, '--folds', '5', ...extra, '--stratify', '--allow-missing-labels', '--out', 'out');
      assert.equal(r.code, 0, r.err);
      // The folds are written as their pairs only: no flat NAME.foldN copy to be mistaken for held-out data.
      const written = stem === 'train' ? ['train', 'train.split.json'] : [`${stem}.folds`, `${stem}.split.json`, ...(extra.length ? [`${stem}.test.jsonl`] : [])];
      assert.deepEqual(readdirSync(join(dir, 'out')).sort(), written.sort());
      const checked = tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', '--no-label-model', 'out');
      assert.equal(checked.code, 0, checked.err);
      const files = (JSON.parse(checked.out) as { files: { path: string }[] }).files.map((f) => f.path);
      assert.equal(files.length, 10 + extra.length / 2, files.join(', '));
      assert.equal(leaksIn(checked.out), 0, `${name} ${extra.join(' ')}`);
      // The same with the source in the folder checked (no --out).
      assert.equal(tuneset(dir, 'split', name, '--folds', '5', ...extra, '--stratify', '--allow-missing-labels').code, 0);
      assert.equal(leaksIn(tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', '--no-label-model', '.').out), 0, `${name} ${extra.join(' ')} in place`);
      // A real leak: a row of fold2's training file copied into its validation file is still found, once.
      const val = join(dir, 'out', `${parts}folds/fold2/val.jsonl`);
      writeFileSync(val, readFileSync(val, 'utf8') + lines(readFileSync(join(dir, 'out', `${parts}folds/fold2/train.jsonl`), 'utf8'))[0] + '\n');
      const leaked = JSON.parse(tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', '--no-label-model', 'out').out) as { files: { path: string; findings: { rule: string }[] }[] };
      assert.deepEqual(leaked.files.filter((f) => f.findings.some((x) => x.rule === 'cross-file-leak')).map((f) => [f.path, f.findings.filter((x) => x.rule === 'cross-file-leak').length]), [[`out/${parts}folds/fold2/val.jsonl`, 1]]);
    }
  }
});

test('CLI: a label that cannot be in every split stops the split (exit 1, nothing written) unless --allow-missing-labels; unreadable dates exit 2 naming the rows', () => {
  const rows = [
    ...Array.from({ length: 30 }, (_, i) => JSON.stringify({ text: `plain text number ${i} here`, label: 'common', at: `2024-02-${String(1 + (i % 28)).padStart(2, '0')}` })),
    JSON.stringify({ text: 'only one of these', label: 'lonely', at: 'soon' }),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-missing-'));
  writeFileSync(join(dir, 'd.jsonl'), rows.join('\n') + '\n');
  const r = tuneset(dir, 'split', 'd.jsonl', '--stratify');
  assert.equal(r.code, 1);
  assert.match(r.err, /label "lonely" is in no row of val, test: it has 1 row for 3 splits/);
  assert.ok(!existsSync(join(dir, 'd.train.jsonl')));
  assert.equal(tuneset(dir, 'split', 'd.jsonl', '--stratify', '--allow-missing-labels').code, 0);
  const t = tuneset(dir, 'split', 'd.jsonl', '--time-field', 'at', '--force');
  assert.equal(t.code, 2);
  assert.match(t.err, /d\.jsonl: "at" is not a date Tuneset can read on 1 row: line 31 \("soon"\)/);
});

test('the README recipe on the samples, then check on the three files: zero cross-file leaks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-recipe-'));
  cpSync(join(ROOT, 'samples'), join(dir, 'samples'), { recursive: true });
  const r = tuneset(dir, 'split', 'samples/reviews/train.jsonl', '--stratify', '--allow-missing-labels');
  assert.equal(r.code, 0, r.err);
  // The source is named for a split already: its parts go in a folder of that name, not train.train.jsonl.
  const parts = ['train', 'val', 'test'].map((s) => `samples/reviews/train/${s}.jsonl`);
  const checked = tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', ...parts);
  assert.equal(checked.code, 0, checked.err);
  assert.equal(JSON.parse(checked.out).files.length, 3);
  assert.equal(leaksIn(checked.out), 0);
  assert.ok(readFileSync(join(dir, 'samples/reviews/train.split.json'), 'utf8').includes('"nearDuplicateGroups": true'));
});

test('property: a split planned from its grouping analysis\'s facts (no second read of the rows) is the plan and the bytes of one planned from the rows read again, whatever rows are broken, missing a field, mistyped, empty or labelled only where unusable', () => {
  // Rows of every kind a split sorts: usable ones (some repeated, some with a label seen first on an unusable row), and every way to be left out.
  const rowKind = fc.oneof(
    fc.record({ text: fc.integer({ min: 0, max: 30 }), label: fc.constantFrom('a', 'b', 'c') }).map(({ text, label }) => JSON.stringify({ text: `Row ${text} says the kettle ${'is fine '.repeat(text % 4)}today`, label })),
    fc.constantFrom(
      '{"text": "cut off', '[1, 2]', '"just a string"', '{"label": "only-here"}', '{"text": 42, "label": "a"}', '{"text": "ok", "label": {"x": 1}}',
      '{"text": "", "label": "a"}', '{"text": "   ", "label": "b"}', '{"text": "Caf\u00e9 cr\u00e8me, tr\u00e8s bien \u00e0 Paris", "label": "c"}', '{"text": "\u00a0", "label": "a"}',
      '{"text": "ROW 3 SAYS THE KETTLE IS FINE IS FINE IS FINE TODAY", "label": "a"}', '{"text": "\u6211\u559c\u6b22\u8fd9\u4e2a\u6c34\u58f6\uff0c\u975e\u5e38\u597d\u7528", "label": "b"}', '', '{"text": "no label at all"}',
    ),
  );
  const config = groupingConfig(DEFAULT_CONFIG, true);
  fc.assert(
    fc.property(fc.array(rowKind, { minLength: 1, maxLength: 80 }), fc.boolean(), fc.integer({ min: 0, max: 5 }), (rows, crlf, seed) => {
      const bytes = new TextEncoder().encode(rows.join(crlf ? '\r\n' : '\n') + '\n');
      const analysis = analyzeDataset('data.jsonl', bytes, config, { rowIndex: true, keepBandTables: true, splitFacts: true, tokenSample: false });
      const index = analysis.rowIndex!;
      const lookup = crlf ? rowLookupByOffsets(bytes, index.lines, index.split!.offsets!) : rowLookup('data.jsonl', bytes, index.lines);
      const byLines = rowLookup('data.jsonl', bytes, index.lines);
      const byOffsets = rowLookupByOffsets(bytes, index.lines, index.split!.offsets!);
      for (let i = 0; i < index.lines.length; i++) assert.deepEqual(byOffsets.row(i), byLines.row(i), 'a row read again by its byte range is the row read again by its line');
      const made = leakGroupsOf(index, lookup, config, { near: true });
      const facts = splitRowsOfIndex(index, lookup.row, { hashKeys: true })!;
      made.facts = { rows: facts, detection: index.detection, offsets: index.split!.offsets!, encoding: index.split!.encoding };
      const reader = openReader('data.jsonl', bytes);
      const options = { stratify: true, seed, detection: detectDatasetFormat(reader.rows(), DEFAULT_CONFIG) };
      let planned;
      try {
        planned = planSplitOfGrouping(options, made);
      } catch (e) {
        // No usable row at all: both ways refuse alike.
        assert.throws(() => planGroupedSplit(reader.rows(), options, made), { message: (e as Error).message });
        return;
      }
      assert.ok(planned, 'planned from the facts');
      const read = planGroupedSplit(reader.rows(), options, made);
      assert.deepEqual(planned, read);
      const extra = { sha256: 'abc', toolVersion: '9.9.9' };
      assert.deepEqual(renderSplit(planned, groupedSplitSource('data.jsonl', made, bytes, extra)), renderSplit(read, datasetSource('data.jsonl', reader, bytes, extra)));
    }),
    { numRuns: 150 },
  );
});
