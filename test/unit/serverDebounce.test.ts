import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../lsp/lspClient';

/**
 * Typing waits for the debounce (tuneset.debounceMs) before a re-check; opening a document does not:
 * its first diagnostics come at once, whatever the debounce.
 */
const DEBOUNCE_MS = 5000;
const client = new LspClient({ debounceMs: DEBOUNCE_MS });
const text = readFileSync(join(__dirname, '..', '..', 'samples', 'reviews', 'train.jsonl'), 'utf8');
const uri = pathToFileURL(join(__dirname, 'debounce', 'train.jsonl')).href;

before(async () => {
  // The server checks the workspace once it has read the settings: then the long debounce is in place.
  const settingsRead = client.notification<{ message: string }>('window/logMessage', (p) => p.message.includes('workspace check'));
  await client.initialize();
  await settingsRead;
});
after(() => client.stop());

test('an opened document is checked at once, not after the debounce', async () => {
  client.open(uri, text);
  // A sample this small is analyzed in milliseconds; the timeout is well under the debounce.
  const d = await client.diagnostics(uri, () => true, DEBOUNCE_MS / 2);
  assert.ok(d.diagnostics.length > 0);
});
