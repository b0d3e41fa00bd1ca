import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annotatorAgreement, cohensKappa, fleissKappa, kappaStrength, readAnnotations } from '../../server/src/engine';
import { loadConfig } from '../../server/src/host/config';
import { translator } from '../../server/src/host/l10n';
import { LspClient, type PublishedDiagnostics } from '../lsp/lspClient';
import { analyze, applyTextEdits as applyEdits, jsonl, ofRule } from './helpers';

/**
 * annotator-disagreement (a row rule) and the annotator agreement figures of a file, against
 * hand-computed cases: the fixture test/fixtures/labels/annotators.jsonl holds three named annotators
 * (ann, bob, cy) in a list per row, the file's own label beside them.
 */

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'labels', 'annotators.jsonl');
const fixture = readFileSync(FIXTURE, 'utf8');

test('one finding per row whose annotators disagree: labels counted with their annotators; a fix to the majority, none on a tie or when the label already is it', () => {
  const a = analyze(fixture, 'annotators.jsonl', {}, true);
  const found = ofRule(a, 'annotator-disagreement');
  assert.deepEqual(found.map((f) => [f.line, f.message]), [
    [3, 'Annotators disagree: "positive" ×2 (ann, bob), "negative" ×1 (cy); set the label to the majority "positive"?'],
    [4, 'Annotators disagree: "neutral" ×2 (ann, cy), "negative" ×1 (bob); the label already is the majority "neutral"'],
    [5, 'Annotators disagree: "negative" ×1 (bob), "neutral" ×1 (ann), "positive" ×1 (cy); no majority (a tie), so no label is suggested'],
  ]);
  // Rows where all agree (1, 2, 6), where two of three gave the same label and the third none (7), or one annotator alone (8): nothing.
  assert.equal(found[0].severity, 'info');
  assert.deepEqual(found[0].data, { votes: [{ label: 'positive', count: 2, annotators: ['ann', 'bob'] }, { label: 'negative', count: 1, annotators: ['cy'] }], majority: 'positive', label: 'negative' });
  assert.equal(found[0].fix!.title, 'Set the label to the majority "positive"');
  assert.equal(found[1].fix, undefined);
  assert.equal(found[2].fix, undefined);
  const fixed = applyEdits(fixture, found[0].fix!.edits);
  assert.equal(JSON.parse(fixed.split('\n')[2]).label, 'positive');
  assert.deepEqual(fixed.split('\n').filter((_, i) => i !== 2), fixture.split('\n').filter((_, i) => i !== 2), 'only that row changes');
  // Fixed, the row is still one its annotators disagree on, but there is nothing left to set.
  assert.match(ofRule(analyze(fixed, 'annotators.jsonl', {}, true), 'annotator-disagreement')[0].message, /the label already is the majority "positive"$/);
  assert.deepEqual(ofRule(analyze(fixture, 'annotators.jsonl', { rules: { 'annotator-disagreement': 'off' } }), 'annotator-disagreement'), []);
});

test('CSV columns: the fix writes the cell; a number label stays a number in JSONL; annotator columns with no label of their own get no fix', () => {
  const csv = 'text,label,label_a,label_b,label_c\n' +
    'The room was clean and quiet,neg,pos,pos,neg\n' +
    'Breakfast was cold again,neg,neg,neg,neg\n' +
    '"Staff, lobby and pool all fine",neu,neu,pos,\n';
  const found = ofRule(analyze(csv, 'hotel.csv', {}, true), 'annotator-disagreement');
  assert.deepEqual(found.map((f) => f.line), [2, 4]);
  assert.match(found[1].message, /^Annotators disagree: "neu" ×1 \(label_a\), "pos" ×1 \(label_b\); no majority/);
  assert.equal(applyEdits(csv, found[0].fix!.edits).split('\n')[1], 'The room was clean and quiet,pos,pos,pos,neg');
  // The finding points at the dissenting annotator's cell.
  assert.equal(found[0].column, 'The room was clean and quiet,neg,pos,pos,'.length + 1);

  const numbers = jsonl({ text: 'first row text here', label: 0, rater_1: 1, rater_2: 1, rater_3: 0 });
  const n = ofRule(analyze(numbers, 'n.jsonl', {}, true), 'annotator-disagreement')[0];
  assert.equal(JSON.parse(applyEdits(numbers, n.fix!.edits).split('\n')[0]).label, 1);

  // label_1 and label_2 only: the label field detection picks is an annotator's, so there is nothing else to set.
  const only = jsonl({ text: 'an example text', label: 'x', label_1: 'x', label_2: 'y', label_3: 'y' });
  const o = ofRule(analyze(only, 'o.jsonl', { labelField: 'label_1' }, true), 'annotator-disagreement')[0];
  assert.equal(o.message, 'Annotators disagree: "y" ×2 (label_2, label_3), "x" ×1 (label_1); the majority label is "y" (the file has no label field of its own to set)');
  assert.equal(o.fix, undefined);

  // A multi-label row's label (a list) is not replaced by one label.
  const multi = jsonl({ text: 'an example text', label: ['x', 'z'], label_a: 'x', label_b: 'y', label_c: 'y' });
  const m = ofRule(analyze(multi, 'm.jsonl', {}, true), 'annotator-disagreement')[0];
  assert.equal(m.message, 'Annotators disagree: "y" ×2 (label_b, label_c), "x" ×1 (label_a); the majority label is "y" (the row\'s label is a list, left as it is)');
  assert.equal(m.fix, undefined);
});

test('the messages in Chinese: labels and annotators kept as they are', () => {
  const zh = translator('zh-cn');
  const [first, , tie] = ofRule(analyze(fixture, 'annotators.jsonl'), 'annotator-disagreement');
  assert.equal(zh.message(first.message), '标注者意见不一："positive" ×2 (ann, bob), "negative" ×1 (cy)；将标签设为多数标签 "positive"？');
  assert.equal(zh.message(tie.message), '标注者意见不一："negative" ×1 (bob), "neutral" ×1 (ann), "positive" ×1 (cy)；没有多数（票数相同），因此不建议标签');
});

test('annotatorFields names the annotators: several fields are columns in that order, one field is a list per row', () => {
  const rows = jsonl(
    { text: 'the first review text', label: 'a', alice: 'a', bob: 'b', carol: 'b' },
    { text: 'the second review text', label: 'b', alice: 'b', bob: 'b', carol: 'b' },
  );
  assert.deepEqual(ofRule(analyze(rows, 'd.jsonl'), 'annotator-disagreement'), [], 'names that do not look like annotators are not guessed');
  const named = ofRule(analyze(rows, 'd.jsonl', { annotatorFields: ['alice', 'bob', 'carol'] }, true), 'annotator-disagreement');
  assert.deepEqual(named.map((f) => f.message), ['Annotators disagree: "b" ×2 (bob, carol), "a" ×1 (alice); set the label to the majority "b"?']);
  const lists = jsonl({ text: 'the first review text', label: 'a', opinions: ['a', 'b', 'b', 'b'] }, { text: 'the second text', label: 'a', opinions: ['a', 'a'] });
  const listed = ofRule(analyze(lists, 'd.jsonl', { annotatorFields: ['opinions'] }), 'annotator-disagreement');
  assert.deepEqual(listed.map((f) => [f.line, f.message]), [[1, 'Annotators disagree: "b" ×3, "a" ×1; set the label to the majority "b"?']]);
  // Settings reach the engine from tuneset.json through loadConfig, and a bad value is named.
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-annotators-'));
  writeFileSync(join(dir, 'tuneset.json'), JSON.stringify({ annotatorFields: ['alice', 'bob'] }));
  assert.deepEqual(loadConfig({ folder: dir }).config.annotatorFields, ['alice', 'bob']);
  writeFileSync(join(dir, 'tuneset.json'), JSON.stringify({ annotatorFields: [] }));
  const bad = loadConfig({ folder: dir });
  assert.equal(bad.config.annotatorFields, undefined);
  assert.match(bad.problems.join('\n'), /tuneset\.json: annotatorFields: .*; using the default/);
});

test("kappa, hand-computed: the fixture's three annotators (Fleiss 169/369), two annotators (Cohen), and the degenerate cases", () => {
  const rows = fixture.trim().split('\n').map((l) => JSON.parse(l));
  const a = annotatorAgreement(readAnnotations(rows, { kind: 'list', field: 'annotations' }))!;
  // Rows with two or more labels: 1–7. Counts (negative, neutral, positive): [0,0,3] [3,0,0] [1,0,2] [1,2,0] [1,1,1] [0,0,3] [2,0,0].
  // P_i = Σ v(v−1) / n(n−1): 1, 1, 1/3, 1/3, 0, 1, 1; P̄ = 2/3. Totals 8, 3, 9 of 20: P_e = (64 + 9 + 81)/400 = 0.385.
  // κ = (2/3 − 0.385)/(1 − 0.385) = (169/600)/(123/200) = 169/369.
  assert.ok(Math.abs(a.fleissKappa! - 169 / 369) < 1e-12, String(a.fleissKappa));
  assert.equal(a.cohensKappa, null, 'three annotators: no Cohen');
  assert.equal(a.rows, 7);
  assert.equal(a.percentAgreement, 4 / 7, 'rows 1, 2, 6, 7 unanimous');
  // Per label, agreeing pairs over pairs it is in: negative (6+0+0+0+2)/(6+2+2+2+2) = 8/14, neutral 2/6, positive (6+2+0+6)/(6+4+2+6) = 14/18.
  assert.deepEqual(a.perLabel.map((p) => [p.label, p.agreement, p.ratings]), [['negative', 8 / 14, 8], ['neutral', 2 / 6, 3], ['positive', 14 / 18, 9]]);

  // Two annotators over 8 items: A = a a a b b b c c, B = a a b b b c c a. Agree on 5: p_o = 5/8.
  // Marginals A: a 3/8, b 3/8, c 2/8; B: a 3/8, b 3/8, c 2/8. p_e = (9 + 9 + 4)/64 = 22/64. κ = (40/64 − 22/64)/(42/64) = 18/42 = 3/7.
  const A = ['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c'];
  const B = ['a', 'a', 'b', 'b', 'b', 'c', 'c', 'a'];
  assert.ok(Math.abs(cohensKappa(A, B)! - 3 / 7) < 1e-12);

  // Degenerate. All agree with more than one label: p_o = 1 > p_e, κ = 1 (Cohen and Fleiss).
  assert.equal(cohensKappa(['a', 'b', 'a'], ['a', 'b', 'a']), 1);
  assert.equal(fleissKappa([[3, 0], [0, 3], [3, 0]]), 1);
  // One label throughout: chance agreement is 1, so κ = 0/0 is undefined: null, said in words; consistency is still 100%.
  assert.equal(cohensKappa(['a', 'a'], ['a', 'a']), null);
  assert.equal(fleissKappa([[2], [2]]), null);
  const one = annotatorAgreement({ ratings: [['a', 'a'], ['a', 'a']], annotators: ['p', 'q'] })!;
  assert.equal(one.percentAgreement, 1);
  assert.equal(one.cohensKappa, null);
  assert.equal(one.strength, 'undefined (a single label throughout)');
  assert.equal(kappaStrength(1), 'almost perfect');
  // Disagreeing throughout more than chance would: κ below 0.
  assert.ok(cohensKappa(['a', 'b', 'a', 'b'], ['b', 'a', 'b', 'a'])! < 0);
});

test('the CLI: the rule in the text output, consistency, kappa and per-label agreement in the summary and the JSON', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tuneset.js'), 'check', FIXTURE], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /annotators\.jsonl:3:\d+ info annotator-disagreement Annotators disagree: "positive" ×2 \(ann, bob\), "negative" ×1 \(cy\); set the label to the majority "positive"\?/);
  assert.match(r.stdout, /^ {2}annotators: 3 agree on 57\.1% of 7 rows \(consistency\); Fleiss' κ 0\.46 \(moderate\)$/m);
  assert.match(r.stdout, /^ {2}agreement per label: negative 57\.1% · neutral 33\.3% · positive 77\.8%; 3 rows with differing labels \(JSON: labelQuality\.agreement\)$/m);
  const json = spawnSync(process.execPath, [join(ROOT, 'bin', 'tuneset.js'), 'check', '--format', 'json', FIXTURE], { cwd: ROOT, encoding: 'utf8' });
  const file = JSON.parse(json.stdout).files[0];
  const agreement = file.labelQuality.agreement;
  assert.ok(Math.abs(agreement.fleissKappa - 169 / 369) < 1e-12);
  assert.deepEqual(agreement.disagreements.map((d: { line: number; majority: string | null }) => [d.line, d.majority]), [[3, 'positive'], [4, 'neutral'], [5, null]]);
  assert.deepEqual(file.findings.filter((f: { rule: string }) => f.rule === 'annotator-disagreement').map((f: { line: number }) => f.line), [3, 4, 5]);
});

test('the report: consistency, kappa, per-label agreement and the rows they disagree on, with each annotator\'s label', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuneset-annotators-report-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tuneset.js'), 'report', FIXTURE, '--md', join(dir, 'r.md')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const md = readFileSync(join(dir, 'r.md'), 'utf8');
  assert.match(md, /^Annotator agreement: 3 annotators agree on 57\.1% of 7 rows; Fleiss' κ 0\.46 \(moderate\); 3 rows with differing labels\.$/m);
  assert.match(md, /^Rows the annotators disagree on \(3 of 3; `annotator-disagreement`\):$/m);
  assert.match(md, /^\| 3 \| Service was slow but the food made up for it\. \| ann: positive, bob: positive, cy: negative \| positive \|$/m);
  assert.match(md, /^\| 5 \| The dessert menu is short\. \| ann: neutral, bob: negative, cy: positive \| tie \|$/m);
  const summary = spawnSync(process.execPath, [join(ROOT, 'bin', 'tuneset.js'), 'report', FIXTURE], { cwd: ROOT, encoding: 'utf8' });
  assert.match(summary.stdout, /^ {2}annotators: 3 agree on 57\.1% of 7 rows \(consistency\); Fleiss' κ 0\.46 \(moderate\); 3 rows with differing labels$/m);
});

const codes = (d: PublishedDiagnostics) => d.diagnostics.map((x) => x.code);

test('in the editor: a diagnostic per disagreeing row, a code action setting the majority label as a WorkspaceEdit, re-checked as the edit (and its undo) arrive', async () => {
  const client = await LspClient.inProcess({ debounceMs: 0 });
  try {
    await client.initialize();
    await client.ready;
    const uri = 'untitled:annotators.jsonl';
    client.open(uri, fixture);
    const first = await client.diagnostics(uri, (d) => codes(d).includes('annotator-disagreement'));
    const ours = first.diagnostics.filter((d) => d.code === 'annotator-disagreement');
    assert.deepEqual(ours.map((d) => d.range.start.line), [2, 3, 4]);
    assert.equal(ours[0].severity, 3, 'information');
    const actions = await client.request<{ title: string; edit?: { changes?: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri }, range: ours[0].range, context: { diagnostics: [ours[0]] },
    });
    const set = actions.find((a) => a.title === 'Set the label to the majority "positive"');
    assert.ok(set, `actions: ${actions.map((a) => a.title).join(', ')}`);
    const [edit] = Object.values(set.edit!.changes!)[0];
    assert.equal(edit.newText, '"positive"');
    assert.equal(edit.range.start.line, 2);
    const tie = await client.request<{ title: string }[]>('textDocument/codeAction', { textDocument: { uri }, range: ours[2].range, context: { diagnostics: [ours[2]] } });
    assert.ok(!tie.some((a) => a.title.startsWith('Set the label')), 'no majority on a tie, no fix');
    // The client applies the edit: the row is re-checked, the label now is the majority.
    client.change(uri, edit.range.start, edit.range.end, edit.newText);
    const after = await client.diagnostics(uri, (d) => d.diagnostics.some((x) => x.code === 'annotator-disagreement' && x.range.start.line === 2 && /already is the majority "positive"/.test(x.message)));
    assert.equal(after.diagnostics.filter((d) => d.code === 'annotator-disagreement').length, 3);
    // Undo puts the old label back, and the fix with it.
    const end = { line: 2, character: edit.range.start.character + '"positive"'.length };
    client.change(uri, edit.range.start, end, '"negative"');
    await client.diagnostics(uri, (d) => d.diagnostics.some((x) => x.code === 'annotator-disagreement' && x.range.start.line === 2 && /set the label to the majority "positive"\?$/.test(x.message)));
  } finally {
    await client.stop();
  }
});
