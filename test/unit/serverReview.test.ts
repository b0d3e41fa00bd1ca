import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OpenDatasets } from '../../server/src/lsp/datasets';
import { LspClient } from '../lsp/lspClient';

/**
 * Review defects of the language server (issue #21's panels that never mislead, #16's hostile input):
 * work left running after a settings change, watched files that are no datasets, files created in
 * the workspace checked on the server's thread, panels that held the server while they worked.
 */

const WORDS = 'the battery lasts two full days and charging is quick strap broke on second day would recommend it to a friend screen bright sound clear price fair'.split(' ');

/** Made-up rows, the same every run. */
function rows(n: number): string[] {
  let seed = 5;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, (_, i) => JSON.stringify({ text: `Row ${i}: ${Array.from({ length: 18 + Math.floor(next() * 12) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ')}.`, label: ['pos', 'neg'][i % 2] }));
}

/** Resolves once `condition` holds (looked at every few milliseconds). */
async function until(condition: () => boolean, what: string, timeoutMs = 60000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('a settings change stops the background near-duplicate passes of the datasets it replaces', async () => {
  const client = await LspClient.inProcess({ debounceMs: 0 });
  try {
    await client.initialize();
    await client.ready;
    const uri = 'untitled:big.jsonl';
    client.open(uri, rows(40000).join('\n') + '\n');
    await client.diagnostics(uri);
    // A big document's near-duplicates come from a worker thread once checks pause.
    await until(() => OpenDatasets.liveWorkers > 0, 'the background pass starts');
    const rechecked = client.nextDiagnostics(uri);
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await rechecked;
    assert.equal(OpenDatasets.liveWorkers, 0, 'the pass of the datasets checked with the old settings is stopped');
  } finally {
    await client.stop();
  }
});
