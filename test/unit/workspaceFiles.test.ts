import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFile } from '../../server/src/host/analyzeFile';
import { parseConfig } from '../../server/src/engine';
import { listDatasetFiles } from '../../server/src/lsp/workspaceFiles';

/** The language server's workspace scan and disk analysis never open what is not a regular file (a named pipe would hang them). */

test('the workspace scan lists regular dataset files only, never a named pipe', { skip: process.platform === 'win32' }, async () => {
  const ws = mkdtempSync(join(tmpdir(), 'tuneset-ws-'));
  writeFileSync(join(ws, 'train.jsonl'), '{"text": "a b c", "label": "x"}\n');
  execFileSync('mkfifo', [join(ws, 'stream.jsonl'), join(ws, 'stream.json')]);
  symlinkSync(join(ws, 'stream.json'), join(ws, 'link.json'));
  assert.deepEqual(listDatasetFiles([ws], []), [join(ws, 'train.jsonl')]);
  // A watched-file change or a closed document sends a path straight to the analysis: it refuses the pipe at once.
  await assert.rejects(analyzeFile(join(ws, 'stream.jsonl'), 'stream.jsonl', parseConfig({}).config), /stream\.jsonl: not a regular file \(a named pipe\)/);
});
