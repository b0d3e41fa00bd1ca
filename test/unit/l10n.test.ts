import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LANGUAGES } from '../../server/src/engine/text/scripts';
import { compileTemplate, localeFromEnv, localizeReport, matchTemplate, resolveLocale, translator } from '../../server/src/host/l10n';
import { toDiagnostics, toSummary } from '../../server/src/lsp/convert';
import { codeLenses } from '../../server/src/lsp/codeLens';
import { hover } from '../../server/src/lsp/hover';
import { analyze, jsonl } from './helpers';
import { openReader, planSplit, RULES } from '../../server/src/engine';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');
const TEMPLATES: string[] = JSON.parse(readFileSync(join(ROOT, 'l10n', 'findings.templates.json'), 'utf8'));
const FINDINGS_ZH: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'l10n', 'findings.l10n.zh-cn.json'), 'utf8'));
const SERVER_ZH: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'l10n', 'server.l10n.zh-cn.json'), 'utf8'));
const zh = translator('zh-cn');

/** Runs the CLI with a clean locale (the test machine's own must not decide the language). */
function tuneset(args: string[], env: NodeJS.ProcessEnv = {}) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const { LANG: _l, LC_ALL: _a, LC_MESSAGES: _m, ...rest } = process.env;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...rest, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every message a check of the repository's fixtures and samples says: findings, related rows, reading notes. */
function fixtureMessages(): Set<string> {
  const r = tuneset(['check', 'test/fixtures', 'samples', '--format', 'json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.err);
  const messages = new Set<string>();
  for (const file of JSON.parse(r.out).files) {
    for (const f of file.findings) {
      messages.add(f.message);
      for (const rel of f.related ?? []) if (rel.message) messages.add(rel.message);
    }
    for (const n of file.notes ?? []) {
      messages.add(n.message);
      messages.add(n.brief);
    }
  }
  return messages;
}

test('drift: every message the engine says over the fixtures and samples has an English template', () => {
  const messages = fixtureMessages();
  assert.ok(messages.size > 50, `only ${messages.size} messages`);
  const missing = [...messages].filter((m) => !matchTemplate(m));
  assert.deepEqual(missing, [], 'a finding message changed or is new: add its template to l10n/findings.templates.json and its Chinese to l10n/findings.l10n.zh-cn.json');
});

test('drift: every template has its Chinese, and the bundle has no key that is not a template (no stale keys)', () => {
  assert.deepEqual(TEMPLATES.filter((t) => !(t in FINDINGS_ZH)), []);
  assert.deepEqual(Object.keys(FINDINGS_ZH).filter((k) => !TEMPLATES.includes(k)), []);
  assert.equal(new Set(TEMPLATES).size, TEMPLATES.length, 'a template listed twice');
});

test('drift: a translation keeps its template\'s placeholders, and says something else than the English', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort().join();
  for (const [en, cn] of [...Object.entries(FINDINGS_ZH), ...Object.entries(SERVER_ZH)]) {
    assert.equal(placeholders(cn), placeholders(en), `${en} → ${cn}`);
  }
  for (const [en, cn] of Object.entries(FINDINGS_ZH)) if (/[a-z]{3}/.test(en.replace(/\{\d+\}/g, ''))) assert.ok(/[\u4e00-\u9fff]/.test(cn) || /^(null|a JSON Web Token|a Slack webhook URL)$/.test(en), `${en} → ${cn}`);
});

test('drift: every key of the host\'s bundle is a t() string of the server or CLI source, or a rule summary', () => {
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'engine' && e.name !== 'node_modules') walk(p);
      } else if (e.name.endsWith('.ts')) sources.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(ROOT, 'server', 'src'));
  // The data card's words: the engine's Markdown renderer takes the host's translator.
  sources.push(readFileSync(join(ROOT, 'server', 'src', 'engine', 'report', 'reportMarkdown.ts'), 'utf8'));
  const code = sources.join('\n');
  const stale = Object.keys(SERVER_ZH).filter((k) => !(LANGUAGES as readonly unknown[]).includes(k) && !code.includes(`'${k.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`));
  // (The engine's language names are translated where they are shown: cli/text.ts, codeLens.ts, the data card.)
  assert.deepEqual(stale, []);
});

test('drift: every rule\'s summary has its Chinese in l10n/rules.l10n.zh-cn.json, keyed by the current English (a changed summary fails here)', () => {
  const bundle: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'l10n', 'rules.l10n.zh-cn.json'), 'utf8'));
  const summaries = Object.values(RULES).map((r) => r.summary);
  assert.deepEqual(Object.entries(RULES).filter(([, r]) => !(r.summary in bundle)).map(([code]) => code), []);
  assert.deepEqual(Object.keys(bundle).filter((k) => !summaries.includes(k)), []);
  assert.equal(zh.t(RULES['pii-email'].summary), '电子邮件地址。');
});

test('locale: VS Code, BCP 47 and POSIX tags; the environment in POSIX order', () => {
  for (const tag of ['zh-cn', 'zh-CN', 'zh', 'zh_CN.UTF-8', 'zh-Hans-CN', 'zh-SG']) assert.equal(resolveLocale(tag), 'zh-cn', tag);
  for (const tag of ['en', 'en-US', 'C.UTF-8', 'zh-tw', 'zh-Hant', 'fr', undefined, '']) assert.equal(resolveLocale(tag), 'en', String(tag));
  assert.equal(localeFromEnv({ LANG: 'zh_CN.UTF-8' }), 'zh-cn');
  assert.equal(localeFromEnv({ LANG: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }), 'en');
  assert.equal(localeFromEnv({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8' }), 'zh-cn');
});

test('templates: arguments come out whole, phrases inside them are translated, quoted names and text are not', () => {
  assert.deepEqual(matchTemplate('Duplicate of line 3 (4 copies in all)')?.args, ['3', '4']);
  assert.equal(zh.message('"text" is very short (3 characters); the minimum for Chinese and Japanese text is 4 characters'),
    '"text" 过短（3 个字符）；中文和日文文本的最小长度为 4 个字符');
  assert.equal(zh.message('"output" contains an e-mail address (and 2 more)'), '"output" 含有电子邮件地址（另有 2 处）');
  // A field named like a phrase stays as it is: quoted arguments are names.
  assert.equal(zh.message('"leading" has trailing whitespace'), '"leading" 有结尾空白');
  // A quoted argument holding quotes does not make another template match.
  assert.equal(zh.message('"text" repeats "ha ha" 6 times in a row'), '"text" 中“ha ha”连续重复了 6 次');
  // Counts inside a list of labels.
  assert.equal(zh.message('The same text is labelled "a" (1 row), "b" (2 rows); this row says "a"'), '相同的文本被标注为 "a"（1 行）, "b"（2 行）；本行标注为 "a"');
  // No template: the English stays (never a half-translated or empty message).
  assert.equal(zh.message('Something no template says'), 'Something no template says');
  // English is the engine's own text, unchanged.
  assert.equal(translator('en').message('Duplicate of line 3'), 'Duplicate of line 3');
  assert.equal(compileTemplate('"{0}" is empty').quoted[0], true);
  assert.equal(compileTemplate('Row is {0}, not a JSON object').quoted[0], false);
});

test('templates: Chinese rows get Chinese findings (too-short, whitespace, control characters, duplicates, labels)', () => {
  const a = analyze(jsonl(
    { text: '好', label: '正面' },
    { text: '这家餐厅的菜很好吃，服务也很周到。 ', label: '正面' },
    { text: '快递太慢了\u0007，等了整整一个星期才到。', label: '负面' },
    { text: '这家餐厅的菜很好吃，服务也很周到。', label: '负面' },
    { text: '价格合理，环境干净，下次还会再来。', label: '正面' },
  ));
  const said = a.findings.map((f) => zh.message(f.message));
  assert.ok(a.findings.length >= 4, JSON.stringify(a.findings.map((f) => f.message)));
  for (const [i, f] of a.findings.entries()) {
    assert.ok(matchTemplate(f.message), `no template: ${f.message}`);
    assert.ok(/[\u4e00-\u9fff]/.test(said[i].replace(/"[^"]*"/g, '')), `not translated: ${f.message} → ${said[i]}`);
  }
  assert.ok(said.includes('"text" 过短（1 个字符）；中文和日文文本的最小长度为 4 个字符'), said.join('\n'));
});

test('language server: diagnostics, related rows, summary, code lens and hover in the client\'s language', () => {
  const text = jsonl(
    { text: 'a perfectly ordinary review of the film', label: 'pos' },
    { text: 'write to me at someone@example.org please', label: 'pos' },
    { text: 'a perfectly ordinary review of the film', label: 'pos' },
  );
  const analysis = analyze(text);
  const uri = 'file:///w/d.jsonl';
  const cn = toDiagnostics(uri, analysis, 1, 1000, zh);
  const en = toDiagnostics(uri, analysis, 1, 1000);
  assert.equal(cn.length, en.length);
  assert.deepEqual(cn.map((d) => d.code), en.map((d) => d.code), 'rule codes stay English');
  assert.ok(cn.some((d) => d.message === '"text" 含有电子邮件地址'), cn.map((d) => d.message).join('\n'));
  const dup = cn.find((d) => d.code === 'exact-duplicate')!;
  assert.equal(dup.message, '与第 1 行重复');
  assert.equal(dup.relatedInformation?.[0].message, '首次出现');
  assert.equal(en.find((d) => d.code === 'exact-duplicate')!.message, 'Duplicate of line 1');
  const capped = toDiagnostics(uri, analysis, 1, 1, zh);
  assert.match(capped[0].message, /^还有 \d+ 个问题未显示/);
  const lens = codeLenses({ uri, analysis, version: 1 }, zh);
  assert.match(lens[0].command!.title, /^Tuneset: classification · 3 行 · 1 个标签 · \d+ 个问题 · 质量 \d+\/100$/);
  assert.equal(lens[1].command!.title, '打开报告');
  const h = hover({ uri, analysis, version: 1 }, { textDocument: { uri }, position: { line: 1, character: 0 } }, text.split('\n')[1], zh)!.contents as { value: string };
  assert.match(h.value, /Tuneset · 第 2 行：标签 \*\*pos\*\*/);
  assert.match(h.value, /\*\*警告\*\* `pii-email` "text" 含有电子邮件地址/);
  assert.deepEqual(toSummary(uri, analyze('x,y\n1,2\n', 'd.csv'), zh).readAs.length, toSummary(uri, analyze('x,y\n1,2\n', 'd.csv')).readAs.length);
});

test('CLI: --lang zh-cn says findings and the summary in Chinese; the rule code and the English JSON message stay', () => {
  const r = tuneset(['check', 'test/fixtures/reviews.jsonl', '--lang', 'zh-cn']);
  assert.equal(r.code, 1);
  const lines = r.out.split('\n');
  assert.ok(lines.includes('test/fixtures/reviews.jsonl:3:10 warning exact-duplicate 与第 1 行重复'), r.out);
  assert.ok(lines.some((l) => /^test\/fixtures\/reviews\.jsonl：classification（jsonl），12 行，质量 \d+\/100$/.test(l)), r.out);
  assert.ok(lines.some((l) => l.startsWith('  问题：')), r.out);
  const json = JSON.parse(tuneset(['check', 'test/fixtures/reviews.jsonl', '--format', 'json', '--lang=zh-cn']).out);
  const dup = json.files[0].findings.find((f: { rule: string }) => f.rule === 'exact-duplicate');
  assert.equal(dup.message, 'Duplicate of line 1');
  assert.equal(dup.localizedMessage, '与第 1 行重复');
});

test('CLI: the environment\'s locale when --lang is not given; --lang en overrides it; a bad --lang is a usage error', () => {
  const zhEnv = tuneset(['check', 'test/fixtures/reviews.jsonl'], { LANG: 'zh_CN.UTF-8' });
  assert.ok(zhEnv.out.includes('与第 1 行重复'), zhEnv.out);
  const forcedEn = tuneset(['check', 'test/fixtures/reviews.jsonl', '--lang', 'en'], { LANG: 'zh_CN.UTF-8' });
  assert.ok(forcedEn.out.includes('exact-duplicate Duplicate of line 1'), forcedEn.out);
  const plain = tuneset(['check', 'test/fixtures/reviews.jsonl', '--format', 'json']);
  assert.ok(!plain.out.includes('localizedMessage'));
  const bad = tuneset(['check', 'test/fixtures/reviews.jsonl', '--lang', 'fr']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--lang must be en or zh-cn, not "fr"/);
});

/** The string keys of t() calls in a folder's TypeScript (`t('…')`, `t(cond ? '…' : '…')`), with their files. */
function tKeys(dir: string, call: RegExp): Map<string, string> {
  const keys = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const code = readFileSync(p, 'utf8');
        const re = new RegExp(call.source + /\((?:[^'()]*\?\s*)?'((?:[^'\\]|\\.)*)'(?:\s*:\s*'((?:[^'\\]|\\.)*)')?/.source, 'g');
        for (const m of code.matchAll(re)) for (const k of [m[1], m[2]]) if (k !== undefined) keys.set(k.replace(/\\'/g, "'"), p);
      }
    }
  };
  walk(dir);
  return keys;
}

test('client and pages: every vscode.l10n.t() and page t() string has its Chinese in l10n/bundle.l10n.zh-cn.json, and the bundle has no stale key', () => {
  const bundle: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8'));
  const keys = new Map([...tKeys(join(ROOT, 'client', 'src'), /vscode\.l10n\.t/), ...tKeys(join(ROOT, 'media', 'src'), /\bt/)]);
  assert.ok(keys.size > 80, `only ${keys.size} strings found`);
  assert.deepEqual([...keys].filter(([k]) => !(k in bundle)).map(([k, file]) => `${file}: ${k}`), []);
  assert.deepEqual(Object.keys(bundle).filter((k) => !keys.has(k)), []);
  const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort().join();
  for (const [en, cn] of Object.entries(bundle)) assert.equal(placeholders(cn), placeholders(en), `${en} → ${cn}`);
  // package.nls: the same keys in both languages, and package.json uses every one.
  const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8'));
  const nlsZh = JSON.parse(readFileSync(join(ROOT, 'package.nls.zh-cn.json'), 'utf8'));
  assert.deepEqual(Object.keys(nlsZh).sort(), Object.keys(nls).sort());
  const manifest = readFileSync(join(ROOT, 'package.json'), 'utf8');
  assert.deepEqual(Object.keys(nls).filter((k) => !manifest.includes(`"%${k}%"`)), []);
  assert.deepEqual([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]).filter((k) => !(k in nls)), []);
  assert.equal(JSON.parse(manifest).l10n, './l10n');
});

test('server: every t() string of the language server, the CLI and the data card has its Chinese', () => {
  const keys = new Map([...tKeys(join(ROOT, 'server', 'src'), /\btr\.t/), ...tKeys(join(ROOT, 'server', 'src', 'engine', 'report'), /\bt/)]);
  assert.ok(keys.size > 20, `only ${keys.size} strings found`);
  assert.deepEqual([...keys].filter(([k]) => !(k in SERVER_ZH) && !(k in FINDINGS_ZH)).map(([k, file]) => `${file}: ${k}`), []);
});

test('report: the Markdown data card in Chinese with --lang zh-cn (headings, counts, finding examples); English unchanged without', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-l10n-'));
  try {
    const zhCard = join(dir, 'card.zh.md');
    const enCard = join(dir, 'card.en.md');
    assert.equal(tuneset(['report', 'samples/reviews/train.jsonl', '--md', zhCard, '--lang', 'zh-cn']).code, 0);
    assert.equal(tuneset(['report', 'samples/reviews/train.jsonl', '--md', enCard]).code, 0);
    const zhText = readFileSync(zhCard, 'utf8');
    const enText = readFileSync(enCard, 'utf8');
    assert.match(zhText, /^# 数据卡片：samples\/reviews\/train\.jsonl$/m);
    assert.match(zhText, /^\| 质量分 \| \*\*\d+\/100\*\* \|$/m);
    assert.match(zhText, /^## 各规则发现的问题$/m);
    assert.match(zhText, /\| `exact-duplicate` \|/, 'rule codes stay English');
    assert.match(enText, /^# Data card: samples\/reviews\/train\.jsonl$/m);
    assert.match(enText, /^## Findings per rule$/m);
    assert.ok(!/[\u4e00-\u9fff]/.test(enText.replace(/\|[^\n]*\|/g, '')), 'the English card has no Chinese outside its tables');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('report: finding examples and what lowers the score are translated; the report is unchanged in English', () => {
  const report = {
    header: { quality: { score: 80, penalties: [{ cause: 'duplicate rows', points: 3.8 }] } },
    findings: [{ rule: 'exact-duplicate', summary: RULES['exact-duplicate'].summary, examples: [{ line: 3, column: 1, message: 'Duplicate of line 1' }] }],
  };
  const cn = localizeReport(report, zh);
  assert.equal(cn.findings[0].summary, '经过 Unicode NFKC、大小写折叠和空白合并后，与前面某一行的文本相同。');
  assert.equal(cn.header.quality.penalties[0].cause, '重复行');
  assert.equal(cn.findings[0].examples[0].message, '与第 1 行重复');
  assert.equal(report.findings[0].examples[0].message, 'Duplicate of line 1', 'the report given is not changed');
  assert.equal(localizeReport(report, translator('en')), report);
});

test('panels: the split preview\'s warnings and left-out rows are said in Chinese (real engine output)', () => {
  const content = jsonl(
    { text: '这家餐厅的菜很好吃，服务也很周到。', label: '正面' },
    { text: '快递太慢了，等了整整一个星期才到。', label: '负面' },
    { text: '价格合理，环境干净，下次还会再来。', label: '正面' },
    '{"text": "坏掉的一行"',
  );
  const plan = planSplit(openReader('d.jsonl', new TextEncoder().encode(content)).rows(), { ratios: [80, 10, 10], stratify: true });
  assert.ok(plan.warnings.length > 0 && plan.excluded.length === 1, JSON.stringify(plan.warnings));
  for (const w of plan.warnings) assert.ok(matchTemplate(w), `no template for a split warning: ${w}`);
  assert.ok(plan.warnings.map((w) => zh.message(w)).some((w) => w.startsWith('标签 "正面", "负面" 的行数少于拆分数')), plan.warnings.map((w) => zh.message(w)).join('\n'));
  assert.match(zh.message(plan.excluded[0].reason), /^无效的 JSON：/);
});
