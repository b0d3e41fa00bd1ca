import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../lsp/lspClient';

/** A bad exclude glob no longer stops the language server at start; a glob that backtracks no longer stalls it (issue 16). */

const ws = mkdtempSync(join(tmpdir(), 'tuneset-globs-'));
const row = JSON.stringify({ text: 'a short row of text', label: 'x' }) + '\n';
writeFileSync(join(ws, `${'a'.repeat(60)}.jsonl`), row);
mkdirSync(join(ws, 'raw'));
writeFileSync(join(ws, 'raw', 'skipped.jsonl'), row);
const client = new LspClient({ debounceMs: 0, exclude: ['[z-a]', '*a*a*a*a*a*a*a*a*a*a*.zz', 'raw/**'] });
after(() => client.stop());

test('the server starts with an unusable glob, warns about it, and the other globs apply', async () => {
  const warned = client.notification<{ problems: string[] }>('tuneset/settingsProblems');
  await client.initialize(ws);
  const { problems } = await warned;
  assert.deepEqual(problems, ['tuneset.exclude: "[z-a]" is not a usable glob (the range z-a is out of order); it is ignored, the other globs apply']);
  await client.ready;
  const result = await client.request<{ files: number; cancelled: boolean }>('tuneset/checkWorkspace', {});
  assert.deepEqual([result.files, result.cancelled], [1, false], 'raw/ is excluded, the long name is not');
});
