import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');

function tuneset(cwd: string, ...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A fresh folder holding the given files. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-split-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
const lines = (text: string) => text.split('\n').filter(Boolean);

const REVIEWS = [
  ...Array.from({ length: 16 }, (_, i) => JSON.stringify({ text: `The battery on unit ${i} lasts two full days and charging is quick.`, label: 'positive' })),
  ...Array.from({ length: 8 }, (_, i) => JSON.stringify({ text: `Unit ${i} stopped working after a week and support never answered.`, label: 'negative' })),
  '{"text": "cut off',
  ...Array.from({ length: 4 }, (_, i) => JSON.stringify({ text: `Unit ${i} is fine, nothing special about the screen.`, label: 'neutral' })),
].join('\n') + '\n';

test('split writes NAME.train/val/test beside the file with the exact lines, and a manifest', () => {
  const dir = folder({ 'reviews.jsonl': REVIEWS });
  const r = tuneset(dir, 'split', 'reviews.jsonl', '--ratios', '50,25,25', '--seed', '42', '--stratify');
  assert.equal(r.code, 0, r.err);
  const parts = ['train', 'val', 'test'].map((s) => lines(read(dir, `reviews.${s}.jsonl`)));
  assert.deepEqual(parts.map((p) => p.length), [14, 7, 7]);
  const input = lines(REVIEWS);
  assert.deepEqual(parts.flat().sort(), input.filter((l) => l !== '{"text": "cut off').sort());
  const manifest = JSON.parse(read(dir, 'reviews.split.json'));
  assert.equal(manifest.seed, 42);
  assert.match(manifest.source.sha256, /^[0-9a-f]{64}$/);
  assert.deepEqual(manifest.splits.map((s: { labels: object }) => s.labels), [
    { positive: 8, negative: 4, neutral: 2 },
    { positive: 4, negative: 2, neutral: 1 },
    { positive: 4, negative: 2, neutral: 1 },
  ]);
  assert.deepEqual(manifest.excluded.map((e: { line: number; rule: string }) => [e.line, e.rule]), [[25, 'invalid-json']]);
  // The left-out row is named with file, line and problem.
  assert.match(r.out, /reviews\.jsonl:25 invalid-json Invalid JSON/);
  assert.match(r.out, /train +14 rows +positive 8 · negative 4 · neutral 2/);
});

test('split names its parts with the role words of the settings (tuneset.json), as check reads them: a source named "fit" gets a folder', () => {
  const dir = folder({ 'reviews.fit.jsonl': REVIEWS, 'tuneset.json': JSON.stringify({ trainFileWords: ['train', 'fit'] }) });
  const r = tuneset(dir, 'split', 'reviews.fit.jsonl', '--ratios', '50,25,25', '--seed', '42');
  assert.equal(r.code, 0, r.err);
  for (const s of ['train', 'val', 'test']) assert.ok(existsSync(join(dir, 'reviews.fit', `${s}.jsonl`)), `reviews.fit/${s}.jsonl (not reviews.fit.${s}.jsonl)`);
  assert.ok(!existsSync(join(dir, 'reviews.fit.train.jsonl')));
  assert.match(r.out, /reviews\.fit\/train\.jsonl/);
  // Without the setting "fit" is no split word: the parts go beside the file as usual.
  const plain = folder({ 'reviews.fit.jsonl': REVIEWS });
  assert.equal(tuneset(plain, 'split', 'reviews.fit.jsonl', '--ratios', '50,25,25', '--seed', '42').code, 0);
  assert.ok(existsSync(join(plain, 'reviews.fit.train.jsonl')));
});

test('split: the same seed writes the same bytes; an existing file is kept unless --force', () => {
  const dir = folder({ 'd.jsonl': REVIEWS });
  assert.equal(tuneset(dir, 'split', 'd.jsonl', '--out', 'a', '--seed', '7').code, 0);
  assert.equal(tuneset(dir, 'split', 'd.jsonl', '--out', 'b', '--seed', '7').code, 0);
  for (const f of ['d.train.jsonl', 'd.val.jsonl', 'd.test.jsonl', 'd.split.json']) assert.equal(read(join(dir, 'a'), f), read(join(dir, 'b'), f), f);
  const again = tuneset(dir, 'split', 'd.jsonl', '--out', 'a', '--seed', '8');
  assert.equal(again.code, 2);
  assert.match(again.err, /tuneset: a\/d\.train\.jsonl already exists; pass --force to overwrite it/);
  assert.equal(read(join(dir, 'a'), 'd.train.jsonl'), read(join(dir, 'b'), 'd.train.jsonl'), 'nothing was overwritten');
  assert.equal(tuneset(dir, 'split', 'd.jsonl', '--out', 'a', '--seed', '8', '--force').code, 0);
  assert.notEqual(read(join(dir, 'a'), 'd.train.jsonl'), read(join(dir, 'b'), 'd.train.jsonl'));
});

test('split: CSV keeps its header; groups and folds; bad options and files get a clear message and exit 2', () => {
  const csv = 'id,text,label\n' + Array.from({ length: 12 }, (_, i) => `${i % 4},"row ${i}, quoted",${i % 2 ? 'a' : 'b'}`).join('\n') + '\n';
  const dir = folder({ 't.csv': csv });
  const r = tuneset(dir, 'split', 't.csv', '--folds', '3', '--group-field', 'id');
  assert.equal(r.code, 0, r.err);
  // Each fold's rows are its validation file (no flat t.foldN.csv copy is written).
  assert.ok(!existsSync(join(dir, 't.fold1.csv')));
  const folds = ['fold1', 'fold2', 'fold3'].map((f) => read(dir, `t.folds/${f}/val.csv`));
  for (const f of folds) assert.ok(f.startsWith('id,text,label\n'));
  const ids = folds.map((f) => new Set(lines(f).slice(1).map((l) => l.split(',')[0])));
  for (let a = 0; a < 3; a++) for (let b = a + 1; b < 3; b++) for (const id of ids[a]) assert.ok(!ids[b].has(id), `id ${id} in two folds`);
  const bad = (args: string[], message: RegExp) => {
    const x = tuneset(dir, 'split', ...args);
    assert.equal(x.code, 2, args.join(' '));
    assert.match(x.err, message);
  };
  bad(['t.csv', '--ratios', '80,ten'], /--ratios takes numbers of 0 or more separated by commas/);
  bad(['t.csv', '--ratios', '1,1', '--folds', '2'], /choose ratios or folds, not both/);
  bad(['t.csv', '--seed', '1.5'], /--seed must be a whole number/);
  bad(['nope.jsonl'], /nope\.jsonl: no such file/);
  writeFileSync(join(dir, 'notes.txt'), 'Split the reviews before augmenting them.\n');
  bad(['notes.txt'], /notes\.txt: not a dataset: its first lines are neither JSON objects nor columns/);
  bad([], /split takes one dataset file/);
  writeFileSync(join(dir, 'broken.jsonl'), '{"text": "a"\n[1]\n');
  bad(['broken.jsonl'], /broken\.jsonl: none of its 2 rows can be used \(line 1: Invalid JSON/);
  const noText = tuneset(dir, 'augment', 'broken.jsonl', '--fields', 'text');
  assert.equal(noText.code, 2);
  assert.match(noText.err, /broken\.jsonl: none of its 2 rows can be used \(line 1: Invalid JSON/);
  writeFileSync(join(dir, 'empty.jsonl'), '\n');
  bad(['empty.jsonl'], /empty\.jsonl: the file has no rows/);
  assert.equal(tuneset(dir, 'split', '--help').code, 0);
  assert.match(tuneset(dir, '--help').out, /split +Split a dataset[\s\S]*augment +Add augmented rows/);
});

test('split --group-near-duplicates keeps each near-duplicate cluster (as check reports them) in one split', () => {
  const dir = folder({ 'nd.jsonl': readFileSync(join(ROOT, 'test/fixtures/near-duplicates.jsonl'), 'utf8') });
  const r = tuneset(dir, 'split', 'nd.jsonl', '--group-near-duplicates', '--ratios', '50,25,25', '--seed', '3');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /near-duplicate clusters kept together/);
  assert.match(r.out, /12 rows in 4 groups kept whole/);
  // The fixture's clusters are three variants of one long review, differing in the last word only.
  const splitsOf = new Map<string, Set<string>>();
  for (const s of ['train', 'val', 'test']) {
    for (const l of lines(read(dir, `nd.${s}.jsonl`))) {
      const review = JSON.parse(l).text.split(' ').slice(0, 8).join(' ');
      if (!splitsOf.has(review)) splitsOf.set(review, new Set());
      splitsOf.get(review)!.add(s);
    }
  }
  assert.equal(splitsOf.size, 20, '4 clusters and 16 unique rows');
  for (const [review, splits] of splitsOf) assert.equal(splits.size, 1, `${review}… is in ${[...splits].join(' and ')}`);
  const manifest = JSON.parse(read(dir, 'nd.split.json'));
  assert.equal(manifest.options.nearDuplicateGroups, true);
});

test('augment writes NAME.augmented.jsonl: source rows, then new rows with their label and source line', () => {
  const dir = folder({ 'r.jsonl': REVIEWS });
  const r = tuneset(dir, 'augment', 'r.jsonl', '--n', '2', '--seed', '7', '--ops', 'sr,rs,rd');
  assert.equal(r.code, 0, r.err);
  const out = lines(read(dir, 'r.augmented.jsonl'));
  const source = lines(REVIEWS).filter((l) => l !== '{"text": "cut off');
  assert.deepEqual(out.slice(0, source.length), source);
  const made = out.slice(source.length).map((l) => JSON.parse(l));
  assert.equal(made.length, 2 * source.length);
  const byLine = lines(REVIEWS);
  for (const m of made) {
    const src = JSON.parse(byLine[m.augmented_from - 1]);
    assert.equal(m.label, src.label);
    assert.notEqual(m.text, src.text);
  }
  assert.match(r.out, /left out 1 row that cannot be used:\n {4}r\.jsonl:25 invalid-json/);
  assert.match(r.out, /labels: positive 16 → 48 · negative 8 → 24 · neutral 4 → 12/);
  // Same seed, same file.
  assert.equal(tuneset(dir, 'augment', 'r.jsonl', '--n', '2', '--seed', '7', '--ops', 'sr,rs,rd', '--out', 'again.jsonl').code, 0);
  assert.equal(read(dir, 'again.jsonl'), read(dir, 'r.augmented.jsonl'));
});

test('augment: provenance options, only new rows, balance, and refusals', () => {
  const dir = folder({ 'r.jsonl': REVIEWS });
  assert.equal(tuneset(dir, 'augment', 'r.jsonl', '--no-provenance', '--only-new', '--out', 'plain.jsonl').code, 0);
  const plain = lines(read(dir, 'plain.jsonl'));
  assert.equal(plain.length, 28);
  assert.ok(plain.every((l) => !l.includes('augmented_from')));
  assert.equal(tuneset(dir, 'augment', 'r.jsonl', '--provenance-field', 'from_line', '--only-new', '--out', 'named.jsonl').code, 0);
  assert.ok(lines(read(dir, 'named.jsonl')).every((l) => typeof JSON.parse(l).from_line === 'number'));
  const balanced = tuneset(dir, 'augment', 'r.jsonl', '--balance', '--out', 'bal.jsonl');
  assert.equal(balanced.code, 0, balanced.err);
  const counts: Record<string, number> = {};
  for (const l of lines(read(dir, 'bal.jsonl'))) counts[JSON.parse(l).label] = (counts[JSON.parse(l).label] ?? 0) + 1;
  assert.deepEqual(counts, { positive: 16, negative: 16, neutral: 16 });
  assert.equal(tuneset(dir, 'augment', 'r.jsonl', '--balance', '--downsample', '--out', 'down.jsonl').code, 0);
  assert.equal(lines(read(dir, 'down.jsonl')).length, 12);
  const refuse = (args: string[], message: RegExp) => {
    const x = tuneset(dir, 'augment', ...args);
    assert.equal(x.code, 2, args.join(' '));
    assert.match(x.err, message);
  };
  refuse(['r.jsonl', '--balance', '--n', '3'], /--n and --balance do not go together/);
  refuse(['r.jsonl', '--target', '5'], /--target and --downsample go with --balance/);
  refuse(['r.jsonl', '--ops', 'sr,xx'], /--ops: unknown operation "xx"/);
  refuse(['r.jsonl', '--alpha', '1.5'], /--alpha takes numbers from 0 to 1/);
  refuse(['r.jsonl', '--fields', 'label'], /"label" is the label field/);
  refuse(['r.jsonl', '--out', 'plain.jsonl'], /plain\.jsonl already exists; pass --force/);
  refuse(['r.jsonl', '--out', 'r.jsonl', '--force'], /never writes over its input/);
});

test('augment after a split: draws from train only, and leaves out new rows equal to a test row (exit 1)', () => {
  const train = [JSON.stringify({ text: 'Alpha one. Beta two.', label: 'a' }), JSON.stringify({ text: 'Gamma three. Delta four.', label: 'b' })].join('\n') + '\n';
  const test = JSON.stringify({ text: 'beta two.  alpha one.', label: 'a' }) + '\n';
  const manifest = { tool: 'tuneset', kind: 'split', source: { file: 'd.jsonl' }, splits: [{ name: 'train', file: 'd.train.jsonl' }, { name: 'test', file: 'd.test.jsonl' }] };
  const dir = folder({ 'd.jsonl': train + test, 'd.train.jsonl': train, 'd.test.jsonl': test, 'd.split.json': JSON.stringify(manifest) });
  const r = tuneset(dir, 'augment', 'd.jsonl', '--ops', 'ss');
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /d\.jsonl was split \(d\.split\.json\): augmenting its train split d\.train\.jsonl/);
  assert.match(r.out, /left out 1 new row equal to a held-out row:\n {4}d\.train\.jsonl:1 \(variant 1\) equals d\.test\.jsonl:1/);
  const out = lines(read(dir, 'd.train.augmented.jsonl'));
  assert.deepEqual(out.map((l) => JSON.parse(l).text), ['Alpha one. Beta two.', 'Gamma three. Delta four.', 'Delta four. Gamma three.']);
  const held = tuneset(dir, 'augment', 'd.test.jsonl');
  assert.equal(held.code, 2);
  assert.match(held.err, /d\.test\.jsonl is a held-out split of d\.split\.json/);
  const whole = tuneset(dir, 'augment', 'd.jsonl', '--whole-file', '--ops', 'ss', '--out', 'whole.jsonl');
  assert.equal(whole.code, 0);
  // The whole file holds the test row too: "Alpha one. Beta two." and "beta two.  alpha one." are each
  // other's shuffle, so both variants repeat another row (once normalised) and are dropped (#20).
  assert.equal(lines(read(dir, 'whole.jsonl')).length, 4);
  assert.match(whole.out, /2 new rows dropped before writing \(exact duplicate of another row: 2\)/);
});
