import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionsError, openReader, parseConfig, planAugmentation, type AugmentOptions } from '../../server/src/engine';
import { matchTemplate, translateReasonList, translator } from '../../server/src/host/l10n';
import { endpointOptions, endpointProblems, fetchRewrites } from '../../server/src/host/rewrites';

/**
 * Chinese for augment and split (#20): every message these commands and panels say (option problems,
 * why a row was not changed or a variant dropped, warnings, endpoint errors, the CLI's notes on stderr)
 * has an English template in l10n/findings.templates.json, so the translator finds its Chinese. The
 * first test reads the sources: each message literal handed to a sink (a problem, a warning, a reason,
 * an error the user reads) must be covered by a template, so a new message without one fails here.
 */

const ROOT = join(__dirname, '..', '..');
const TEMPLATES: string[] = JSON.parse(readFileSync(join(ROOT, 'l10n', 'findings.templates.json'), 'utf8'));
const HAN = /[\u4e00-\u9fff]/;
const zh = translator('zh-cn');

/** The sources whose messages augment and split say. */
function sources(): string[] {
  const dir = (d: string) => readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.ts')).map((f) => join(d, f));
  return [
    ...dir('server/src/engine/augment'), ...dir('server/src/engine/split'),
    'server/src/cli/augment.ts', 'server/src/cli/split.ts', 'server/src/host/rewrites.ts', 'server/src/host/refusals.ts', 'server/src/host/splitManifest.ts',
    'server/src/lsp/panels/augment.ts', 'server/src/lsp/panels/split.ts',
  ];
}

/** Where a message starts: a problem, a warning, a row's reason, an error for the user, a line for stderr, a progress title. */
const SINK = /(?:problems\.push\(|\btitle: (?:translate\()?|warnings\.push\(|Warnings\.push\(|\breason: |new (?:OptionsError\(\[|InputError\(|UsageError\(|RequestError\()|errorLine\()\s*(?=[`'])/g;

/** The string or template literal at `at` (its text, `${…}` kept as written), nested template literals and braces included. */
function literalAt(code: string, at: number): string {
  const quote = code[at];
  let i = at + 1;
  while (i < code.length && code[i] !== quote) {
    if (code[i] === '\\') i += 2;
    else if (quote === '`' && code[i] === '$' && code[i + 1] === '{') {
      let depth = 1;
      i += 2;
      while (depth > 0 && i < code.length) {
        if (code[i] === '`' || code[i] === "'" || code[i] === '"') i += literalAt(code, i).length + 2;
        else {
          if (code[i] === '{') depth++;
          else if (code[i] === '}') depth--;
          i++;
        }
      }
    } else i++;
  }
  return code.slice(at + 1, i);
}

/** The literal words of a message (between its `${…}`), the pieces a template must hold in order. */
function pieces(literal: string): string[] {
  const out: string[] = [];
  let text = '';
  for (let i = 0; i < literal.length; i++) {
    if (literal[i] === '$' && literal[i + 1] === '{') {
      out.push(text);
      text = '';
      let depth = 1;
      i += 2;
      for (; i < literal.length && depth > 0; i++) {
        if (literal[i] === '`' || literal[i] === "'" || literal[i] === '"') i += literalAt(literal, i).length + 1;
        else if (literal[i] === '{') depth++;
        else if (literal[i] === '}') depth--;
      }
      i--;
    } else text += literal[i] === '\\' ? literal[++i] : literal[i];
  }
  out.push(text);
  return out.map((p) => p.trim()).filter((p) => (p.match(/[a-z]/gi) ?? []).length >= 3);
}

/** True when some template holds every piece, in order. */
function covered(ps: string[]): boolean {
  return TEMPLATES.some((t) => {
    let from = 0;
    for (const p of ps) {
      const at = t.indexOf(p, from);
      if (at < 0) return false;
      from = at + p.length;
    }
    return true;
  });
}

test('drift: every message augment and split hand to the user has an English template (and so its Chinese)', () => {
  const missing: string[] = [];
  let seen = 0;
  for (const file of sources()) {
    const code = readFileSync(join(ROOT, file), 'utf8');
    for (const m of code.matchAll(SINK)) {
      const at = m.index! + m[0].length;
      const literal = literalAt(code, at);
      const ps = pieces(literal);
      if (!ps.length) continue;
      seen++;
      if (!covered(ps)) missing.push(`${file}:${code.slice(0, at).split('\n').length}: ${literal}`);
    }
  }
  assert.ok(seen > 60, `only ${seen} messages found: the sink pattern no longer matches the sources`);
  assert.deepEqual(missing, [], 'add each message\'s template to l10n/findings.templates.json and its Chinese to l10n/findings.l10n.zh-cn.json');
});

test('the check above fails on a message without a template', () => {
  assert.ok(!covered(pieces('the endpoint ${url} said something no template holds')));
  assert.ok(covered(pieces('every variant was dropped before writing (last: ${a.dropped})')));
  assert.ok(covered(pieces("${fewer} row${fewer === 1 ? '' : 's'} gave fewer different variants than asked (short or repetitive texts)")));
});

const rows = (...values: unknown[]) => [...openReader('d.jsonl', new TextEncoder().encode(values.map((v) => JSON.stringify(v)).join('\n') + '\n')).rows()];

/** A message in Chinese: a template matched it, and what is left once names, quotes and codes are out has no English sentence. */
function assertChinese(message: string): void {
  assert.ok(matchTemplate(message), `no template: ${message}`);
  const cn = zh.message(message);
  assert.ok(HAN.test(cn), `not translated: ${message} → ${cn}`);
}

test('real engine output in Chinese: option problems, rows not changed, every variant dropped, warnings', () => {
  try {
    planAugmentation(rows({ text: 'a row of text', label: 'x' }), { operations: ['sr', 'bt'], alpha: 2, n: 0, seed: -1 } as AugmentOptions);
    assert.fail('the options were taken');
  } catch (e) {
    assert.ok(e instanceof OptionsError);
    assert.ok(e.problems.length >= 4, e.problems.join('\n'));
    for (const p of e.problems) assertChinese(p);
  }
  // Back-translation whose model answers nothing, and one whose answer drops a name: both rows unchanged, each with its reason.
  const data = rows({ text: 'Anna flew to Paris on Monday with her two brothers.', label: 'travel' }, { text: 'The meeting with Bob moved to the third floor today.', label: 'work' });
  const noAnswer = planAugmentation(data, { operations: ['bt'], rewrites: () => undefined });
  Array.from(noAnswer.newRows((i) => data[i]));
  const s1 = noAnswer.summary();
  assert.ok(s1.unchanged.length === 2 && s1.warnings.length > 0);
  // Why a row is unchanged lists each operation's reason ("bt: …"): each is translated, the code kept.
  for (const u of s1.unchanged) assert.match(translateReasonList((m) => zh.message(m), u.reason), /^bt: 模型没有给出这段文本的改写$/, u.reason);
  for (const w of s1.warnings) assertChinese(w);
  const lossy = planAugmentation(data, { operations: ['pp'], rewrites: (_op, text) => text.replace(/Anna|Bob/, 'someone') });
  Array.from(lossy.newRows((i) => data[i]));
  assert.deepEqual(lossy.summary().unchanged.map((u) => translateReasonList((m) => zh.message(m), u.reason)), ['pp: 模型的改写丢失或改动了 "Bob"'], 'a name inside the sentence is kept (the first word, without a tagger, is not known as one)');
  // A variant with a finding its source lacks is dropped; when every one is, the row says so.
  const short = rows({ text: 'ok ok ok ok good', label: 'x' });
  const dropped = planAugmentation(short, { operations: ['pp'], n: 1, rewrites: () => 'ok' });
  Array.from(dropped.newRows((i) => short[i]));
  const reasons = dropped.summary().unchanged.map((u) => u.reason);
  assert.ok(reasons.some((r) => r.startsWith('every variant was dropped before writing')), reasons.join('\n'));
  for (const r of reasons) assert.ok(HAN.test(translateReasonList((m) => zh.message(m), r)), r);
  for (const w of dropped.summary().warnings) assertChinese(w);
});

test('endpoint problems and errors in Chinese: settings, an endpoint that cannot be reached, a refused key', async () => {
  const config = parseConfig({ augment: { endpoint: 'ftp://example', model: '' } }).config;
  const problems = endpointProblems(endpointOptions(config, undefined));
  assert.equal(problems.length, 2);
  for (const p of problems) assertChinese(p);
  assertChinese(endpointProblems(endpointOptions(parseConfig({}).config, undefined))[0]);
  const cacheDir = mkdtempSync(join(tmpdir(), 'tuneset-l10n-cache-'));
  const server: Server = createServer((_req, res) => {
    res.statusCode = 401;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const base = { model: 'm', retries: 0, timeoutMs: 2000, concurrency: 1 };
    const refused = await fetchRewrites(['a text'], ['pp'], { ...endpointOptions(parseConfig({ augment: { ...base, endpoint: `http://127.0.0.1:${port}/v1` } }).config, 'k', cacheDir) });
    assert.equal(refused.failed, 1);
    assert.match(zh.message(refused.errors[0]), /^http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions：HTTP 401（请检查 API 密钥）$/);
    const panel = `Texts without a rewrite from the endpoint: ${refused.failed} (${refused.errors.map((e) => zh.message(e)).join('; ')})`;
    assert.match(zh.message(panel), /^端点未给出改写的文本：1（.*请检查 API 密钥））$/);
    server.close();
    const unreachable = await fetchRewrites(['a text'], ['pp'], endpointOptions(parseConfig({ augment: { ...base, endpoint: `http://127.0.0.1:${port}/v1` } }).config, undefined, cacheDir));
    assert.equal(unreachable.failed, 1);
    assert.match(zh.message(unreachable.errors[0]), /：无法连接（/);
  } finally {
    server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('CLI: augment\'s and split\'s problems and warnings in Chinese with --lang zh-cn; English unchanged without', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-l10n-augment-'));
  const { LANG: _l, LC_ALL: _a, LC_MESSAGES: _m, ...env } = process.env;
  const run = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'tuneset.js'), ...args], { cwd: dir, encoding: 'utf8', env });
  try {
    const file = join(dir, 'd.jsonl');
    writeFileSync(file, ['first row of the text here', 'second row of the text here', 'third row with text'].map((t, i) => JSON.stringify({ text: t, label: i % 2 ? 'a' : 'b' })).join('\n') + '\n');
    const both = run(['augment', file, '--n', '2', '--balance', '--lang', 'zh-cn']);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /^tuneset: --n 与 --balance 不能同时使用/m);
    const endpoint = run(['augment', file, '--ops', 'pp', '--lang', 'zh-cn']);
    assert.equal(endpoint.status, 2);
    assert.match(endpoint.stderr, /回译和改写需要 augment\.endpoint/);
    assert.match(endpoint.stderr, /回译和改写需要 augment\.model/);
    const ratios = run(['split', file, '--ratios', 'a,b', '--lang', 'zh-cn']);
    assert.match(ratios.stderr, /^tuneset: --ratios 接受以逗号分隔的 0 或更大的数/m);
    // A label too rare for every split: each sentence in Chinese, in the summary and on stderr.
    const missing = run(['split', file, '--ratios', '1,1,1', '--stratify', '--lang', 'zh-cn']);
    assert.equal(missing.status, 1);
    assert.match(missing.stdout, /^ {2}error: 标签 "a" 不在 train, val 的任何一行中：它只有 1 行，却要分到 3 个拆分$/m);
    assert.match(missing.stderr, /^tuneset: .*d\.jsonl：未写出：标签 "b" 不在 test 的任何一行中：它只有 2 行，却要分到 3 个拆分; 标签 "a" 不在 train, val 的任何一行中：.*。加上 --allow-missing-labels 可仍然写出$/m);
    const english = run(['augment', file, '--n', '2', '--balance']);
    assert.match(english.stderr, /^tuneset: --n and --balance do not go together/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
