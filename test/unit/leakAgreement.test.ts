import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One answer across check, split and report (#17): on train/val/test files with planted exact and
 * near-duplicate leaks, the report's leak counts per pair of splits are check's cross-file-leak
 * counts (exact and near apart), and its near-duplicate section is computed; after `split` of the
 * same rows with its defaults, check and the report both find no leak.
 */

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');

function tuneset(cwd: string, ...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A long, distinct sentence per id: near copies change its last word (Jaccard of 5-word shingles about 0.96). */
const sentence = (id: number) => Array.from({ length: 26 }, (_, k) => `w${id}n${k}`).join(' ') + ' and the package arrived';
const near = (id: number) => sentence(id).replace(/arrived$/, 'came');
const row = (text: string, i: number) => JSON.stringify({ text, label: i % 2 ? 'yes' : 'no' });

interface CheckOutput { files: { path: string; findings: { rule: string; data?: { exact?: boolean } }[] }[] }

function checkLeaks(out: string): Map<string, { exact: number; near: number }> {
  const counts = new Map<string, { exact: number; near: number }>();
  for (const f of (JSON.parse(out) as CheckOutput).files) {
    const leaks = f.findings.filter((x) => x.rule === 'cross-file-leak');
    const exact = leaks.filter((x) => x.data?.exact === true).length;
    counts.set(f.path, { exact, near: leaks.length - exact });
  }
  return counts;
}

function reportData(dir: string, file: string) {
  const html = join(dir, `${file}.html`);
  const r = tuneset(dir, 'report', file, '--html', html, '--force');
  assert.equal(r.code, 0, r.err);
  return JSON.parse(/id="report-data">([\s\S]*?)<\/script>/.exec(readFileSync(html, 'utf8'))![1]);
}

test('check and the report count the same exact and near-duplicate leaks between splits; the report\'s near-duplicate clusters are computed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-agree-'));
  const train = Array.from({ length: 120 }, (_, i) => row(sentence(i), i));
  // Two near copies inside train make a cluster for the report's near-duplicate section.
  train.push(row(near(3), 3), row(near(4), 4));
  const val = [
    ...Array.from({ length: 30 }, (_, i) => row(sentence(1000 + i), i)),
    ...[10, 11, 12, 13].map((i) => row(`  ${sentence(i).toUpperCase()}`, i)), // 4 exact (after normalisation)
    ...[20, 21, 22].map((i) => row(near(i), i)), // 3 near
  ];
  const test = [
    ...Array.from({ length: 30 }, (_, i) => row(sentence(2000 + i), i)),
    ...[30, 31].map((i) => row(sentence(i), i)), // 2 exact
    ...[40, 41, 42, 43, 44].map((i) => row(near(i), i)), // 5 near
    row(sentence(1000), 0), // a val row in test: no training leak, one shared text val–test
  ];
  writeFileSync(join(dir, 'd.train.jsonl'), train.join('\n') + '\n');
  writeFileSync(join(dir, 'd.val.jsonl'), val.join('\n') + '\n');
  writeFileSync(join(dir, 'd.test.jsonl'), test.join('\n') + '\n');
  const checked = checkLeaks(tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', 'd.train.jsonl', 'd.val.jsonl', 'd.test.jsonl').out);
  assert.deepEqual(checked.get('d.val.jsonl'), { exact: 4, near: 3 });
  assert.deepEqual(checked.get('d.test.jsonl'), { exact: 2, near: 5 });
  const data = reportData(dir, 'd.train.jsonl');
  const leaks = new Map((data.splits.leaks as { between: string[]; exact: number; near: number }[]).map((l) => [l.between.join('-'), { exact: l.exact, near: l.near }]));
  assert.deepEqual(leaks.get('train-val'), checked.get('d.val.jsonl'));
  assert.deepEqual(leaks.get('train-test'), checked.get('d.test.jsonl'));
  assert.deepEqual(leaks.get('val-test'), { exact: 1, near: 0 });
  assert.equal(data.nearDuplicates.computed, true);
  assert.equal(data.nearDuplicates.clusters.length, 2);
  assert.deepEqual(data.nearDuplicates.clusters.map((c: { pair: number[] }) => c.pair), [[4, 121], [5, 122]]);
  // The Markdown card and the terminal summary say the same.
  const md = join(dir, 'card.md');
  assert.equal(tuneset(dir, 'report', 'd.val.jsonl', '--md', md).code, 0);
  assert.match(readFileSync(md, 'utf8'), /\| val +\| train +\| +4 \| +3 \|/);
  assert.match(tuneset(dir, 'report', 'd.test.jsonl').out, /leaks \(as check counts them\): val from train 4 exact, 3 near; test from train 2 exact, 5 near; test from val 1 exact, 0 near/);

  // The same rows as one file, split with the defaults: nothing left for check or the report to find.
  writeFileSync(join(dir, 'all.jsonl'), [...train, ...val, ...test].join('\n') + '\n');
  const split = tuneset(dir, 'split', 'all.jsonl', '--stratify');
  assert.equal(split.code, 0, split.err);
  assert.match(split.out, /rows in \d+ groups kept whole/);
  const after = checkLeaks(tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', 'all.train.jsonl', 'all.val.jsonl', 'all.test.jsonl').out);
  assert.deepEqual([...after.values()].map((c) => c.exact + c.near), [0, 0, 0]);
  const afterReport = reportData(dir, 'all.val.jsonl');
  for (const l of afterReport.splits.leaks) assert.deepEqual([l.exact, l.near], [0, 0], l.between.join('-'));
  assert.ok(afterReport.splits.leakage.every((l: { shared: number }) => l.shared === 0));
});
