// The hostile corpus: inputs a hostile or unlucky user feeds Tuneset, each with a budget and the
// outcome it must get. Generated (not committed: some are megabytes) into a folder by `writeCase`;
// test/unit/hostile.test.ts runs every case through the CLI.
//
// Budgets are hang and blow-up guards, ten times or more what a case takes here: a case that needs
// 80 s where it needs 0.3 s today fails, a slow minute on a shared machine does not. The speed
// figures themselves are the bench's (bench/sections/long-rows.ts, memory.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

const MB = 1 << 20;

/** Deterministic pseudo-random bytes (xorshift), so a failing case can be made again. */
function bytes(n, seed) {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const row = (text, label = 'a') => JSON.stringify({ text, label });
const normalRows = (n) => Array.from({ length: n }, (_, i) => row(`an ordinary review number ${i} of a film`, i % 2 ? 'pos' : 'neg')).join('\n');
const withNormal = (line) => `${normalRows(5)}\n${line}\n${normalRows(5)}\n`;
const base64 = (n, seed) => Buffer.from(bytes(Math.ceil((n * 3) / 4), seed)).toString('base64').slice(0, n);

/**
 * Each case: a name, the files it writes (name → content), the CLI arguments (files relative to the
 * case folder), and what must happen: exit code, seconds and heap MiB budgets, and substrings the
 * output (stdout + stderr) must and must not hold.
 */
export const CASES = [
  {
    name: 'one-letter-1mb',
    files: { 'one-letter.jsonl': withNormal(row('a'.repeat(MB))) },
    args: ['check', 'one-letter.jsonl'],
    exit: 1, seconds: 20, heapMiB: 512,
    has: ['token-limit'],
  },
  {
    name: 'base64-blob-4mb',
    files: { 'blob.jsonl': withNormal(row(`data:image/png;base64,${base64(4 * MB, 7)}`)) },
    args: ['check', '--format', 'json', 'blob.jsonl'],
    exit: 1, seconds: 30, heapMiB: 768,
  },
  {
    name: 'varied-words-2mb',
    files: { 'words.jsonl': withNormal(row(Array.from({ length: 300_000 }, (_, i) => `w${(i * 7919) % 100_003}x`).join(' '))) },
    args: ['check', 'words.jsonl'],
    exit: 1, seconds: 30, heapMiB: 768,
  },
  {
    name: 'minified-js-1mb',
    files: { 'code.jsonl': withNormal(row('function(a,b){return a+b};var x=[1,2,3].map(function(y){return y*2});'.repeat(15_000))) },
    args: ['check', 'code.jsonl'],
    exit: 1, seconds: 20, heapMiB: 512,
  },
  {
    name: 'cjk-run-1mb',
    files: { 'cjk.jsonl': withNormal(row('数据集质量检查工具'.repeat(40_000))) },
    args: ['check', 'cjk.jsonl'],
    exit: 1, seconds: 20, heapMiB: 512,
  },
  {
    name: 'emails-1mb',
    files: { 'mails.jsonl': withNormal(row(Array.from({ length: 40_000 }, (_, i) => `user${i}@example.com`).join(' '))) },
    args: ['check', 'mails.jsonl'],
    exit: 1, seconds: 20, heapMiB: 512,
    has: ['pii-email'],
  },
  {
    name: 'nested-arrays-5000',
    files: { 'deep.jsonl': withNormal('{"text":"hello there","label":"a","extra":' + '['.repeat(5000) + ']'.repeat(5000) + '}') },
    args: ['check', 'deep.jsonl'],
    exit: 1, seconds: 20, heapMiB: 256,
    has: ['too-deep'], hasNot: ['RangeError', '    at '],
  },
  {
    name: 'top-level-array-5000',
    files: { 'deep.jsonl': withNormal('['.repeat(5000) + ']'.repeat(5000)) },
    args: ['check', 'deep.jsonl'],
    exit: 1, seconds: 20, heapMiB: 256,
    hasNot: ['RangeError', '    at '],
  },
  {
    name: 'nested-objects-100k',
    files: { 'deeper.jsonl': withNormal('{"text":"x","label":"a","meta":' + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) + '}') },
    args: ['check', 'deeper.jsonl'],
    exit: 1, seconds: 20, heapMiB: 512,
    has: ['too-deep'], hasNot: ['RangeError', '    at '],
  },
  {
    name: 'random-bytes-as-jsonl',
    files: { 'noise.jsonl': bytes(2 * MB, 11) },
    args: ['check', '--format', 'json', 'noise.jsonl'],
    exit: 1, seconds: 30, heapMiB: 512,
    hasNot: ['    at '],
  },
  {
    name: 'binary-named-csv',
    files: { 'noise.csv': bytes(MB, 13) },
    args: ['check', 'noise.csv'],
    seconds: 30, heapMiB: 512,
    hasNot: ['    at '],
  },
  {
    name: 'csv-100k-columns',
    files: { 'wide.csv': `${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')}\n${Array.from({ length: 100_000 }, (_, i) => i).join(',')}\n` },
    args: ['check', 'wide.csv'],
    seconds: 30, heapMiB: 512,
    hasNot: ['    at '],
  },
  {
    name: 'csv-quote-swallows-file',
    files: { 'open.csv': `text,label\n"never closed,pos\n${Array.from({ length: 20_000 }, (_, i) => `row ${i},neg`).join('\n')}\n` },
    args: ['check', 'open.csv'],
    exit: 1, seconds: 20, heapMiB: 512,
    has: ['csv-unclosed-quote'],
  },
  {
    name: 'templated-findings-200k',
    files: { 'tpl.jsonl': Array.from({ length: 200_000 }, (_, i) => row(`Order ${i % 500} shipped, mail help@shop.com`, i % 3 ? 'ship' : 'complaint')).join('\n') + '\n' },
    args: ['check', '--format', 'json', 'tpl.jsonl'],
    exit: 1, seconds: 60, heapMiB: 512,
    has: ['"omitted"'],
  },
  {
    name: 'invalid-json-secret-not-echoed',
    files: { 'leak.jsonl': withNormal('{"text": "key AKIAIOSFODNN7EXAMPLE and more", "label": ') },
    args: ['check', '--format', 'sarif', 'leak.jsonl'],
    exit: 1, seconds: 20, heapMiB: 256,
    hasNot: ['AKIAIOSFODNN7EXAMPLE'],
  },
  {
    name: 'fifo-in-folder',
    files: { 'ok.jsonl': normalRows(3) + '\n' },
    fifo: 'pipe.jsonl',
    args: ['check', '.'],
    exit: 0, seconds: 20, heapMiB: 256,
    has: ['named pipe'],
  },
  {
    name: 'report-onto-its-input',
    files: { 'data.jsonl': normalRows(5) + '\n' },
    args: ['report', 'data.jsonl', '--html', 'data.jsonl', '--force'],
    exit: 2, seconds: 20, heapMiB: 256,
    unchanged: ['data.jsonl'], hasNot: ['    at '],
  },
  {
    name: 'manifest-escaping-its-folder',
    files: {
      'data/d.jsonl': normalRows(10) + '\n',
      'outside/x.jsonl': normalRows(10) + '\n',
      'data/d.split.json': JSON.stringify({ kind: 'split', version: 1, source: { file: 'd.jsonl' }, splits: [{ name: 'train', file: '../outside/x.jsonl', rows: 10 }] }),
    },
    args: ['augment', 'data/d.jsonl'],
    exit: 2, seconds: 20, heapMiB: 256,
    absent: ['outside/x.augmented.jsonl', 'data/d.augmented.jsonl'], has: ['only beside their manifest'], hasNot: ['    at '],
  },
];

/** Writes a case's files into `dir` (made fresh). */
export function writeCase(c, dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(c.files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  if (c.fifo) execFileSync('mkfifo', [path.join(dir, c.fifo)]);
}
