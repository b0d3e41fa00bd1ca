import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  augmentDataset, datasetSource, normalizeText, openReader, renderAugmented, STOPWORDS,
  type AugmentOptions, type RenderAugmentedOptions, type SynonymProvider,
} from '../../server/src/engine';
import { loadWordNet } from '../../server/src/host/wordnet';

/** A small synonym table standing in for WordNet, so tests say exactly what may come out. */
const TABLE: Record<string, string[]> = {
  good: ['fine', 'decent'], film: ['movie', 'picture'], plot: ['story'], cast: ['actors', 'ensemble'],
  great: ['excellent'], bad: ['poor'], slow: ['sluggish'], music: ['score'], ending: ['finale'], quick: ['fast', 'speedy'],
};
const synonyms: SynonymProvider = (w) => TABLE[w] ?? [];

function augmentFile(content: string, options: AugmentOptions = {}, name = 'd.jsonl', render: RenderAugmentedOptions = {}) {
  const bytes = new TextEncoder().encode(content);
  const reader = openReader(name, bytes);
  const rows = [...reader.rows()];
  const result = augmentDataset(rows, { synonyms, ...options });
  const file = renderAugmented(result, datasetSource(name, reader, bytes), render);
  return { result, text: file.text, name: file.name };
}

const jsonl = (...rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];

// Random sentences from content words (with synonyms), stopwords and punctuation.
const vocabulary = ['good', 'film', 'plot', 'cast', 'great', 'bad', 'slow', 'music', 'ending', 'the', 'was', 'not', 'and', 'very', 'it', 'a', 'of', 'but', 'story', 'popcorn'];
const sentence = fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 12 }).map((ws) => ws.join(' '));
const text = fc.array(sentence, { minLength: 1, maxLength: 3 }).map((ss) => ss.map((s) => s[0].toUpperCase() + s.slice(1) + '.').join(' '));
const dataset = fc.array(fc.record({ text, label: fc.constantFrom('pos', 'neg', 'neu') }), { minLength: 1, maxLength: 25 });
const operations = fc.subarray(['sr', 'ri', 'rs', 'rd', 'ss'] as const, { minLength: 1 });

test('property: deterministic under a seed, and a different seed gives different rows', () => {
  fc.assert(
    fc.property(dataset, operations, fc.nat(10_000), fc.integer({ min: 1, max: 3 }), (rows, ops, seed, n) => {
      const content = jsonl(...rows);
      const a = augmentFile(content, { operations: [...ops], seed, n });
      const b = augmentFile(content, { operations: [...ops], seed, n });
      assert.equal(a.text, b.text);
      assert.deepEqual(a.result, b.result);
    }),
  );
  const content = jsonl(...Array.from({ length: 10 }, () => ({ text: 'The good film had a great cast and a slow plot.', label: 'pos' })));
  assert.notEqual(augmentFile(content, { seed: 1, n: 2 }).text, augmentFile(content, { seed: 2, n: 2 }).text);
});

test('property: labels are kept, stopwords are never replaced or deleted, and no new row equals its source', () => {
  fc.assert(
    fc.property(dataset, operations, fc.nat(10_000), fc.double({ min: 0.05, max: 1, noNaN: true }), (rows, ops, seed, alpha) => {
      const { result, text: out } = augmentFile(jsonl(...rows), { operations: [...ops], seed, alpha, n: 2 });
      const written = out.trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(written.length, rows.length + result.rows.length);
      for (const r of result.rows) {
        assert.equal(r.label, rows[r.sourceIndex].label);
        for (const p of r.parts) {
          assert.notEqual(normalizeText(p.text), normalizeText(p.original), `row ${r.sourceLine} ${r.operation} changed nothing`);
          // Every stopword of the source is still there (insertion may add one: "well" is a synonym of "good").
          const before = words(p.original).filter((w) => STOPWORDS.has(w));
          const after = words(p.text);
          for (const w of new Set(before)) assert.ok(after.filter((x) => x === w).length >= before.filter((x) => x === w).length, `"${w}" lost in ${r.operation}: ${p.original} → ${p.text}`);
        }
      }
      for (const w of written.slice(rows.length)) assert.equal(w.label, rows[w.augmented_from - 1].label);
      // A row gives a new row, or is reported with the reason it could not.
      const unchanged = new Set(result.unchanged.map((u) => u.index));
      rows.forEach((_, i) => assert.ok(result.rows.some((r) => r.sourceIndex === i) || unchanged.has(i), `row ${i + 1} neither augmented nor reported`));
    }),
  );
});

test('a row that cannot change is reported with the reason per operation', () => {
  const { result } = augmentFile(jsonl({ text: 'the and of', label: 'x' }, { text: 'Great film.', label: 'y' }), { operations: ['sr', 'rd'] });
  assert.equal(result.rows.length, 1);
  assert.deepEqual(result.unchanged.map((u) => u.line), [1]);
  assert.match(result.unchanged[0].reason, /sr: no word outside the stopwords has a synonym/);
  assert.match(result.unchanged[0].reason, /rd: every word is a stopword/);
});

test('property: balancing by augmenting brings every label to the target; downsampling cuts to it', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 2, maxLength: 4 }), fc.nat(1000), fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }), (sizes, seed, target) => {
      const rows = sizes.flatMap((n, c) => Array.from({ length: n }, (_, i) => ({ text: `The good film ${c} number ${i} had a great cast, quick music and a slow plot.`, label: `l${c}` })));
      const grown = augmentFile(jsonl(...rows), { balance: { method: 'augment', target }, seed }).result;
      const goal = target ?? Math.max(...sizes);
      sizes.forEach((n, c) => assert.equal(grown.labels.after[`l${c}`], Math.max(n, goal)));
      assert.equal(grown.warnings.length, 0, grown.warnings.join('; '));
      const cut = augmentFile(jsonl(...rows), { balance: { method: 'downsample', target }, seed }).result;
      const floor = target ?? Math.min(...sizes);
      sizes.forEach((n, c) => assert.equal(cut.labels.after[`l${c}`], Math.min(n, floor)));
      assert.equal(cut.rows.length, 0);
    }),
    { numRuns: 40 },
  );
});

test('balancing keeps going round a class when some of its rows cannot be varied', () => {
  const rows = [
    ...Array.from({ length: 6 }, (_, i) => ({ text: `Great film number ${i} with a good cast and quick music.`, label: 'big' })),
    { text: 'Hmm.', label: 'small' },
    { text: 'A good film with a great plot and slow ending.', label: 'small' },
  ];
  const { result } = augmentFile(jsonl(...rows), { balance: { method: 'augment' } });
  assert.equal(result.labels.after.small, 6);
  assert.ok(result.rows.every((r) => r.sourceLine === 8));
  assert.deepEqual(result.unchanged.map((u) => u.line), [7]);
});

test('changed spans point at the new words; removed spans at the deleted ones in the original', () => {
  const content = jsonl({ text: 'Good film, great cast and a slow plot. The music was quick!', label: 'pos' });
  for (const op of ['sr', 'ri', 'rs', 'rd', 'ss'] as const) {
    const { result } = augmentFile(content, { operations: [op], alpha: 0.3, seed: 4 });
    const [part] = result.rows[0].parts;
    const spans = part.changed.map((s) => part.text.slice(s.start, s.end));
    if (op === 'ss') assert.deepEqual(spans.sort(), ['Good film, great cast and a slow plot.', 'The music was quick!']);
    else for (const t of spans) assert.match(t, /^[\p{L}][\p{L} '-]*$/u, `${op} span`);
    if (op === 'sr') for (const s of part.changed) assert.ok(Object.values(TABLE).flat().includes(part.text.slice(s.start, s.end).toLowerCase()));
    if (op === 'rd') {
      assert.ok(part.removed.length >= 1);
      for (const s of part.removed) assert.ok(!STOPWORDS.has(part.original.slice(s.start, s.end).toLowerCase()));
    } else assert.deepEqual(part.removed, []);
  }
});

test('sentence shuffle reorders whole sentences', () => {
  const { result } = augmentFile(jsonl({ text: 'First one. Second one! Third one?', label: 'a' }), { operations: ['ss'] });
  const out = result.rows[0].parts[0].text;
  assert.notEqual(out, 'First one. Second one! Third one?');
  assert.deepEqual(out.split(/(?<=[.!?]) /).sort(), ['First one.', 'Second one!', 'Third one?']);
});

test('e-mails, URLs and numbers stay whole', () => {
  const content = jsonl({ text: 'Mail jane.doe@example.com about the good film at https://films.example.org/reviews or call 555 0132.', label: 'a' });
  const { result } = augmentFile(content, { n: 20, alpha: 0.5 });
  for (const r of result.rows) {
    const t = r.parts[0].text;
    for (const keep of ['jane.doe@example.com', 'https://films.example.org/reviews', '555', '0132']) assert.ok(t.includes(keep), `${r.operation}: ${t}`);
  }
});

test('chat: only the chosen turns change; the rest of the row keeps its exact text', () => {
  const chat = { messages: [{ role: 'system', content: 'Be a good film critic.' }, { role: 'user', content: 'Is the film good? The plot seemed slow.' }, { role: 'assistant', content: 'The cast is great but the plot is slow.' }], id: 'c\u00e91' };
  const line = JSON.stringify(chat).replace('c\u00e91', 'c\\u00e91');
  const { result, text } = augmentFile(line + '\n', { n: 3 });
  assert.equal(result.format, 'chat');
  assert.deepEqual(result.options.fields, ['user']);
  const written = text.trim().split('\n');
  assert.equal(written[0], line);
  for (const out of written.slice(1)) {
    const row = JSON.parse(out);
    assert.equal(row.messages[0].content, chat.messages[0].content);
    assert.equal(row.messages[2].content, chat.messages[2].content);
    assert.notEqual(row.messages[1].content, chat.messages[1].content);
    assert.equal(row.augmented_from, 1);
    // Untouched escapes stay as written: only the augmented value is re-encoded.
    assert.ok(out.includes('"id":"c\\u00e91"'));
  }
  const assistant = augmentFile(line + '\n', { fields: ['assistant'] }).result;
  assert.equal(assistant.rows[0].parts[0].field, 'messages[2].content (assistant)');
});

test('instruction data augments the instruction by default, not the answer', () => {
  const { result } = augmentFile(jsonl({ instruction: 'Describe the good film and its great cast.', input: '', output: 'A slow plot with quick music.' }), { n: 2 });
  assert.equal(result.format, 'instruction');
  for (const r of result.rows) assert.deepEqual(r.parts.map((p) => p.field), ['instruction']);
});

test('provenance: configurable name, off, or updated when the field exists; pretty JSON keeps its layout', () => {
  const content = jsonl({ text: 'A good film with a great cast.', label: 'a' });
  assert.match(augmentFile(content, { provenanceField: 'src' }).text, /"label":"a","src":1}\n$/);
  // A row written with spaces gets its new member in the same style.
  assert.match(augmentFile('{"text": "A good film with a great cast.", "label": "a"}\n').text, /"label": "a", "augmented_from": 1}\n$/);
  assert.doesNotMatch(augmentFile(content, { provenanceField: null }).text, /augmented_from/);
  const again = augmentFile(jsonl({ text: 'A good film with a great cast.', label: 'a', augmented_from: 9 })).text.trim().split('\n');
  assert.equal(JSON.parse(again[1]).augmented_from, 1);
  const pretty = '[\n  {\n    "text": "A good film with a great cast.",\n    "label": "a"\n  }\n]\n';
  const out = augmentFile(pretty, { seed: 1 }, 'd.json').text;
  // The element starts on line 2 of the file, so that is its source line.
  assert.match(out, /\n {4}"label": "a",\n {4}"augmented_from": 2\n {2}\}\n\]\n$/);
  assert.equal(JSON.parse(out).length, 2);
});

test('CSV: a provenance column is added, records are quoted as needed, the header is kept', () => {
  const csv = 'text,label\n"Good film, great cast.",pos\nslow plot and bad music,neg\n';
  const { text } = augmentFile(csv, { seed: 2 }, 'd.csv');
  const lines = text.trim().split('\n');
  assert.equal(lines[0], 'text,label,augmented_from');
  assert.equal(lines[1], '"Good film, great cast.",pos,');
  assert.equal(lines[2], 'slow plot and bad music,neg,');
  // A CSV row's line counts the header: the first record is line 2.
  assert.match(lines[3], /^".*",pos,2$/);
  assert.match(lines[4], /,neg,3$/);
});

test('leak check: a new row equal to a val/test row is flagged and not written', () => {
  const content = jsonl({ text: 'Good popcorn.', label: 'pos' });
  const heldOut = [{ file: 'd.test.jsonl', rows: [...openReader('d.test.jsonl', new TextEncoder().encode(jsonl({ text: 'fine  POPCORN.', label: 'pos' }))).rows()] }];
  // "good" is the only word with synonyms (fine, decent): two variants are both of them.
  const { result, text } = augmentFile(content, { operations: ['sr'], n: 2, seed: 3, heldOut });
  const leaked = result.rows.filter((r) => r.leak);
  assert.equal(result.leaks, leaked.length);
  assert.equal(leaked.length, 1, 'one of the variants is "Fine popcorn."');
  assert.deepEqual(leaked[0].leak, { file: 'd.test.jsonl', line: 1, similarity: 1 });
  assert.ok(!text.toLowerCase().includes('fine popcorn.'));
  assert.ok(text.includes('Decent popcorn.'));
});

test('preview: augmenting a sample gives exactly the rows a full run gives for those rows', () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ text: `Row ${i}: a good film, great cast, slow plot and quick music.`, label: i % 4 ? 'a' : 'b' }));
  const full = augmentFile(jsonl(...rows), { n: 2, seed: 9 }).result;
  const preview = augmentFile(jsonl(...rows), { n: 2, seed: 9, sample: [3, 17] }).result;
  assert.deepEqual(preview.rows, full.rows.filter((r) => r.sourceIndex === 3 || r.sourceIndex === 17));
  const fullBalance = augmentFile(jsonl(...rows), { balance: { method: 'augment' }, seed: 9 }).result;
  const previewBalance = augmentFile(jsonl(...rows), { balance: { method: 'augment' }, seed: 9, sample: [4, 8] }).result;
  assert.deepEqual(previewBalance.rows, fullBalance.rows.filter((r) => r.sourceIndex === 4 || r.sourceIndex === 8));
});

test('bad options are refused with every problem named', () => {
  const content = jsonl({ text: 'good film', label: 'a' });
  assert.throws(() => augmentFile(content, { n: 0, alpha: 2 }), /n must be.*\n?.*|α for sr must be between 0 and 1/);
  assert.throws(() => augmentFile(content, { fields: ['label'] }), /label field/);
  assert.throws(() => augmentDataset([...openReader('d.jsonl', new TextEncoder().encode(content)).rows()], { operations: ['sr'] }), /need a synonym provider/);
  assert.throws(() => augmentFile(jsonl({ text: 'x' }), { balance: { method: 'augment' } }), /needs labels/);
});

test('WordNet provider: offline synonyms, plurals inflected back, unknown words empty, fast after loading', () => {
  const wordnet = loadWordNet();
  assert.ok(wordnet('movie').includes('film'));
  assert.ok(wordnet('movies').includes('films'));
  assert.ok(!wordnet('film').includes('film'));
  assert.deepEqual(wordnet('qwertyuiop'), []);
  assert.deepEqual(wordnet('the'), []);
  const start = performance.now();
  for (const w of ['good', 'bad', 'quick', 'slow', 'happy', 'terrible', 'battery', 'screen', 'price', 'service']) wordnet(w);
  for (let i = 0; i < 100_000; i++) wordnet('good');
  assert.ok(performance.now() - start < 1000);
});

test('a new row nearly identical to a held-out row is flagged as a leak and not written', async () => {
  const { augmentDataset, openReader } = await import('../../server/src/engine');
  const words = 'a long review of the hotel that talks about the rooms the breakfast the staff the pool the parking the noise at night the view from the balcony the price and the location near the old harbour where small boats come in every morning with fresh fish for the market and the cafes along the water';
  const bytes = new TextEncoder().encode(JSON.stringify({ text: words, label: 'pos' }) + '\n' + JSON.stringify({ text: 'short other row here', label: 'neg' }) + '\n');
  const rows = [...openReader('train.jsonl', bytes).rows()];
  const heldOut = [{ file: 'test.jsonl', rows: [...openReader('test.jsonl', new TextEncoder().encode(JSON.stringify({ text: words, label: 'pos' }) + '\n')).rows()] }];
  const result = augmentDataset(rows, { operations: ['rd'], alpha: 0.02, n: 1, seed: 3, heldOut });
  const fromLong = result.rows.filter((r) => r.sourceLine === 1);
  assert.equal(fromLong.length, 1);
  assert.ok(fromLong[0].parts[0].text !== words, 'the new row differs from its source');
  assert.equal(fromLong[0].leak?.file, 'test.jsonl');
  assert.ok(fromLong[0].leak!.similarity >= 0.8 && fromLong[0].leak!.similarity < 1);
  assert.equal(result.leaks, 1);
});
