import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** bin/tuneset.js with its compile cache in `cache` ("0": off), as a user runs it. */
const ROOT = resolve(__dirname, '..', '..');
function check(cache: string) {
  const r = spawnSync(process.execPath, ['bin/tuneset.js', 'check', 'samples/reviews/train.jsonl', '--format', 'json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TUNESET_COMPILE_CACHE: cache } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const entries = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.bin')).sort();

test('the CLI\'s compile cache: written after a first run, used by the next, rewritten when broken, off with TUNESET_COMPILE_CACHE=0; the output never changes', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'tuneset-cc-')), 'v8');
  const first = check(dir);
  assert.equal(first.stderr, '');
  const written = entries(dir);
  assert.equal(written.length, 2, `the CLI's bundle and the tokenizer's (which reads the rank table, dist/o200k.bin): ${written.join(', ')}`);
  assert.equal(statSync(dir).mode & 0o777, 0o700, 'the cache is its owner\'s alone');

  const second = check(dir);
  assert.deepEqual(second, first);
  assert.deepEqual(entries(dir), written, 'a run that used the cache adds nothing');

  // An entry V8 refuses (another build's, a damaged file): compiled as usual, and written again.
  for (const f of written) writeFileSync(join(dir, f), 'not V8 code cache data');
  assert.deepEqual(check(dir), first);
  // (The tokenizer's bundle is small: its rank table is data, dist/o200k.bin.)
  assert.ok(written.every((f) => statSync(join(dir, f)).size > 1_000), 'the broken entries were replaced');

  const off = join(mkdtempSync(join(tmpdir(), 'tuneset-cc-')), 'none');
  const plain = spawnSync(process.execPath, ['bin/tuneset.js', 'check', 'samples/reviews/train.jsonl', '--format', 'json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TUNESET_COMPILE_CACHE: '0', XDG_CACHE_HOME: off, HOME: off } });
  assert.equal(plain.stdout, first.stdout);
  assert.throws(() => readdirSync(off), 'nothing written when it is off');
});

test('the compile cache also takes the bundles loaded on demand: augment (WordNet tagging) writes the same rows cold and warm', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'tuneset-cc-')), 'v8');
  const out = mkdtempSync(join(tmpdir(), 'tuneset-cc-out-'));
  const augment = (file: string) => spawnSync(process.execPath, ['bin/tuneset.js', 'augment', 'samples/reviews/train.jsonl', '--only-new', '--out', join(out, file)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TUNESET_COMPILE_CACHE: dir } });
  const cold = augment('cold.jsonl');
  assert.equal(cold.status, 0, cold.stderr);
  assert.ok(entries(dir).length >= 2, `cli.js and naturalData.js (the tagger's lexicons) at least: ${entries(dir).join(', ')}`);
  assert.ok(readFileSync(join(out, 'cold.jsonl'), 'utf8').split('\n').filter(Boolean).length > 10, 'new rows were written');
  const warm = augment('warm.jsonl');
  assert.equal(warm.status, 0, warm.stderr);
  assert.equal(readFileSync(join(out, 'warm.jsonl'), 'utf8'), readFileSync(join(out, 'cold.jsonl'), 'utf8'));
});
