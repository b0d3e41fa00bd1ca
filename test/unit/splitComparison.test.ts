import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, buildSplitComparison, datasetRowHashes, DEFAULT_CONFIG, fileSplitRole, findSplitSiblings } from '../../server/src/engine';
import { analyze, jsonl } from './helpers';

test('split siblings: NAME.train/val/test.EXT or train/val/test.REST in one folder', () => {
  const folder = ['data.train.jsonl', 'data.val.jsonl', 'data.test.jsonl', 'other.val.jsonl', 'data.train.csv', 'notes.txt'];
  assert.deepEqual(findSplitSiblings('data.val.jsonl', folder), [
    { split: 'train', name: 'data.train.jsonl' }, { split: 'val', name: 'data.val.jsonl' }, { split: 'test', name: 'data.test.jsonl' },
  ]);
  assert.deepEqual(findSplitSiblings('train.split.jsonl', ['test.split.jsonl', 'train.jsonl', 'validation.split.jsonl']), [
    { split: 'train', name: 'train.split.jsonl' }, { split: 'val', name: 'validation.split.jsonl' }, { split: 'test', name: 'test.split.jsonl' },
  ]);
  assert.deepEqual(findSplitSiblings('Train.csv', ['dev.csv']), [{ split: 'train', name: 'Train.csv' }, { split: 'val', name: 'dev.csv' }]);
  assert.deepEqual(findSplitSiblings('data.train.jsonl', ['data.train.jsonl', 'other.test.jsonl']), [], 'no sibling of the same name');
  assert.deepEqual(findSplitSiblings('data.jsonl', folder), []);
  assert.deepEqual(findSplitSiblings('train.txt', ['test.txt']), [], 'not datasets');
});

test('split siblings read names with the leak check\'s role words (fileSplitRole), the settings\' words included', () => {
  // The default held-out words beyond val/valid/validation/dev/test: eval, holdout… are the validation split.
  assert.deepEqual(findSplitSiblings('data.train.jsonl', ['data.eval.jsonl', 'data.testset.jsonl']), [
    { split: 'train', name: 'data.train.jsonl' }, { split: 'val', name: 'data.eval.jsonl' }, { split: 'test', name: 'data.testset.jsonl' },
  ]);
  assert.deepEqual(findSplitSiblings('sst2_train.tsv', ['sst2_dev.tsv', 'sst2_test.tsv']).map((s) => s.name), ['sst2_train.tsv', 'sst2_dev.tsv', 'sst2_test.tsv']);
  const words = { ...DEFAULT_CONFIG, heldOutFileWords: ['gold'], trainFileWords: ['fit'] };
  assert.deepEqual(findSplitSiblings('d.fit.jsonl', ['d.gold.jsonl', 'd.test.jsonl', 'd.train.jsonl'], words), [{ split: 'train', name: 'd.fit.jsonl' }, { split: 'val', name: 'd.gold.jsonl' }]);
  assert.deepEqual(findSplitSiblings('d.train.jsonl', ['d.test.jsonl'], words), [], 'words the settings do not list mark nothing');
  // One definition: every name the comparison gives a role has the same role for the leak check.
  const names = ['a.train.jsonl', 'a.val.jsonl', 'a.validation.csv', 'dev.a.jsonl', 'a.test.jsonl', 'a-training-set.jsonl', 'a.valset.jsonl', 'a.eval.jsonl', 'a.heldout.jsonl', 'a.jsonl', 'a.contest.jsonl'];
  for (const name of names) {
    const role = fileSplitRole(name, DEFAULT_CONFIG);
    const siblings = findSplitSiblings(name, names);
    const own = siblings.find((x) => x.name === name);
    assert.equal(own === undefined ? undefined : own.split === 'train' ? 'train' : 'held-out', siblings.length ? role : undefined, name);
  }
});

test('split comparison: sizes, label proportions and leakage, computed by hand', () => {
  const row = (text: string, label: string) => ({ text, label });
  const files = {
    train: jsonl(row('Alpha one', 'x'), row('Beta two', 'x'), row('Gamma three', 'y'), row('Delta four', 'y')),
    val: jsonl(row('alpha   ONE', 'x'), row('Epsilon five', 'z')),
    test: jsonl(row('beta two', 'y'), row('epsilon five', 'y'), row('Zeta six', 'y'), row('ALPHA one', 'y')),
  };
  const inputs = (['test', 'train', 'val'] as const).map((split) => {
    const a = analyze(files[split], `d.${split}.jsonl`);
    return { split, report: buildReport(a), hashes: datasetRowHashes(a) };
  });
  const c = buildSplitComparison(inputs);
  assert.deepEqual(c.splits.map((s) => [s.split, s.path, s.rows, s.share]), [['train', 'd.train.jsonl', 4, 0.4], ['val', 'd.val.jsonl', 2, 0.2], ['test', 'd.test.jsonl', 4, 0.4]]);
  // y: 2 + 0 + 4 = 6 rows, x: 2 + 1 = 3, z: 1.
  assert.deepEqual(c.labels, ['y', 'x', 'z']);
  assert.deepEqual(c.splits.map((s) => s.labelCounts), [[2, 2, 0], [0, 1, 1], [4, 0, 0]]);
  assert.deepEqual(c.splits.map((s) => s.labelShares), [[0.5, 0.5, 0], [0, 0.5, 0.5], [1, 0, 0]]);
  // train–val: alpha one; train–test: alpha one, beta two; val–test: alpha one, epsilon five.
  assert.deepEqual(c.leakage, [
    { between: ['train', 'val'], shared: 1 },
    { between: ['train', 'test'], shared: 2 },
    { between: ['val', 'test'], shared: 2 },
  ]);
});

test('row hashes: recorded by the analysis, or read again from bytes when the analysis was copied', () => {
  const text = jsonl({ text: 'Same  text', label: 'a' }, { text: 'same text', label: 'b' }, { text: 'Other', label: 'a' }, '{bad', { text: '  ', label: 'a' });
  const a = analyze(text);
  const recorded = datasetRowHashes(a);
  assert.equal(recorded.size, 2, 'two distinct texts; broken and blank rows take no part');
  const copy = structuredClone(a);
  assert.throws(() => datasetRowHashes(copy), /pass the file's bytes/);
  assert.deepEqual(datasetRowHashes(copy, new TextEncoder().encode(text)), recorded);
});
