import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDataset, parseConfig, RULE_IDS } from '../../server/src/engine';
import { RULES } from '../../server/src/engine/rules/catalog';
import { UNREADABLE_ROW_RULES } from '../../server/src/engine/rules/privacy';
import { analyze, jsonl, ofRule } from './helpers';

/**
 * The row analyzer skips a check whose rules are all off (a split's grouping turns every rule off and
 * wants only hashes and sketches). Turning every other rule off must leave a rule's findings exactly
 * as they are with everything on: a rule missing from its check's list would lose them.
 */

/** The rules of the checks that are skipped (written out here, not taken from the lists the analyzer reads). */
const CHECKED = [
  'too-short', 'low-alpha', 'url-only', 'control-chars', 'mojibake', 'html-markup', 'repetition', 'whitespace', 'placeholder',
  'pii-email', 'pii-card', 'pii-iban', 'pii-id-number', 'pii-phone', 'pii-ip', 'secret', 'too-long', 'echo', 'token-limit',
];

/** Every rule a row reports (the catalog's row scope): each is compared alone on against all on. */
const ROW_RULES = RULE_IDS.filter((id) => RULES[id].scope === 'row');

/** Rows that each of CHECKED reports on at least once (the thresholds below make too-long and token-limit cheap to reach). */
const CONTENT = jsonl(
  { instruction: 'ok', output: 'ok' },
  { instruction: '$$$ ### 123 !!! %%%', output: 'Price is $5 (about 4 EUR) for the lot' },
  { instruction: 'Visit this page', output: 'https://example.com/a?b=c' },
  { instruction: 'Say something', output: 'bell\u0007 inside the answer text' },
  { instruction: 'Say something else', output: 'cafÃ© and donâ€™t forget it' },
  { instruction: 'Format it', output: '<p>Great fun for the whole family</p>' },
  { instruction: 'Repeat yourself', output: 'good good good good movie tonight' },
  { instruction: 'Indent it', output: '  leading space then double  space' },
  { instruction: 'Fill it in', output: 'Lorem ipsum dolor sit amet, consectetur' },
  { instruction: 'Write to me', output: 'Mail jane.doe@example.com or call +1 415 555 0132 today' },
  { instruction: 'Pay for it', output: 'My card is 4111 1111 1111 1111, thanks a lot' },
  { instruction: 'Bank details', output: 'IBAN GB82 WEST 1234 5698 7654 32 for the transfer' },
  { instruction: 'Your ID', output: '身份证号码 11010519491231002X 请核对' },
  { instruction: 'Your server', output: 'The server is at 192.168.10.25 on port 80' },
  { instruction: 'Your key', output: 'Use the key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD now' },
  { instruction: 'Tell me about the weather today', output: 'Tell me about the weather today' },
  { instruction: 'Write a long answer', output: 'word '.repeat(60).trim() },
  '{"instruction": "broken row with sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD and 4111 1111 1111 1111"',
);

const SETTINGS = { thresholds: { maxFieldTokens: 40 }, maxTokens: 50 };

/** Settings with every rule off but `on`. */
function only(on: string[]): unknown {
  return { ...SETTINGS, rules: Object.fromEntries(RULE_IDS.map((id) => [id, on.includes(id) ? 'warning' : 'off'])) };
}

test('every rule of a skippable check reports on the sample (the comparisons below are not empty)', () => {
  const all = analyze(CONTENT, 'data.jsonl', SETTINGS);
  for (const rule of CHECKED) assert.ok(ofRule(all, rule).length > 0, `no ${rule} finding in the sample`);
});

for (const rule of ROW_RULES) {
  test(`${rule} alone on: the same findings as with every rule on`, () => {
    const all = ofRule(analyze(CONTENT, 'data.jsonl', SETTINGS), rule);
    const alone = ofRule(analyze(CONTENT, 'data.jsonl', only([rule])), rule);
    assert.deepEqual(alone.map((f) => ({ ...f, severity: undefined })), all.map((f) => ({ ...f, severity: undefined })));
  });
}

test('an unreadable row is still searched for credentials and cards when only those rules are on', () => {
  const all = analyze(CONTENT, 'data.jsonl', SETTINGS).findings.filter((f) => f.line === 18 && UNREADABLE_ROW_RULES.includes(f.rule as never));
  assert.deepEqual(all.map((f) => f.rule).sort(), ['pii-card', 'secret']);
  for (const rule of UNREADABLE_ROW_RULES) {
    const alone = analyze(CONTENT, 'data.jsonl', only([rule])).findings.filter((f) => f.line === 18 && f.rule === rule);
    assert.deepEqual(alone.map((f) => f.message), all.filter((f) => f.rule === rule).map((f) => f.message));
  }
});

test('with every rule off, the row index (hashes, band keys) is the same as with every rule on', () => {
  const index = (settings: unknown) => {
    const { rowIndex } = analyzeWithIndex(settings);
    return rowIndex!;
  };
  const on = index({ ...SETTINGS, rules: { 'cross-file-leak': 'error' } });
  const off = index(only(['cross-file-leak']));
  assert.deepEqual(off.lines, on.lines);
  assert.deepEqual(off.hashes, on.hashes);
  assert.ok(on.hashes.some((h) => !Number.isNaN(h)));
  assert.deepEqual(JSON.stringify(off), JSON.stringify(on));
});

/** The analysis with its row index, as a split's grouping asks for it (the helper has no row-index option). */
function analyzeWithIndex(settings: unknown) {
  const { config, problems } = parseConfig(settings);
  assert.deepEqual(problems, []);
  return analyzeDataset('data.jsonl', new TextEncoder().encode(CONTENT), config, { rowIndex: true });
}
