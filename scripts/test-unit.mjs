// Runs every test/unit/**/*.test.ts with node:test through tsx (Node 20's --test takes no globs).
// The tests run the CLI and the language server from dist/, so the build runs first (esbuild: about a
// second), and no test runs against a stale dist/; `--no-build` skips it (a build made just before).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
if (!args.includes('--no-build')) {
  const build = spawnSync(process.execPath, [join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const paths = args.filter((a) => a !== '--no-build');
const roots = paths.length ? paths : ['test/unit'];
const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.ts')) files.push(p);
  }
};
for (const r of roots) {
  if (r.endsWith(".ts")) files.push(r);
  else walk(r);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files.sort()], { stdio: 'inherit' });
process.exit(result.status ?? 1);
