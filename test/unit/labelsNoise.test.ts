import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { finish } from '../../server/src/engine/analysis/steps';
import { findLabelErrors, labelQuality, selfConfidenceThresholds, suggestedLabel, type LabelErrors, type ProbabilityTable } from '../../server/src/engine/labels';
import { flipLabels, generateLabelledTexts, generateMultiLabelTexts, swapTags } from '../fixtures/labels/generate';

/** WordNet 3.1 noun glosses labelled with their lexicographer file (animal, body, food, person, plant). */
const glosses = fs.readFileSync('test/fixtures/labels/wordnet-glosses.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; label: string });
const glossLabels = [...new Set(glosses.map((r) => r.label))].sort();

const errorsOf = (texts: string[], labels: (string | string[])[], options = {}): LabelErrors => finish(labelQuality({ texts, labels }, { learningCurve: false, ...options })).labelErrors!;

/** Row-level precision and recall of the candidates against the rows whose label was changed. */
function score(errors: LabelErrors, changed: Set<number>) {
  const flagged = new Set(errors.candidates.map((c) => c.row));
  const hits = [...flagged].filter((r) => changed.has(r)).length;
  return { precision: hits / flagged.size, recall: hits / changed.size };
}

const pct = (x: number) => (x * 100).toFixed(1);

test('confident learning on a tiny hand-computed table: thresholds, candidates, suggestion, ranking, joint', () => {
  // Rows 0-2 are given 'a', rows 3-5 'b'. p(a) per row: .9 .8 .1 | .2 .3 .7
  const pa = [0.9, 0.8, 0.1, 0.2, 0.3, 0.7];
  const table: ProbabilityTable = {
    multiLabel: false,
    labels: ['a', 'b'],
    given: Int32Array.from([0, 0, 0, 1, 1, 1]),
    probabilities: Float32Array.from(pa.flatMap((p) => [p, 1 - p])),
  };
  // t_a = mean(.9, .8, .1) = .6; t_b = mean(.8, .7, .3) = .6
  const t = selfConfidenceThresholds(table);
  assert.ok(Math.abs(t[0] - 0.6) < 1e-6 && Math.abs(t[1] - 0.6) < 1e-6, `${t}`);
  const e = findLabelErrors(table);
  // Row 2: p(a) = .1 < .6 and p(b) = .9 >= .6; row 5: p(b) = .3 < .6 and p(a) = .7 >= .6. Row 2 is less likely, so first.
  assert.deepEqual(e.candidates.map((c) => [c.row, c.given, c.suggested, Number(c.givenProbability.toFixed(2)), Number(c.suggestedProbability.toFixed(2))]), [
    [2, 'a', 'b', 0.1, 0.9],
    [5, 'b', 'a', 0.3, 0.7],
  ]);
  assert.equal(e.noiseRatio, 2 / 6);
  // Confident joint: rows 0, 1 (a, a), 2 (a -> b), 3, 4 (b, b), 5 (b -> a).
  assert.deepEqual(e.confidentJoint, [
    [2, 1],
    [1, 2],
  ]);
  assert.ok(Math.abs(e.estimatedNoiseRatio - 2 / 6) < 1e-9);
});

test('property: relabelling a row as suggested never raises its own finding again on the same model', () => {
  const tables = fc.integer({ min: 2, max: 5 }).chain((L) =>
    fc.array(fc.tuple(fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: L, maxLength: L }), fc.nat(L - 1)), { minLength: 2, maxLength: 40 }).map((rows) => ({ L, rows })),
  );
  fc.assert(
    fc.property(tables, ({ L, rows }) => {
      const probabilities = Float32Array.from(rows.flatMap(([w]) => w.map((x) => x / w.reduce((s, v) => s + v, 0))));
      const table: ProbabilityTable = { multiLabel: false, labels: Array.from({ length: L }, (_, c) => `l${c}`), given: Int32Array.from(rows.map(([, g]) => g)), probabilities };
      const thresholds = selfConfidenceThresholds(table);
      for (const c of findLabelErrors(table).candidates) {
        assert.equal(c.kind, 'single');
        const to = table.labels.indexOf(c.kind === 'single' ? c.suggested : '');
        assert.equal(suggestedLabel(probabilities, c.row, to, thresholds), -1, `row ${c.row} relabelled ${c.given} -> ${table.labels[to]}`);
      }
    }),
  );
});

for (const classes of [2, 5]) {
  for (const rate of [0.05, 0.15]) {
    test(`generated learnable texts, ${classes} labels, ${rate * 100}% of labels flipped: most flips found, few false alarms, noise ratio near the rate`, (t) => {
      const g = generateLabelledTexts(3000, classes, 10 + classes);
      const { labels, flipped } = flipLabels(g.labels, g.labelNames, rate, 1);
      const e = errorsOf(g.texts, labels);
      const { precision, recall } = score(e, flipped);
      const truth = flipped.size / labels.length;
      t.diagnostic(`flipped ${pct(truth)}%: precision ${pct(precision)}%, recall ${pct(recall)}%, noise ratio ${pct(e.noiseRatio)}%, estimated ${pct(e.estimatedNoiseRatio)}%`);
      // Measured (ensemble): precision 0.96-1.00, recall 0.67-0.75; the estimate within 0.8 points of the truth.
      assert.ok(precision >= 0.9, `precision ${precision}`);
      assert.ok(recall >= 0.6, `recall ${recall}`);
      assert.ok(Math.abs(e.estimatedNoiseRatio - truth) <= 0.015, `estimated ${e.estimatedNoiseRatio} vs ${truth}`);
      // Flagged rows miss the flips whose text gives no hint, so their share is under the truth.
      assert.ok(e.noiseRatio <= truth && e.noiseRatio >= truth * 0.6, `noise ratio ${e.noiseRatio} vs ${truth}`);
      // Ranking: the most doubtful labels come first, and the first twenty are nearly all real flips.
      for (let k = 1; k < e.candidates.length; k++) assert.ok(e.candidates[k].givenProbability >= e.candidates[k - 1].givenProbability);
      assert.ok(e.candidates.slice(0, 20).filter((c) => flipped.has(c.row)).length >= 19);
      // A flipped row's suggestion is mostly its original label.
      const restored = e.candidates.filter((c) => flipped.has(c.row) && c.kind === 'single' && c.suggested === g.labels[c.row]).length;
      assert.ok(restored / e.candidates.filter((c) => flipped.has(c.row)).length >= 0.95);
    });
  }
}

test('real glosses (WordNet topics): flips are found well above chance, and more flips flag more rows', (t) => {
  const texts = glosses.map((r) => r.text);
  const clean = errorsOf(texts, glosses.map((r) => r.label));
  t.diagnostic(`no flips: ${pct(clean.noiseRatio)}% of rows flagged (glosses the model reads as another topic)`);
  let previous = clean.noiseRatio;
  for (const rate of [0.05, 0.15]) {
    const { labels, flipped } = flipLabels(glosses.map((r) => r.label), glossLabels, rate, 1);
    const e = errorsOf(texts, labels);
    const { precision, recall } = score(e, flipped);
    const truth = flipped.size / labels.length;
    t.diagnostic(`flipped ${pct(truth)}%: precision ${pct(precision)}%, recall ${pct(recall)}%, noise ratio ${pct(e.noiseRatio)}%`);
    // The model itself errs on ~12% of these glosses (1,500 rows, five topics), so precision at 5% noise
    // is bounded by its own mistakes: measured 0.40-0.48 at 5% and 0.67-0.70 at 15% over three flip
    // seeds (recall 0.59-0.69). On 10,000 glosses precision reaches 0.73 at 5% (npm run bench).
    assert.ok(recall >= 0.55, `recall ${recall} at ${rate}`);
    assert.ok(precision >= (rate < 0.1 ? 0.35 : 0.6), `precision ${precision} at ${rate}`);
    // Random flagging would have precision equal to the rate.
    assert.ok(precision >= 4 * truth);
    // On this real set the ratio is not the injected rate: without flips it already flags ~5% (glosses
    // the model reads as another topic), and at 15% it flags fewer than were flipped (thresholds drop
    // as labels get noisier). It does rise with the noise.
    assert.ok(e.noiseRatio > previous + truth / 3, `noise ratio ${e.noiseRatio} after ${previous}`);
    previous = e.noiseRatio;
  }
});

test('multi-label: a swapped tag is found label by label and the fix names the labels to set', (t) => {
  const g = generateMultiLabelTexts(3000, 4, 1);
  const { labels, swapped } = swapTags(g.labels, g.labelNames, 0.05, 1);
  const e = errorsOf(g.texts, labels);
  const { precision, recall } = score(e, swapped);
  t.diagnostic(`swapped ${pct(swapped.size / labels.length)}% of rows: precision ${pct(precision)}%, recall ${pct(recall)}%, rows flagged ${pct(e.noiseRatio)}%`);
  // Measured: precision 0.62-0.68, recall 0.88-0.90 (one-vs-rest on rows that mix two topics).
  assert.ok(recall >= 0.8 && precision >= 0.55, `precision ${precision}, recall ${recall}`);
  for (const c of e.candidates) {
    assert.equal(c.kind, 'multi');
    if (c.kind !== 'multi') continue;
    assert.deepEqual(c.givenLabels, [...labels[c.row]].sort());
    assert.equal(c.suggestedLabels.includes(c.label), c.suggested === 'present');
    assert.equal(c.givenLabels.includes(c.label), c.given === 'present');
  }
  const fixedBack = e.candidates.filter((c) => c.kind === 'multi' && swapped.has(c.row) && (c.suggested === 'present') === g.labels[c.row].includes(c.label));
  assert.ok(fixedBack.length / e.candidates.filter((c) => swapped.has(c.row)).length >= 0.9);
  assert.equal((e.confidentJoint as { label: string }[]).map((j) => j.label).join(), g.labelNames.join());
});
