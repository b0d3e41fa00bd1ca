import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { augmentDataset, datasetSource, openReader, renderAugmented, type AugmentOptions, type AugmentResult } from '../../server/src/engine';
import { loadPolarWords, loadTagger, loadWordNet } from '../../server/src/host/wordnet';

/**
 * New rows add nothing to what `tuneset check` reports (#20): a new row with a finding its source
 * lacks is refused and counted by rule; a source with a warning is not copied; with redact, a
 * source holding personal data is augmented from its redacted copy, every text of the new rows redacted.
 */

const real: AugmentOptions = { synonyms: loadWordNet(), tagger: loadTagger(), polarWords: loadPolarWords() };
const jsonl = (...rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

function augment(content: string, options: AugmentOptions = {}): { result: AugmentResult; text: string } {
  const bytes = new TextEncoder().encode(content);
  const reader = openReader('d.jsonl', bytes);
  const result = augmentDataset([...reader.rows()], { ...real, ...options });
  return { result, text: renderAugmented(result, datasetSource('d.jsonl', reader, bytes)).text };
}

test('a new row too short ("好" from "好评…") or repetitive ("really really really really") is refused, counted by rule, and said in the summary', () => {
  const rows = [
    { text: '好评推荐给大家', label: '正面' },
    { text: '快递太慢了包装也破了', label: '负面' },
    { text: 'really tasty, really really really', label: 'x' },
  ];
  const dropped: Record<string, number> = {};
  for (const seed of [1, 2, 3]) {
    const { result } = augment(jsonl(...rows), { n: 5, alpha: 0.9, seed, operations: ['rd', 'rs'] });
    for (const [reason, n] of Object.entries(result.dropped)) dropped[reason] = (dropped[reason] ?? 0) + n;
    if (Object.keys(result.dropped).some((r) => r.startsWith('too-short'))) {
      assert.ok(result.warnings.some((w) => /dropped before writing \(.*too-short \(a finding its source row lacks\): \d+/.test(w)), result.warnings.join('\n'));
    }
    for (const r of result.rows) {
      const t = r.parts[0].text;
      assert.ok(!/^\S{1,3}$/u.test(t) || !/\p{Script=Han}/u.test(t), `too short: ${t}`);
      assert.doesNotMatch(t, /\b(\w+)\W+\1\W+\1\W+\1\b/, `repetition written: ${t}`);
    }
  }
  assert.ok((dropped['too-short (a finding its source row lacks)'] ?? 0) > 0, JSON.stringify(dropped));
  assert.ok((dropped['repetition (a finding its source row lacks)'] ?? 0) > 0, JSON.stringify(dropped));
});

test('a source row with a warning (chat-role-order) is not copied: skipped, listed and counted', () => {
  const { result } = augment(jsonl(
    { messages: [{ role: 'assistant', content: 'Hello there, how can I help you?' }, { role: 'user', content: 'Please tell me about the weather in town today.' }] },
    { messages: [{ role: 'user', content: 'What is the capital city of the country?' }, { role: 'assistant', content: 'It is the big city.' }] },
  ), { n: 2 });
  assert.deepEqual(result.skipped, { 'chat-role-order': 1 });
  assert.ok(result.rows.length > 0 && result.rows.every((r) => r.sourceIndex === 1));
  assert.deepEqual(result.unchanged.map((u) => [u.line, u.reason]), [[1, 'not augmented: chat-role-order (a copy would repeat it)']]);
});

test('with redact, a source with personal data is augmented from its redacted copy, every text of the new rows redacted, and counted', () => {
  const rows = jsonl(
    { instruction: 'Write a short polite reply to this customer about the delayed order', output: 'Dear customer, write to jane.doe@example.com for help.' },
    { instruction: 'Summarise the meeting notes below in three short bullet points', output: 'Here are the three points you asked for.' },
  );
  const plain = augment(rows, { n: 2 });
  assert.deepEqual(plain.result.skipped, { 'pii-email': 1 });
  assert.deepEqual(plain.result.redacted, {});

  const { result, text } = augment(rows, { n: 2, redact: true });
  assert.deepEqual(result.skipped, {});
  assert.deepEqual(result.redacted, { 'pii-email': 1 });
  const fromFirst = result.rows.filter((r) => r.sourceIndex === 0);
  assert.equal(fromFirst.length, 2);
  // The source row is written as it was; the new rows carry the tag in every text, the changed instruction and the untouched output.
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
  const written = lines.filter((l) => l.augmented_from === '1' || (l as unknown as { augmented_from: number }).augmented_from === 1);
  assert.equal(written.length, 2, text);
  for (const l of written) {
    assert.equal(l.output, 'Dear customer, write to [EMAIL] for help.');
    assert.doesNotMatch(JSON.stringify(l), /jane\.doe/);
  }
  assert.equal(text.split('jane.doe@example.com').length, 2, 'the source row itself is written once, as it was');
  assert.ok(result.warnings.some((w) => /1 source row redacted before augmenting \(pii-email 1\)/.test(w)), result.warnings.join('\n'));
});

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'tuneset.js');

function tuneset(cwd: string, ...args: string[]) {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Rules found per line of a file, as `tuneset check --format json` reports them (row rules only). */
function rulesByLine(cwd: string, file: string): Map<number, Set<string>> {
  const r = tuneset(cwd, 'check', file, '--format', 'json', '--fail-on', 'never');
  assert.equal(r.code, 0, r.err);
  const out = new Map<number, Set<string>>();
  for (const f of JSON.parse(r.out).files[0].findings as { rule: string; line?: number; range?: { start: { line: number } } }[]) {
    const line = f.line ?? (f.range ? f.range.start.line + 1 : 0);
    if (!out.has(line)) out.set(line, new Set());
    out.get(line)!.add(f.rule);
  }
  return out;
}

test('CLI: every new row of `augment --redact` has no row finding its source row lacks, as `check` sees them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-augfind-'));
  const rows = [
    { text: 'The delivery was quick and the box arrived in perfect shape.', label: 'pos' },
    { text: 'Call me at +1 415 555 0134 about the broken blender I bought.', label: 'neg' },
    { text: '好评推荐给大家', label: 'pos' },
    { text: 'really tasty, really really really', label: 'pos' },
    { text: 'The screen cracked after two days and support never answered.', label: 'neg' },
  ];
  writeFileSync(join(dir, 'd.jsonl'), jsonl(...rows));
  const r = tuneset(dir, 'augment', 'd.jsonl', '--n', '4', '--alpha', '0.5', '--redact', '--only-new', '--out', 'aug.jsonl');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /1 source row redacted before augmenting \(pii-phone 1\)/);
  const before = rulesByLine(dir, 'd.jsonl');
  const after = rulesByLine(dir, 'aug.jsonl');
  const written = readFileSync(join(dir, 'aug.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { text: string; augmented_from: number });
  assert.ok(written.some((w) => w.augmented_from === 2 && w.text.includes('[PHONE]')), JSON.stringify(written));
  const fileRules = new Set(['exact-duplicate', 'near-duplicate', 'label-imbalance', 'rare-label', 'mixed-language', 'length-outlier', 'possible-label-error']);
  written.forEach((w, i) => {
    const had = before.get(w.augmented_from) ?? new Set();
    for (const rule of after.get(i + 1) ?? []) if (!fileRules.has(rule)) assert.ok(had.has(rule), `line ${i + 1} ("${w.text}") has ${rule}, its source line ${w.augmented_from} has not`);
  });
});
