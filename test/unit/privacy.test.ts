import { test } from 'node:test';
import assert from 'node:assert/strict';
import { luhn } from '../../server/src/engine/rules/privacy';
import { analyze, jsonl, ofRule, textFindings } from './helpers';

const CASES: [string, string, string][] = [
  ['pii-email', 'mail jane.doe+x@mail.example.org now', 'meet me @ the cafe, user@host'],
  ['pii-phone', 'call +1 (415) 555-0132 today', 'the year 2023-10-12 was good'],
  ['pii-phone', 'call 415-555-0132', 'order 12345 shipped'],
  ['pii-card', 'card 4111 1111 1111 1111 thanks', 'card 4111 1111 1111 1112 thanks'],
  ['pii-ip', 'server at 192.168.10.24 is down', 'version 1.2.3.4 released'],
  ['pii-ip', 'host 2001:db8:85a3::8a2e:370:7334 up', 'time 12:30:45 today'],
  ['secret', 'key sk-abcdefghijklmnopqrstuvwxyz123456', 'the sk-8 skates'],
  ['secret', 'aws AKIAIOSFODNN7EXAMPLE here', 'AKIA is a word'],
  ['secret', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp is short'],
  ['secret', '-----BEGIN RSA PRIVATE KEY-----', '-----BEGIN CERTIFICATE-----'],
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

test('a card number is not also reported as a phone number', () => {
  assert.equal(textFindings('pay with 5555 5555 5555 4444', 'pii-phone').length, 0);
});

test('redaction fix replaces every match and keeps the rest of the text', () => {
  const a = analyze(jsonl({ text: 'a@b.io and c@d.io wrote', label: 'x' }), 'd.jsonl', {}, true);
  const [f] = ofRule(a, 'pii-email');
  assert.match(f.message, /and 1 more/);
  assert.equal(f.fix?.edits[0].newText, '"[EMAIL] and [EMAIL] wrote"');
});

test('every API key shape is found, bare, quoted or inside code', () => {
  const keys = [
    'sk-proj-abcdefghijklmnopqrstuvwxyz12', 'sk-ant-abcdefghijklmnopqrstuvwxyz12', 'sk_live_abcdefghijklmnopqrstuv12',
    'rk_live_ABCDEFGHIJKLMNOPQRSTUV12', 'AKIAIOSFODNN7EXAMPLE', 'ASIAIOSFODNN7EXAMPLE', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    'github_pat_11ABCDEFG0abcdefghijklmnop', 'glpat-abcdefghijklmnopqrst', 'xoxb-1234567890-abcdef', 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6q',
    'hf_abcdefghijklmnopqrstuvwxyzABCDEF', 'eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4', '-----BEGIN OPENSSH PRIVATE KEY-----',
  ];
  for (const key of keys) {
    for (const text of [`use ${key} here`, `api_key = '${key}'`, `"${key}"`, `(${key})`]) {
      assert.equal(textFindings(text, 'secret').length, 1, text);
    }
  }
  assert.equal(textFindings('A well-known, state-of-the-art internationalization library', 'secret').length, 0);
});
