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

test('every rule is documented in the README (diagnostics link to its anchor) and every setting is contributed', async () => {
  const { readFileSync } = await import('node:fs');
  const { RULE_IDS, DEFAULT_CONFIG } = await import('../../server/src/engine');
  const readme = readFileSync('README.md', 'utf8');
  for (const id of RULE_IDS) assert.ok(readme.includes(`<a id="rule-${id}"></a>`), `README lacks rule ${id}`);
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const props = pkg.contributes.configuration.properties;
  for (const key of Object.keys(DEFAULT_CONFIG)) assert.ok(props[`tuneset.${key}`], `package.json lacks tuneset.${key}`);
  const thresholds = props['tuneset.thresholds'].properties;
  for (const [key, value] of Object.entries(DEFAULT_CONFIG.thresholds)) assert.equal(thresholds[key]?.default, value, `thresholds.${key} default`);
  assert.equal(props['tuneset.maxTokens'].default, DEFAULT_CONFIG.maxTokens);
  assert.deepEqual(props['tuneset.rules'].propertyNames.enum, RULE_IDS);
});
