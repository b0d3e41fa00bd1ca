import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSummaryRequest } from '../../server/src/protocol';
import { flipLabels, generateLabelledTexts } from '../fixtures/labels/generate';
import { LspClient, type PublishedDiagnostics } from '../lsp/lspClient';

/**
 * The editor's label model: it runs in a worker thread after the rule pass, whose diagnostics are
 * published first, then its possible-label-error diagnostics are published merged with the others;
 * a run that is cancelled publishes nothing.
 */

const codes = (d: PublishedDiagnostics) => d.diagnostics.map((x) => x.code);
const has = (rule: string) => (d: PublishedDiagnostics) => codes(d).includes(rule);

test('in process: possible-label-error diagnostics come after the rule pass\'s, merged with them, never on a conflicting-labels row', async () => {
  const text = readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'labels', 'reviews-flipped.jsonl'), 'utf8');
  const client = await LspClient.inProcess({ debounceMs: 0 });
  try {
    await client.initialize();
    await client.ready;
    const uri = 'untitled:reviews-flipped.jsonl';
    client.open(uri, text);
    const first = await client.diagnostics(uri);
    assert.ok(has('conflicting-labels')(first), 'the rule pass comes first, whole');
    assert.ok(!has('possible-label-error')(first), 'the rule pass does not wait for the label model');
    const withModel = await client.diagnostics(uri, has('possible-label-error'));
    assert.ok(client.published.indexOf(withModel) > client.published.indexOf(first));
    const label = withModel.diagnostics.filter((d) => d.code === 'possible-label-error');
    const conflicts = withModel.diagnostics.filter((d) => d.code === 'conflicting-labels').map((d) => d.range.start.line);
    assert.deepEqual(conflicts, [2, 100], 'the rule pass\'s findings stay');
    for (const d of label) {
      assert.ok([6, 33, 70, 122, 159].includes(d.range.start.line), `line ${d.range.start.line + 1} is no planted flip`);
      assert.ok(!conflicts.includes(d.range.start.line));
      assert.equal(d.severity, 3, 'information');
    }
    const summary = await client.request<FileSummaryRequest.Result>(FileSummaryRequest.method, { uri });
    assert.match(summary!.labelQuality!, /^label noise ratio \d+\.\d% \(\d+ of 201 rows flagged; estimated \d+\.\d% of labels wrong\)$/);
    // A quick fix comes with the diagnostic: relabelling line 7.
    const actions = await client.request<{ title: string; edit?: { changes?: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: label.find((d) => d.range.start.line === 6)!.range,
      context: { diagnostics: label.filter((d) => d.range.start.line === 6) },
    });
    const relabel = actions.find((a) => a.title === 'Relabel as "positive"');
    assert.ok(relabel, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.deepEqual(Object.values(relabel.edit!.changes!)[0].map((e) => e.newText), ['"positive"']);
  } finally {
    await client.stop();
  }
});

test('in process: a label model run cancelled from its progress publishes nothing', async () => {
  // Big enough that the run outlasts the moment after which its progress shows.
  const { texts, labels, labelNames } = generateLabelledTexts(19000, 5, 3);
  const noisy = flipLabels(labels, labelNames, 0.1, 4).labels;
  const text = texts.map((t, i) => JSON.stringify({ text: t, label: noisy[i] })).join('\n') + '\n';
  const client = await LspClient.inProcess({ debounceMs: 0 });
  try {
    await client.initialize();
    await client.ready;
    const uri = 'untitled:generated.jsonl';
    client.open(uri, text);
    await client.diagnostics(uri);
    const token = await client.progressBegun('label model of generated.jsonl');
    const cancelled = client.notification<{ message: string }>('window/logMessage', (p) => /label model of generated\.jsonl v1 cancelled/.test(p.message));
    client.cancelProgress(token);
    await cancelled;
    await client.progressEnded(token);
    assert.ok(!client.published.some((d) => d.uri === uri && has('possible-label-error')(d)), 'a cancelled run published its findings');
    const summary = await client.request<FileSummaryRequest.Result>(FileSummaryRequest.method, { uri });
    assert.equal(summary!.labelQuality, undefined);
  } finally {
    await client.stop();
  }
});
