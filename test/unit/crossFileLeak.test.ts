import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDataset, fileSplitRole, fileSplitScope, findCrossFileLeaks, parseConfig, rowLookup, type DatasetAnalysis, type LeakSource } from '../../server/src/engine';
import { relativePath } from '../../server/src/engine/rules/crossFileLeak';
import { findWorkspaceLeaks } from '../../server/src/host/leaks';
import { main } from '../../server/src/cli/main';
import { jsonl } from './helpers';
import { plainJaccard, replaced, rng, words } from './nearText';

const random = rng(17);
const text = (w: string[]) => w.join(' ');
const trainTexts = Array.from({ length: 30 }, () => text(words(40, random)));
const nearCopy = text(replaced(trainTexts[20].split(' '), [39], random));
const testTexts = [text(words(40, random)), trainTexts[7].toUpperCase(), text(words(40, random)), nearCopy, text(replaced(trainTexts[3].split(' '), [10, 25], random))];
const trainFile = jsonl(...trainTexts.map((t) => ({ text: t, label: 'a' })));
const testFile = jsonl(...testTexts.map((t) => ({ text: t, label: 'a' })));
const { config } = parseConfig({});
const enc = (s: string) => new TextEncoder().encode(s);

function source(path: string, content: string, fixes = false): LeakSource & { analysis: DatasetAnalysis } {
  const analysis = analyzeDataset(path, enc(content), config, { rowIndex: true, fixes });
  return { path, index: analysis.rowIndex!, rows: rowLookup(path, enc(content), analysis.rowIndex!.lines), analysis };
}

test('file roles come from words of the file or folder name', () => {
  const roles = (p: string) => fileSplitRole(p, config);
  assert.equal(roles('data/test.jsonl'), 'held-out');
  assert.equal(roles('sst2_dev.tsv'), 'held-out');
  assert.equal(roles('data/validation/part-0.jsonl'), 'held-out');
  assert.equal(roles('reviews.valset.csv'), 'held-out');
  assert.equal(roles('train.jsonl'), 'train');
  assert.equal(roles('my-training-data.jsonl'), 'train');
  assert.equal(roles('train_test.jsonl'), 'held-out', 'held-out wins');
  assert.equal(roles('test/train.jsonl'), 'train', 'the name before its folder: split\'s parts of test.jsonl');
  assert.equal(roles('data.dev/train.jsonl'), 'train');
  assert.equal(roles('train/val.jsonl'), 'held-out');
  assert.equal(roles('contest.jsonl'), undefined);
  assert.equal(roles('value.jsonl'), undefined);
  assert.equal(fileSplitRole('gold.jsonl', { ...config, heldOutFileWords: ['gold'] }), 'held-out');
});

test('held-out rows found in a training file, exactly or nearly, are reported on the held-out row', () => {
  assert.ok(plainJaccard(nearCopy, trainTexts[20]) >= 0.8);
  const leaks = findCrossFileLeaks([source('d/test.jsonl', testFile, true), source('d/train.jsonl', trainFile)], config, { fixes: true });
  assert.deepEqual([...leaks.keys()], ['d/test.jsonl']);
  const found = leaks.get('d/test.jsonl')!;
  assert.deepEqual(found.map((f) => [f.line, f.rule, f.severity, f.related]), [
    [2, 'cross-file-leak', 'error', [{ path: 'd/train.jsonl', line: 8, message: 'the same row in training data' }]],
    [4, 'cross-file-leak', 'error', [{ path: 'd/train.jsonl', line: 21, message: `near-identical row in training data (similarity ${found[1].similarity!.toFixed(2)})` }]],
  ]);
  assert.equal(found[0].similarity, 1);
  assert.match(found[0].message, /^This row is also in the training file train\.jsonl \(line 8\)/);
  assert.equal(found[1].similarity, Math.round(plainJaccard(nearCopy, trainTexts[20]) * 10000) / 10000);
  assert.deepEqual(found[1].fix?.edits, [{ line: 4, column: 1, endLine: 5, endColumn: 1, newText: '' }], 'remove the leaked row');
  assert.equal(found[0].column, 9, 'the range is the text value');
});

test('a cancelled check stops with no findings', () => {
  const files = [source('test.jsonl', testFile), source('train.jsonl', trainFile)];
  assert.equal(findCrossFileLeaks(files, config, { cancelled: () => true }).size, 0);
  assert.equal(findCrossFileLeaks(files, config).size, 1);
});

test('no leak without both roles, or against another held-out file', () => {
  assert.equal(findCrossFileLeaks([source('a.jsonl', testFile), source('b.jsonl', trainFile)], config).size, 0);
  assert.equal(findCrossFileLeaks([source('val.jsonl', trainFile), source('test.jsonl', testFile)], config).size, 0);
  const off = parseConfig({ rules: { 'cross-file-leak': 'off' } }).config;
  assert.equal(findCrossFileLeaks([source('test.jsonl', testFile), source('train.jsonl', trainFile)], off).size, 0);
});

test('k-fold files: a fold\'s held-out file is checked against its own fold\'s training file only; a held-out file in no fold against every training file', () => {
  assert.equal(fileSplitScope('out/d.folds/fold2/val.jsonl'), 'out/d.folds/fold2');
  assert.equal(fileSplitScope('C:\\cv\\fold_3\\train.csv'), 'C:/cv/fold_3');
  assert.equal(fileSplitScope('out/d.test.jsonl'), undefined);
  assert.equal(fileSplitScope('folder/val.jsonl'), undefined);
  // fold1 validates on testFile's rows; fold2 trains on them (by design) and validates on other rows.
  const other = jsonl(...Array.from({ length: 5 }, () => ({ text: text(words(40, random)), label: 'a' })));
  const folds = [
    source('d.folds/fold1/train.jsonl', trainFile), source('d.folds/fold1/val.jsonl', testFile),
    source('d.folds/fold2/train.jsonl', testFile), source('d.folds/fold2/val.jsonl', other),
  ];
  const inFolds = findCrossFileLeaks(folds, config);
  // fold1's val shares rows with fold1's train (a real leak, still found), none with fold2's train's other rows counted against it.
  assert.deepEqual([...inFolds.keys()], ['d.folds/fold1/val.jsonl']);
  assert.deepEqual(inFolds.get('d.folds/fold1/val.jsonl')!.map((f) => f.related?.[0].path), ['d.folds/fold1/train.jsonl', 'd.folds/fold1/train.jsonl']);
  // A clean fold pair: fold2's val is not compared with fold1's train, nor fold1's val with fold2's train (which holds its rows).
  const cleanFolds = [source('d.folds/fold1/train.jsonl', other), source('d.folds/fold1/val.jsonl', testFile), source('d.folds/fold2/train.jsonl', testFile), source('d.folds/fold2/val.jsonl', other)];
  assert.equal(findCrossFileLeaks(cleanFolds, config).size, 0);
  // A fixed test part (in no fold) is checked against every fold's training file.
  const testPart = testFile + other.split('\n')[0] + '\n';
  const withTest = findCrossFileLeaks([source('d.folds/fold1/train.jsonl', trainFile), source('d.folds/fold2/train.jsonl', other), source('d.test.jsonl', testPart)], config);
  assert.deepEqual([...withTest.keys()].sort(), ['d.test.jsonl']);
  assert.deepEqual([...new Set(withTest.get('d.test.jsonl')!.map((f) => f.related?.[0].path))].sort(), ['d.folds/fold1/train.jsonl', 'd.folds/fold2/train.jsonl']);
  // Told otherwise (scopes), every held-out file is compared with every training file again.
  assert.equal(findCrossFileLeaks(cleanFolds, config, { scopes: () => undefined }).size, 2);
});

test('the workspace API reads rows from disk only for the files it needs; CSV works too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-leak-'));
  const csv = 'text,label\n' + trainTexts.map((t) => `${t},a`).join('\n') + '\n';
  writeFileSync(join(dir, 'train.csv'), csv);
  writeFileSync(join(dir, 'test.jsonl'), testFile);
  const analyses = new Map<string, DatasetAnalysis>();
  analyses.set(join(dir, 'train.csv'), analyzeDataset('train.csv', enc(csv), config, { rowIndex: true }));
  analyses.set(join(dir, 'test.jsonl'), analyzeDataset('test.jsonl', enc(testFile), config, { rowIndex: true }));
  const leaks = findWorkspaceLeaks(analyses, config, { fixes: true });
  const found = leaks.get(join(dir, 'test.jsonl'))!;
  assert.deepEqual(found.map((f) => [f.line, f.related![0].path, f.related![0].line]), [[2, join(dir, 'train.csv'), 9], [4, join(dir, 'train.csv'), 22]]);
});

test('the CLI checks held-out files against training files among its arguments', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-cli-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'train.jsonl'), trainFile);
  writeFileSync(join(dir, 'data', 'test.jsonl'), testFile);
  const cwd = process.cwd();
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.chdir(dir);
  (process.stdout as { write: unknown }).write = (chunk: string) => ((out += chunk), true);
  try {
    await main(['check', '--format', 'json', 'data']);
  } finally {
    (process.stdout as { write: unknown }).write = write;
    process.chdir(cwd);
  }
  const doc = JSON.parse(out);
  const test = doc.files.find((f: { path: string }) => f.path === 'data/test.jsonl');
  const leaks = test.findings.filter((f: { rule: string }) => f.rule === 'cross-file-leak');
  assert.deepEqual(leaks.map((f: { line: number; similarity: number }) => [f.line, f.similarity === 1]), [[2, true], [4, false]]);
  assert.equal(test.summary['cross-file-leak'], 2);
  assert.equal(test.stats.findingsByRule['cross-file-leak'], 2);
  assert.ok(test.stats.rowsWithErrors >= 2);
  assert.equal(test.rowIndex, undefined);
  assert.equal(doc.files.find((f: { path: string }) => f.path === 'data/train.jsonl').summary['cross-file-leak'], undefined);
});

test('a leak message names the training file as seen from the held-out file', () => {
  assert.equal(relativePath('/ws/reviews/test.jsonl', '/ws/reviews/train.jsonl'), 'train.jsonl');
  assert.equal(relativePath('/ws/eval/test.jsonl', '/ws/data/train.jsonl'), '../data/train.jsonl');
  assert.equal(relativePath('/ws/test.jsonl', '/ws/data/train/part-0.jsonl'), 'data/train/part-0.jsonl');
  assert.equal(relativePath('test.jsonl', 'train.jsonl'), 'train.jsonl');
  assert.equal(relativePath('d/test.jsonl', 'e/train.jsonl'), '../e/train.jsonl');
  assert.equal(relativePath('C:\\ws\\a\\test.jsonl', 'C:\\ws\\train.jsonl'), '..\\train.jsonl');
  assert.equal(relativePath('/home/a/test.jsonl', '/srv/train.jsonl'), '/srv/train.jsonl');
});

test('a split\'s own source is no training file for its parts: no leak points at the file the split was cut from', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-splitsource-'));
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'tuneset.js'), ...args], { cwd: dir, encoding: 'utf8' });
  copyFileSync(join(__dirname, '..', '..', 'samples', 'reviews', 'train.jsonl'), join(dir, 'train.jsonl'));
  assert.equal(cli('split', 'train.jsonl', '--group-duplicates').status, 0);
  const leaks = (JSON.parse(cli('check', '--format', 'json', '--fail-on', 'never', '.').stdout) as { files: { path: string; findings: { rule: string; related?: { path?: string }[] }[] }[] }).files
    .flatMap((f) => f.findings.filter((x) => x.rule === 'cross-file-leak').map((x) => x.related?.[0]?.path));
  assert.ok(!leaks.some((p) => p?.endsWith('train.jsonl') && !p.endsWith('train.train.jsonl')), `leaks pointing at the source: ${leaks.join(', ')}`);
  // Without its manifest the same file is a training file like any other (by its name).
  rmSync(join(dir, 'train.split.json'));
  const again = JSON.parse(cli('check', '--format', 'json', '--fail-on', 'never', '.').stdout) as { files: { summary: Record<string, number> }[] };
  assert.ok(again.files.some((f) => (f.summary['cross-file-leak'] ?? 0) > 0));
});
