import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDataset, conversationStats, DEFAULT_CONFIG } from '../../server/src/engine';
import { fileReport } from '../../server/src/host/report';

/** What the report shows beyond the analysis (#21): rows' texts beside a rule's examples, and a chat file's roles and turns. */
const dir = mkdtempSync(join(tmpdir(), 'tuneset-report-extras-'));

test('a rule\'s examples carry their rows\' text (cut), so the drill-down shows what the row says', async () => {
  const long = `Long review ${'word '.repeat(100)}end`;
  const rows = [
    { text: 'The battery lasts two full days.', label: 'positive' },
    { text: 'The battery lasts two full days.', label: 'positive' },
    { text: 'Mail me at jane.doe@example.com please, about the refund.', label: 'negative' },
    { text: `${long} contact bob@example.org`, label: 'negative' },
  ];
  const file = join(dir, 'reviews.jsonl');
  const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  writeFileSync(file, text);
  const report = await fileReport(file, analyzeDataset(file, new TextEncoder().encode(text), DEFAULT_CONFIG), undefined, DEFAULT_CONFIG, async () => undefined);
  const dup = report.findings.find((f) => f.rule === 'exact-duplicate')!;
  assert.deepEqual(dup.examples.map((e) => [e.line, e.text]), [[2, 'The battery lasts two full days.']]);
  const email = report.findings.find((f) => f.rule === 'pii-email')!;
  assert.equal(email.examples[0].text, rows[2].text);
  assert.equal(email.examples[1].text!.length, 241, 'a long row is cut');
  assert.ok(email.examples[1].text!.endsWith('…'));
  assert.equal(report.conversations, undefined, 'no conversations section for a classification file');
});

test('a chat file: messages per role, their median length, and messages per conversation', () => {
  const chats = [
    { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello there' }] },
    { messages: [{ role: 'user', content: 'Where is my order?' }, { role: 'assistant', content: 'It ships today.' }, { role: 'user', content: 'Thanks' }, { role: 'assistant', content: 'Glad to help' }] },
    { messages: [{ role: 'user', content: 'Refund?' }, { role: 'assistant', content: 'Yes, within 30 days.' }] },
  ];
  const bytes = new TextEncoder().encode(chats.map((c) => JSON.stringify(c)).join('\n') + '\n');
  const analysis = analyzeDataset('chat.jsonl', bytes, DEFAULT_CONFIG);
  assert.equal(analysis.format, 'chat');
  const c = conversationStats('chat.jsonl', bytes, analysis)!;
  assert.equal(c.conversations, 3);
  assert.deepEqual(c.roles.map((r) => [r.role, r.messages, r.conversationsWith]), [['assistant', 4, 3], ['user', 4, 3], ['system', 1, 1]]);
  assert.equal(c.roles.find((r) => r.role === 'user')!.medianChars, 7, 'user messages of 2, 18, 6 and 7 characters');
  assert.deepEqual(c.turns, { min: 2, median: 3, max: 4, counts: [{ turns: 2, conversations: 1 }, { turns: 3, conversations: 1 }, { turns: 4, conversations: 1 }] });
  const classification = new TextEncoder().encode('{"text":"a fine day","label":"x"}\n');
  assert.equal(conversationStats('c.jsonl', classification, analyzeDataset('c.jsonl', classification, DEFAULT_CONFIG)), undefined);
});

test('an empty file says it has no rows (CodeLens) instead of a score, and the lens offers the rows\' table', async () => {
  const { codeLenses } = await import('../../server/src/lsp/codeLens');
  const empty = analyzeDataset('empty.jsonl', new Uint8Array(0), DEFAULT_CONFIG);
  assert.equal(empty.rows, 0);
  const titles = codeLenses({ uri: 'file:///w/empty.jsonl', analysis: empty, version: 1 }).map((l) => l.command!.title);
  assert.deepEqual(titles, ['Tuneset: no rows yet', 'Open report', 'Browse rows']);
  const full = codeLenses({ uri: 'file:///w/a.jsonl', analysis: analyzeDataset('a.jsonl', new TextEncoder().encode('{"text":"a fine day out","label":"x"}\n'), DEFAULT_CONFIG), version: 1 });
  assert.match(full[0].command!.title, /^Tuneset: classification · 1 rows · 1 label · \d+ findings? · quality \d+\/100$/);
  assert.equal(full.find((l) => l.command!.title === 'Browse rows')!.command!.command, 'tuneset.openDatasetView');
});
