import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');
const FIX = 'test/fixtures';

function tuneset(...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('text output: path:line:col severity rule message, then a summary per file', () => {
  const r = tuneset('check', `${FIX}/reviews.jsonl`);
  assert.equal(r.code, 1, 'errors exist');
  const lines = r.out.split('\n');
  assert.ok(lines.includes('test/fixtures/reviews.jsonl:3:10 warning exact-duplicate Duplicate of line 1'));
  assert.ok(lines.includes('test/fixtures/reviews.jsonl:9:61 error invalid-json Invalid JSON: Unexpected token \'}\' (column 61)'));
  assert.ok(lines.some((l) => /^test\/fixtures\/reviews\.jsonl: classification \(jsonl\), 12 rows, quality \d+\/100$/.test(l)));
  assert.ok(lines.some((l) => l.startsWith('  labels: positive 5 (45.5%)')));
});

test('json output follows the contract, every finding in file order', () => {
  const r = tuneset('check', '--format', 'json', `${FIX}/reviews.jsonl`);
  const doc = JSON.parse(r.out);
  assert.equal(doc.version, 1);
  const [file] = doc.files;
  assert.equal(file.path, 'test/fixtures/reviews.jsonl');
  assert.equal(file.format, 'classification');
  assert.equal(file.rows, 12);
  assert.deepEqual(file.fields, { text: 'text', label: 'label' });
  assert.deepEqual(file.labels, { positive: 5, negative: 3, neutral: 2, Positive: 1 });
  const dup = file.findings.find((f: { rule: string }) => f.rule === 'exact-duplicate');
  assert.deepEqual(
    { ...dup, message: undefined, data: undefined },
    { rule: 'exact-duplicate', severity: 'warning', line: 3, column: 10, endLine: 3, endColumn: 67, message: undefined, data: undefined, related: [{ line: 1, message: 'first occurrence' }] },
  );
  const lines = file.findings.map((f: { line: number }) => f.line);
  assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
  assert.equal(file.summary['exact-duplicate'], 2);
  assert.equal(file.summary['conflicting-labels'], 2);
});

test('sarif output is SARIF 2.1.0 with rules and located results', () => {
  const r = tuneset('check', '--format', 'sarif', `${FIX}/reviews.jsonl`);
  const sarif = JSON.parse(r.out);
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'tuneset');
  assert.ok(run.tool.driver.rules.some((x: { id: string }) => x.id === 'pii-email'));
  const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'invalid-json');
  assert.equal(res.level, 'error');
  assert.deepEqual(res.locations[0].physicalLocation, { artifactLocation: { uri: 'test/fixtures/reviews.jsonl' }, region: { startLine: 9, startColumn: 61, endLine: 9, endColumn: 62 } });
});

test('exit codes: 0 clean, --fail-on warning|never, 2 on bad usage and unreadable files', () => {
  assert.equal(tuneset('check', `${FIX}/clean.jsonl`).code, 0);
  assert.equal(tuneset('check', '--fail-on', 'warning', `${FIX}/latin1.tsv`).code, 1);
  assert.equal(tuneset('check', '--fail-on', 'never', `${FIX}/reviews.jsonl`).code, 0);
  const missing = tuneset('check', `${FIX}/nope.jsonl`);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nope\.jsonl: no such file or directory/);
  assert.equal(tuneset('check').code, 2);
  assert.equal(tuneset('frobnicate').code, 2);
  const bad = tuneset('check', '--format', 'xml', `${FIX}/clean.jsonl`);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--format must be text, json or sarif/);
});

test('a directory checks every dataset below it, .json only when it is an array of objects', () => {
  const doc = JSON.parse(tuneset('check', '--format', 'json', `${FIX}/dir`).out);
  assert.deepEqual(doc.files.map((f: { path: string; format: string }) => [f.path, f.format]), [
    ['test/fixtures/dir/alpaca.json', 'instruction'],
    ['test/fixtures/dir/nested/chat.jsonl', 'chat'],
    ['test/fixtures/dir/tickets.csv', 'classification'],
  ]);
});

test('invalid UTF-8 is read and reported, not a crash', () => {
  const doc = JSON.parse(tuneset('check', '--format', 'json', `${FIX}/latin1.tsv`).out);
  const f = doc.files[0].findings.find((x: { rule: string }) => x.rule === 'invalid-utf8');
  assert.equal(f.line, 3);
  assert.deepEqual(doc.files[0].labels, { pos: 1, neg: 1 });
});

test('options and tuneset.json override detection and thresholds; a bad setting is a clear usage error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-cli-'));
  const data = join(dir, 'd.jsonl');
  writeFileSync(data, '{"body": "a long enough body text here", "tag": "x"}\n'.repeat(3));
  const doc = JSON.parse(tuneset('check', '--format', 'json', '--text-field', 'body', '--label-field', 'tag', data).out);
  assert.deepEqual([doc.files[0].format, doc.files[0].fields], ['classification', { text: 'body', label: 'tag' }]);
  const limited = JSON.parse(tuneset('check', '--format', 'json', '--max-tokens', '3', '--text-field', 'body', data).out);
  assert.equal(limited.files[0].summary['token-limit'], 3);
  const cfg = join(dir, 'tuneset.json');
  writeFileSync(cfg, JSON.stringify({ rules: { 'exact-duplicate': 'off' }, textField: 'body' }));
  assert.equal(JSON.parse(tuneset('check', '--format', 'json', '--config', cfg, data).out).files[0].summary['exact-duplicate'], undefined);
  writeFileSync(cfg, JSON.stringify({ thresholds: { imbalanceRatio: 'high' } }));
  const bad = tuneset('check', '--config', cfg, data);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /tuneset\.json: thresholds\.imbalanceRatio: Expected number, received string; using the default/);
});

test('big JSONL files run on worker threads with the same result', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-cli-'));
  const data = join(dir, 'big.jsonl');
  const rows = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ text: `row ${i % 2500} says hello${i % 100 === 0 ? ' to a@b.io' : ''}`, label: i % 3 ? 'a' : 'b' }));
  writeFileSync(data, rows.join('\n') + '\n');
  const single = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--fail-on', 'never', data], { encoding: 'utf8', env: { ...process.env, TUNESET_PARALLEL_BYTES: String(1e12) } });
  const parallel = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--fail-on', 'never', data], { encoding: 'utf8', env: { ...process.env, TUNESET_PARALLEL_BYTES: '1000' } });
  assert.equal(parallel.status, 0, parallel.stderr);
  assert.ok(parallel.stdout === single.stdout, 'worker threads and one thread print the same JSON');
  assert.equal(JSON.parse(parallel.stdout).files[0].summary['exact-duplicate'], 500);
});

test('the streamed JSON report is exactly the contract document, in pieces', async () => {
  const { jsonChunks, toJson } = await import('../../server/src/cli/main');
  const { analyzeDataset, parseConfig } = await import('../../server/src/engine');
  const { config } = parseConfig({});
  const many = Array.from({ length: 12001 }, (_, i) => JSON.stringify({ text: i % 2 ? 'same text here' : `  padded ${i}`, label: 'a' })).join('\n');
  const results = [
    analyzeDataset('many.jsonl', new TextEncoder().encode(many), config, { fixes: true }),
    analyzeDataset('empty.jsonl', new TextEncoder().encode(''), config),
    analyzeDataset('one.jsonl', new TextEncoder().encode('{"text":"a b c d e f","label":"x"}\n'), config),
  ];
  assert.ok(results[0].findings.length > 10000 && results[0].findings.some((f) => f.fix), 'several chunks, with fixes to leave out');
  assert.equal([...jsonChunks(results)].join(''), JSON.stringify(toJson(results)) + '\n');
  assert.equal([...jsonChunks([])].join(''), JSON.stringify(toJson([])) + '\n');
});

test('the streamed SARIF and text reports are the whole documents, in pieces of whole results and lines', async () => {
  const { sarifChunks, toSarif } = await import('../../server/src/cli/sarif');
  const { textChunks } = await import('../../server/src/cli/text');
  const { analyzeDataset, parseConfig } = await import('../../server/src/engine');
  const { config } = parseConfig({});
  const many = Array.from({ length: 1201 }, (_, i) => JSON.stringify({ text: i % 2 ? 'same text here' : `  padded ${i}`, label: 'a' })).join('\n');
  const results = [
    analyzeDataset('many.jsonl', new TextEncoder().encode(many), config),
    analyzeDataset('empty.jsonl', new TextEncoder().encode(''), config),
    analyzeDataset('one.jsonl', new TextEncoder().encode('{"text":"a b c d e f","label":"x"}\n'), config),
  ];
  assert.ok(results[0].findings.length > 1000 && results[0].findings.some((f) => f.related?.length), 'several pieces, with related rows');
  for (const set of [results, [], [results[1]]]) {
    const pieces = [...sarifChunks(set, '9.9.9')];
    assert.equal(pieces.join(''), JSON.stringify(toSarif(set, '9.9.9'), null, 2) + '\n');
  }
  const text = [...textChunks(results, false)];
  assert.ok(text.length > 2 && text.every((piece) => piece.endsWith('\n')));
  const lines = text.join('').split('\n');
  const findings = results.reduce((n, r) => n + r.findings.length, 0);
  assert.equal(lines.filter((l) => /^(many|one)\.jsonl:\d+:\d+ /.test(l)).length, findings);
  assert.match(lines[findings + 1], /^many\.jsonl: classification \(jsonl\), 1,201 rows/);
  assert.equal([...textChunks([], false)].join(''), '\n');
});
