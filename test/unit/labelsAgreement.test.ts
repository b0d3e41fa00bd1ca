import { test } from 'node:test';
import assert from 'node:assert/strict';
import { annotatorAgreement, cohensKappa, detectAnnotationShape, fleissKappa, kappaStrength, majorityLabels, readAnnotations } from '../../server/src/engine/labels';

const near = (a: number | null, b: number, eps = 5e-4) => assert.ok(a !== null && Math.abs(a - b) < eps, `${a} vs ${b}`);

test("Cohen's kappa: the textbook 2x2 case (50 items: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no) is 0.4", () => {
  const a = [...Array(25).fill('yes'), ...Array(25).fill('no')];
  const b = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')];
  // p_o = 35/50 = 0.7; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = (0.7 − 0.5)/(1 − 0.5) = 0.4
  near(cohensKappa(a, b), 0.4, 1e-12);
  assert.equal(cohensKappa(['x', 'x'], ['x', 'x']), null, 'one label throughout: chance agreement is 1, κ undefined');
  near(cohensKappa(['a', 'b', null], ['a', 'b', 'a']), 1, 1e-12);
});

test("Fleiss' kappa: the textbook case (10 subjects, 14 raters, 5 categories) is 0.210", () => {
  const table = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
  ];
  // P̄ = 0.378, P_e = 0.213, κ = (0.378 − 0.213)/(1 − 0.213) = 0.210
  near(fleissKappa(table), 0.20993);
  // The same ratings as rows of 14 anonymous labels give the same κ through annotatorAgreement.
  const ratings = table.map((row) => row.flatMap((n, k) => Array<string>(n).fill(`c${k + 1}`)));
  const agreement = annotatorAgreement({ ratings })!;
  near(agreement.fleissKappa, 0.20993);
  assert.equal(agreement.cohensKappa, null);
  assert.equal(agreement.annotators, 14);
  assert.equal(agreement.percentAgreement, 1 / 10);
  assert.equal(agreement.strength, 'fair');
});

test('agreement of two named annotators: consistency, Cohen, per-label agreement, disagreements (hand-computed)', () => {
  const rows = [
    { text: 'w', label_1: 'a', label_2: 'a' },
    { text: 'x', label_1: 'a', label_2: 'b' },
    { text: 'y', label_1: 'b', label_2: 'b' },
    { text: 'z', label_1: 'b', label_2: 'b' },
    { text: 'only one', label_1: 'a' },
  ];
  const shape = detectAnnotationShape(rows);
  assert.deepEqual(shape, { kind: 'columns', fields: ['label_1', 'label_2'] });
  const a = annotatorAgreement(readAnnotations(rows, shape!))!;
  assert.equal(a.rows, 4, 'the row with one label is not counted');
  assert.equal(a.percentAgreement, 3 / 4);
  // A: a a b b, B: a b b b. p_o = .75, p_e = .5·.25 + .5·.75 = .5, κ = .5
  near(a.cohensKappa, 0.5, 1e-12);
  assert.equal(a.strength, 'moderate');
  // Label a: pairs agreeing 2 of 3 in which a was given; label b: 4 of 5.
  assert.deepEqual(a.perLabel.map((p) => [p.label, Number(p.agreement.toFixed(4)), p.ratings]), [['a', 0.6667, 3], ['b', 0.8, 5]]);
  assert.deepEqual(a.disagreements, [{ row: 1, labels: ['a', 'b'], majority: null, share: 0.5 }]);
  assert.deepEqual(a.annotatorNames, ['label_1', 'label_2']);
});

test('shapes: numbered columns in number order, lettered columns, lists of labels, lists of named annotations; labels arrays are not annotators', () => {
  assert.deepEqual(detectAnnotationShape([{ label_10: 'a', label_2: 'b', label_1: 'c', text: 't' }]), { kind: 'columns', fields: ['label_1', 'label_2', 'label_10'] });
  assert.deepEqual(detectAnnotationShape([{ annotator_a: 'x', annotator_b: 'y' }]), { kind: 'columns', fields: ['annotator_a', 'annotator_b'] });
  assert.deepEqual(detectAnnotationShape([{ text: 't', annotations: ['a', 'b', 'a'] }]), { kind: 'list', field: 'annotations' });
  assert.equal(detectAnnotationShape([{ text: 't', labels: ['a', 'b'] }]), undefined);
  assert.equal(detectAnnotationShape([{ text: 't', label: 'a', label_name: 'x' }]), undefined);

  // Named annotations become columns by annotator, so Cohen's κ applies; a missing one is null.
  const rows = [
    { annotations: [{ annotator: 'ann', label: 'pos' }, { annotator: 'bob', label: 'pos' }] },
    { annotations: [{ annotator: 'bob', label: 'neg' }, { annotator: 'ann', label: 'pos' }] },
    { annotations: [{ annotator: 'ann', label: 'neg' }] },
    { annotations: [{ annotator: 'ann', label: 'neg' }, { annotator: 'bob', label: 'neg' }] },
  ];
  const read = readAnnotations(rows, { kind: 'list', field: 'annotations' });
  assert.deepEqual(read, { ratings: [['pos', 'pos'], ['pos', 'neg'], ['neg', null], ['neg', 'neg']], annotators: ['ann', 'bob'] });
  const a = annotatorAgreement(read)!;
  assert.equal(a.rows, 3);
  // ann: pos pos neg, bob: pos neg neg over the 3 shared rows: p_o = 2/3, p_e = 2/3·1/3 + 1/3·2/3 = 4/9, κ = 0.4
  near(a.cohensKappa, 0.4, 1e-12);
  // Anonymous lists: strings or objects with a label-like key.
  assert.deepEqual(readAnnotations([{ votes: ['a', { answer: 'b' }, 3, ''] }], { kind: 'list', field: 'votes' }), { ratings: [['a', 'b', '3', null]] });
});

test('three annotators: majority label and share on disagreement, Fleiss reported, Cohen not', () => {
  const ratings = [
    ['a', 'a', 'b'],
    ['a', 'a', 'a'],
    ['b', 'c', 'a'],
  ];
  const a = annotatorAgreement({ ratings, annotators: ['x', 'y', 'z'] })!;
  assert.deepEqual(a.disagreements.map((d) => [d.row, d.majority, Number(d.share.toFixed(3))]), [[0, 'a', 0.667], [2, null, 0.333]]);
  assert.equal(a.cohensKappa, null);
  assert.ok(a.fleissKappa !== null);
  assert.deepEqual(majorityLabels(ratings), ['a', 'a', null]);
  assert.equal(annotatorAgreement({ ratings: [['a'], [null, 'b']] }), undefined, 'no row has two labels');
});

test('kappa strength in words (Landis and Koch)', () => {
  assert.deepEqual([-0.1, 0.1, 0.3, 0.5, 0.7, 0.9].map(kappaStrength), ['poor (below chance)', 'slight', 'fair', 'moderate', 'substantial', 'almost perfect']);
});
