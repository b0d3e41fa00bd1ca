import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateShapes } from '../../bench/lib/shapes';

/**
 * The bench's shapes mix (long prose, base64 blobs, unspaced runs, code, CJK, broken JSON, duplicates,
 * PII, markup, repetition; bench/lib/shapes.ts) checked on worker threads and on one thread: the same
 * JSON, byte for byte. Its long rows go through the exact token counts (and their remembered
 * pre-tokens) in each thread; the merged report must not depend on which thread counted what.
 */

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');
/** Chunks down to 2 KB: the threads take a dozen of them in turn (ChunkQueue), each thread several. */
const CHUNK_BYTES = '2000';

test('the shapes mix, as JSON Lines and as CSV: worker threads and one thread print the same JSON, with and without near-duplicates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-shapes-'));
  try {
    const out = join(dir, 'shapes.jsonl');
    generateShapes({ rows: 3000, out, seed: 3 });
    const run = (file: string, parallelBytes: string, flags: string[], env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--fail-on', 'never', ...flags, file], {
        cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, TUNESET_PARALLEL_BYTES: parallelBytes, TUNESET_CHUNK_BYTES: CHUNK_BYTES, ...env },
      });
      assert.equal(r.status, 0, r.stderr);
      return r;
    };
    const check = (file: string, parallelBytes: string, ...flags: string[]) => run(file, parallelBytes, flags).stdout;
    const timed = (file: string, parallelBytes: string) => run(file, parallelBytes, ['--no-label-model'], { TUNESET_TIMING: '1' }).stderr;
    for (const flags of [['--no-near-duplicates', '--no-label-model'], []]) {
      const one = check(out, String(1e12), ...flags);
      const threads = check(out, '1000', ...flags);
      const report = JSON.parse(one).files[0];
      assert.equal(report.rows, 3000);
      assert.ok(report.summary['token-limit'] > 0 || report.summary['too-long'] > 0, 'the long rows are counted against a limit');
      assert.ok(threads === one, `worker threads and one thread print the same JSON (${flags.join(' ') || 'default'})`);
    }
    // The same rows as CSV (quoted texts, line breaks in them, broken records), read in ranges.
    const csv = out.replace(/\.jsonl$/, '.csv');
    for (const flags of [['--no-near-duplicates', '--no-label-model'], []]) {
      const one = check(csv, String(1e12), ...flags);
      const threads = check(csv, '1000', ...flags);
      assert.ok(JSON.parse(one).files[0].summary['csv-field-count'] > 0);
      assert.ok(threads === one, `CSV: worker threads and one thread print the same JSON (${flags.join(' ') || 'default'})`);
    }
    if (availableParallelism() >= 2) {
      for (const file of [out, csv]) {
        const timing = timed(file, '1000');
        assert.match(timing, /row pass on 2 threads/, 'the CSV was read in ranges, not whole');
        const chunks = Number(/(\d+) chunks planned/.exec(timing)?.[1]);
        const own = Number(/own chunks \((\d+)\)/.exec(timing)?.[1]);
        assert.ok(chunks >= 10 && own > 0 && own < chunks, `${file}: ${own} of ${chunks} chunks on this thread`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
