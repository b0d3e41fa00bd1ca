import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergedValues } from '../../server/src/engine/select';
import { analyze, jsonl, ofRule } from './helpers';

const ROOT = join(__dirname, '..', '..');

/**
 * Ordinary English rows, which calibrate the estimate at ~4.5 bytes a token, and one row of CJK
 * characters, which the o200k BPE splits into far more tokens than its bytes at that ratio suggest:
 * the row where an estimated max and an exact count part ways.
 */
function reviews(): object[] {
  const rows: object[] = [];
  for (let i = 0; i < 40; i++) rows.push({ text: `This is a perfectly ordinary review number ${i} about a product that works well enough for me.`, label: i % 2 ? 'negative' : 'positive' });
  let text = '';
  let x = 12345;
  for (let i = 0; i < 3000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    text += String.fromCharCode(0x4e00 + (x % 2000));
  }
  rows.push({ text, label: 'positive' });
  return rows;
}

const tokensOf = (finding: { data?: Record<string, unknown> }) => finding.data!.tokens as number;

test('the max token length is the exact count of a row token-limit counted, not its lower estimate', () => {
  const a = analyze(jsonl(...reviews()), 'data.jsonl', { maxTokens: 1000 });
  const [over] = ofRule(a, 'token-limit');
  assert.ok(over, 'the CJK row is over the limit');
  assert.equal(a.stats.tokens.max, tokensOf(over));
  assert.equal(a.stats.tokens.exactRows, 1);
  assert.ok(a.stats.tokens.p95 < 100, 'the other rows keep their estimates');
  // The histogram counts the row once, at its exact length (here in the long tail past the 99th percentile).
  const h = a.stats.tokenHistogram;
  assert.equal(h.counts.reduce((s, n) => s + n, 0) + h.over, a.stats.validRows);
});

test('a row only too-long counted has at least its field count as its length', () => {
  const a = analyze(jsonl(...reviews()), 'data.jsonl', { maxTokens: 100_000 });
  assert.equal(ofRule(a, 'token-limit').length, 0);
  const [long] = ofRule(a, 'too-long');
  assert.ok(a.stats.tokens.max >= tokensOf(long), `max ${a.stats.tokens.max} is not below the too-long count ${tokensOf(long)}`);
  assert.equal(a.stats.tokens.exactRows, 0, 'a field count is not the row count');
});

test('a finding on a later line of its row (a pretty-printed JSON array) is matched to that row', () => {
  const a = analyze(JSON.stringify(reviews(), null, 2), 'data.json', { maxTokens: 1000 });
  const [over] = ofRule(a, 'token-limit');
  assert.ok(over);
  assert.equal(a.stats.tokens.max, tokensOf(over));
});

test('mergedValues merges equal values that mapping left side by side, and keeps the total', () => {
  const vc = { values: Float64Array.from([1, 2, 2, 2, 5]), counts: Int32Array.from([1, 3, 1, 2, 4]), total: 11 };
  assert.deepEqual(mergedValues(vc), { values: Float64Array.from([1, 2, 5]), counts: Int32Array.from([1, 6, 4]), total: 11 });
  const distinct = { values: Float64Array.from([1, 2]), counts: Int32Array.from([1, 1]), total: 2 };
  assert.equal(mergedValues(distinct), distinct);
});

test('the CLI summary never prints a max below a token-limit finding on the same file', () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-tokens-'));
  try {
    writeFileSync(join(dir, 'data.jsonl'), jsonl(...reviews()));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tuneset.js'), 'check', 'data.jsonl', '--max-tokens', '1000'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const finding = /token-limit Row has ([\d,]+) tokens/.exec(r.stdout);
    const summary = /^ {2}tokens \(est\.; exact for the 1 row over the limit\): median [\d,]+, p95 [\d,]+, max ([\d,]+)$/m.exec(r.stdout);
    assert.ok(finding && summary, r.stdout);
    assert.equal(summary[1], finding[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
