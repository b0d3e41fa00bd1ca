import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, globProblem } from '../../server/src/lsp/glob';
import { isExcluded, readSettings } from '../../server/src/lsp/settings';

/** The exclude globs: matched without backtracking, and a glob that cannot be used is a warning, not a crash (issue 16). */

const matches = (glob: string, path: string) => compileGlob(glob).test(path);

test('globs match as VS Code reads them: ** over folders, * and ? within a name, braces, classes', () => {
  const table: [string, string, boolean][] = [
    ['**/node_modules', 'node_modules', true],
    ['**/node_modules', 'a/b/node_modules', true],
    ['**/node_modules', 'a/node_modules_x', false],
    ['data/**', 'data/x/y.jsonl', true],
    ['data/**/*.csv', 'data/a.csv', true],
    ['data/**/*.csv', 'data/a/b/c.csv', true],
    ['data/**/*.csv', 'other/a.csv', false],
    ['*.jsonl', 'a.jsonl', true],
    ['*.jsonl', 'dir/a.jsonl', false],
    ['a?c.tsv', 'abc.tsv', true],
    ['a?c.tsv', 'a/c.tsv', false],
    ['**/*.{csv,tsv}', 'x/y.tsv', true],
    ['**/*.{csv,tsv}', 'x/y.jsonl', false],
    ['{raw,tmp/{a,b}}/*', 'tmp/b/x', true],
    ['{raw,tmp/{a,b}}/*', 'tmp/c/x', false],
    ['[abc]*.jsonl', 'b1.jsonl', true],
    ['[!abc]*.jsonl', 'b1.jsonl', false],
    ['[^abc]*.jsonl', 'd1.jsonl', true],
    ['file[0-9].csv', 'file7.csv', true],
    ['file[0-9].csv', 'filex.csv', false],
    ['[]]x', ']x', true],
    ['{unclosed', '{unclosed', true],
    ['[unclosed', '[unclosed', true],
    ['.git', '.git', true],
    ['*', '.hidden', true],
    ['./data/', 'data', true],
    ['', 'anything', false],
  ];
  for (const [glob, path, expected] of table) assert.equal(matches(glob, path), expected, `${glob} against ${path}`);
});

test('a glob that backtracks as a regular expression is matched right, at once', () => {
  const glob = '*a*a*a*a*a*a*a*a*a*a*.zz';
  assert.equal(matches(glob, `${'a'.repeat(60)}.jsonl`), false);
  assert.equal(matches(glob, `${'a'.repeat(60)}.zz`), true);
  assert.equal(matches(glob, `${'ab'.repeat(4)}.zz`), false, 'four a, not ten');
  assert.equal(matches(glob, `x/${'a'.repeat(12)}.zz`), false, 'a star does not cross a folder');
  assert.equal(matches(`**/${glob}`, `x/${'ba'.repeat(12)}.zz`), true);
  const deep = `${Array.from({ length: 30 }, () => '**/a').join('/')}/*.zz`;
  assert.equal(matches(deep, `${Array.from({ length: 200 }, () => 'a').join('/')}/x.jsonl`), false);
  assert.equal(isExcluded(`${'a'.repeat(200)}/${'a'.repeat(200)}.jsonl`, [compileGlob(glob)]), false);
});

test('globs that cannot be used say why', () => {
  assert.equal(globProblem('[z-a]'), 'the range z-a is out of order');
  assert.match(globProblem('{a,b}'.repeat(12))!, /braces stand for more than 1000 globs/);
  assert.equal(globProblem('**/*.{csv,tsv}'), undefined);
});

test('an unusable exclude glob falls back with a warning: the server starts, the other globs apply', () => {
  const s = readSettings({ exclude: ['[z-a]', 'raw/**'] }, { '**/.git': true, '[9-0]/x': true, 'off/**': false });
  assert.deepEqual(s.editor.exclude, ['raw/**']);
  assert.deepEqual(s.filesExclude, ['**/.git']);
  assert.deepEqual(s.problems, [
    'tuneset.exclude: "[z-a]" is not a usable glob (the range z-a is out of order); it is ignored, the other globs apply',
    'files.exclude: "[9-0]/x" is not a usable glob (the range 9-0 is out of order); it is ignored, the other globs apply',
  ]);
  assert.ok(isExcluded('raw/a.jsonl', s.excludes) && isExcluded('x/.git/y.jsonl', s.excludes));
  assert.ok(!isExcluded('off/a.jsonl', s.excludes) && !isExcluded('z/a.jsonl', s.excludes));
});
