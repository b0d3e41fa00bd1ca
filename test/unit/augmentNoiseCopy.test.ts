import { test } from 'node:test';
import assert from 'node:assert/strict';
import { augmentDataset, datasetSource, openReader, renderAugmented, type AugmentOptions, type AugmentResult } from '../../server/src/engine';
import { loadPolarWords, loadTagger, loadWordNet } from '../../server/src/host/wordnet';

/** Character noise, oversampling by copy, and the model operations' checks (#20), with the real WordNet and tagger. */

const real: AugmentOptions = { synonyms: loadWordNet(), tagger: loadTagger(), polarWords: loadPolarWords() };
const jsonl = (...rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

function augment(content: string, options: AugmentOptions = {}): { result: AugmentResult; text: string } {
  const bytes = new TextEncoder().encode(content);
  const reader = openReader('d.jsonl', bytes);
  const result = augmentDataset([...reader.rows()], { ...real, ...options });
  return { result, text: renderAugmented(result, datasetSource('d.jsonl', reader, bytes)).text };
}

const PROTECTED = [
  { text: 'Send the report to Maria via @maria_lopez before 10:30 on Friday.', keep: ['Maria', '@maria_lopez', '10:30', 'Friday'] },
  { text: 'The package weighing 2.5 kilograms arrived "slightly damaged" yesterday afternoon.', keep: ['2.5', '"slightly damaged"'] },
  { text: 'Please restart the service with --force and check https://status.example.com/api afterwards.', keep: ['--force', 'https://status.example.com/api'] },
  { text: 'Thomas bought three tickets for the concert in Berlin last summer.', keep: ['Thomas', 'three', 'Berlin'] },
];

test('character noise makes typos in ordinary words only: names, numbers, handles, quotes, flags and URLs stay as they were', () => {
  let made = 0;
  for (let seed = 0; seed < 30; seed++) {
    const { result } = augment(jsonl(...PROTECTED.map((p) => ({ text: p.text }))), { operations: ['cn'], alpha: 0.3, seed, n: 2 });
    for (const r of result.rows) {
      made++;
      const p = PROTECTED[r.sourceIndex];
      const t = r.parts[0].text;
      assert.notEqual(t, p.text);
      for (const k of p.keep) assert.ok(t.includes(k), `"${k}" changed: ${t}`);
      // Typos stay inside words: the spacing and the word count do not change, and every word keeps its first letter.
      const before = p.text.split(' ');
      const after = t.split(' ');
      assert.equal(after.length, before.length, t);
      after.forEach((w, i) => assert.equal(w[0], before[i][0], `${before[i]} → ${w}`));
    }
  }
  assert.ok(made >= 200, `${made} rows`);
});

test('character noise at a rate: α 0.02 changes few letters, α 0.3 many', () => {
  const text = 'The delivery driver carefully placed every fragile package beside the wooden garden shed yesterday.';
  const changedLetters = (alpha: number) => {
    let total = 0;
    for (let seed = 0; seed < 20; seed++) {
      const { result } = augment(jsonl({ text }), { operations: ['cn'], alpha, seed });
      const t = result.rows[0].parts[0].text;
      total += t.split(' ').filter((w, i) => w !== text.split(' ')[i]).length;
    }
    return total / 20;
  };
  const low = changedLetters(0.02);
  const high = changedLetters(0.3);
  assert.ok(low >= 1 && low < 3, `α 0.02: ${low} words changed on average`);
  assert.ok(high > 5, `α 0.3: ${high} words changed on average`);
});

test('oversampling by copy writes the row as it is, n times, and the summary says they are duplicates by design', () => {
  const rows = [{ text: 'The battery lasts two full days.', label: 'pos' }, { text: 'The strap broke on the second day.', label: 'neg' }];
  const { result, text } = augment(jsonl(...rows), { operations: ['cp'], n: 3 });
  assert.equal(result.rows.length, 6);
  assert.deepEqual(result.byOperation, { cp: 6 });
  for (const r of result.rows) assert.equal(r.parts[0].text, rows[r.sourceIndex].text);
  assert.deepEqual(result.labels.after, { pos: 4, neg: 4 });
  assert.equal(text.split('The battery lasts two full days.').length, 5, 'the source and its three copies');
  assert.ok(result.warnings.some((w) => /^6 new rows are exact copies of their source \(oversampling by copy\): `tuneset check` reports them as exact duplicates, by design/.test(w)), result.warnings.join('\n'));
});

test('balancing by copy fills the smaller label with exact copies', () => {
  const rows = [
    ...Array.from({ length: 6 }, (_, i) => ({ text: `Great product number ${i}, works as described.`, label: 'pos' })),
    { text: 'Arrived broken and nobody answered my emails.', label: 'neg' },
    { text: 'The colour faded after one wash.', label: 'neg' },
  ];
  const { result } = augment(jsonl(...rows), { operations: ['cp'], balance: { method: 'augment' } });
  assert.deepEqual(result.labels.after, { pos: 6, neg: 6 });
  assert.ok(result.rows.every((r) => r.parts[0].text === rows[r.sourceIndex].text));
});

test('a model rewrite that loses a name or a number is refused with the reason; one that keeps them is used', () => {
  const rows = [{ text: 'Anna paid 40 dollars for the blue lamp.' }, { text: 'The blue lamp was too bright for the bedroom.' }];
  const rewrites = (op: 'bt' | 'pp', text: string) => (text.startsWith('Anna') ? 'She paid forty dollars for the lamp.' : op === 'bt' ? 'The blue lamp was much too bright for the bedroom.' : undefined);
  const { result } = augment(jsonl(...rows), { operations: ['bt', 'pp'], rewrites });
  assert.deepEqual(result.rows.map((r) => [r.sourceIndex, r.operation, r.parts[0].text]), [[1, 'bt', 'The blue lamp was much too bright for the bedroom.']]);
  assert.match(result.unchanged[0].reason, /bt: the model's rewrite lost or changed "Anna", "40"/);
  assert.match(result.unchanged[0].reason, /pp: the model's rewrite lost or changed "Anna", "40"/);
  assert.throws(() => augment(jsonl(...rows), { operations: ['bt'] }), /back-translation and paraphrase need a model endpoint/);
});

test('a new row the label model confidently reads as another label is dropped as a label flip, and counted', () => {
  const pos = ['I loved this wonderful film, great acting', 'A wonderful and great story, loved it', 'Great music and wonderful actors, loved every minute', 'Loved it: a great, wonderful evening', 'Wonderful photography and a great cast, I loved it'];
  const neg = ['I hated this terrible film, awful acting', 'A terrible and awful story, hated it', 'Awful music and terrible actors, hated every minute', 'Hated it: an awful, terrible evening', 'Terrible photography and an awful cast, I hated it'];
  // Thirty rows a label at least: the model judges labels it has learnt enough of.
  const times = (texts: string[]) => Array.from({ length: 6 }, (_, k) => texts.map((t) => (k ? `${t}, part ${k}` : t))).flat();
  const rows = [...times(pos).map((text) => ({ text, label: 'pos' })), ...times(neg).map((text) => ({ text, label: 'neg' }))];
  // The "paraphrase" of the first row says the opposite; the others are harmless rewrites.
  const rewrites = (_op: 'bt' | 'pp', text: string) => (text === pos[0] ? 'I hated this terrible film, awful acting indeed' : `${text} indeed`);
  const { result } = augment(jsonl(...rows), { operations: ['pp'], rewrites });
  assert.deepEqual(result.dropped, { 'label flip (the label model reads the new row as another label)': 1 });
  assert.equal(result.rows.length, 59);
  assert.ok(!result.rows.some((r) => r.sourceIndex === 0));
  const off = augment(jsonl(...rows), { operations: ['pp'], rewrites, labelFlips: false });
  assert.equal(off.result.rows.length, 60);
  // Five rows a label are too few to judge: nothing is dropped.
  const few = augment(jsonl(...rows.filter((r) => !/part/.test(r.text))), { operations: ['pp'], rewrites });
  assert.deepEqual(few.result.dropped, {});
});
