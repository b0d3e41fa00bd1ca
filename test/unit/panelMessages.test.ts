import { test } from 'node:test';
import assert from 'node:assert/strict';
import { augmentPageMessageSchema, checkPageMessage, reportPageMessageSchema, splitPageMessageSchema } from '../../client/src/panels/messages';
import type { AugmentChoices, SplitChoices } from '../../server/src/protocol';

/** What a panel's page posts is checked against a schema before the host acts on it (issue 16). */

const SPLIT: SplitChoices = { mode: 'ratios', ratios: [80, 10, 10], folds: 5, seed: 42, stratify: true, groupDuplicates: true, groupNearDuplicates: false, groupField: '', timeField: '', outputFolder: 'splits' };
const AUGMENT: AugmentChoices = { operations: ['sr', 'rs'], alpha: 0.1, n: 1, balance: 'none', target: 0, seed: 7, provenanceField: 'augmented_from' };

const problems = (schema: Parameters<typeof checkPageMessage>[0], message: unknown) => {
  const checked = checkPageMessage(schema, message);
  return checked.ok ? [] : checked.problems;
};

test('the messages the pages send pass, as they are', () => {
  for (const m of [{ type: 'ready' }, { type: 'preview', choices: SPLIT }, { type: 'write', choices: SPLIT }]) {
    assert.deepEqual(checkPageMessage(splitPageMessageSchema, m), { ok: true, message: m });
  }
  for (const m of [{ type: 'ready' }, { type: 'preview', choices: AUGMENT }, { type: 'write', choices: AUGMENT }]) {
    assert.deepEqual(checkPageMessage(augmentPageMessageSchema, m), { ok: true, message: m });
  }
  assert.deepEqual(checkPageMessage(reportPageMessageSchema, { type: 'reveal', line: 12 }), { ok: true, message: { type: 'reveal', line: 12 } });
  // A number field left empty or holding no number is NaN: the engine names that problem in words, so the schema lets it through.
  assert.equal(checkPageMessage(splitPageMessageSchema, { type: 'preview', choices: { ...SPLIT, ratios: [80, Number.NaN] } }).ok, true);
});

test('messages of the wrong shape are refused with the problem named, before the host acts', () => {
  assert.deepEqual(problems(splitPageMessageSchema, { type: 'write', choices: { ...SPLIT, outputFolder: { path: '/etc' } } }), ['the page sent an unusable message: choices.outputFolder: Expected string, received object']);
  assert.match(problems(splitPageMessageSchema, { type: 'write', choices: { ...SPLIT, outputFolder: 'x'.repeat(5000) } })[0], /choices\.outputFolder: String must contain at most 4096 character/);
  assert.match(problems(splitPageMessageSchema, { type: 'write', choices: { ...SPLIT, ratios: Array(1000).fill(1) } })[0], /choices\.ratios: Array must contain at most 100/);
  assert.match(problems(splitPageMessageSchema, { type: 'write', choices: { ...SPLIT, mode: 'everything' } })[0], /choices\.mode: Invalid enum value/);
  assert.match(problems(splitPageMessageSchema, { type: 'write' })[0], /choices: Required/);
  assert.match(problems(splitPageMessageSchema, { type: 'delete', file: '/' })[0], /Invalid discriminator value/);
  assert.match(problems(splitPageMessageSchema, 'write')[0], /Expected object, received string/);
  assert.match(problems(splitPageMessageSchema, null)[0], /Expected object, received null/);
  assert.match(problems(augmentPageMessageSchema, { type: 'preview', choices: { ...AUGMENT, operations: ['rm -rf'] } })[0], /choices\.operations\.0: Invalid enum value/);
  assert.match(problems(augmentPageMessageSchema, { type: 'preview', choices: { ...AUGMENT, seed: '7' } })[0], /choices\.seed/);
  assert.match(problems(reportPageMessageSchema, { type: 'reveal', line: 1.5 })[0], /line: Expected integer/);
  assert.match(problems(reportPageMessageSchema, { type: 'reveal', line: -3 })[0], /line: Number must be greater than or equal to 1/);
});

test('keys the host does not know are dropped, not passed on', () => {
  const checked = checkPageMessage(splitPageMessageSchema, { type: 'write', choices: { ...SPLIT, extra: '../../x' }, also: true });
  assert.ok(checked.ok);
  assert.deepEqual(checked.message, { type: 'write', choices: SPLIT });
});

test('a number field left empty or holding no number reaches the host as null (JSON) and is passed on as NaN, for the engine to name', () => {
  const checked = checkPageMessage(splitPageMessageSchema, { type: 'preview', choices: { ...SPLIT, ratios: [80, null, 10], seed: null } });
  assert.ok(checked.ok);
  if (checked.ok && checked.message.type === 'preview') {
    assert.ok(Number.isNaN(checked.message.choices.ratios[1]));
    assert.ok(Number.isNaN(checked.message.choices.seed));
  }
});
