import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** What augment writes, check accepts (#20): the sample files' augmented outputs have no error the sources lack. */

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');

function tuneset(cwd: string, ...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Findings per rule and severity of one file, as `tuneset check --format json` reports them. */
function findings(cwd: string, file: string): { errors: Record<string, number>; all: Record<string, number> } {
  const r = tuneset(cwd, 'check', file, '--format', 'json', '--fail-on', 'never');
  assert.equal(r.code, 0, r.err);
  const errors: Record<string, number> = {};
  const all: Record<string, number> = {};
  for (const f of JSON.parse(r.out).files[0].findings as { rule: string; severity: string }[]) {
    all[f.rule] = (all[f.rule] ?? 0) + 1;
    if (f.severity === 'error') errors[f.rule] = (errors[f.rule] ?? 0) + 1;
  }
  return { errors, all };
}

const CHINESE = [
  { text: '这家餐厅的服务非常好，菜也很好吃。我们下次还会再来。', label: '正面' },
  { text: '快递太慢了，包装也破了，我不会再买这家的东西。', label: '负面' },
  { text: '手机屏幕很清楚，电池可以用一整天，拍照效果也不错。', label: '正面' },
  { text: '客服态度很差，问了三次都没有人回答我的问题。', label: '负面' },
  { text: '酒店房间干净整洁，早餐种类很多，位置也方便。', label: '正面' },
  { text: '衣服洗了一次就掉色了，质量太差，不推荐购买。', label: '负面' },
].map((r) => JSON.stringify(r)).join('\n') + '\n';

test('the augmented sample files pass `tuneset check` with no new errors, and no credential or personal data is copied', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-augcheck-'));
  const files = ['samples/reviews/train.jsonl', 'samples/tickets.csv', 'samples/support-chat.jsonl', 'samples/alpaca.json'].map((f) => {
    const to = join(dir, basename(f));
    copyFileSync(join(ROOT, f), to);
    return basename(f);
  });
  writeFileSync(join(dir, 'chinese.jsonl'), CHINESE);
  files.push('chinese.jsonl');
  for (const file of files) {
    const out = `aug.${file}`;
    const r = tuneset(dir, 'augment', file, '--n', '3', '--out', out);
    assert.equal(r.code, 0, `${file}: ${r.err}`);
    assert.match(r.out, /wrote .*: \d+ source rows \+ [1-9]\d* new rows/, `${file}: nothing was made\n${r.out}`);
    const before = findings(dir, file);
    const after = findings(dir, out);
    for (const [rule, n] of Object.entries(after.errors)) assert.ok(n <= (before.errors[rule] ?? 0), `${file}: ${rule} errors ${before.errors[rule] ?? 0} → ${n}`);
    // Rows holding these are written once, never copied.
    for (const rule of ['secret', 'pii-card', 'pii-email', 'pii-phone', 'pii-id-number', 'mojibake', 'control-chars', 'label-variant']) {
      assert.equal(after.all[rule] ?? 0, before.all[rule] ?? 0, `${file}: ${rule} ${before.all[rule] ?? 0} → ${after.all[rule] ?? 0}`);
    }
  }
});
