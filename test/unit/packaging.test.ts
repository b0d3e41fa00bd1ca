// The VSIX ships what the build makes: every Node bundle the build writes (but the CLI's) is let through
// .vscodeignore, so the installed extension never misses a worker the server starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

test('every bundle the build writes under dist/ is shipped in the VSIX (the CLI aside)', () => {
  const build = readFileSync(path.join(ROOT, 'scripts', 'build.mjs'), 'utf8');
  const bundles = [...build.matchAll(/outfile: '(dist\/[\w.]+\.js)'/g)].map((m) => m[1]).filter((f) => f !== 'dist/cli.js');
  assert.ok(bundles.length >= 5, `found the build's bundles (${bundles.join(', ')})`);
  const shipped = new Set(readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split(/\r?\n/).filter((l) => l.startsWith('!')).map((l) => l.slice(1).trim()));
  assert.deepEqual(bundles.filter((b) => !shipped.has(b)), []);
});
