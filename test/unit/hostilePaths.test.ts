import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Hostile and unlucky paths through the command line (issue 16): no write outside what the user
 * named, and every failure one line on stderr with exit code 2, never a stack trace.
 */

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');
const posixOnly = { skip: process.platform === 'win32' };

function tuneset(cwd: string, args: string[], options: { preload?: string; env?: Record<string, string> } = {}) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const node = options.preload ? ['--require', options.preload] : [];
  const r = spawnSync(process.execPath, [...node, CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, TUNESET_DEBUG: '', ...options.env } });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/** A fresh folder holding the given files. */
function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-hostile-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const DATA = Array.from({ length: 20 }, (_, i) => JSON.stringify({ text: `Row number ${i} says something of its own.`, label: i % 2 ? 'odd' : 'even' })).join('\n') + '\n';

/** A failure as the user must see it: exit code 2, one line naming the problem, no stack. */
function assertOneLineFailure(r: { code: number | null; err: string }, message: RegExp): void {
  assert.equal(r.code, 2, r.err);
  assert.doesNotMatch(r.err, /^ {4}at /m, 'no stack trace');
  assert.equal(r.err.split('\n').filter(Boolean).length, 1, r.err);
  assert.match(r.err, /^tuneset: /);
  assert.match(r.err, message);
}

/** Hidden temps (`.NAME.PID.TIME.tmp`) and kept old versions (`.bak`) a write may have left. */
const leftovers = (dir: string) => readdirSync(dir).filter((f) => /\.(tmp|bak)$/.test(f));

test('report X --html X --force is refused and leaves the dataset byte-identical, through any spelling or link', posixOnly, () => {
  const dir = folder({ 'd.jsonl': DATA, 'sub/keep.txt': '' });
  symlinkSync('d.jsonl', join(dir, 'link.html'));
  linkSync(join(dir, 'd.jsonl'), join(dir, 'hard.html'));
  for (const out of ['d.jsonl', './d.jsonl', 'sub/../d.jsonl', join(dir, 'd.jsonl'), 'link.html', 'hard.html']) {
    for (const flag of ['--html', '--md']) {
      const r = tuneset(dir, ['report', 'd.jsonl', flag, out, '--force']);
      assertOneLineFailure(r, /never writes over what it reads, not even with --force/);
      assert.equal(readFileSync(join(dir, 'd.jsonl'), 'utf8'), DATA, `${flag} ${out}`);
    }
  }
  // A split sibling is read for the comparison: it is an input too.
  const split = folder({ 'd.train.jsonl': DATA, 'd.test.jsonl': DATA });
  assertOneLineFailure(tuneset(split, ['report', 'd.train.jsonl', '--md', 'd.test.jsonl', '--force']), /d\.test\.jsonl is an input of the report/);
  assert.equal(readFileSync(join(split, 'd.test.jsonl'), 'utf8'), DATA);
  assert.deepEqual(leftovers(dir), []);
});

test('report --html into a missing folder or onto a folder: one line, exit 2', () => {
  const dir = folder({ 'd.jsonl': DATA, 'taken/x': '' });
  assertOneLineFailure(tuneset(dir, ['report', 'd.jsonl', '--html', 'missing/report.html']), /missing\/report\.html: the folder missing does not exist/);
  assertOneLineFailure(tuneset(dir, ['report', 'd.jsonl', '--html', 'taken', '--force']), /taken is a folder, not a file/);
  assert.equal(existsSync(join(dir, 'missing')), false);
});

test('split --out onto a file and augment --out onto a folder (even with --force): one line, exit 2', () => {
  const dir = folder({ 'd.jsonl': DATA, 'afile': 'mine', 'adir/x': 'mine' });
  assertOneLineFailure(tuneset(dir, ['split', 'd.jsonl', '--out', 'afile']), /--out afile is a file, not a folder/);
  assertOneLineFailure(tuneset(dir, ['augment', 'd.jsonl', '--ops', 'rs', '--out', 'adir', '--force']), /--out adir is a folder; --out names the file to write/);
  assert.equal(readFileSync(join(dir, 'afile'), 'utf8'), 'mine');
  assert.deepEqual(readdirSync(join(dir, 'adir')), ['x']);
  assert.deepEqual(leftovers(dir), []);
});

test('a dangling .json link in a scanned folder is a skipped notice; named, it is one line and exit 2', posixOnly, () => {
  const dir = folder({ 'scan/d.jsonl': DATA });
  symlinkSync('nowhere.json', join(dir, 'scan', 'bad.json'));
  symlinkSync('loop.jsonl', join(dir, 'scan', 'loop.jsonl'));
  const r = tuneset(dir, ['check', 'scan']);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.err, /^ {4}at /m);
  assert.deepEqual(r.err.split('\n').filter(Boolean), [
    'tuneset: skipped scan/bad.json: a broken link (what it points to does not exist)',
    'tuneset: skipped scan/loop.jsonl: a link that leads round in a loop',
    'tuneset: skipped 2 files',
  ]);
  assert.match(r.out, /scan\/d\.jsonl: classification/);
  assertOneLineFailure(tuneset(dir, ['check', 'scan/bad.json']), /scan\/bad\.json: no such file or directory/);
});

test('a split manifest naming files outside its folder is refused: augment reads and writes nothing there', posixOnly, () => {
  const dir = folder({ 'data/d.jsonl': DATA, 'data/d.train.jsonl': DATA, 'outside/x.jsonl': DATA });
  symlinkSync(join(dir, 'outside', 'x.jsonl'), join(dir, 'data', 'd.val.jsonl'));
  symlinkSync(join(dir, 'nowhere'), join(dir, 'data', 'dangle'));
  const manifest = (train: string, other = 'd.test.jsonl') =>
    JSON.stringify({ tool: 'tuneset', kind: 'split', source: { file: 'd.jsonl' }, splits: [{ name: 'train', file: train }, { name: 'test', file: other }] });
  const cases: [string, string, RegExp][] = [
    ['../outside/x.jsonl', 'd.test.jsonl', /split "train" names "\.\.\/outside\/x\.jsonl", a path out of the manifest's folder/],
    [join(dir, 'outside', 'x.jsonl'), 'd.test.jsonl', /a path out of the manifest's folder/],
    ['sub/../../x.jsonl', 'd.test.jsonl', /a path out of the manifest's folder/],
    ['d.train.jsonl', '..', /split "test" names "\.\.", which is not a file name/],
    ['d.val.jsonl', 'd.test.jsonl', /split "train" names "d\.val\.jsonl", a link that leads out of the manifest's folder/],
    ['dangle/x.jsonl', 'd.test.jsonl', /split "train" names "dangle\/x\.jsonl", a link that leads out of the manifest's folder/],
  ];
  for (const [train, other, message] of cases) {
    writeFileSync(join(dir, 'data', 'd.split.json'), manifest(train, other));
    for (const args of [['d.jsonl'], ['d.split.json'], ['d.jsonl', '--split', 'd.split.json']]) {
      assertOneLineFailure(tuneset(join(dir, 'data'), ['augment', ...args, '--ops', 'rs', '--force']), message);
    }
  }
  assert.deepEqual(readdirSync(join(dir, 'outside')), ['x.jsonl']);
  assert.equal(readFileSync(join(dir, 'outside', 'x.jsonl'), 'utf8'), DATA);
  assert.deepEqual(readdirSync(join(dir, 'data')).sort(), ['d.jsonl', 'd.split.json', 'd.train.jsonl', 'd.val.jsonl', 'dangle']);
  assert.ok(!existsSync(join(dir, 'nowhere')), 'nothing was made where the dangling link points');
});

test('augment never writes over a split it reads (train or held out), even with --force', () => {
  const manifest = JSON.stringify({ tool: 'tuneset', kind: 'split', source: { file: 'd.jsonl' }, splits: [{ name: 'train', file: 'd.train.jsonl' }, { name: 'test', file: 'd.test.jsonl' }] });
  const dir = folder({ 'd.jsonl': DATA, 'd.train.jsonl': DATA, 'd.test.jsonl': DATA, 'd.split.json': manifest });
  for (const out of ['d.test.jsonl', 'd.train.jsonl', 'd.split.json']) {
    assertOneLineFailure(tuneset(dir, ['augment', 'd.split.json', '--ops', 'rs', '--out', out, '--force']), /never writes over its input, not even with --force/);
    assert.equal(readFileSync(join(dir, out), 'utf8'), out === 'd.split.json' ? manifest : DATA);
  }
});

test('a split whose last file cannot be written leaves no temp and no partial set', () => {
  const dir = folder({ 'd.jsonl': DATA, 'd.split.json/x': '' });
  assertOneLineFailure(tuneset(dir, ['split', 'd.jsonl', '--force']), /d\.split\.json is a folder, not a file/);
  assert.deepEqual(readdirSync(dir).sort(), ['d.jsonl', 'd.split.json']);
  // A rename that fails when it is tried (the folder check passed) takes back the files renamed before it.
  const preload = join(folder({ 'failing-rename.js': FAILING_RENAME }), 'failing-rename.js');
  const again = folder({ 'd.jsonl': DATA, 'd.train.jsonl': 'old train\n' });
  const r = tuneset(again, ['split', 'd.jsonl', '--force'], { preload, env: { FAIL_RENAME_TO: 'd.split.json' } });
  assertOneLineFailure(r, /d\.split\.json: input\/output error \(EIO\)/);
  assert.deepEqual(readdirSync(again).sort(), ['d.jsonl', 'd.train.jsonl']);
  assert.equal(readFileSync(join(again, 'd.train.jsonl'), 'utf8'), 'old train\n', 'the file that was replaced has its old content back');
});

/** A preload that makes the rename onto one file name fail, as a full or failing disk would. */
const FAILING_RENAME = `
const fs = require('fs');
const rename = fs.renameSync;
fs.renameSync = function (from, to) {
  if (String(from).endsWith('.tmp') && String(to).endsWith(process.env.FAIL_RENAME_TO)) {
    throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO', errno: -5, syscall: 'rename', path: from, dest: to });
  }
  return rename.apply(this, arguments);
};
`;

/** A preload that ends the process (or signals it) on the first rename of a temp: a kill mid-write. */
const ENDING_RENAME = `
const fs = require('fs');
const rename = fs.renameSync;
fs.renameSync = function (from, to) {
  if (String(from).endsWith('.tmp')) {
    if (process.env.END_WITH === 'exit') process.exit(3);
    process.kill(process.pid, 'SIGTERM');
  }
  return rename.apply(this, arguments);
};
`;

test('temps are removed on any exit: a process that ends mid-write leaves no hidden file; a signal then is not lost', posixOnly, () => {
  const preload = join(folder({ 'ending-rename.js': ENDING_RENAME }), 'ending-rename.js');
  const exited = folder({ 'd.jsonl': DATA });
  const r = tuneset(exited, ['split', 'd.jsonl'], { preload, env: { END_WITH: 'exit' } });
  assert.equal(r.code, 3);
  assert.deepEqual(readdirSync(exited), ['d.jsonl']);
  // A SIGTERM that arrives while the files are renamed waits for the set to be complete, then ends the process as it would have.
  const signalled = folder({ 'd.jsonl': DATA });
  const s = tuneset(signalled, ['split', 'd.jsonl'], { preload, env: { END_WITH: 'signal' } });
  assert.equal(s.signal, 'SIGTERM');
  assert.deepEqual(readdirSync(signalled).sort(), ['d.jsonl', 'd.split.json', 'd.test.jsonl', 'd.train.jsonl', 'd.val.jsonl']);
});

/** A preload that makes Tuneset fail in a way no command foresaw: a bug, as the last-resort handler sees one. */
const BUG = `
const fs = require('fs');
const stat = fs.statSync;
fs.statSync = function (file) {
  if (String(file).endsWith('boom.jsonl')) throw new TypeError('simulated bug\\nwith a second line');
  return stat.apply(this, arguments);
};
if (process.env.BUG_LATER === 'throw') setTimeout(() => { throw new RangeError('thrown outside any command'); }, 0);
if (process.env.BUG_LATER === 'reject') Promise.reject(new Error('rejected with nobody to catch it'));
`;

test('an unforeseen error is a message, a hint and "please report", exit 2: a stack only with --debug or TUNESET_DEBUG=1', () => {
  const dir = folder({ 'boom.jsonl': DATA, 'bug.js': BUG, 'ok.jsonl': DATA });
  const preload = join(dir, 'bug.js');
  const r = tuneset(dir, ['split', 'boom.jsonl'], { preload });
  assert.equal(r.code, 2);
  assert.deepEqual(r.err.split('\n').filter(Boolean), [
    'tuneset: simulated bug; with a second line',
    'hint: run it again with --debug (or TUNESET_DEBUG=1) to see where it failed',
    `this is a bug in Tuneset: please report it (tuneset 0.1.0, node ${process.version})`,
  ]);
  const debugRuns: { args: string[]; env: Record<string, string> }[] = [{ args: ['--debug'], env: {} }, { args: [], env: { TUNESET_DEBUG: '1' } }];
  for (const debug of debugRuns) {
    const d = tuneset(dir, ['split', 'boom.jsonl', ...debug.args], { preload, env: debug.env });
    assert.equal(d.code, 2);
    assert.match(d.err, /^tuneset: simulated bug/);
    assert.match(d.err, /^ {4}at /m, 'the stack, for the bug report');
  }
  for (const [later, message] of [['throw', 'thrown outside any command'], ['reject', 'rejected with nobody to catch it']]) {
    const l = tuneset(dir, ['check', 'ok.jsonl'], { preload, env: { BUG_LATER: later } });
    assert.equal(l.code, 2, later);
    assert.match(l.err, new RegExp(`^tuneset: ${message}\\nhint: .*\\nthis is a bug in Tuneset: please report it`, 'm'));
    assert.doesNotMatch(l.err, /^ {4}at /m);
  }
});

test('--debug is a global flag: anywhere among the arguments, it changes nothing when all goes well', () => {
  const dir = folder({ 'd.jsonl': DATA });
  const plain = tuneset(dir, ['check', 'd.jsonl']);
  const debug = tuneset(dir, ['--debug', 'check', 'd.jsonl']);
  assert.deepEqual([debug.code, debug.out], [plain.code, plain.out]);
  assert.equal(tuneset(dir, ['check', '--debug', 'd.jsonl']).code, plain.code);
});
