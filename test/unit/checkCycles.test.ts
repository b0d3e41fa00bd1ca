import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'check-cycles.mjs');

/** Runs the cycle check over a tree of .ts files written to a temporary folder. */
function check(files: Record<string, string>, ...flags: string[]): { status: number | null; stderr: string; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-cycles-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const r = spawnSync(process.execPath, [SCRIPT, ...flags, dir], { encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr, stdout: r.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the cycle check fails on a loop of three files and prints it', () => {
  const r = check({
    'a.ts': "import { b } from './sub/b';\nexport const a = () => b();\n",
    'sub/b.ts': "import { c } from '../c';\nexport const b = () => c;\n",
    'c.ts': "import type { A } from './a';\nexport const c = 1;\nexport type C = A;\n",
    'd.ts': "import { a } from './a';\nexport const d = a;\n",
  });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  const loops = r.stderr.split('\n').filter((l) => l.startsWith('import loop:'));
  assert.equal(loops.length, 1, r.stderr);
  assert.match(loops[0], /a\.ts -> .*sub\/b\.ts -> .*c\.ts -> .*a\.ts$/);
  assert.doesNotMatch(r.stderr, /d\.ts/);
});

test('type-only imports count, unless --values-only leaves them out', () => {
  const files = {
    'x.ts': "import type { Y } from './y';\nexport interface X { y?: Y }\n",
    'y.ts': "import { type X } from './x';\nexport interface Y { x?: X }\n",
  };
  assert.equal(check(files).status, 1);
  assert.equal(check(files, '--values-only').status, 0);
});

test('re-exports, dynamic imports and index files are followed', () => {
  const r = check({
    'room/index.ts': "export { f } from './f';\n",
    'room/f.ts': "export const f = () => import('../user').then((m) => m.u);\n",
    'user.ts': "import { f } from './room';\nexport const u = f;\n",
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /import loop: .*room\/f\.ts -> .*user\.ts -> .*room\/index\.ts -> .*room\/f\.ts/);
});

test('a tree without loops passes', () => {
  const r = check({ 'a.ts': "import { b } from './b';\nexport const a = b;\n", 'b.ts': "import { z } from 'zod';\nexport const b = z;\n" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /no import loop among 2 files/);
});
