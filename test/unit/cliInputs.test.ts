import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Real files as they are: archives, other formats, extension-less files, empty folders and named pipes. */

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');
const READS = '(Tuneset reads .jsonl, .ndjson, .csv, .tsv and .json arrays of objects)';

/** Runs the CLI in `cwd`; a timeout turns a hang (a named pipe opened) into a failure instead of a stuck test. */
function tuneset(cwd: string, ...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 20000 });
  assert.equal(r.signal, null, `tuneset ${args.join(' ')} did not finish`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A temporary folder holding the files given (name → content; a name ending in "/" is a folder). */
function folder(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-inputs-'));
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith('/')) mkdirSync(join(dir, name), { recursive: true });
    else {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
  }
  return dir;
}

const JSONL = '{"text": "the film was a delight from start to end", "label": "pos"}\n{"text": "a dull and tedious two hours", "label": "neg"}\n';
const CSV = 'text,label\n"the film was a delight, start to end",pos\na dull and tedious two hours,neg\n';
// A header keeps the row counts clear of the CSV reader's guess at header-less files.
const SMS_ROWS = 'ham\tGo until jurong point, crazy.. Available only in bugis\nspam\tFree entry in 2 a wkly comp to win FA Cup final tkts\nham\tOk lar... "Joking" wif u oni...\n';
const SMS = `label\ttext\n${SMS_ROWS}`;
const ARFF = '@RELATION iris\n\n@ATTRIBUTE sepallength NUMERIC\n@ATTRIBUTE class {Iris-setosa,Iris-versicolor}\n\n@DATA\n5.1,Iris-setosa\n7.0,Iris-versicolor\n';
const README = '# Data\n\nThe reviews, as downloaded. See the paper, section 2, for details.\n';
const TGZ = gzipSync(Buffer.from(JSONL));

const files = (out: string) => (JSON.parse(out) as { files: { path: string; container: string; rows: number; summary: Record<string, number> }[] }).files;

test('an archive named on the command line is skipped with what it is, not read as thousands of invalid JSON lines', () => {
  const dir = folder({ 'reviews.tgz': TGZ, 'train.jsonl': TGZ });
  const r = tuneset(dir, 'check', 'reviews.tgz');
  assert.equal(r.code, 2);
  assert.equal(r.err, `tuneset: skipped reviews.tgz: a gzip-compressed tar archive: extract it first ${READS}\n`);
  assert.equal(r.out, '');
  const mislabelled = tuneset(dir, 'check', 'train.jsonl');
  assert.equal(mislabelled.code, 2);
  assert.match(mislabelled.err, /skipped train\.jsonl: a gzip archive: extract it first/, 'named by its first bytes, whatever its name says');
});

test('an ARFF file is skipped as a format Tuneset does not read', () => {
  const dir = folder({ 'iris.arff': ARFF });
  const r = tuneset(dir, 'check', 'iris.arff');
  assert.equal(r.code, 2);
  assert.equal(r.err, `tuneset: skipped iris.arff: ARFF is not a supported format ${READS}\n`);
});

test('a skipped file among files read is a notice: the others are checked as usual', () => {
  const dir = folder({ 'iris.arff': ARFF, 'reviews.jsonl': JSONL });
  const r = tuneset(dir, 'check', '--format', 'json', 'iris.arff', 'reviews.jsonl');
  assert.equal(r.code, 0);
  assert.match(r.err, /skipped iris\.arff: ARFF is not a supported format/);
  assert.deepEqual(files(r.out).map((f) => f.path), ['reviews.jsonl']);
});

test('extension-less files are read as their first bytes show: JSON Lines, CSV, TSV', () => {
  const dir = folder({ reviews: JSONL, tickets: CSV, SMSSpamCollection: SMS, 'notes.txt': JSONL });
  const r = tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', 'reviews', 'tickets', 'SMSSpamCollection', 'notes.txt');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.deepEqual(files(r.out).map((f) => [f.path, f.container, f.rows, f.summary['invalid-json'] ?? 0]), [
    ['reviews', 'jsonl', 2, 0],
    ['tickets', 'csv', 2, 0],
    ['SMSSpamCollection', 'csv', 3, 0],
    ['notes.txt', 'jsonl', 2, 0],
  ]);
});

test('a named file that is not a dataset says why', () => {
  const dir = folder({ 'README.md': README, LICENSE: 'MIT License\n\nPermission is hereby granted, free of charge, to any person\n' });
  const r = tuneset(dir, 'check', 'README.md', 'LICENSE');
  assert.equal(r.code, 2);
  assert.match(r.err, /^tuneset: skipped README\.md: not a dataset: its first lines are neither JSON objects nor columns separated by commas or tabs$/m);
  assert.match(r.err, /^tuneset: skipped LICENSE: not a dataset/m);
  assert.ok(r.err.endsWith(`tuneset: skipped 2 files ${READS}\n`), r.err);
});

test('an empty folder is an error, not a silent pass', () => {
  const dir = folder({ 'data/': '' });
  const r = tuneset(dir, 'check', 'data');
  assert.equal(r.code, 2);
  assert.equal(r.err, `tuneset: no dataset files found in data/ ${READS}\n`);
  assert.equal(r.out, '');
});

test('a folder with only a README and an archive: the archive is named, the README is not', () => {
  const dir = folder({ 'data/README.md': README, 'data/aclImdb_v1.tar.gz': TGZ, 'data/.DS_Store': new Uint8Array([0, 0, 0, 1, 66, 117, 100, 49]) });
  const r = tuneset(dir, 'check', '--format', 'json', 'data/');
  assert.equal(r.code, 2);
  assert.equal(r.err, [
    'tuneset: skipped data/aclImdb_v1.tar.gz: a gzip-compressed tar archive: extract it first',
    `tuneset: no dataset files found in data/ (skipped 1 file; ${READS.slice(1)}`,
    '',
  ].join('\n'));
});

test('a folder walk reads datasets and extension-less tables, and passes over other files in silence', () => {
  const dir = folder({
    'data/README.md': README,
    'data/readme': README,
    'data/SMSSpamCollection': SMS,
    'data/train.jsonl': JSONL,
    'data/prepare.py': 'import csv\n',
    // A .txt file is read when named, not when found: folders hold notes and logs.
    'data/notes.txt': JSONL,
    // Tab-aligned, yet no table: a project's Makefile is never sniffed in a folder.
    'data/Makefile': 'CC\t= gcc\nCFLAGS\t= -O2\n',
  });
  const r = tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', 'data');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.deepEqual(files(r.out).map((f) => [f.path, f.container]), [['data/SMSSpamCollection', 'csv'], ['data/train.jsonl', 'jsonl']]);
});

test('extension-less training and test files are compared for leaks as they were read', () => {
  const shared = 'a review that was copied into both splits verbatim\tpos\n';
  const dir = folder({
    'train/reviews': `text\tlabel\n${shared}another training review of some length\tneg\n`,
    'test/reviews': `text\tlabel\n${shared}a fresh held-out review here\tneg\n`,
  });
  const r = tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', 'train', 'test');
  assert.equal(r.code, 0, r.err);
  const byPath = Object.fromEntries(files(r.out).map((f) => [f.path, f.summary['cross-file-leak'] ?? 0]));
  assert.deepEqual(byPath, { 'test/reviews': 1, 'train/reviews': 0 });
  // The finding spans the text field (the file read again as TSV), not the whole line.
  const leak = (JSON.parse(r.out) as { files: { findings: { rule: string; line: number; endColumn: number }[] }[] }).files
    .flatMap((f) => f.findings).find((f) => f.rule === 'cross-file-leak');
  assert.deepEqual([leak?.line, leak?.endColumn], [2, shared.indexOf('\t') + 1]);
});

test('named pipes, named or found in a folder, are skipped and never opened', { skip: process.platform === 'win32' }, () => {
  const dir = folder({ 'data/train.jsonl': JSONL });
  execFileSync('mkfifo', [join(dir, 'data', 'stream.jsonl'), join(dir, 'pipe')]);
  const named = tuneset(dir, 'check', 'pipe');
  assert.equal(named.code, 2);
  assert.equal(named.err, 'tuneset: skipped pipe: not a regular file (a named pipe)\n');
  const found = tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', 'data');
  assert.equal(found.code, 0, found.err);
  assert.equal(found.err, 'tuneset: skipped data/stream.jsonl: not a regular file (a named pipe)\n');
  assert.deepEqual(files(found.out).map((f) => f.path), ['data/train.jsonl']);
  assert.match(tuneset(dir, 'report', 'pipe').err, /^tuneset: pipe: not a regular file \(a named pipe\)\n$/);
});

test('report, split and augment name a file they cannot read, and read extension-less ones', () => {
  const dir = folder({ 'iris.arff': ARFF, 'reviews.tgz': TGZ, SMSSpamCollection: SMS + SMS_ROWS.replace(/Go until/g, 'Went until') });
  for (const command of ['report', 'split', 'augment']) {
    const r = tuneset(dir, command, 'iris.arff');
    assert.equal(r.code, 2, command);
    assert.equal(r.err, `tuneset: iris.arff: ARFF is not a supported format ${READS}\n`, command);
  }
  assert.match(tuneset(dir, 'split', 'reviews.tgz').err, /^tuneset: reviews\.tgz: a gzip-compressed tar archive: extract it first/);
  const report = tuneset(dir, 'report', 'SMSSpamCollection');
  assert.equal(report.code, 0, report.err);
  assert.match(report.out, /^SMSSpamCollection: classification \(csv\), 6 rows/);
  const split = tuneset(dir, 'split', '--ratios', '50,50', 'SMSSpamCollection');
  assert.equal(split.code, 0, split.err);
  assert.match(split.out, /SMSSpamCollection: 6 rows, classification/);
});
