import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Runs the CLI from source (through tsx, no build needed); node:test owns this process's stdout. */
async function tuneset(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A folder with data.train/val/test.jsonl, one val row also in train. */
function splitFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-report-'));
  const rows = (...r: [string, string][]) => r.map(([text, label]) => JSON.stringify({ text, label })).join('\n') + '\n';
  writeFileSync(join(dir, 'data.train.jsonl'), rows(['the food was great', 'pos'], ['cold soup again', 'neg'], ['lovely staff and view', 'pos']));
  writeFileSync(join(dir, 'data.val.jsonl'), rows(['The food was  great', 'pos'], ['slow service', 'neg']));
  writeFileSync(join(dir, 'data.test.jsonl'), rows(['noisy room', 'neg']));
  return dir;
}

test('report without outputs prints a summary with labels, lengths, diversity and splits', async () => {
  const dir = splitFolder();
  const r = await tuneset('report', join(dir, 'data.train.jsonl'));
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.match(lines[0], /data\.train\.jsonl: classification \(jsonl\), 3 rows \(3 valid\), quality \d+\/100$/);
  assert.ok(lines.some((l) => l.startsWith('  labels: pos 2 (66.7%) · neg 1 (33.3%); balance index 0.94')), r.out);
  assert.ok(lines.some((l) => l.startsWith('  diversity: 11 words, vocabulary 11,')), r.out);
  assert.ok(lines.includes('  splits: train 3 · val 2 · test 1; texts in both: train–val 1, train–test 0, val–test 0'), r.out);
});

test('report --html --md writes both files, and refuses to overwrite them without --force', async () => {
  const dir = splitFolder();
  const html = join(dir, 'out.html');
  const md = join(dir, 'out.md');
  const first = await tuneset('report', join(dir, 'data.val.jsonl'), '--html', html, '--md', md);
  assert.equal(first.code, 0, first.err);
  assert.equal(first.out, `wrote ${html}\nwrote ${md}\n`);
  const page = readFileSync(html, 'utf8');
  assert.match(page, /^<!DOCTYPE html>/);
  assert.match(page, /Chart\.js v4/, 'Chart.js is inlined: the file works offline');
  assert.doesNotMatch(page, /<script[^>]* src=|<link /, 'nothing loaded from elsewhere');
  const data = JSON.parse(/id="report-data">([\s\S]*?)<\/script>/.exec(page)![1]);
  assert.equal(data.header.rows, 2);
  assert.deepEqual(data.splits.leakage[0], { between: ['train', 'val'], shared: 1 });
  assert.match(readFileSync(md, 'utf8'), /^# Data card: .*data\.val\.jsonl\n/);

  writeFileSync(md, 'keep me');
  const again = await tuneset('report', join(dir, 'data.val.jsonl'), '--md', md);
  assert.equal(again.code, 2);
  assert.equal(again.err, `tuneset: ${md} exists; pass --force to overwrite it\n`);
  assert.equal(readFileSync(md, 'utf8'), 'keep me');
  const forced = await tuneset('report', join(dir, 'data.val.jsonl'), '--md', md, '--force');
  assert.equal(forced.code, 0);
  assert.notEqual(readFileSync(md, 'utf8'), 'keep me');
});

test('report usage errors: one file, a readable one, distinct outputs', async () => {
  assert.equal((await tuneset('report')).code, 2);
  const missing = await tuneset('report', 'no/such.jsonl');
  assert.deepEqual([missing.code, missing.err], [2, 'tuneset: no/such.jsonl: cannot read (ENOENT)\n']);
  const same = await tuneset('report', 'test/fixtures/reviews.jsonl', '--html', 'x', '--md', 'x');
  assert.deepEqual([same.code, same.err], [2, 'tuneset: --html and --md must be different files\n']);
});

test('the built CLI exports a report too (Chart.js and the page found next to dist/)', () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const out = join(mkdtempSync(join(tmpdir(), 'tuneset-report-')), 'r.html');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tuneset.js'), 'report', 'test/fixtures/reviews.jsonl', '--html', out], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(readFileSync(out, 'utf8'), /"path":"test\/fixtures\/reviews\.jsonl"/);
});
