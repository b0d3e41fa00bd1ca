import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhn, mod97 } from '../../server/src/engine/rules/privacy';
import { analyze, jsonl, ofRule, textFindings } from './helpers';

const CASES: [string, string, string][] = [
  ['pii-email', 'mail jane.doe+x@mail.example.org now', 'meet me @ the cafe, user@host'],
  ['pii-email', 'write to h.mueller@web.de', 'the icon@2x.png asset'],
  ['pii-phone', 'call +1 (415) 555-0132 today', 'the year 2023-10-12 was good'],
  ['pii-phone', 'call 415-555-0132', 'order 12345 shipped'],
  ['pii-phone', 'E.164: +14155552671', 'order 4155552671 shipped'],
  ['pii-phone', 'appelez le 06 12 34 56 78', 'ISBN 0-306-40615-2'],
  ['pii-phone', 'mobile 07911 123456', 'serial 0123 4567 89'],
  ['pii-phone', '联系电话：13812345678', '订单号：13812345678'],
  ['pii-phone', '手机 139-1234-5678，周末也可以', '编码 12345678901'],
  ['pii-id-number', '身份证号 11010519491231002X', '身份证号 110105194912310021'],
  ['pii-card', '银联卡 6250 9460 0000 0016', '银联卡 6250 9460 0000 0017'],
  ['pii-card', 'card 4111 1111 1111 1111 thanks', 'card 4111 1111 1111 1112 thanks'],
  ['pii-iban', 'IBAN DE89 3704 0044 0532 0130 00', 'IBAN DE89 3704 0044 0532 0130 01'],
  ['pii-ip', 'server at 192.168.10.24 is down', 'version 1.2.3.4 released'],
  ['pii-ip', 'host 2001:db8:85a3::8a2e:370:7334 up', 'time 12:30:45 today'],
  ['pii-ip', 'ping6 fe80::1%eth0', 'std::vector<int> v'],
  ['pii-ip', 'bind to ::1', 'Python 3.11.4.1'],
  ['secret', `key sk-${'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7sU9wY1aC'}`, 'the sk-8 skates'],
  ['secret', 'aws AKIAIOSFODNN7EXAMPLE here', 'AKIA is a word'],
  ['secret', 'token ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5', 'ghp is short'],
  ['secret', '-----BEGIN RSA PRIVATE KEY-----', '-----BEGIN CERTIFICATE-----'],
  ['secret', '-----BEGIN ENCRYPTED PRIVATE KEY-----', '-----BEGIN PUBLIC KEY-----'],
  ['secret', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'checksum wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['secret', 'HF_TOKEN=hf_aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH', 'sk-learn_preprocessing_pipeline_v2'],
];

for (const [rule, hit, miss] of CASES) {
  test(`${rule}: hits ${JSON.stringify(hit)}, not ${JSON.stringify(miss)}`, () => {
    assert.equal(textFindings(hit, rule).length, 1, `expected ${rule}`);
    assert.equal(textFindings(miss, rule).length, 0, `no ${rule}`);
  });
}

test('luhn', () => {
  assert.equal(luhn('4111111111111111'), true);
  assert.equal(luhn('4111111111111112'), false);
  assert.equal(luhn('79927398713'), true);
});

test('mod97: a valid IBAN leaves 1', () => {
  assert.equal(mod97('GB82WEST12345698765432'), 1);
  assert.equal(mod97('DE89370400440532013000'), 1);
  assert.notEqual(mod97('DE89370400440532013001'), 1);
});

test('a card number is not also reported as a phone number, nor digits that fail Luhn', () => {
  assert.equal(textFindings('pay with 5555 5555 5555 4444', 'pii-phone').length, 0);
  assert.equal(textFindings('card 4111 1111 1111 1112 was declined', 'pii-phone').length, 0);
  assert.equal(textFindings('IBAN DE89 3704 0044 0532 0130 00', 'pii-phone').length, 0);
});

test('redaction fix replaces every match and keeps the rest of the text', () => {
  const a = analyze(jsonl({ text: 'a@b.io and c@d.io wrote', label: 'x' }), 'd.jsonl', {}, true);
  const [f] = ofRule(a, 'pii-email');
  assert.match(f.message, /and 1 more/);
  assert.equal(f.fix?.edits[0].newText, '"[EMAIL] and [EMAIL] wrote"');
});

test('Chinese personal numbers are redacted as [PHONE] and [ID], and a mobile inside an identity number is not a phone', () => {
  const text = '张三，身份证 440306198503151234，电话 13812345678。';
  const a = analyze(jsonl({ text, label: 'x' }), 'd.jsonl', {}, true);
  assert.equal(ofRule(a, 'pii-id-number')[0].fix?.edits[0].newText, JSON.stringify('张三，身份证 [ID]，电话 13812345678。'));
  assert.equal(ofRule(a, 'pii-phone').length, 1);
  assert.equal(ofRule(a, 'pii-phone')[0].fix?.edits[0].newText, JSON.stringify('张三，身份证 440306198503151234，电话 [PHONE]。'));
});

/** Keys of each shape at their providers' real lengths and alphabets (made up, never real keys). */
const KEYS = [
  `sk-proj-${'aB3_dE5-gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7sU9wY1aC'.repeat(3)}`,
  `sk-ant-api03-${'aB3_dE5-gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7sU9wY1'.repeat(2)}AA`,
  `sk-${'aB3dE5gH7jK9mN1pQ3sT'}T3BlbkFJ${'uV5wX7yZ9aB1cD3eF5gH'}`,
  'sk_live_aB3dE5gH7jK9mN1pQ3sT5vX7', 'rk_live_AB3DE5GH7JK9mN1pQ3sT5vX7',
  'AKIAIOSFODNN7EXAMPLE', 'ASIAIOSFODNN7EXAMPLE', 'ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5',
  `github_pat_${'11ABCDEFG0aB3dE5gH7jK9m'.slice(0, 22)}_${'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7sU9wY1aC3eE5gG7iI9kK1mM3'.slice(0, 59)}`,
  'glpat-aB3dE5gH7jK9mN1pQ3sT', 'xoxb-123456789012-1234567890123-aB3dE5gH7jK9mN1pQ3sT5vX7',
  'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6q', 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH', 'npm_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5',
  'eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4', '-----BEGIN OPENSSH PRIVATE KEY-----',
];

test('every API key shape is found, bare, quoted or inside code', () => {
  for (const key of KEYS) {
    for (const text of [`use ${key} here`, `api_key = '${key}'`, `"${key}"`, `(${key})`]) {
      assert.equal(textFindings(text, 'secret').length, 1, text);
    }
  }
  assert.equal(textFindings('A well-known, state-of-the-art internationalization library', 'secret').length, 0);
});

test('a secret finding names the kind, never the value (message, data, fix title)', () => {
  for (const key of KEYS) {
    const [f] = ofRule(analyze(jsonl({ text: `use ${key} here`, label: 'x' }), 'd.jsonl', {}, true), 'secret');
    const said = JSON.stringify({ message: f.message, data: f.data, title: f.fix?.title });
    assert.match(f.message, /^"text" contains an? [A-Za-z -]+$/, f.message);
    assert.ok(!said.includes(key.slice(0, 12)), said);
  }
});

test('an invalid JSON line: the message quotes none of it, and a key on it is a secret inside the line', () => {
  const a = analyze(jsonl({ text: 'ok', label: 'x' }, 'AKIAIOSFODNN7EXAMPLE {"text": "broken', '{"text": "ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5", label: 1}'));
  const invalid = ofRule(a, 'invalid-json');
  assert.equal(invalid.length, 2);
  for (const f of invalid) assert.doesNotMatch(f.message, /AKIA|ghp_|IOSF|text/, f.message);
  assert.match(invalid[0].message, /^Invalid JSON: Unexpected token 'A' \(column 1\)$/);
  const secrets = ofRule(a, 'secret');
  assert.deepEqual(secrets.map((f) => [f.line, f.column, f.endColumn]), [[2, 1, 21], [3, 11, 51]]);
  assert.match(secrets[0].message, /^The row's raw text contains an AWS access key id$/);
});

test('no key is in the JSON, SARIF or text output of the CLI, whatever row it is on', () => {
  assert.ok(existsSync(join(__dirname, '..', '..', 'dist', 'cli.js')), 'run `npm run build` first (npm test does)');
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-privacy-'));
  const file = join(dir, 'keys.jsonl');
  const rows = KEYS.map((key, i) => (i % 3 === 0 ? `${key} {"text": "not json"}` : i % 3 === 1 ? `{"text": "${key}", label: 1}` : JSON.stringify({ text: `key ${key}`, label: 'a' })));
  writeFileSync(file, rows.join('\n') + '\n');
  for (const format of ['json', 'sarif', 'text']) {
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'tuneset.js'), 'check', '--format', format, file], { encoding: 'utf8' });
    assert.ok(r.stdout.includes('secret'), `${format}: the keys are reported`);
    for (const key of KEYS) {
      const body = key.replace(/^-----BEGIN /, '').slice(4, 24);
      assert.ok(!r.stdout.includes(body) && !r.stderr.includes(body), `${format} output holds ${key.slice(0, 8)}…`);
    }
  }
});

test('a 1 MB row full of matches checks in time in proportion to its length', () => {
  // Redacting by splicing each match into the text once took 58 s for a row of e-mail addresses, and
  // checking phone runs against every card number before them 15 s for a row of card numbers.
  const MB = 1 << 20;
  for (const piece of ['a@b.co ', '4111 1111 1111 1111 ', '415-555-0132 ', '10.0.0.1 ', 'AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ']) {
    const text = piece.repeat(Math.ceil(MB / piece.length));
    const started = performance.now();
    const a = analyze(jsonl({ text, label: 'a' }), 'd.jsonl', {}, true);
    const seconds = (performance.now() - started) / 1000;
    assert.ok(a.findings.some((f) => f.rule.startsWith('pii-') || f.rule === 'secret'), piece);
    assert.ok(seconds < 5, `${JSON.stringify(piece)}: ${seconds.toFixed(1)} s`);
  }
});
