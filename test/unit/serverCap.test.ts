import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../lsp/lspClient';

/** The per-file cap: errors first into the cap, then one summary diagnostic on line 1 saying how many more. */
const client = new LspClient({ debounceMs: 0, maxDiagnosticsPerFile: 3 });
after(() => client.stop());

test('at most maxDiagnosticsPerFile diagnostics, errors first, plus a summary of the rest', async () => {
  await client.initialize();
  const path = join(__dirname, '..', '..', 'samples', 'reviews', 'train.jsonl');
  const uri = pathToFileURL(join(mkdtempSync(join(tmpdir(), 'tuneset-cap-')), 'train.jsonl')).href;
  client.open(uri, readFileSync(path, 'utf8'));
  const d = await client.diagnostics(uri);
  assert.equal(d.diagnostics.length, 4);
  const [summary, ...shown] = d.diagnostics;
  assert.equal(summary.code, 'more-findings');
  assert.match(summary.message, /^21 more findings are not shown \(at most 3 per file; setting tuneset\.maxDiagnosticsPerFile\)/);
  assert.ok(shown.every((x) => x.severity === 1), 'the shown three are errors');
});
