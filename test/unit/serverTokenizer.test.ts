import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../lsp/lspClient';

/** The first diagnostics of a dataset do not wait for the tokenizer; the token statistics follow. */
const file = join(__dirname, '..', '..', 'samples', 'reviews', 'train.jsonl');
const uri = pathToFileURL(file).href;
const client = new LspClient({ debounceMs: 0 });
type Summary = { uri: string; stats: { tokens: { sampledTexts: number; bytesPerToken: number } } };

before(() => client.initialize());
after(() => client.stop());

test('diagnostics first, then the summary with token statistics calibrated on an exact sample', async () => {
  const first = client.notification<Summary>('tuneset/summaryChanged', (p) => p.uri === uri);
  const calibrated = client.notification<Summary>('tuneset/summaryChanged', (p) => p.uri === uri && p.stats.tokens.sampledTexts > 0);
  const diagnostics = client.nextDiagnostics(uri);
  client.open(uri, readFileSync(file, 'utf8'));
  assert.ok((await diagnostics).diagnostics.length > 0);
  assert.equal((await first).stats.tokens.sampledTexts, 0, 'the first check did not load the tokenizer');
  const later = await calibrated;
  assert.ok(later.stats.tokens.bytesPerToken !== 4 && later.stats.tokens.sampledTexts > 50);
  const summary = await client.request<Summary>('tuneset/fileSummary', { uri });
  assert.equal(summary.stats.tokens.sampledTexts, later.stats.tokens.sampledTexts, 'requests see the calibrated analysis');
});
