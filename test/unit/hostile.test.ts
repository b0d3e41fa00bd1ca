import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The hostile corpus (test/hostile/cases.mjs), generated into test-output/hostile/ and run through
 * the CLI: no crash, no hang, no unbounded memory, no write outside what was asked. Each case runs
 * with a heap limit (--max-old-space-size) and a timeout, both far above what it needs, so a case
 * that blows up fails instead of taking the machine with it.
 */

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'test-output', 'hostile');

interface HostileCase {
  name: string;
  files: Record<string, string | Uint8Array>;
  fifo?: string;
  args: string[];
  exit?: number;
  seconds: number;
  heapMiB: number;
  has?: string[];
  hasNot?: string[];
  unchanged?: string[];
  absent?: string[];
}

const load = import(join(ROOT, 'test', 'hostile', 'cases.mjs')) as Promise<{ CASES: HostileCase[]; writeCase: (c: HostileCase, dir: string) => void }>;

test('hostile inputs: each gets its outcome within its budget', async (t) => {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const { CASES, writeCase } = await load;
  for (const c of CASES) {
    await t.test(c.name, () => {
      const dir = join(OUT, c.name);
      writeCase(c, dir);
      const before = new Map((c.unchanged ?? []).map((f) => [f, readFileSync(join(dir, f))]));
      const r = spawnSync(process.execPath, [`--max-old-space-size=${c.heapMiB}`, join(ROOT, 'bin', 'tuneset.js'), ...c.args], {
        cwd: dir, encoding: 'utf8', timeout: c.seconds * 1000, maxBuffer: 1 << 30,
      });
      const output = `${r.stdout}\n${r.stderr}`;
      const context = `exit ${r.status}, signal ${r.signal}\nstderr: ${r.stderr.slice(0, 1500)}\nstdout: ${r.stdout.slice(0, 500)}`;
      assert.notEqual(r.signal, 'SIGTERM', `over its budget of ${c.seconds} s\n${context}`);
      assert.ok(!/heap out of memory|Allocation failed/.test(r.stderr), `over its heap budget of ${c.heapMiB} MiB\n${context}`);
      if (c.exit !== undefined) assert.equal(r.status, c.exit, context);
      else assert.ok(r.status === 0 || r.status === 1, `a verdict (0 or 1), not a failure\n${context}`);
      for (const s of c.has ?? []) assert.ok(output.includes(s), `should mention ${s}\n${context}`);
      for (const s of c.hasNot ?? []) assert.ok(!output.includes(s), `should not show ${s}\n${context}`);
      for (const [f, bytes] of before) assert.deepEqual(readFileSync(join(dir, f)), bytes, `${f} must be left as it was`);
      for (const f of c.absent ?? []) assert.ok(!existsSync(join(dir, f)), `${f} must not be written`);
    });
  }
});
