import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, parseConfig } from '../../server/src/engine';

test('defaults', () => {
  assert.equal(DEFAULT_CONFIG.maxTokens, 4096);
  assert.equal(DEFAULT_CONFIG.thresholds.imbalanceRatio, 3);
});

test('bad values get a message naming the path and fall back to the default, never throw', () => {
  const { config, problems } = parseConfig({ maxTokens: -5, thresholds: { imbalanceRatio: 'high', rareLabelMin: 3 }, rules: { 'no-such-rule': 'off', 'pii-ip': 'loud' } });
  assert.equal(config.maxTokens, 4096);
  assert.equal(config.thresholds.imbalanceRatio, 3);
  assert.equal(config.thresholds.rareLabelMin, 3, 'good values next to bad ones are kept');
  assert.deepEqual(problems.map((p) => p.split(':')[0]).sort(), ['maxTokens', 'rules.no-such-rule', 'rules.pii-ip', 'thresholds.imbalanceRatio']);
  assert.ok(problems.every((p) => p.endsWith('using the default')));
});

test('unknown keys are reported', () => {
  const { problems } = parseConfig({ maxTokenz: 10 });
  assert.match(problems[0], /Unrecognized key.*maxTokenz/);
});

test('not an object at all', () => {
  const { config, problems } = parseConfig('nonsense');
  assert.deepEqual(config, DEFAULT_CONFIG);
  assert.equal(problems.length, 1);
});
