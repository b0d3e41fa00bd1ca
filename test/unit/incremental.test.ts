import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeDataset, IncrementalDataset, loadTokenizer, parseConfig, tokenizerLoaded, type AnalyzeOptions, type LineEdit } from '../../server/src/engine';
import { jsonl } from './helpers';

const { config } = parseConfig({});
const enc = (s: string) => new TextEncoder().encode(s);

/** Applies an LSP-style edit to a plain string, the reference the model must agree with. */
function applyToString(text: string, e: LineEdit): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, offset(e.start)) + e.text + text.slice(offset(e.end));
}

const rows = Array.from({ length: 60 }, (_, i) => ({ text: `customer review ${i % 45} ${'quite '.repeat(i % 4)}good`, label: i % 5 ? 'pos' : 'neg' }));
const base = jsonl(...rows, { text: 'mail a@b.io now', label: 'pos' });

// First in the file, so the tokenizer is not loaded yet (each test file runs in its own process).
test('a model that defers the tokenizer counts no tokens until it is loaded, then calibrates like any other', () => {
  const model = new IncrementalDataset('d.jsonl', config, { fixes: true }, true);
  model.setText(base);
  assert.equal(tokenizerLoaded(), false);
  const before = model.analyze();
  assert.equal(before.stats.tokens.sampledTexts, 0);
  assert.equal(before.stats.tokens.bytesPerToken, 4);
  loadTokenizer();
  const after = model.analyze();
  assert.equal(after.stats.tokens.sampledTexts, 61);
  assert.deepEqual(after, analyzeDataset('d.jsonl', enc(base), config, { fixes: true }));
  assert.deepEqual(before.findings, after.findings, 'findings never depend on the estimate');
});

test('after any sequence of edits the incremental result equals a fresh analysis', () => {
  const model = new IncrementalDataset('d.jsonl', config, { fixes: true });
  model.setText(base);
  let text = base;
  const edits: LineEdit[] = [
    { start: { line: 3, character: 0 }, end: { line: 3, character: 0 }, text: '{"text": "inserted row here", "label": "Pos"}\n' },
    { start: { line: 10, character: 10 }, end: { line: 10, character: 12 }, text: 'XX' },
    { start: { line: 0, character: 0 }, end: { line: 2, character: 0 }, text: '' },
    { start: { line: 20, character: 5 }, end: { line: 20, character: 5 }, text: 'broken' },
    { start: { line: 30, character: 0 }, end: { line: 31, character: 0 }, text: '\n\n' },
  ];
  for (const e of edits) {
    model.applyEdit(e);
    text = applyToString(text, e);
    assert.equal(model.text, text);
    assert.deepEqual(model.analyze(), analyzeDataset('d.jsonl', enc(text), config, { fixes: true }));
  }
});

test('a format change re-analyzes every row', () => {
  const model = new IncrementalDataset('d.jsonl', config);
  model.setText(jsonl({ text: 'a b c', label: 'x' }, { text: 'a b c', label: 'x' }));
  assert.equal(model.analyze().format, 'classification');
  model.setText(jsonl({ instruction: 'a b', output: 'c d' }, { instruction: 'a b', output: 'c d' }));
  const a = model.analyze();
  assert.equal(a.format, 'instruction');
  assert.equal(a.summary['exact-duplicate'], 1);
});

test('random edit sequences: the incremental result always equals a fresh analysis', () => {
  const small = jsonl(
    ...Array.from({ length: 24 }, (_, i) => ({ text: `review number ${i % 9} is ${'quite '.repeat(i % 3)}good`, label: ['pos', 'neg', 'Pos'][i % 3] })),
    { text: 'mail a@b.io now', label: 'pos' },
  );
  const fragments = ['x', '', '\n', '\n\n', '{"text": "new row", "label": "pos"}\n', '"', '  ', '{"text": "review number 1 is good", "label": "neg"}'];
  const edit = fc.record({ line: fc.nat(40), character: fc.nat(60), span: fc.nat(12), text: fc.constantFrom(...fragments) });
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), fc.boolean(), (list, nearDuplicates) => {
      const options = { fixes: true, nearDuplicates };
      const model = new IncrementalDataset('d.jsonl', config, options);
      model.setText(small);
      model.analyze();
      let text = small;
      for (const e of list) {
        const lines = text.split('\n');
        const line = Math.min(e.line, lines.length - 1);
        const character = Math.min(e.character, lines[line].length);
        const endCharacter = Math.min(character + e.span, lines[line].length);
        const change: LineEdit = { start: { line, character }, end: { line, character: endCharacter }, text: e.text };
        model.applyEdit(change);
        text = applyToString(text, change);
        assert.deepEqual(model.analyze(), analyzeDataset('d.jsonl', enc(text), config, options), JSON.stringify(change));
      }
    }),
    { numRuns: 60 },
  );
});

test('edits inside rows keep the file-level decisions when they can (duplicate groups updated), and the result still equals a fresh analysis', () => {
  // Duplicates, a conflict, label variants, a rare label and length outliers, so quick checks meet them all.
  const rows = [
    ...Array.from({ length: 50 }, (_, i) => ({ text: `a plain review of product ${i} that was ${['fine', 'good', 'bad'][i % 3]}`, label: i % 4 ? 'pos' : 'neg' })),
    { text: 'a plain review of product 7 that was good', label: 'neg' },
    { text: 'A plain review of product 7 that was good', label: 'pos' },
    { text: 'a plain review of product 3 that was fine', label: 'pos' },
    { text: 'short', label: 'Pos' },
    { text: 'long '.repeat(60), label: 'neutral' },
    { text: 'mail a@b.io now', label: 'pos' },
  ];
  const start = jsonl(...rows);
  const edit = fc.record({ line: fc.nat(rows.length - 1), character: fc.nat(90), span: fc.nat(3), text: fc.constantFrom('x', '', 'o', ' ', '"', 'pos', 'neg') });
  let quick = 0;
  let checks = 0;
  /** Quick checks whose edit made or broke a duplicate. */
  let quickRegrouped = 0;
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (list) => {
      const options = { fixes: true, nearDuplicates: false };
      const model = new IncrementalDataset('d.jsonl', config, options);
      model.setText(start);
      let previous = model.analyze();
      let text = start;
      for (const e of list) {
        const lines = text.split('\n');
        const character = Math.min(e.character, lines[e.line].length);
        const change: LineEdit = { start: { line: e.line, character }, end: { line: e.line, character: Math.min(character + e.span, lines[e.line].length) }, text: e.text };
        model.applyEdit(change);
        text = applyToString(text, change);
        const analysis = model.analyze();
        assert.deepEqual(analysis, analyzeDataset('d.jsonl', enc(text), config, options), JSON.stringify(change));
        checks++;
        if (model.lastCheck === 'quick') quick++;
        if (model.lastCheck === 'quick' && analysis.stats.duplicateRows !== previous.stats.duplicateRows) quickRegrouped++;
        previous = analysis;
      }
    }),
    { numRuns: 80 },
  );
  assert.ok(quick > checks / 4 && quick < checks && quickRegrouped > 0, `quick checks: ${quick} of ${checks}, ${quickRegrouped} regrouping duplicates`);
});

/** The editor's model of rows as JSONL, analyzed once (what a file opened in the editor has). */
function analyzedModel(rows: unknown[], options: AnalyzeOptions): IncrementalDataset {
  const model = new IncrementalDataset('d.jsonl', config, options);
  model.setText(jsonl(...rows));
  model.analyze();
  return model;
}

test('quick checks follow duplicate groups: a pair formed, a copy leaving a group of three, a conflict through a label variant', () => {
  const options = { fixes: true, nearDuplicates: false };
  const rows = [
    ...Array.from({ length: 40 }, (_, i) => ({ text: `an ordinary review of item ${i}, nothing to add`, label: i % 2 ? 'pos' : 'neg' })),
    { text: 'three copies here', label: 'pos' },
    { text: 'three copies here', label: 'pos' },
    { text: 'three copies here', label: 'pos' },
    { text: 'variant conflict', label: 'neg' },
    { text: 'variant conflicT', label: 'Neg' },
    { text: 'variant conflicT', label: 'pos' },
  ];
  const model = analyzedModel(rows, options);
  let text = jsonl(...rows);
  const lines = text.split('\n');
  const at = (line: number, find: string) => lines[line].indexOf(find);
  const edits: LineEdit[] = [
    // "item 12" becomes "item 1": a new pair with row 1 (labelled differently: a conflict too).
    { start: { line: 12, character: at(12, '12') + 1 }, end: { line: 12, character: at(12, '12') + 2 }, text: '' },
    // One of three copies changes: the other two's message loses "(3 copies in all)".
    { start: { line: 41, character: at(41, 'here') }, end: { line: 41, character: at(41, 'here') }, text: 'x' },
    // "conflict" becomes "conflicT": it joins the two rows below, whose labels "Neg" and "neg" are one label.
    { start: { line: 43, character: at(43, 'conflict') + 7 }, end: { line: 43, character: at(43, 'conflict') + 8 }, text: 'T' },
  ];
  for (const e of edits) {
    model.applyEdit(e);
    text = applyToString(text, e);
    const analysis = model.analyze();
    assert.equal(model.lastCheck, 'quick', JSON.stringify(e));
    assert.deepEqual(analysis, analyzeDataset('d.jsonl', enc(text), config, options), JSON.stringify(e));
  }
});

test('a row joining the first row\'s duplicate group keeps the file-level findings of line 1 (a full check)', () => {
  const options = { fixes: true, nearDuplicates: false };
  // Imbalanced labels, so line 1 holds label-imbalance as well as the first row's own findings.
  const rows = Array.from({ length: 40 }, (_, i) => ({ text: `a plain review of product ${i} that was fine`, label: i % 8 ? 'pos' : 'neg' }));
  const model = analyzedModel(rows, options);
  let text = jsonl(...rows);
  // "product 30" becomes "product 0": the first row's text, with another label.
  const at = text.split('\n')[30].indexOf('30');
  const e: LineEdit = { start: { line: 30, character: at }, end: { line: 30, character: at + 1 }, text: '' };
  model.applyEdit(e);
  text = applyToString(text, e);
  const analysis = model.analyze();
  assert.deepEqual(analysis, analyzeDataset('d.jsonl', enc(text), config, options));
  assert.deepEqual(analysis.findings.filter((f) => f.line === 1).map((f) => f.rule), ['label-imbalance', 'conflicting-labels']);
});

test('a conflicting row\'s label spelled another way changes what the other rows of its group say of it', () => {
  const options = { fixes: true, nearDuplicates: false };
  const rows = [
    ...Array.from({ length: 20 }, (_, i) => ({ text: `an ordinary review of item ${i}`, label: i % 3 ? 'pos' : 'neg' })),
    { text: 'the same text twice', label: 'pos' },
    { text: 'the same text twice', label: 'neg' },
  ];
  const model = analyzedModel(rows, options);
  let text = jsonl(...rows);
  // "neg" becomes "neg " (a variant of "neg"): row 21's conflicting-labels finding quotes it.
  const line = text.split('\n')[21];
  const at = line.lastIndexOf('"');
  const e: LineEdit = { start: { line: 21, character: at }, end: { line: 21, character: at }, text: ' ' };
  model.applyEdit(e);
  text = applyToString(text, e);
  const analysis = model.analyze();
  assert.deepEqual(analysis, analyzeDataset('d.jsonl', enc(text), config, options));
  assert.ok(analysis.findings.some((f) => f.line === 21 && f.rule === 'conflicting-labels' && f.related?.some((r) => r.message === 'labelled "neg "')));
});

test('analyses stopped after any step, with edits between them: the next analysis goes on and equals a fresh one', () => {
  const options = { fixes: true, nearDuplicates: false };
  // Rows enough for several steps of the row pass and of the late findings (duplicates, variants, outliers).
  const rows = Array.from({ length: 2600 }, (_, i) => ({
    text: i % 3 === 0 ? `a repeated review ${i % 40}` : `review ${i} of a product that was ${['fine', 'good', 'bad'][i % 3]}${i % 97 === 0 ? ' long'.repeat(80) : ''}`,
    label: i % 50 === 0 ? 'Pos' : i % 4 ? 'pos' : 'neg',
  }));
  const start = jsonl(...rows);
  const step = fc.record({
    // Steps taken before the host stops (a first row pass takes 2, the file-level step about 10), or the whole analysis.
    stopAfter: fc.oneof(fc.nat(16), fc.constant(Infinity)),
    line: fc.nat(rows.length - 1),
    character: fc.nat(40),
    text: fc.constantFrom('x', '', '\n', '{"text": "a repeated review 3", "label": "neg"}\n', 'pos'),
    // Or the line replaced in place by another row: a new label leaves the file-level decisions to be made again.
    row: fc.option(fc.constantFrom('{"text": "a repeated review 3", "label": "neg"}', '{"text": "another review", "label": "new"}')),
  });
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (list) => {
      const model = new IncrementalDataset('d.jsonl', config, options);
      model.setText(start);
      let text = start;
      for (const s of list) {
        const steps = model.steps();
        for (let k = 0; k < s.stopAfter && !steps.next().done; k++);
        steps.return(undefined as never);
        const lines = text.split('\n');
        const line = Math.min(s.line, lines.length - 1);
        const character = Math.min(s.character, lines[line].length);
        const change: LineEdit = s.row === null
          ? { start: { line, character }, end: { line, character }, text: s.text }
          : { start: { line, character: 0 }, end: { line, character: lines[line].length }, text: s.row };
        model.applyEdit(change);
        text = applyToString(text, change);
      }
      assert.deepEqual(model.analyze(), analyzeDataset('d.jsonl', enc(text), config, options));
    }),
    { numRuns: 25 },
  );
});

test('an analysis stopped in its file-level step leaves no decisions behind for the next edit\'s quick check', () => {
  const options = { fixes: true, nearDuplicates: false };
  const rows = Array.from({ length: 2600 }, (_, i) => ({ text: `review ${i} of a product${i % 3 ? '' : ', again'}`, label: i % 4 ? 'pos' : 'neg' }));
  const model = analyzedModel(rows, options);
  let text = model.text;
  // A new label: the file-level step runs again, and is stopped on the way (an edit's row pass takes no step).
  const relabel: LineEdit = { start: { line: 10, character: 0 }, end: { line: 10, character: text.split('\n')[10].length }, text: '{"text": "another review", "label": "new"}' };
  model.applyEdit(relabel);
  text = applyToString(text, relabel);
  const steps = model.steps();
  for (let k = 0; k < 6; k++) assert.equal(steps.next().done, false);
  steps.return(undefined as never);
  // An edit a quick check could take, were the last complete analysis's decisions still there.
  const typed: LineEdit = { start: { line: 20, character: 3 }, end: { line: 20, character: 3 }, text: 'x' };
  model.applyEdit(typed);
  text = applyToString(text, typed);
  assert.deepEqual(model.analyze(), analyzeDataset('d.jsonl', enc(text), config, options));
  assert.equal(model.lastCheck, 'full');
});
