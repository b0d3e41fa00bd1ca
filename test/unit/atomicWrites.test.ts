import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFilesAtomic } from '../../server/src/host/writeAtomic';
import { isInside, outputOverInput, realTarget } from '../../server/src/host/outputPaths';

/** Writing a set of files all or none, and telling where a path really leads (issue 16). */

const fresh = () => mkdtempSync(join(tmpdir(), 'tuneset-atomic-'));

test('a set of files is written all or none: a rename that fails takes back those before it', () => {
  const dir = fresh();
  writeFileSync(join(dir, 'a.jsonl'), 'old a\n');
  // A folder in the way of the last file: its rename fails after the first two were renamed.
  mkdirSync(join(dir, 'manifest.json'));
  writeFileSync(join(dir, 'manifest.json', 'keep'), '');
  const files = [{ path: join(dir, 'a.jsonl'), data: 'new a\n' }, { path: join(dir, 'b.jsonl'), data: 'new b\n' }, { path: join(dir, 'manifest.json'), data: '{}' }];
  assert.throws(() => writeFilesAtomic(files), (e: NodeJS.ErrnoException) => ['EISDIR', 'ENOTEMPTY', 'EEXIST'].includes(e.code!));
  assert.deepEqual(readdirSync(dir).sort(), ['a.jsonl', 'manifest.json'], 'no temp, no kept old version, no new b');
  assert.equal(readFileSync(join(dir, 'a.jsonl'), 'utf8'), 'old a\n', 'the replaced file has its old content back');
  assert.deepEqual(readdirSync(join(dir, 'manifest.json')), ['keep']);
});

test('a set written whole replaces old files and leaves nothing beside them', () => {
  const dir = fresh();
  writeFileSync(join(dir, 'a.jsonl'), 'old a\n');
  writeFilesAtomic([{ path: join(dir, 'a.jsonl'), data: 'new a\n' }, { path: join(dir, 'b.jsonl'), data: new Uint8Array([98, 10]) }]);
  assert.deepEqual(readdirSync(dir).sort(), ['a.jsonl', 'b.jsonl']);
  assert.equal(readFileSync(join(dir, 'a.jsonl'), 'utf8'), 'new a\n');
  assert.equal(readFileSync(join(dir, 'b.jsonl'), 'utf8'), 'b\n');
});

test('a write into a missing folder fails whole and leaves no temp', () => {
  const dir = fresh();
  assert.throws(() => writeFilesAtomic([{ path: join(dir, 'x.jsonl'), data: 'x' }, { path: join(dir, 'missing', 'y.jsonl'), data: 'y' }]), { code: 'ENOENT' });
  assert.deepEqual(readdirSync(dir), []);
});

test('where a path really leads: links followed, files not written yet placed in their real folder', { skip: process.platform === 'win32' }, () => {
  const dir = fresh();
  mkdirSync(join(dir, 'real'));
  writeFileSync(join(dir, 'real', 'd.jsonl'), '');
  symlinkSync(join(dir, 'real'), join(dir, 'alias'));
  assert.equal(realTarget(join(dir, 'alias', 'new', 'x.html')), join(realTarget(dir), 'real', 'new', 'x.html'));
  assert.deepEqual(outputOverInput([join(dir, 'alias', 'd.jsonl')], [join(dir, 'real', 'd.jsonl')]), { output: join(dir, 'alias', 'd.jsonl'), input: join(dir, 'real', 'd.jsonl') });
  assert.equal(outputOverInput([join(dir, 'alias', 'other.jsonl')], [join(dir, 'real', 'd.jsonl')]), undefined);
  assert.ok(isInside(join(dir, 'alias', 'sub', 'x'), join(dir, 'real')));
  assert.ok(!isInside(join(dir, 'real', '..', 'elsewhere'), join(dir, 'real')));
  assert.ok(!isInside(join(dir, 'realm'), join(dir, 'real')), 'a folder whose name starts the same is not inside');
});

test('a link taken back is the same link again, and what it leads to is never written', { skip: process.platform === 'win32' }, () => {
  const dir = fresh();
  writeFileSync(join(dir, 'real.jsonl'), 'real\n');
  symlinkSync('real.jsonl', join(dir, 'a.jsonl'));
  mkdirSync(join(dir, 'in-the-way'));
  writeFileSync(join(dir, 'in-the-way', 'x'), '');
  assert.throws(() => writeFilesAtomic([{ path: join(dir, 'a.jsonl'), data: 'new\n' }, { path: join(dir, 'in-the-way'), data: '' }]));
  assert.equal(readlinkSync(join(dir, 'a.jsonl')), 'real.jsonl');
  assert.equal(readFileSync(join(dir, 'real.jsonl'), 'utf8'), 'real\n');
  assert.deepEqual(readdirSync(dir).sort(), ['a.jsonl', 'in-the-way', 'real.jsonl']);
});
