import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { augmentDataset, datasetSource, openReader, renderAugmented, type AugmentOptions, type AugmentResult } from '../../server/src/engine';
import { loadPolarWords, loadTagger, loadWordNet } from '../../server/src/host/wordnet';

/**
 * Augmentation keeps meaning and labels (#20): the known bad rewrites, protected spans, answer
 * words, label words, the row checks and Chinese, with the real WordNet and natural's real tagger.
 */

const wordnet = loadWordNet();
const tagger = loadTagger();
const polarWords = loadPolarWords();
const real: AugmentOptions = { synonyms: wordnet, tagger, polarWords };

const jsonl = (...rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

function augment(content: string, options: AugmentOptions = {}, name = 'd.jsonl'): { result: AugmentResult; text: string } {
  const bytes = new TextEncoder().encode(content);
  const reader = openReader(name, bytes);
  const result = augmentDataset([...reader.rows()], { ...real, ...options });
  return { result, text: renderAugmented(result, datasetSource(name, reader, bytes)).text };
}

/** Every new text made from the row at `sourceIndex` over many seeds and every operation. */
function variants(content: string, sourceIndex = 0, options: AugmentOptions = {}, seeds = 40): string[] {
  const out: string[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const { result } = augment(content, { seed, n: 3, alpha: 0.5, ...options });
    for (const r of result.rows) if (r.sourceIndex === sourceIndex) for (const p of r.parts) out.push(p.text);
  }
  return out;
}

test('"day" never becomes "Clarence Day": synonyms with a capital (proper nouns) are not used', () => {
  const texts = variants(jsonl({ text: 'It was a long day at the office and the work was hard.' }), 0, { operations: ['sr', 'ri'] });
  assert.ok(texts.length > 10, 'synonyms were found for some words');
  for (const t of texts) {
    assert.doesNotMatch(t, /Clarence|\bDay\b/, t);
    // Nothing capitalised appears but the first word.
    assert.deepEqual(t.split(/\s+/).slice(1).filter((w) => /[A-Z]/.test(w)), [], t);
  }
});

test('"21st May" stays a date: no hawthorn, no word moved into it or out of it', () => {
  const texts = variants(jsonl({ text: 'The quarterly meeting is planned for 21st May in the small hall.' }));
  assert.ok(texts.length > 10);
  for (const t of texts) {
    assert.doesNotMatch(t, /Crataegus|hawthorn|whitethorn/i, t);
    assert.match(t, /\b21st May\b/, t);
  }
});

test('"Translate to French." keeps "French" as it is, with nothing inserted after it', () => {
  const content = jsonl(
    { instruction: 'Translate to French.', input: 'The weather is nice today.', output: 'Il fait beau aujourd\'hui.' },
    { instruction: 'Summarize the article in one sentence.', input: 'A long article about gardens and rain.', output: 'Gardens need rain.' },
  );
  const texts = variants(content, 0, { seed: 0 });
  for (const t of texts) {
    assert.match(t, /\bFrench\b/, t);
    assert.doesNotMatch(t, /French people|French \w+\./, t);
  }
});

test('"good movie" (positive) never loses or changes "good": words a sentiment label rests on stay', () => {
  const rows = [
    { text: 'good movie', label: 'positive' }, { text: 'a good movie with a great cast', label: 'positive' },
    { text: 'great acting and a good story', label: 'positive' }, { text: 'boring movie with a dull plot', label: 'negative' },
    { text: 'the plot was dull and the acting weak', label: 'negative' }, { text: 'a boring film, weak from start to end', label: 'negative' },
  ];
  for (const options of [{}, { polarWords: new Set<string>() }] as AugmentOptions[]) {
    // With the sentiment lexicon, and without it (then the file's own per-label words decide).
    const { result } = augment(jsonl(...rows), { ...options, n: 5, alpha: 0.5 });
    assert.ok(result.rows.length > 0);
    for (const r of result.rows) {
      const p = r.parts[0];
      for (const w of ['good', 'great', 'boring', 'dull', 'weak']) {
        const before = p.original.split(/\W+/).filter((x) => x === w).length;
        assert.ok(p.text.split(/\W+/).filter((x) => x === w).length >= before, `${w} lost: "${p.original}" → "${p.text}" (${r.operation})`);
      }
    }
  }
});

test('"Repeat after me: the sky is blue." keeps every word its output says; the output is never rewritten', () => {
  const rows = [
    { instruction: 'Repeat after me: the sky is blue.', output: 'the sky is blue.' },
    { instruction: 'Name the largest planet in the solar system.', output: 'Jupiter is the largest planet.' },
    { instruction: 'Give a quick summary of the water cycle.', output: 'Water evaporates, condenses into clouds and falls as rain.' },
  ];
  const content = jsonl(...rows);
  for (let seed = 0; seed < 30; seed++) {
    const { text } = augment(content, { seed, n: 3, alpha: 0.5 });
    const written = text.trim().split('\n').map((l) => JSON.parse(l));
    for (const w of written) {
      const source = rows.find((r) => r.output === w.output);
      assert.ok(source, `an output was rewritten: ${w.output}`);
      if (source === rows[0]) assert.match(w.instruction, /the sky is blue/, w.instruction);
      if (source === rows[1]) for (const word of ['largest', 'planet']) assert.match(w.instruction, new RegExp(`\\b${word}\\b`), w.instruction);
    }
  }
});

/** Spans that must come out exactly as they went in. */
const PROTECTED = [
  'https://example.com/docs?id=7', '{name}', '{{user_name}}', '<br>', '`npm install`', '"exactly these words"', 'support@acme.io',
  '21st May', 'March 3, 2024', '10:30 am', '42', '3.14', 'Paris', 'NASA', '%s', '[MASK]', 'get_user_id', 'Monday',
];
const filler = ['the', 'quick', 'report', 'shows', 'a', 'large', 'change', 'in', 'price', 'and', 'customers', 'wanted', 'better', 'service', 'today', 'please', 'send', 'it'];

test('property: protected spans (URLs, placeholders, code, quotes, dates, numbers, names) survive every operation', () => {
  const sentence = fc.tuple(fc.array(fc.constantFrom(...filler), { minLength: 3, maxLength: 10 }), fc.constantFrom(...PROTECTED), fc.nat(20))
    .map(([ws, span, at]) => {
      const words = ws.slice();
      words.splice(at % (words.length + 1), 0, span);
      const s = words.join(' ');
      return { text: (words[0] === span ? s : s[0].toUpperCase() + s.slice(1)) + '.', span };
    });
  fc.assert(
    fc.property(fc.array(sentence, { minLength: 1, maxLength: 6 }), fc.nat(1000), (items, seed) => {
      const { result } = augment(jsonl(...items.map((i) => ({ text: i.text }))), { seed, n: 2, alpha: 0.4 });
      for (const r of result.rows) {
        const { span } = items[r.sourceIndex];
        assert.ok(r.parts[0].text.includes(span), `"${span}" lost: "${r.parts[0].original}" → "${r.parts[0].text}" (${r.operation})`);
      }
    }),
    { numRuns: 60 },
  );
});

test('source rows with a credential or personal data are not augmented, and are counted', () => {
  const rows = [
    { text: 'My card number is 4111 1111 1111 1111 and it was charged twice for the same order.', label: 'billing' },
    { text: 'Use the key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3i to call the service.', label: 'tech' },
    { text: 'The invoice shows a wrong amount for the monthly subscription plan.', label: 'billing' },
    { text: 'The application crashes whenever I open the settings page on my phone.', label: 'tech' },
  ];
  const { result, text } = augment(jsonl(...rows), { operations: ['rs', 'rd'], n: 2 });
  assert.deepEqual(result.skipped, { 'pii-card': 1, secret: 1 });
  assert.deepEqual([...new Set(result.rows.map((r) => r.sourceIndex))].sort(), [2, 3]);
  // Each is listed with its line and the rule, as a row that could not change is.
  assert.deepEqual(result.unchanged.map((u) => [u.line, u.reason]), [[1, 'not augmented: pii-card (a copy would repeat it)'], [2, 'not augmented: secret (a copy would repeat it)']]);
  assert.ok(result.warnings.some((w) => /2 source rows not augmented: a copy would repeat what the rules found \(pii-card 1, secret 1\)/.test(w)), result.warnings.join('\n'));
  // The rows themselves are still written, once.
  assert.equal(text.split('4111 1111 1111 1111').length, 2);
});

test('a new row that repeats another row of the file is dropped, and the summary says why', () => {
  const rows = [
    { text: 'Alpha beta. Gamma delta.', label: 'a' },
    { text: 'Gamma delta. Alpha beta.', label: 'a' },
    { text: 'Epsilon zeta. Eta theta.', label: 'b' },
  ];
  const { result } = augment(jsonl(...rows), { operations: ['ss'] });
  // Shuffling row 1 gives row 2 and the other way round: both dropped; row 3's shuffle is new.
  assert.deepEqual(result.rows.map((r) => r.sourceIndex), [2]);
  assert.deepEqual(result.dropped, { 'exact duplicate of another row': 2 });
});

test('Chinese: swap, deletion and shuffle work on segmented words, negations stay, and the missing thesaurus is said plainly', () => {
  const rows = [
    { text: '这家餐厅的服务非常好，菜也很好吃。我们下次还会再来。', label: '正面' },
    { text: '快递太慢了，包装也破了，我不会再买这家的东西。', label: '负面' },
    { text: '手机屏幕很清楚，电池可以用一整天。', label: '正面' },
  ];
  const { result } = augment(jsonl(...rows), { n: 3, seed: 3 });
  assert.ok(result.rows.length >= 6, `made ${result.rows.length}`);
  assert.ok(result.rows.every((r) => r.operation !== 'sr' && r.operation !== 'ri'));
  assert.ok(result.warnings.some((w) => /3 rows are in Chinese, Japanese or Thai: no thesaurus/.test(w)), result.warnings.join('\n'));
  const chars = (s: string) => [...s].sort().join('');
  for (const r of result.rows) {
    const { original, text } = r.parts[0];
    assert.match(text, /^[\p{Script=Han}，。！？]+$/u, text);
    if (original.includes('不会')) assert.ok(text.includes('不'), `negation deleted: ${text}`);
    // Swap and shuffle move whole words: the same characters; deletion only removes.
    if (r.operation === 'rs' || r.operation === 'ss') assert.equal(chars(text), chars(original), text);
    if (r.operation === 'rd') assert.ok(text.length < original.length);
    // No space is ever put between Chinese words.
    assert.doesNotMatch(text, /\s/);
  }
});

/** A CSV cell quoted as the format wants it (always, so leading quotes, delimiters and line breaks are safe). */
const quoted = (s: string) => `"${s.replace(/"/g, '""')}"`;

const DIALECTS: { name: string; write: (rows: { text: string; label: string }[]) => string; lineBreaks: boolean; tabs: boolean }[] = [
  { name: 'd.jsonl', write: (rows) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n', lineBreaks: true, tabs: true },
  { name: 'd.json', write: (rows) => JSON.stringify(rows, null, 2) + '\n', lineBreaks: true, tabs: true },
  { name: 'd.csv', write: (rows) => ['text,label', ...rows.map((r) => `${quoted(r.text)},${r.label}`)].join('\n') + '\n', lineBreaks: true, tabs: true },
  { name: 'd.csv', write: (rows) => ['text;label', ...rows.map((r) => `${quoted(r.text)};${r.label}`)].join('\n') + '\n', lineBreaks: false, tabs: true },
  // TSV with quoting (every text quoted) and without (quotes are text: the reader decides which it is).
  { name: 'd.tsv', write: (rows) => ['text\tlabel', ...rows.map((r) => `${quoted(r.text)}\t${r.label}`)].join('\n') + '\n', lineBreaks: false, tabs: false },
  { name: 'd.tsv', write: (rows) => ['text\tlabel', ...rows.map((r) => `${r.text}\t${r.label}`)].join('\n') + '\n', lineBreaks: false, tabs: false },
];

test('property: every augmented file reads back to exactly the rows intended (JSONL, JSON array, CSV, TSV with and without quoting)', () => {
  const word = fc.constantFrom('the', 'order', 'arrived', 'late', 'and', 'box', 'was', 'open', 'refund', 'please', '"quoted"', "it's", 'a,b', 'x;y', '"', "'", '—', '😀');
  for (const dialect of DIALECTS) {
    const text = fc.tuple(fc.array(word, { minLength: 2, maxLength: 9 }), fc.constantFrom(' ', '. ', ', ', '\n', '\t'))
      .map(([ws, sep]) => ws.join(!dialect.lineBreaks && sep === '\n' ? ' ' : !dialect.tabs && sep === '\t' ? ' ' : sep));
    fc.assert(
      fc.property(fc.array(fc.record({ text, label: fc.constantFrom('pos', 'neg') }), { minLength: 1, maxLength: 8 }), fc.nat(500), (rows, seed) => {
        const content = dialect.write(rows);
        const bytes = new TextEncoder().encode(content);
        const reader = openReader(dialect.name, bytes);
        const read = [...reader.rows()];
        if (read.some((r) => r.problem)) return; // the generated file itself is not readable as meant: nothing to round-trip
        const result = augmentDataset(read, { operations: ['rs', 'rd', 'ss'], n: 2, seed, checkRows: false, provenanceField: null });
        const out = renderAugmented(result, datasetSource(dialect.name, reader, bytes)).text;
        const back = [...openReader(dialect.name, new TextEncoder().encode(out)).rows()];
        const intended = [
          ...result.kept.map((i) => read[i].value),
          ...result.rows.map((r) => ({ ...(read[r.sourceIndex].value as object), text: r.parts[0].text })),
        ];
        assert.deepEqual(back.map((r) => r.problem?.message), intended.map(() => undefined), `${dialect.name}: a written row does not read back\n${out}`);
        assert.deepEqual(back.map((r) => r.value), intended, `${dialect.name}\n${content}\n→\n${out}`);
      }),
      { numRuns: 40 },
    );
  }
});

test('a swap keeps sentence case: an opening word moved inside a sentence loses its capital, the word taking its place gets one', () => {
  const content = jsonl({ text: 'The price went up again this month. Customers wanted better service and faster delivery.' });
  const texts = variants(content, 0, { operations: ['rs'] }, 30);
  assert.ok(texts.length > 10);
  for (const t of texts) {
    for (const sentence of t.split(/(?<=\.)\s+/)) {
      assert.match(sentence, /^[A-Z]/, t);
      assert.deepEqual(sentence.split(/\s+/).slice(1).filter((w) => /[A-Z]/.test(w)), [], t);
    }
  }
});

test('a prompt word joined by a hyphen stays when the answer says its pieces ("thank-you" / "thank you")', () => {
  const rows = [
    { instruction: 'Write a short thank-you note to Alice for the quick help with the report.', output: 'Dear Alice, thank you for the quick help with the report.' },
    { instruction: 'List three colours of the rainbow in any order.', output: 'Red, green and blue.' },
  ];
  for (const t of variants(jsonl(...rows), 0, { operations: ['rd', 'rs', 'sr'] }, 30)) assert.match(t, /\bthank-you\b/, t);
});
