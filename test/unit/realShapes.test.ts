import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The real-shapes corpus: files shaped like public datasets as people download them (quoted-looking
 * TSV, Windows-1252, spilled CSV, header-less files, unknown field names, archives). Each
 * `NAME.expect.json` beside its input says what `tuneset check --format json` must make of it:
 *
 *   { "input": "NAME" | ["a", "b"],   input files or folders, relative to the corpus folder (default: NAME)
 *     "args": ["--no-header"],        extra options
 *     "exit": 0,                      the exit code
 *     "rows": 5 | [5, 3],             rows read, per file in output order
 *     "findings": { "rule": 2 },      exact counts per rule, for the rules named (per file: a list)
 *     "absent": ["control-chars"],    rules that must not appear in any file
 *     "fields": { "text": "v2" },     the fields resolved (first file)
 *     "encoding": "windows-1252",     the encoding named in the output (first file)
 *     "stderr": ["guessed text"] }    substrings the standard error must hold
 */

const ROOT = join(__dirname, '..', '..');
const CORPUS = join(ROOT, 'test', 'fixtures', 'real-shapes');

interface Expectation {
  input?: string | string[];
  args?: string[];
  exit?: number;
  rows?: number | number[];
  findings?: Record<string, number> | Record<string, number>[];
  absent?: string[];
  fields?: Record<string, string>;
  encoding?: string;
  stderr?: string[];
}

interface FileResult {
  path: string;
  rows: number;
  fields: Record<string, string>;
  encoding?: string;
  summary: Record<string, number>;
}

const cases = readdirSync(CORPUS).filter((f) => f.endsWith('.expect.json')).sort();

test('the real-shapes corpus is there', () => assert.ok(cases.length > 0));

for (const file of cases) {
  const name = file.slice(0, -'.expect.json'.length);
  test(`real shapes: ${name}`, () => {
    assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
    const want = JSON.parse(readFileSync(join(CORPUS, file), 'utf8')) as Expectation;
    const inputs = [want.input ?? name].flat().map((i) => join(CORPUS, i));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tuneset.js'), 'check', '--format', 'json', ...(want.args ?? []), ...inputs], { cwd: CORPUS, encoding: 'utf8' });
    const context = `stdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr}`;
    if (want.exit !== undefined) assert.equal(r.status, want.exit, context);
    for (const s of want.stderr ?? []) assert.ok(r.stderr.includes(s), `stderr should mention "${s}"\n${context}`);
    if (want.rows === undefined && want.findings === undefined && want.fields === undefined && want.encoding === undefined && !want.absent) return;
    const files = (JSON.parse(r.stdout) as { files: FileResult[] }).files;
    if (want.rows !== undefined) assert.deepEqual(files.map((f) => f.rows), [want.rows].flat(), context);
    const findings = want.findings === undefined ? [] : [want.findings].flat();
    findings.forEach((counts, k) => {
      for (const [rule, n] of Object.entries(counts)) assert.equal(files[k].summary[rule] ?? 0, n, `${files[k].path}: ${rule}\n${context}`);
    });
    for (const rule of want.absent ?? []) for (const f of files) assert.equal(f.summary[rule] ?? 0, 0, `${f.path}: ${rule} should not be reported`);
    if (want.fields) assert.deepEqual(files[0].fields, want.fields);
    if (want.encoding) assert.equal(files[0].encoding, want.encoding);
  });
}
