import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configForDataset, loadConfig } from '../../server/src/host/config';

/**
 * One way in for settings (#14): every subcommand reads the tuneset.json of the folder it runs in, so
 * a file whose settings rename its text and label fields is read the same way by check, report, split
 * and augment. The rows have both the usual names (text, label) and the renamed ones (body, tag),
 * with different labels under each, so a command that fell back to detection would say so.
 */

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');

function folderWithSettings(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-settings-'));
  const rows = Array.from({ length: 40 }, (_, i) => ({
    text: `fixed text number ${i}`,
    body: `the quick brown fox jumps over the lazy dog number ${i} today`,
    label: i % 2 ? 'a' : 'b',
    tag: i < 30 ? 'pos' : 'neg',
  }));
  writeFileSync(join(dir, 'd.jsonl'), rows.map((r) => JSON.stringify(r) + '\n').join(''));
  writeFileSync(join(dir, 'tuneset.json'), JSON.stringify({ textField: 'body', labelField: 'tag' }));
  return dir;
}

function tuneset(cwd: string, ...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm run test:unit does)');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('check reads the fields tuneset.json names', () => {
  const dir = folderWithSettings();
  const r = tuneset(dir, 'check', '--format', 'json', '--fail-on', 'never', 'd.jsonl');
  assert.equal(r.code, 0, r.err);
  const [file] = JSON.parse(r.out).files;
  assert.deepEqual(file.fields, { text: 'body', label: 'tag' });
  assert.deepEqual(file.labels, { pos: 30, neg: 10 });
});

test('report reads the fields tuneset.json names', () => {
  const dir = folderWithSettings();
  const r = tuneset(dir, 'report', 'd.jsonl');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /labels: pos 30 \(75\.0%\) · neg 10 \(25\.0%\)/);
  // The diversity counts the body's words (12 a row), not the text's (4 a row).
  assert.match(r.out, /diversity: 480 words/);
});

test('split --stratify stratifies on the label field tuneset.json names', () => {
  const dir = folderWithSettings();
  const r = tuneset(dir, 'split', 'd.jsonl', '--stratify');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /train\s+32 rows\s+pos 24 · neg 8/);
  const train = readFileSync(join(dir, 'd.train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(train.filter((row) => row.tag === 'neg').length, 8, 'each split keeps the share of each tag');
});

test('augment --balance balances the label field and changes the text field tuneset.json names', () => {
  const dir = folderWithSettings();
  const r = tuneset(dir, 'augment', 'd.jsonl', '--balance', '--ops', 'rd,rs');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /labels: pos 30 → 30 · neg 10 → 30/);
  assert.match(r.out, /fields body/);
  const rows = readFileSync(join(dir, 'd.augmented.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const made = rows.filter((row) => row.augmented_from !== undefined);
  assert.equal(made.length, 20);
  for (const row of made) {
    const source = rows[row.augmented_from - 1];
    assert.equal(row.tag, 'neg');
    assert.equal(row.text, source.text, 'the text field the settings do not name is left as it is');
    assert.notEqual(row.body, source.body, 'the text field the settings name is augmented');
  }
});

test('a flag overrides tuneset.json, and a bad tuneset.json stops every subcommand naming the file', () => {
  const dir = folderWithSettings();
  const r = tuneset(dir, 'split', 'd.jsonl', '--stratify', '--label-field', 'label', '--out', 'by-label');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /train\s+32 rows\s+(a 16 · b 16|b 16 · a 16)/);
  writeFileSync(join(dir, 'tuneset.json'), JSON.stringify({ labelField: 'tag', maxTokens: 'many' }));
  for (const args of [['check', 'd.jsonl'], ['report', 'd.jsonl'], ['split', 'd.jsonl', '--out', 'x'], ['augment', 'd.jsonl', '--out', 'x.jsonl']]) {
    const bad = tuneset(dir, ...args);
    assert.equal(bad.code, 2, args[0]);
    assert.match(bad.err, /tuneset: tuneset\.json: maxTokens: Expected number, received string/, args[0]);
  }
});

test('loadConfig merges defaults < editor settings < tuneset.json < flags, rules and thresholds key by key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-settings-'));
  writeFileSync(join(dir, 'tuneset.json'), JSON.stringify({ labelField: 'tag', maxTokens: 100, rules: { 'pii-ip': 'off' }, thresholds: { minChars: 1 } }));
  const editor = { labelField: 'label', textField: 'body', maxTokens: 50, rules: { secret: 'error' }, thresholds: { minWords: 5 }, format: null };
  const { config, problems, file } = loadConfig({ editor, folder: dir, flags: { maxTokens: 7, textField: undefined } });
  assert.deepEqual(problems, []);
  assert.equal(file, join(dir, 'tuneset.json'));
  assert.equal(config.labelField, 'tag', 'tuneset.json over the editor');
  assert.equal(config.textField, 'body', 'the editor fills in what tuneset.json leaves open');
  assert.equal(config.maxTokens, 7, 'a flag over tuneset.json');
  assert.equal(config.format, 'auto', 'an unset editor setting (null) is the default');
  assert.deepEqual(config.rules, { secret: 'error', 'pii-ip': 'off' });
  assert.equal(config.thresholds.minChars, 1);
  assert.equal(config.thresholds.minWords, 5);
  assert.equal(config.thresholds.rareLabelMin, 5, 'thresholds no layer sets keep their defaults');
});

test('loadConfig names where a bad value is; configForDataset finds the workspace folder of the dataset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-settings-'));
  writeFileSync(join(dir, 'tuneset.json'), '{"labelField": ');
  const broken = loadConfig({ folder: dir, editor: { maxTokens: -1 }, flags: { format: 'poetry' } });
  assert.equal(broken.problems.length, 3);
  assert.ok(broken.problems.some((p) => /tuneset\.json: not valid JSON/.test(p)));
  assert.ok(broken.problems.some((p) => p.startsWith('tuneset.maxTokens: ')));
  assert.ok(broken.problems.some((p) => p.startsWith('options: format: ')));
  assert.equal(broken.config.maxTokens, 4096);
  writeFileSync(join(dir, 'tuneset.json'), JSON.stringify({ labelField: 'tag' }));
  const inside = configForDataset(join(dir, 'sub', 'd.jsonl'), { labelField: 'label' }, ['/nowhere', dir]);
  assert.equal(inside.config.labelField, 'tag');
  const outside = configForDataset(join(tmpdir(), 'elsewhere.jsonl'), { labelField: 'label' }, [dir]);
  assert.equal(outside.config.labelField, 'label', 'a file in no workspace folder has the editor settings alone');
});
