import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, type PublishedDiagnostics } from '../lsp/lspClient';

/**
 * While a person types, the editor asks for the light bulb's code actions and the CodeLens after
 * every key. They must not make the server check the file on every key (the debounce is there so it
 * checks once typing pauses): an automatic code-action request while a check is due is answered with
 * none (the editor asks again when the diagnostics change), the CodeLens from the last check.
 */
const client = new LspClient({ debounceMs: 1500 });
const uri = 'untitled:typing.jsonl';
const ROWS = ['{"text": "  padded text here ", "label": "a"}', '{"text": "Another fine row of text", "label": "b"}', '{"text": "A third and final row", "label": "a"}'];

before(async () => {
  await client.initialize();
  await client.ready;
});
after(() => client.stop());

const versionOf = (d: PublishedDiagnostics) => (d.diagnostics[0]?.data as { version?: number } | undefined)?.version;

test('typing: the light bulb and the CodeLens do not check the file before typing pauses; Ctrl+. does', async () => {
  client.open(uri, ROWS.join('\n') + '\n');
  const first = await client.diagnostics(uri, (d) => d.diagnostics.some((x) => x.code === 'whitespace'));
  const ws = first.diagnostics.find((x) => x.code === 'whitespace')!;
  assert.equal(versionOf(first), 1);

  client.change(uri, { line: 2, character: 10 }, { line: 2, character: 10 }, 'x');
  const lightBulb = await client.request<unknown[]>('textDocument/codeAction', { textDocument: { uri }, range: ws.range, context: { diagnostics: [ws], triggerKind: 2 } });
  assert.deepEqual(lightBulb, [], 'no fix offered from a check the text has moved past');
  const lenses = await client.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.match(lenses[0].command.title, /3 rows/);
  assert.equal(versionOf(client.latest.get(uri)!), 1, 'nothing checked yet: the debounce still runs');

  const invoked = await client.request<{ title: string }[]>('textDocument/codeAction', { textDocument: { uri }, range: ws.range, context: { diagnostics: [ws], triggerKind: 1 } });
  assert.ok(invoked.some((a) => a.title === 'Trim whitespace'), 'asked for (Ctrl+.), the fixes come from a check of the text as it is');
  const checked = await client.diagnostics(uri, (d) => versionOf(d) === 2);
  assert.ok(checked.diagnostics.some((x) => x.code === 'whitespace'));
});
